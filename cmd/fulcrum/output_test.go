package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cancelling "risk synth" (Ctrl-C cancels the context) while it writes
// leaves neither indicators.csv nor history.csv, nor a temporary file.
func TestRiskSynthCancelledLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut}, []string{"risk", "synth", "--out", dir, "--periods", "30"})
	}()
	// Cancel once the temporary files have data in them.
	deadline := time.Now().Add(time.Minute)
	for !writing(t, dir) {
		require.True(t, time.Now().Before(deadline), "risk synth never started writing")
		time.Sleep(time.Millisecond)
	}
	cancel()
	code := <-done
	require.Equal(t, 130, code, "cancelled before the end: %s", errOut.String())
	assert.Contains(t, errOut.String(), "interrupted (context canceled)")
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, des, "nothing left behind")
	assert.Empty(t, out.String())
}

// writing reports whether a temporary file in dir holds data.
func writing(t *testing.T, dir string) bool {
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if fi, err := de.Info(); err == nil && strings.Contains(de.Name(), ".tmp-") && fi.Size() > 0 {
			return true
		}
	}
	return false
}

// A finished run replaces both files whole; a failed one leaves the old
// ones. Both print JSON on request.
func TestAtomicOutputFiles(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "risk", "synth", "--out", dir, "--periods", "1", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var o struct {
		Indicators string `json:"indicators"`
		Schools    int    `json:"schools"`
		Rows       int    `json:"rows"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &o))
	assert.Equal(t, filepath.Join(dir, "indicators.csv"), o.Indicators)
	assert.Positive(t, o.Schools)
	names := func() []string {
		des, err := os.ReadDir(dir)
		require.NoError(t, err)
		var n []string
		for _, de := range des {
			n = append(n, de.Name())
		}
		return n
	}
	assert.Equal(t, []string{"history.csv", "indicators.csv"}, names())

	needs, offers := filepath.Join(dir, "needs.csv"), filepath.Join(dir, "offers.csv")
	code, out, errOut = runCmd(t, "broker", "england", "--needs-out", needs, "--offers-out", offers, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"needs_file": "`+needs+`"`)
	assert.Equal(t, []string{"history.csv", "indicators.csv", "needs.csv", "offers.csv"}, names())

	// An offers file in a missing directory: neither file is written.
	require.NoError(t, os.Remove(needs))
	code, _, _ = runCmd(t, "broker", "england", "--needs-out", needs, "--offers-out", filepath.Join(dir, "missing", "o.csv"))
	assert.Equal(t, 1, code)
	assert.Equal(t, []string{"history.csv", "indicators.csv", "offers.csv"}, names())

	graph := filepath.Join(dir, "g.dot")
	code, _, errOut = runCmd(t, "network", "export", "--la", "Leeds", "--format", "dot", "--out", graph)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, names(), "g.dot")
}

// CSV output neutralises cells a spreadsheet would run as formulas, unless
// --csv-formulas is given.
func TestCSVFormulaGuard(t *testing.T) {
	needs := writeTemp(t, "needs.csv", "id,urn,school,area,phase,priority,days,region,lat,lon\n"+
		`n1,100001,"=HYPERLINK(""http://evil.example"",""x"")",maths,primary,5,6,Yorkshire and The Humber,53.80,-1.55`+"\n"+
		"n2,100002,-2+3,maths,primary,2,4,Yorkshire and The Humber,53.81,-1.56\n")
	offers := writeTemp(t, "offers.csv", "id,provider,kind,urn,areas,phases,capacity,cost_per_day,lat,lon,region\n"+
		"o1,@Hub,hub,,maths:accredited,primary,1,400,53.80,-1.54,Yorkshire and The Humber\n")
	code, out, errOut := runCmd(t, "broker", "match", "--needs", needs, "--offers", offers, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	var cells []string
	for _, r := range recs {
		cells = append(cells, r...)
	}
	assert.Contains(t, cells, `'=HYPERLINK("http://evil.example","x")`)
	assert.Contains(t, cells, "'-2+3")
	assert.Contains(t, cells, "'@Hub")
	for _, c := range cells {
		assert.False(t, c != "" && strings.ContainsRune("=+@", rune(c[0])), "formula cell %q", c)
	}

	code, out, errOut = runCmd(t, "--csv-formulas", "broker", "match", "--needs", needs, "--offers", offers, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"=HYPERLINK(""http://evil.example"",""x"")"`)
	assert.Contains(t, out, ",@Hub,")
}

// A summary of what a command did goes to stderr as "fulcrum <command>:
// ...", through e.notef, leaving stdout to the records.
func TestSummariesThroughNotef(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCmd(t, "risk", "synth", "--out", dir, "--periods", "1")
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCmd(t, "risk", "eval", "builtin:rise", "--data", dir, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^fulcrum risk eval: rise: \d+ schools: universal \d+, `, errOut)
	assert.NotContains(t, out, "schools:", "stdout holds only the records")

	code, _, errOut = runCmd(t, "review", "schedule", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^fulcrum review schedule: `, errOut)
}
