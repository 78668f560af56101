// Package apidoc checks Fulcrum's own source for the documentation the
// project promises: a doc comment on every exported identifier, and a
// runnable example with an "// Output:" comment in every library package.
// Its test walks the module; the package has no other code.
package apidoc
