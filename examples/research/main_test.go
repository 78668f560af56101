package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/simulation"
	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

// findings are the metrics of the findings table in README.md, in its
// column order after the structure.
var findings = []string{"unmet_needs", "support_days", "gap_top_bottom_fifth", "bottom_top_improvement_ratio"}

// TestResearchReduced runs the example's own experiment.yaml through the
// steps main takes (the embedded region, Execute, the summary read back and
// a chart per metric), reduced to two replicates of three terms: the full
// run (24 runs of 30 terms) takes about 11 s of CPU, too long for a test,
// and main has no flag to shorten it. It checks what the run writes (the
// tidy CSV files' shape and the charts) and that the findings table of
// README.md has a row per structure of the experiment, in its order, and a
// column per metric that the summary holds for every variant at the last
// term.
func TestResearchReduced(t *testing.T) {
	ctx := context.Background()
	src, err := os.ReadFile("experiment.yaml")
	require.NoError(t, err)
	x, err := simulation.ParseExperiment("experiment.yaml", src, os.DirFS("."))
	require.NoError(t, err)
	require.Len(t, x.Variants, 6)
	require.Equal(t, 4, x.Replicates)
	require.Equal(t, 30, x.Terms)
	x.Replicates, x.Terms = 2, 3

	res, err := england.LoadEmbedded(ctx)
	require.NoError(t, err)
	m, err := res.Model()
	require.NoError(t, err)
	w, err := simulation.NewWorld(m, x.Start, "embedded")
	require.NoError(t, err)
	assert.Len(t, w.Schools, 2132, "the README's count of open state-funded schools")
	out := t.TempDir()
	require.NoError(t, simulation.Execute(ctx, x, w, out, simulation.ExecOptions{}))

	variants := readCSV(t, filepath.Join(out, simulation.VariantsFile))
	require.Len(t, variants, 1+6)
	require.Equal(t, []string{"variant", "structure", "policy", "strategy"}, variants[0][:4])
	metrics := readCSV(t, filepath.Join(out, simulation.MetricsFile))
	require.Equal(t, []string{"run", "variant", "replicate", "term", "metric", "value"}, metrics[0])
	summary := readCSV(t, filepath.Join(out, simulation.SummaryFile))
	require.Equal(t, []string{"variant", "term", "metric", "n", "mean", "sd", "ci95_low", "ci95_high"}, summary[0])

	s, err := simplot.ReadSummary(filepath.Join(out, simulation.SummaryFile))
	require.NoError(t, err)
	// Every run writes every metric for terms 0 to x.Terms, and the summary
	// has each variant's mean over both replicates.
	nTerms := x.Terms + 1
	assert.Len(t, metrics, 1+len(x.Variants)*x.Replicates*nTerms*len(s.Metrics))
	assert.Len(t, summary, 1+len(x.Variants)*nTerms*len(s.Metrics))
	last := map[string]bool{} // variant/metric at the last term, with n = 2
	for _, r := range summary[1:] {
		if r[1] == "3" && r[3] == "2" {
			last[r[0]+"/"+r[2]] = true
		}
	}
	for _, v := range variants[1:] {
		for _, f := range findings {
			assert.True(t, last[v[0]+"/"+f], "summary of %s at term 3 for %s", f, v[0])
		}
	}

	files, err := s.WriteAll(filepath.Join(out, "charts"))
	require.NoError(t, err)
	assert.Len(t, files, 2*len(s.Metrics), "a PNG and an SVG chart per metric")
	for _, f := range files {
		st, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, st.Size(), f)
	}
	for _, f := range findings {
		assert.FileExists(t, filepath.Join(out, "charts", f+".png"))
	}

	// The README's findings table: a row per structure, in the
	// experiment's order, with a value for each finding.
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	head := "| structure | unmet needs | support days | gap top-bottom fifth | bottom/top improvement |"
	text := string(readme)
	i := strings.Index(text, head)
	require.GreaterOrEqual(t, i, 0, "README.md has the findings table")
	rows := regexp.MustCompile(`(?m)^\|([^|]+)\|([^|]+)\|([^|]+)\|([^|]+)\|([^|]+)\|$`).FindAllStringSubmatch(text[i:], -1)
	require.GreaterOrEqual(t, len(rows), 2+6)
	rows = rows[2 : 2+6] // after the header and the rule
	prefix := map[string]string{"none": "none", "learning-communities": "learning communities", "hub-and-spoke": "hub-and-spoke",
		"thematic": "thematic", "trusts": "trusts", "alliance": "alliance"}
	number := regexp.MustCompile(`^-?\d+(\.\d+)?( \(-?\d+(\.\d+)?-\d+(\.\d+)?\))?$`)
	structures := map[string]bool{}
	for k, v := range variants[1:] {
		structures[v[1]] = true
		name := strings.TrimSpace(rows[k][1])
		assert.True(t, strings.HasPrefix(name, prefix[v[1]]), "row %d is %q, the experiment's structure %s", k, name, v[1])
		for _, cell := range rows[k][2:] {
			assert.Regexp(t, number, strings.TrimSpace(cell), "row %q", name)
		}
	}
	assert.Len(t, structures, 6, "six distinct structures")
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return rows
}
