package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/simulation"
	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

// findings are the metrics of the findings table in README.md, in its
// column order after the structure.
var findings = []string{"unmet_needs", "support_days", "gap_top_bottom_fifth", "bottom_top_improvement_ratio"}

// TestResearchReduced runs main's own code (run) on the example's
// experiment.yaml with -replicates 2 -terms 3: the full run (24 runs of 30
// terms) takes about 11 s of CPU, too long for a test. It checks what the
// run writes (the tidy CSV files' shape and the charts) and that the
// findings table of README.md has a row per structure of the experiment,
// in its order, and a column per metric that the summary holds for every
// variant at the last term.
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

	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(ctx, []string{"-out", out, "-replicates", "2", "-terms", "3"}, &stdout, &stderr), stderr.String())
	// 2,132 is the README's count of open state-funded schools.
	assert.Regexp(t, `^2132 schools, 6 variants × 2 replicates × 3 terms in \S+; \d+ charts in `+regexp.QuoteMeta(filepath.Join(out, "charts"))+"\n$", stdout.String())
	assert.Contains(t, stderr.String(), "12/12", "progress reaches every run")

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

// TestResearchFlags checks that -replicates and -terms default to the
// experiment file's values and that a bad command line is refused before
// anything runs or is written.
func TestResearchFlags(t *testing.T) {
	ctx := context.Background()
	var stderr bytes.Buffer
	err := run(ctx, []string{"-h"}, io.Discard, &stderr)
	require.ErrorIs(t, err, flag.ErrHelp)
	assert.Regexp(t, `(?s)-replicates int\n[^\n]*\(default 4\)`, stderr.String())
	assert.Regexp(t, `(?s)-terms int\n[^\n]*\(default 30\)`, stderr.String())

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-replicates", "0"}, "-replicates 0 is outside 1..100000"},
		{[]string{"-replicates", "100001"}, "-replicates 100001 is outside 1..100000"},
		{[]string{"-terms", "0"}, "-terms 0 is outside 1..300"},
		{[]string{"-terms", "301"}, "-terms 301 is outside 1..300"},
		{[]string{"-terms", "x"}, `invalid value "x" for flag -terms`},
		{[]string{"-out", ""}, "-out is empty"},
		{[]string{"more"}, `unexpected argument "more"`},
	} {
		out := filepath.Join(t.TempDir(), "out")
		err := run(ctx, append([]string{"-out", out}, tc.args...), io.Discard, io.Discard)
		var usage usageError
		require.ErrorAs(t, err, &usage, "%v", tc.args)
		assert.ErrorContains(t, err, tc.want)
		assert.NoDirExists(t, out, "%v wrote nothing", tc.args)
	}
}
