package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types/ref"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

// rawDir returns shared/data/raw beside the module root, or "" when absent.
func rawDir(t testing.TB) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test")
		dir = parent
	}
	raw := filepath.Join(dir, "..", "shared", "data", "raw")
	if _, err := os.Stat(raw); err != nil {
		return ""
	}
	return raw
}

func load(t testing.TB) *partnership.Model {
	ctx := context.Background()
	var res *england.Result
	var err error
	if raw := rawDir(t); raw != "" {
		res, err = england.Load(ctx, raw, &england.Options{Lenient: true})
	} else {
		res, err = england.LoadEmbedded(ctx)
	}
	require.NoError(t, err)
	m, err := res.Model()
	require.NoError(t, err)
	return m
}

// TestEveryBuiltinOnEngland writes indicators for every open state-funded
// school in England and evaluates every built-in policy on them.
func TestEveryBuiltinOnEngland(t *testing.T) {
	m := load(t)
	var cur, hist bytes.Buffer
	st, err := synth.Write(context.Background(), m, &cur, &hist, &synth.Options{Periods: 3})
	require.NoError(t, err)
	if rawDir(t) != "" {
		require.Greater(t, st.Schools, 20000, "expected every open state-funded school in England")
	}
	for _, name := range riskpolicy.Builtins() {
		p, err := riskpolicy.Builtin(name)
		require.NoError(t, err)
		d, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur.Bytes()), "history.csv", bytes.NewReader(hist.Bytes()), nil)
		require.NoError(t, err, name)
		src := d.Source
		require.Equal(t, st.Schools, src.Len())
		as, err := p.EvaluateAll(context.Background(), src, nil)
		require.NoError(t, err, name)
		require.Len(t, as, st.Schools)
		counts := map[string]int{}
		for _, a := range as {
			counts[a.Level]++
			require.False(t, a.IsUndetermined(), "%s: school %d: %+v", name, a.URN, a.Undetermined)
		}
		t.Logf("%s: %v", name, counts)
		if name == "trust-at-risk" {
			fractionRefused(t, p, cur.Bytes())
		}

		// The conditions compiled to Go agree with CEL itself, on a sample
		// of one school in fifteen (CEL alone is slow under the race detector).
		src2, err := riskpolicy.BuiltinSource(name)
		require.NoError(t, err)
		noop := cel.Function("noop_for_test", cel.Overload("noop_for_test_int", []*cel.Type{cel.IntType}, cel.IntType,
			cel.UnaryBinding(func(v ref.Val) ref.Val { return v })))
		celOnly, err := riskpolicy.Compile(name, src2, riskpolicy.WithFunctions(noop))
		require.NoError(t, err)
		var sample []riskpolicy.Record
		var got []*riskpolicy.Assessment
		i := 0
		for r, err := range riskpolicy.All(context.Background(), src) {
			require.NoError(t, err)
			if i%15 == 0 {
				sample = append(sample, r)
				got = append(got, as[i])
			}
			i++
		}
		b, err := celOnly.Bind(sample)
		require.NoError(t, err)
		want, err := celOnly.EvaluateBatch(context.Background(), b, &riskpolicy.EvalOptions{At: as[0].At, Brief: true})
		require.NoError(t, err)
		for i := range want {
			require.Equal(t, want[i].Level, got[i].Level, "%s: school %d", name, got[i].URN)
			require.Equal(t, len(want[i].Fired), len(got[i].Fired), "%s: school %d", name, got[i].URN)
		}
		require.Greater(t, counts[p.Levels()[0].Name], 0, "%s: no school at the baseline", name)
		require.GreaterOrEqual(t, len(counts), 2, "%s: every school at one level", name)
	}
}

// fractionRefused writes one school's attendance as a fraction (0.94 for
// 94) into the England file and checks that the policy refuses it at its
// line and column, among 21,980 schools' percentages.
func fractionRefused(t *testing.T, p *riskpolicy.Policy, cur []byte) {
	lines := strings.Split(string(cur), "\n")
	hl := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "urn,") })
	col := slices.Index(strings.Split(lines[hl], ","), "attendance")
	require.True(t, hl >= 0 && col >= 0)
	at := hl + 5000
	fields := strings.Split(lines[at], ",")
	v, err := strconv.ParseFloat(fields[col], 64)
	require.NoError(t, err)
	fields[col] = strconv.FormatFloat(v/100, 'g', -1, 64)
	lines[at] = strings.Join(fields, ",")
	_, err = p.ReadCSV("indicators.csv", strings.NewReader(strings.Join(lines, "\n")), "", nil, nil)
	require.Error(t, err)
	require.Contains(t, err.Error(), fmt.Sprintf("indicators.csv:%d:%d: column 'attendance' (attendance): %s looks like a fraction", at+1, col+1, fields[col]))
}

func TestWriteIsDeterministic(t *testing.T) {
	ctx := context.Background()
	res, err := england.LoadEmbedded(ctx)
	require.NoError(t, err)
	m, err := res.Model()
	require.NoError(t, err)
	var a, b bytes.Buffer
	_, err = synth.Write(ctx, m, &a, nil, &synth.Options{Seed: 7})
	require.NoError(t, err)
	_, err = synth.Write(ctx, m, &b, nil, &synth.Options{Seed: 7})
	require.NoError(t, err)
	require.Equal(t, a.String(), b.String())
	require.Contains(t, a.String(), "# SYNTHETIC columns")
}
