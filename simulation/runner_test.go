package simulation_test

import (
	"context"
	"os"
	"path/filepath"
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
}
