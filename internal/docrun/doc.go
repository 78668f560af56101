// Package docrun checks that the documentation runs: its test reads
// README.md and every page of docs/, compiles and runs each Go program in
// them against this module, and runs each shell command in them against a
// fulcrum binary built from this module, so the documentation cannot drift
// from the code. The package has no other code.
//
// The rules a page follows, so that the test can check it:
//
//   - A ```go block that begins with a package clause starts a program; a
//     ```go block that does not continues the program before it (its
//     top-level declarations), so a tour can show a program step by step.
//     Each program is built with `go build` from the module root and run in
//     a scratch directory; it must exit 0. A ```text output block after a
//     program's last block is its exact standard output.
//   - Each ```sh block is one bash script (set -e -o pipefail), run in a
//     scratch directory holding links to the module's top-level files and
//     directories, with fulcrum (and ./fulcrum) the binary the test built.
//     ../shared stands for the shared directory beside the module; a block
//     that names it is not run when that directory is missing.
//   - Lines of a ```sh block that are Go commands are checked rather than
//     run: `go run ./cmd/fulcrum ARGS` runs as `fulcrum ARGS`; `go build`
//     and `go install` of ./cmd/fulcrum are the binary the test built;
//     `go run ./examples/NAME` must name an example (each example's own
//     test runs it); `go test ./...` must be the command CI runs (.ci/run);
//     any other `go test` must select at least one test or benchmark in
//     each package it names, which the test checks in the package's test
//     files. A `go test` command quoted in
//     a table row (the performance figures) is checked the same way.
//   - ```text, ```yaml and other blocks are prose.
package docrun
