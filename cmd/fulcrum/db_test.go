package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With --db, england load imports and network stats reads the database,
// printing the numbers the in-memory run prints.
func TestDBEnglandLoadThenStats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fulcrum.db")
	code, _, errOut := runCmd(t, "--db", db, "england", "load")
	require.Equal(t, 0, code, errOut)

	code, mem, errOut := runCmd(t, "network", "stats", "--format", "json")
	require.Equal(t, 0, code, errOut)
	code, fromDB, errOut := runCmd(t, "--db", db, "network", "stats", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.JSONEq(t, mem, fromDB)

	// A second import is refused, and changes nothing.
	code, _, errOut = runCmd(t, "--db", db, "england", "load")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "already holds England data")

	// --data beside --db is refused: the data come from the database.
	code, _, errOut = runCmd(t, "--db", db, "network", "stats", "--data", t.TempDir())
	assert.Equal(t, 2, code, errOut)

	code, out, errOut := runCmd(t, "--db", db, "db", "status", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var st dbStatus
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	assert.Equal(t, st.Latest, st.Current)
	assert.Empty(t, st.Pending)
	assert.Equal(t, "sqlite", st.Dialect)
}

func TestDBMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	code, _, errOut := runCmd(t, "--db", missing, "network", "stats")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "england load")
	code, _, _ = runCmd(t, "--db", missing, "db", "status")
	assert.Equal(t, 1, code)
	code, _, _ = runCmd(t, "db", "status")
	assert.Equal(t, 2, code, "db status needs --db")

	// db migrate creates and migrates a new file.
	code, out, errOut := runCmd(t, "--db", missing, "db", "migrate")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "applied: [1 2 3 4]")
}

// A second risk eval with --db compares with the assessments the first
// recorded.
func TestDBRiskEvalRemembers(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fulcrum.db")
	for seed, out := range map[string]string{"1": "a", "7": "b"} {
		code, _, errOut := runCmd(t, "risk", "synth", "--out", filepath.Join(dir, out), "--seed", seed)
		require.Equal(t, 0, code, errOut)
	}
	eval := func(data, at string, withDB bool) map[string]string {
		args := []string{"risk", "eval", "builtin:la-five-levels", "--data", filepath.Join(dir, data), "--at", at, "--format", "csv"}
		if withDB {
			args = append([]string{"--db", db}, args...)
		}
		code, out, errOut := runCmd(t, args...)
		require.Equal(t, 0, code, errOut)
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		require.Equal(t, []string{"urn", "name", "level", "undetermined", "previous"}, recs[0][:5])
		rows := map[string]string{} // urn -> level,previous
		for _, f := range recs[1:] {
			rows[f[0]] = f[2] + "," + f[4]
		}
		return rows
	}
	first := eval("a", "2025-01-10", true)
	second := eval("b", "2025-07-10", true)
	require.Equal(t, len(first), len(second))
	changed := 0
	for urn, lp := range second {
		level, previous, _ := strings.Cut(lp, ",")
		was, _, _ := strings.Cut(first[urn], ",")
		assert.Equal(t, was, previous, "school %s: the previous level is the one the first run recorded", urn)
		if level != was {
			changed++
		}
	}
	assert.Positive(t, changed, "the second data set changes some levels")

	// The same date again is refused: that assessment is recorded.
	code, _, errOut := runCmd(t, "--db", db, "risk", "eval", "builtin:la-five-levels", "--data", filepath.Join(dir, "b"), "--at", "2025-07-10")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "already holds assessments")
}

// risk override --db records a judgement that the next risk eval --db
// applies, and refuses an overlapping one.
func TestDBRiskOverride(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "fulcrum.db")
	code, _, errOut := runCmd(t, "risk", "synth", "--out", filepath.Join(dir, "ind"))
	require.Equal(t, 0, code, errOut)
	code, out, errOut := runCmd(t, "--db", db, "risk", "eval", "builtin:la-five-levels", "--data", filepath.Join(dir, "ind"), "--at", "2025-01-10", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	urn, level := recs[1][0], recs[1][2]
	held := "3C"
	if level == "3C" {
		held = "1"
	}
	override := func(extra ...string) (int, string, string) {
		return runCmd(t, append([]string{"--db", db, "risk", "override", "builtin:la-five-levels", "--urn", urn, "--level", held,
			"--by", "Director of Education", "--reason", "new head; judged from the visit", "--expires", "2099-01-01"}, extra...)...)
	}
	code, out, errOut = override()
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "held at "+held)
	code, _, errOut = override()
	assert.Equal(t, 1, code, "an override overlapping one in force is refused: %s", errOut)

	// Now (the override starts when it is made, by the clock).
	code, out, errOut = runCmd(t, "--db", db, "risk", "eval", "builtin:la-five-levels", "--data", filepath.Join(dir, "ind"), "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	for _, r := range recs[1:] {
		if r[0] == urn {
			assert.Equal(t, held, r[2], "the override recorded in the database sets the level")
			assert.Contains(t, r[9], "Director of Education")
		}
	}
	code, _, _ = runCmd(t, "risk", "override", "builtin:la-five-levels", "--urn", urn, "--level", held, "--by", "x", "--reason", "y", "--expires", "2099-01-01")
	assert.Equal(t, 2, code, "override needs --db")
}
