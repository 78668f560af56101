package riskpolicy

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

//go:embed policies/*.yaml
var builtinFS embed.FS

// Builtins returns the names of the built-in policies, sorted. They are
// examples to copy and adapt, each with embedded tests, not official
// statements of any body's policy: see the comments at the top of each file.
func Builtins() []string {
	ents, _ := fs.ReadDir(builtinFS, "policies")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(out)
	return out
}

// BuiltinSource returns the text of the built-in policy called name.
func BuiltinSource(name string) ([]byte, error) {
	b, err := builtinFS.ReadFile("policies/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("built-in policy %q: %w (have %s)", name, ErrNotFound, strings.Join(Builtins(), ", "))
	}
	return b, nil
}

// Builtin compiles the built-in policy called name; its file name in errors
// is "builtin:NAME".
func Builtin(name string, opts ...Option) (*Policy, error) {
	src, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return Compile("builtin:"+name, src, opts...)
}

//go:embed policy.schema.json
var schema []byte

// Schema returns the JSON Schema of the policy format, for editors to
// validate and complete policy files (see the yaml-language-server comment
// at the top of the built-in policies).
func Schema() []byte { return slices.Clone(schema) }
