package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// formatFlag is the value of a --format flag: one of a fixed list, checked when
// the flag is parsed, so an unknown format is a usage error before any
// work is done.
type formatFlag struct {
	value   string
	allowed []string
}

// addFormat registers --format on c, accepting allowed; the first is the
// default. Shells complete the allowed values.
func addFormat(c *cobra.Command, allowed ...string) *formatFlag {
	f := &formatFlag{value: allowed[0], allowed: allowed}
	c.Flags().Var(f, "format", "output `FORMAT`: "+orList(allowed))
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(allowed, cobra.ShellCompDirectiveNoFileComp))
	return f
}

func (f *formatFlag) String() string { return f.value }

// Set implements pflag.Value.
func (f *formatFlag) Set(s string) error {
	if !slices.Contains(f.allowed, s) {
		return fmt.Errorf("want %s", orList(f.allowed))
	}
	f.value = s
	return nil
}

// Type implements pflag.Value.
func (f *formatFlag) Type() string { return "string" }

// orList words xs as "a, b or c".
func orList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// addDataFlag registers --data, the folder of England extracts, on c.
func addDataFlag(c *cobra.Command, dir *string) {
	c.Flags().StringVar(dir, "data", "", "`DIR` holding the England extracts (default: the embedded Yorkshire and the Humber subset)")
	_ = c.MarkFlagDirname("data")
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
