package mcfcmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
	"github.com/fulcrum-edu/fulcrum/internal/mcfcmd"
)

// networks are problems of both shapes, small enough for a test: the
// assignment instances of the benchmarks at a tenth of their smallest size
// and general networks with negative costs and lower bounds.
func networks() map[string]*flow.Network {
	nets := map[string]*flow.Network{}
	for seed := uint64(1); seed <= 3; seed++ {
		for _, tight := range []bool{false, true} {
			a := flowgen.Generate(flowgen.Config{Needs: 50, Providers: 30, Tight: tight, Seed: seed})
			nets[fmt.Sprintf("assignment-tight=%t-seed=%d", tight, seed)] = a.Network()
		}
		nets[fmt.Sprintf("general-seed=%d", seed)] = flowgen.General(flowgen.GeneralConfig{Nodes: 200, Seed: seed})
	}
	// No arc carries flow: the JSON's arcs are [], not null.
	g := flow.NewNetwork(2)
	g.AddArc(flow.Arc{From: 0, To: 1, Cap: 5, Cost: 1})
	nets["empty-flow"] = g
	return nets
}

func writeDIMACS(t *testing.T, g *flow.Network) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, flow.WriteDIMACS(&b, g))
	p := filepath.Join(t.TempDir(), "p.min")
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
	return p
}

func run(t *testing.T, opts mcfcmd.Options) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := mcfcmd.Run(context.Background(), opts, strings.NewReader(""), &out)
	return out.String(), err
}

// The dimacs format is the cost and every arc with flow, in arc order; the
// json format is exactly what encoding/json's indented encoder writes for
// the same Solution, so a reader may use either.
func TestRunFormats(t *testing.T) {
	for name, g := range networks() {
		t.Run(name, func(t *testing.T) {
			p := writeDIMACS(t, g)
			for _, general := range []bool{false, true} {
				f, err := g.Solve(context.Background())
				if general {
					f, err = g.SolveGeneral(context.Background())
				}
				require.NoError(t, err)
				want := Solution(g, f)
				var dimacs strings.Builder
				fmt.Fprintf(&dimacs, "s %d\n", want.Cost)
				for _, a := range want.Arcs {
					fmt.Fprintf(&dimacs, "f %d %d %d\n", a.From, a.To, a.Flow)
				}
				got, err := run(t, mcfcmd.Options{File: p, General: general})
				require.NoError(t, err)
				assert.Equal(t, dimacs.String(), got)

				var js bytes.Buffer
				enc := json.NewEncoder(&js)
				enc.SetIndent("", "  ")
				require.NoError(t, enc.Encode(want))
				got, err = run(t, mcfcmd.Options{File: p, General: general, Format: "json"})
				require.NoError(t, err)
				assert.Equal(t, js.String(), got)
			}
		})
	}
}

// solution is the json format's document.
type solution struct {
	Cost int64     `json:"cost"`
	Arcs []arcFlow `json:"arcs"`
}

type arcFlow struct {
	From int   `json:"from"`
	To   int   `json:"to"`
	Flow int64 `json:"flow"`
}

// Solution is the document of f on g.
func Solution(g *flow.Network, f *flow.Flow) solution {
	s := solution{Cost: f.Cost, Arcs: []arcFlow{}}
	for k, x := range f.Arcs {
		if x != 0 {
			a := g.Arc(k)
			s.Arcs = append(s.Arcs, arcFlow{From: a.From + 1, To: a.To + 1, Flow: x})
		}
	}
	return s
}

// A solution far larger than the output buffer is written whole.
func TestRunLargeOutput(t *testing.T) {
	g := flowgen.Generate(flowgen.Config{Needs: 5000, Providers: 3000, Seed: 1}).Network()
	p := writeDIMACS(t, g)
	f, err := g.Solve(context.Background())
	require.NoError(t, err)
	want := Solution(g, f)
	got, err := run(t, mcfcmd.Options{File: p, Format: "json"})
	require.NoError(t, err)
	var back solution
	require.NoError(t, json.Unmarshal([]byte(got), &back))
	assert.Equal(t, want, back)
	got, err = run(t, mcfcmd.Options{File: p})
	require.NoError(t, err)
	assert.Equal(t, len(want.Arcs)+1, strings.Count(got, "\n"))
}

func TestRunStdin(t *testing.T) {
	var out bytes.Buffer
	in := "p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 5 4\n"
	require.NoError(t, mcfcmd.Run(context.Background(), mcfcmd.Options{File: "-"}, strings.NewReader(in), &out))
	assert.Equal(t, "s 12\nf 1 2 3\n", out.String())
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.min")
	require.NoError(t, os.WriteFile(bad, []byte("p min 2 1\na 1 3 0 1 1\n"), 0o644))
	infeasible := filepath.Join(dir, "infeasible.min")
	require.NoError(t, os.WriteFile(infeasible, []byte("p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 2 1\n"), 0o644))
	for _, tc := range []struct {
		name string
		opts mcfcmd.Options
		is   error
		msg  string
	}{
		{"no file", mcfcmd.Options{}, mcfcmd.ErrUsage, "--dimacs FILE is required"},
		{"format", mcfcmd.Options{File: bad, Format: "yaml"}, mcfcmd.ErrUsage, `--format "yaml": want dimacs or json`},
		{"syntax", mcfcmd.Options{File: bad}, nil, bad + ":2: target node 3 out of range [1, 2]"},
		{"missing", mcfcmd.Options{File: filepath.Join(dir, "none.min")}, os.ErrNotExist, ""},
		{"infeasible", mcfcmd.Options{File: infeasible}, flow.ErrInfeasible, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.opts)
			require.Error(t, err)
			assert.Empty(t, out, "nothing written")
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			if tc.msg != "" {
				assert.Equal(t, tc.msg, err.Error())
			}
			if !errors.Is(tc.is, mcfcmd.ErrUsage) {
				assert.NotErrorIs(t, err, mcfcmd.ErrUsage)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	p := writeDIMACS(t, flowgen.General(flowgen.GeneralConfig{Nodes: 2000, Seed: 1}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := mcfcmd.Run(ctx, mcfcmd.Options{File: p}, nil, &out)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, out.String())
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

// The first write error is returned, and nothing more is written after it.
func TestRunWriteError(t *testing.T) {
	p := writeDIMACS(t, flowgen.Generate(flowgen.Config{Needs: 5000, Providers: 3000, Seed: 1}).Network())
	w := &failWriter{}
	err := mcfcmd.Run(context.Background(), mcfcmd.Options{File: p}, nil, w)
	assert.EqualError(t, err, "disk full")
	assert.Equal(t, 1, w.n)
}
