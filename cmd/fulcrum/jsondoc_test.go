package main

import (
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// jsonShapes documents the JSON each command prints: its keys, nested, with
// their JSON types and the Go types they come from.
func jsonShapes() string {
	var b strings.Builder
	b.WriteString(`# The JSON of each command

Generated from the Go types by ` + "`go test ./cmd/fulcrum -run TestJSONShapes -update`" + `;
a test fails when this file and the code disagree. Keys are snake_case
throughout (a test checks every field, however deep). Types: string,
integer, number, boolean; [T] is an array of T; {string: T} an object whose
keys are data (names, phases, ...) with values of type T. A key marked ? is
left out when empty. An object of a library type is named, as
"object (review.Allocation)": its fields are the type's, documented field by
field in its package (` + "`go doc github.com/fulcrum-edu/fulcrum/review Allocation`" + `).
`)
	names := make([]string, 0, len(jsonOutputs))
	for n := range jsonOutputs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\n## fulcrum %s --format json\n\n```\n", n)
		writeShape(&b, reflect.TypeOf(jsonOutputs[n]), 0, map[reflect.Type]bool{})
		b.WriteString("\n```\n")
	}
	return b.String()
}

func writeShape(b *strings.Builder, ty reflect.Type, depth int, open map[reflect.Type]bool) {
	indent := strings.Repeat("  ", depth)
	for ty.Kind() == reflect.Pointer {
		ty = ty.Elem()
	}
	name := ""
	if ty.PkgPath() != "" && ty.Name() != "" {
		name = " (" + strings.TrimPrefix(ty.String(), "main.") + ")"
		if strings.HasPrefix(ty.String(), "main.") {
			name = ""
		}
	}
	pt := reflect.PointerTo(ty)
	switch {
	case pt.Implements(reflect.TypeFor[encoding.TextMarshaler]()):
		b.WriteString("string" + name)
		return
	case pt.Implements(reflect.TypeFor[json.Marshaler]()):
		b.WriteString("custom" + name)
		return
	}
	switch ty.Kind() {
	case reflect.String:
		b.WriteString("string" + name)
	case reflect.Bool:
		b.WriteString("boolean" + name)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString("integer" + name)
	case reflect.Float32, reflect.Float64:
		b.WriteString("number" + name)
	case reflect.Slice, reflect.Array:
		b.WriteString("[")
		writeShape(b, ty.Elem(), depth, open)
		b.WriteString("]")
	case reflect.Map:
		b.WriteString("{string: ")
		writeShape(b, ty.Elem(), depth, open)
		b.WriteString("}")
	case reflect.Struct:
		if ty.PkgPath() != reflect.TypeFor[env]().PkgPath() {
			b.WriteString("object" + name)
			return
		}
		if open[ty] {
			b.WriteString("{...}" + name + " (recursive)")
			return
		}
		open[ty] = true
		defer delete(open, ty)
		b.WriteString("{\n")
		writeFields(b, ty, depth+1, open)
		b.WriteString(indent + "}")
	default:
		b.WriteString(ty.Kind().String())
	}
}

func writeFields(b *strings.Builder, ty reflect.Type, depth int, open map[reflect.Type]bool) {
	indent := strings.Repeat("  ", depth)
	for i := range ty.NumField() {
		f := ty.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		key, opts, _ := strings.Cut(tag, ",")
		if key == "-" {
			continue
		}
		if key == "" && f.Anonymous {
			et := f.Type
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			writeFields(b, et, depth, open)
			continue
		}
		if key == "" {
			key = f.Name
		}
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			key += "?"
		}
		b.WriteString(indent + key + ": ")
		writeShape(b, f.Type, depth, open)
		b.WriteString("\n")
	}
}

// JSON.md, beside the command, is the JSON of every command as the code
// prints it.
func TestJSONShapes(t *testing.T) {
	path := filepath.Join("JSON.md")
	want := jsonShapes()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, want, string(got), "cmd/fulcrum/JSON.md differs from the code: run go test ./cmd/fulcrum -run TestJSONShapes -update")
}
