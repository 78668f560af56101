package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimRunShardMergePlot(t *testing.T) {
	exp := filepath.Join("..", "..", "simulation", "testdata", "small.yaml")
	whole := t.TempDir()
	code, _, errOut := runCmd(t, "sim", "run", exp, "--out", whole, "--workers", "2")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "9/9 runs")
	var parts []string
	for _, s := range []string{"1/2", "2/2"} {
		d := t.TempDir()
		code, _, errOut := runCmd(t, "sim", "run", exp, "--out", d, "--shard", s, "--workers", "1")
		require.Equal(t, 0, code, errOut)
		parts = append(parts, d)
	}
	merged := t.TempDir()
	code, _, errOut = runCmd(t, "sim", "merge", exp, "--out", merged, parts[1], parts[0])
	require.Equal(t, 0, code, errOut)
	for _, f := range []string{"metrics.csv", "summary.csv", "variants.csv", "schools.csv"} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(merged, f))
		require.NoError(t, err)
		require.Equal(t, string(a), string(b), f)
	}
	code, _, errOut = runCmd(t, "sim", "plot", whole)
	require.Equal(t, 0, code, errOut)
	for _, f := range []string{"gap_top_bottom_fifth.svg", "gap_top_bottom_fifth.png", "risk_share_special_measures.png"} {
		st, err := os.Stat(filepath.Join(whole, "charts", f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size())
	}
}

func TestSimMistakes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("experiment: x\nterms: 0\nvariants: [{name: a, structure: hubs}]\n"), 0o644))
	code, _, errOut := runCmd(t, "sim", "run", bad, "--out", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "bad.yaml:2:8: 0 is outside 1..300")
	assert.Contains(t, errOut, `bad.yaml:3:33: unknown structure "hubs"`)
	code, _, errOut = runCmd(t, "sim", "run", bad)
	assert.Equal(t, 2, code, errOut)
	code, _, errOut = runCmd(t, "sim", "run", bad, "--out", dir, "--shard", "3/2")
	assert.Equal(t, 2, code, errOut)
	code, out, _ := runCmd(t, "sim", "describe")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "| persistence | per term |")
	assert.Contains(t, out, "ODD protocol")
}
