package simulation_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/simulation"
)

func loadExperiment(t *testing.T, file string) *simulation.Experiment {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	x, err := simulation.ParseExperiment(file, src, os.DirFS(filepath.Dir(file)))
	require.NoError(t, err)
	return x
}

func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{simulation.MetricsFile, simulation.SchoolsFile, simulation.VariantsFile, simulation.SummaryFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		out[f] = b
	}
	return out
}

// TestDeterminism: the same seed gives identical bytes with one worker and
// with two.
func TestDeterminism(t *testing.T) {
	x := loadExperiment(t, "testdata/small.yaml")
	w := simulation.Generate(x.Generate)
	ctx := context.Background()
	d1, d2 := t.TempDir(), t.TempDir()
	require.NoError(t, simulation.Execute(ctx, x, w, d1, simulation.ExecOptions{Workers: 1}))
	require.NoError(t, simulation.Execute(ctx, x, w, d2, simulation.ExecOptions{Workers: 2}))
	a, b := readAll(t, d1), readAll(t, d2)
	for f := range a {
		require.Equal(t, string(a[f]), string(b[f]), f)
	}
	require.Greater(t, len(a[simulation.MetricsFile]), 1000)
}

// TestShardsMerge: three shards merged give exactly one run's bytes.
func TestShardsMerge(t *testing.T) {
	x := loadExperiment(t, "testdata/small.yaml")
	w := simulation.Generate(x.Generate)
	ctx := context.Background()
	whole := t.TempDir()
	require.NoError(t, simulation.Execute(ctx, x, w, whole, simulation.ExecOptions{Workers: 2}))
	var parts []string
	for i := 1; i <= 3; i++ {
		d := t.TempDir()
		require.NoError(t, simulation.Execute(ctx, x, w, d, simulation.ExecOptions{Workers: 1, Shard: simulation.Shard{Index: i, Count: 3}}))
		parts = append(parts, d)
	}
	merged := t.TempDir()
	// Shards in any order.
	require.NoError(t, simulation.Merge(x, merged, []string{parts[2], parts[0], parts[1]}))
	a, b := readAll(t, whole), readAll(t, merged)
	for f := range a {
		require.Equal(t, string(a[f]), string(b[f]), f)
	}
	// A missing shard is refused.
	err := simulation.Merge(x, t.TempDir(), parts[:2])
	require.ErrorIs(t, err, simulation.ErrInvalid)
	require.ErrorContains(t, err, "shard 3/3 is missing")
	// A shard edited on the way: every bad field named by line and column.
	name := filepath.Join(parts[0], simulation.MetricsFile)
	src, err := os.ReadFile(name)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(src), "\n")
	lines[1] = strings.Replace(lines[1], ",", ",nosuch-", 1)
	f := strings.Split(lines[2], ",")
	f[5] = "high\n"
	lines[2] = strings.Join(f, ",")
	require.NoError(t, os.WriteFile(name, []byte(strings.Join(lines, "")), 0o644))
	err = simulation.Merge(x, t.TempDir(), parts)
	require.ErrorIs(t, err, simulation.ErrInvalid)
	require.ErrorContains(t, err, ":2:2: variant: invalid: variant \"nosuch-")
	require.ErrorContains(t, err, ":3:6: value: invalid: \"high\" is not a number or NA")
	lines[1] = "x" + lines[1]
	require.NoError(t, os.WriteFile(name, []byte(strings.Join(lines, "")), 0o644))
	err = simulation.Merge(x, t.TempDir(), parts)
	require.ErrorIs(t, err, simulation.ErrInvalid)
	require.ErrorContains(t, err, name+":2:1: run: invalid: not the number of a run of the experiment")
}
