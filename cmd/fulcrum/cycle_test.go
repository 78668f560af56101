package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/review"
)

// childArgs names the environment variable that makes the test binary run
// the tool (TestMainChild) instead of the tests.
const childArgs = "FULCRUM_TEST_CHILD_ARGS"

// TestMainChild is the tool when runProcess starts the test binary again;
// otherwise it does nothing.
func TestMainChild(t *testing.T) {
	js := os.Getenv(childArgs)
	if js == "" {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(js), &args); err != nil {
		os.Exit(3)
	}
	os.Exit(run(context.Background(), &env{stdout: os.Stdout, stderr: os.Stderr}, args))
}

// runProcess runs the tool in a process of its own (the test binary,
// started again), so that what it reads from --db is what an earlier
// process wrote, not anything held in this one.
func runProcess(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	js, err := json.Marshal(args)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestMainChild$")
	cmd.Env = append(os.Environ(), childArgs+"="+string(js))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return -1, "", ""
}

// Programmes, cycles and reviews recorded by one process are there for the
// next: each command below runs in a process of its own.
func TestCycleCommandsPersist(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fulcrum.db")
	code, out, errOut := runProcess(t, "--db", db, "cycle", "programme", "yh-peer", "--name", "Yorkshire peer review", "--lead", "trust:TR00001")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^PROGRAMME\s+NAME\s+LEAD\s+FRAMEWORK\s+DAYS_PER_VISIT\nyh-peer\s+Yorkshire peer review\s+trust:TR00001\s+\S+\s+1\n$`, out)
	assert.Equal(t, "fulcrum cycle programme: programme yh-peer recorded\n", errOut, "the summary goes to stderr")
	code, out, errOut = runProcess(t, "--db", db, "cycle", "create", "yh-2025", "--programme", "yh-peer", "--name", "2025-26",
		"--from", "2025-09-01", "--to", "2026-08-31", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var created cycleRow
	require.NoError(t, json.Unmarshal([]byte(out), &created), out)
	assert.Equal(t, cycleRow{ID: "yh-2025", Programme: "yh-peer", Name: "2025-26", From: "2025-09-01", To: "2026-08-31"}, created)
	code, out, errOut = runProcess(t, "--db", db, "cycle", "create", "yh-2026", "--programme", "yh-peer", "--name", "2026-27",
		"--from", "2026-09-01", "--to", "2027-08-31", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "cycle,programme,name,from,to,reviews\nyh-2026,yh-peer,2026-27,2026-09-01,2027-08-31,0\n", out)
	for _, urn := range []string{"107000", "107001"} {
		code, out, errOut = runProcess(t, "--db", db, "cycle", "open", "yh-2025", "--urn", urn, "--format", "json")
		require.Equal(t, 0, code, errOut)
		var opened openRow
		require.NoError(t, json.Unmarshal([]byte(out), &opened), out)
		assert.Equal(t, openRow{ID: review.ReviewID("yh-2025/" + urn), Cycle: "yh-2025", URN: opened.URN, Stage: "self-evaluation"}, opened)
		assert.Equal(t, urn, opened.URN.String())
		assert.Equal(t, "fulcrum cycle open: review yh-2025/"+urn+" opened\n", errOut)
	}
	code, out, errOut = runProcess(t, "--db", db, "cycle", "programme", "yh-csv", "--name", "=HYPERLINK(x)", "--lead", "trust:TR00001",
		"--days-per-visit", "1.5", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "programme,name,lead,framework,days_per_visit\nyh-csv,'=HYPERLINK(x),trust:TR00001,"+
		string(review.FrameworkOfsted2025)+",1.5\n", out, "CSV through the formula guard")

	code, out, errOut = runProcess(t, "--db", db, "cycle", "list", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rows []cycleRow
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	assert.Equal(t, []cycleRow{
		{ID: "yh-2025", Programme: "yh-peer", Name: "2025-26", From: "2025-09-01", To: "2026-08-31", Reviews: 2},
		{ID: "yh-2026", Programme: "yh-peer", Name: "2026-27", From: "2026-09-01", To: "2027-08-31", Reviews: 0},
	}, rows)
	code, out, _ = runProcess(t, "--db", db, "cycle", "list", "--programme", "nonesuch", "--format", "json")
	require.Equal(t, 0, code)
	assert.JSONEq(t, "[]", out)

	// What the database refuses, it refuses to every process.
	code, _, errOut = runProcess(t, "--db", db, "cycle", "create", "yh-2025", "--programme", "yh-peer", "--name", "again",
		"--from", "2025-09-01", "--to", "2026-08-31")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "conflict")
	code, _, errOut = runProcess(t, "--db", db, "cycle", "open", "yh-2025", "--urn", "107000")
	assert.Equal(t, 1, code, "a school's review opens once a cycle")
	assert.Contains(t, errOut, "conflict")
	code, _, errOut = runProcess(t, "--db", db, "cycle", "create", "x", "--programme", "nonesuch", "--name", "x",
		"--from", "2025-09-01", "--to", "2026-08-31")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not found")

	// Usage: no --db, bad dates, an inverted period.
	code, _, _ = runCmd(t, "cycle", "list")
	assert.Equal(t, 2, code)
	code, _, _ = runCmd(t, "--db", db, "cycle", "create", "y", "--programme", "yh-peer", "--from", "1 Sept", "--to", "2026-08-31")
	assert.Equal(t, 2, code)
	code, _, _ = runCmd(t, "--db", db, "cycle", "create", "y", "--programme", "yh-peer", "--from", "2026-09-01", "--to", "2025-08-31")
	assert.Equal(t, 2, code)
}
