package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
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

// intFlag registers --name on c, an integer from lo to hi: any other
// value is a usage error naming the flag, before any work is done.
func intFlag(c *cobra.Command, p *int, name string, def, lo, hi int, usage string) {
	*p = def
	c.Flags().Var(&boundedInt{p: p, lo: lo, hi: hi}, name, fmt.Sprintf("%s (%d to %d)", usage, lo, hi))
}

type boundedInt struct {
	p      *int
	lo, hi int
}

func (b *boundedInt) String() string { return strconv.Itoa(*b.p) }
func (b *boundedInt) Type() string   { return "int" }

func (b *boundedInt) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < b.lo || v > b.hi {
		return fmt.Errorf("want a whole number from %d to %d", b.lo, b.hi)
	}
	*b.p = v
	return nil
}

// floatFlag registers --name on c, a number from lo to hi: NaN, infinities
// and any value outside the range are usage errors naming the flag.
func floatFlag(c *cobra.Command, p *float64, name string, def, lo, hi float64, usage string) {
	*p = def
	c.Flags().Var(&boundedFloat{p: p, lo: lo, hi: hi}, name, fmt.Sprintf("%s (%g to %g)", usage, lo, hi))
}

type boundedFloat struct {
	p      *float64
	lo, hi float64
}

func (b *boundedFloat) String() string { return strconv.FormatFloat(*b.p, 'g', -1, 64) }
func (b *boundedFloat) Type() string   { return "float" }

func (b *boundedFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	// !(v >= lo && v <= hi) refuses NaN too.
	if err != nil || !(v >= b.lo && v <= b.hi) {
		return fmt.Errorf("want a number from %g to %g", b.lo, b.hi)
	}
	*b.p = v
	return nil
}
