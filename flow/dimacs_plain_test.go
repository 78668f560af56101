package flow_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

// sameParse checks that ParseDIMACS, which reads plain arc lines in one
// pass, gives what reading every field by itself gives: the same network,
// or the same error.
func sameParse(t interface {
	Helper()
	Fatalf(string, ...any)
}, in string) {
	t.Helper()
	g, err := flow.ParseDIMACS(strings.NewReader(in))
	h, herr := flow.ParseDIMACSFieldByField(strings.NewReader(in))
	if err != nil || herr != nil {
		if fmt.Sprint(err) != fmt.Sprint(herr) {
			t.Fatalf("input %q:\none pass:       %v\nfield by field: %v", in, err, herr)
		}
		return
	}
	if g.NumNodes() != h.NumNodes() || g.NumArcs() != h.NumArcs() {
		t.Fatalf("input %q: %d nodes %d arcs against %d and %d", in, g.NumNodes(), g.NumArcs(), h.NumNodes(), h.NumArcs())
	}
	for k := range g.NumArcs() {
		if g.Arc(k) != h.Arc(k) {
			t.Fatalf("input %q: arc %d: %+v against %+v", in, k, g.Arc(k), h.Arc(k))
		}
	}
	for v := range g.NumNodes() {
		if g.Supply(v) != h.Supply(v) {
			t.Fatalf("input %q: node %d: supply %d against %d", in, v, g.Supply(v), h.Supply(v))
		}
	}
}

// Arc lines at and past every edge of the one-pass reader: signs, leading
// zeros, 18 and 19 digits, the value limits, other white space, missing
// and extra fields, and nodes out of range.
func TestParseDIMACSPlainArcs(t *testing.T) {
	lines := []string{
		"a 1 2 0 4 3", "a 1 2 0 4 -3", "a\t1\t2\t0\t4\t3", "a 1 2 0 4 3 ", "a 1 2 0 4 3\r", "a 1 2 0 4 3 \t\r",
		"a  1   2 0 4 3", "a 01 002 00 04 -03", "a 1 2 -0 4 -0", "a 1 2 +0 4 3", "a +1 2 0 4 3", "a 1 2 0 4 +3",
		"a 1 2 0 1099511627776 -1099511627776", "a 1 2 0 1099511627777 0", "a 1 2 0 0 1099511627777",
		"a 1 2 0 000000000000000004 3", "a 1 2 0 0000000000000000004 3", "a 1 2 0 4 -000000000000000003",
		"a 1 2 0 999999999999999999 3", "a 1 2 0 9999999999999999999 3", "a 1 2 0 99999999999999999999999 3",
		"a 1 2 5 4 3", "a 1 2 4 4 3", "a 1 2 -1 4 3", "a 1 2 0 -4 3", "a 0 2 0 4 3", "a 1 4 0 4 3", "a -1 2 0 4 3",
		"a 1 2 0 4", "a 1 2 0 4 3 7", "a 1 2 0 4 3x", "a 1 2 0 4x 3", "a 1 2 0 4 - 3", "a 1 2 0 4 -", "a 1 2 0 4 --3",
		"a 1 2 0 4 3\v", "a 1 2\f0 4 3", "a 1 2 0 4 3\x00", "a 1 2 0 4 ３", "a 1 2 0 4 3 c",
	}
	for _, l := range lines {
		sameParse(t, "p min 3 1\n"+l+"\n")
		sameParse(t, "p min 3 1\n"+l) // no final newline
	}
}

// Random arc lines built from the pieces the one-pass reader treats
// specially.
func TestParseDIMACSPlainArcsRandom(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "nodes")
		m := rapid.IntRange(1, 6).Draw(t, "arcs")
		num := rapid.OneOf(
			rapid.Custom(func(t *rapid.T) string { return fmt.Sprint(rapid.Int64Range(-20, 20).Draw(t, "small")) }),
			rapid.Custom(func(t *rapid.T) string { return fmt.Sprint(rapid.Int64().Draw(t, "any")) }),
			rapid.Custom(func(t *rapid.T) string {
				return rapid.SampledFrom([]string{"-", "+", "", "0"}).Draw(t, "sign") + strings.Repeat("0", rapid.IntRange(0, 20).Draw(t, "zeros")) +
					fmt.Sprint(rapid.Int64Range(0, 1<<41).Draw(t, "digits"))
			}),
			rapid.SampledFrom([]string{"1099511627776", "-1099511627776", "1099511627777", "x", "", "1e3"}),
		)
		sep := rapid.SampledFrom([]string{" ", " ", " ", "  ", "\t", "\r", "\v"})
		var b strings.Builder
		fmt.Fprintf(&b, "p min %d %d\n", n, m)
		for range m {
			b.WriteString("a")
			for range rapid.IntRange(4, 6).Draw(t, "fields") {
				b.WriteString(sep.Draw(t, "sep") + num.Draw(t, "num"))
			}
			b.WriteString(rapid.SampledFrom([]string{"", " ", "\r", "\t "}).Draw(t, "end") + "\n")
		}
		sameParse(t, b.String())
	})
}

// Files mixing plain arc lines with every other kind of line, in any
// order, with and without a final newline, read the same either way: the
// one-pass reader hands each line it does not take to the line-by-line one.
func TestParseDIMACSPlainArcsMixed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "nodes")
		m := rapid.IntRange(0, 12).Draw(t, "arcs")
		kinds := []string{
			"a 1 2 0 3 4", "a\t2 1 0 3 -4", "a 1 1 0 0 0\r", "  a 1 2 0 3 4", "a  1 2 0 3 4 ", "a 1 2 0 3", "a 1 2 0 3 4 5",
			"a 9 1 0 3 4", "a 1 2 4 3 4", "a 1 2 0 3 +4", "a1 2 0 3 4", "n 1 2", "n 2 -2", "c a comment", "", "\r", "x 1",
			"p min 2 1", "a " + strings.Repeat("0", 70000) + "1 2 0 3 4", "a" + strings.Repeat(" ", 70000) + "1 2 0 3 4",
			"a" + strings.Repeat(" ", 65525) + "1 2 0 3 4", "a" + strings.Repeat(" ", 65526) + "1 2 0 3 4", // 65,535 and 65,536 bytes
		}
		var b strings.Builder
		fmt.Fprintf(&b, "c head\np min %d %d\n", n, m)
		lines := rapid.IntRange(0, 20).Draw(t, "lines")
		for x := range lines {
			b.WriteString(rapid.SampledFrom(kinds).Draw(t, "line"))
			if x < lines-1 || rapid.Bool().Draw(t, "final newline") {
				b.WriteString("\n")
			}
		}
		sameParse(t, b.String())
	})
}

// The benchmark instances read the same either way.
func TestParseDIMACSPlainArcsInstances(t *testing.T) {
	for _, g := range []*flow.Network{
		flowgen.Generate(flowgen.Config{Needs: 500, Providers: 300, Seed: 1}).Network(),
		flowgen.General(flowgen.GeneralConfig{Nodes: 2000, Seed: 1}),
	} {
		var b bytes.Buffer
		require.NoError(t, flow.WriteDIMACS(&b, g))
		sameParse(t, b.String())
	}
}

func FuzzParseDIMACSPlainArcs(f *testing.F) {
	f.Add("p min 3 2\na 1 2 0 4 3\na 2 3 -0 +4 -3\r\n")
	f.Add("p min 2 1\na 1 2 0 0000000000000000004 1099511627776\n")
	f.Fuzz(func(t *testing.T, in string) { sameParse(t, in) })
}
