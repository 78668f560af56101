package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sim commands print records as the others do: JSON on request, CSV
// for sensitivity and calibrate, and the human summary of a run on
// standard error in the tool's one form ("fulcrum sim run: ...").
func TestSimFormats(t *testing.T) {
	dir := t.TempDir()
	exp := filepath.Join(dir, "x.yaml")
	require.NoError(t, os.WriteFile(exp, []byte(`experiment: formats
data: generated
generate: {schools: 240, seed: 3}
terms: 4
replicates: 2
seed: 7
variants:
  - {name: none, structure: none}
  - {name: communities, structure: learning-communities, policy: ofsted-concern, strategy: optimal}
sensitivity:
  metric: gap_top_bottom_fifth
  variant: communities
  trajectories: 2
  parameters: {support_effect: [0.01, 0.05], persistence: [0.5, 0.9]}
`), 0o644))

	out := filepath.Join(dir, "out")
	code, stdout, errOut := runCmd(t, "sim", "run", exp, "--out", out, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var run simRunOutput
	require.NoError(t, json.Unmarshal([]byte(stdout), &run))
	assert.Equal(t, simRunOutput{Out: out, Schools: 240, Variants: 2, Replicates: 2, Terms: 4, Seconds: run.Seconds}, run)
	code, stdout, errOut = runCmd(t, "sim", "run", exp, "--out", filepath.Join(dir, "out2"))
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, stdout, "the summary is not a record")
	assert.Contains(t, errOut, "fulcrum sim run: 240 schools, 2 variants × 2 replicates, 4 terms in ")

	code, stdout, errOut = runCmd(t, "sim", "plot", out, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var plot simPlotOutput
	require.NoError(t, json.Unmarshal([]byte(stdout), &plot))
	require.NotEmpty(t, plot.Files)
	assert.FileExists(t, plot.Files[0])

	code, stdout, errOut = runCmd(t, "sim", "sensitivity", exp, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var sens sensitivityOutput
	require.NoError(t, json.Unmarshal([]byte(stdout), &sens))
	require.Len(t, sens.Effects, 2)
	code, stdout, errOut = runCmd(t, "sim", "sensitivity", exp, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"parameter", "mu_star", "mu", "sigma", "n"}, recs[0])
	require.Len(t, recs, 3)
	assert.Equal(t, sens.Effects[0].Parameter, recs[1][0])
	assert.Equal(t, strconv.FormatFloat(sens.Effects[0].MuStar, 'g', -1, 64), recs[1][1], "same seed, same effects")

	code, stdout, errOut = runCmd(t, "sim", "calibrate", "--evaluations", "3", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var cal calibrationOutput
	require.NoError(t, json.Unmarshal([]byte(stdout), &cal))
	require.NotEmpty(t, cal.Parameters)
	assert.InDelta(t, 1, cal.Real.Distribution[0]+cal.Real.Distribution[1]+cal.Real.Distribution[2]+cal.Real.Distribution[3], 1e-9)
	code, stdout, errOut = runCmd(t, "sim", "calibrate", "--evaluations", "3", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err = csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, factHeader, recs[0])
	rows := recs[1:]
	assert.Equal(t, strconv.FormatFloat(cal.Loss, 'f', -1, 64), fact(t, rows, "distance", "", "", "loss"))
	assert.Equal(t, strconv.FormatFloat(cal.Parameters[0].Fitted, 'f', -1, 64), fact(t, rows, "parameters", "", cal.Parameters[0].Name, "fitted"))
}
