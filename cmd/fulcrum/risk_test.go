package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runRiskCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errb}, append([]string{"risk"}, args...))
	return code, out.String(), errb.String()
}

// rawData returns shared/data/raw beside the module root, or "" (the
// embedded subset is used then).
func rawData(t testing.TB) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir)
		dir = parent
	}
	raw := filepath.Join(dir, "..", "shared", "data", "raw")
	if _, err := os.Stat(raw); err != nil {
		return ""
	}
	return raw
}

func TestRiskCheck(t *testing.T) {
	code, out, _ := runRiskCmd(t, "check", "builtin:trust-at-risk", "builtin:wales-categorisation")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "builtin:trust-at-risk: ok")

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte(`policy: bad
indicators:
  attendance: {type: percentage, source: MIS}
levels:
  - name: none
  - name: at_risk
rules:
  - name: low
    when: attendence < 90.0
    level: at_risk
`), 0o644))
	code, _, errs := runRiskCmd(t, "check", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, bad+":9:11: rule 'low': undeclared reference to 'attendence' (did you mean 'attendance'?)\n    when: attendence < 90.0\n          ^")

	code, _, errs = runRiskCmd(t, "check", "builtin:nonesuch")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "not found")

	code, _, _ = runRiskCmd(t, "check")
	assert.Equal(t, 2, code)

	code, out, _ = runRiskCmd(t, "list")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "builtin:ofsted-concern")
	code, out, _ = runRiskCmd(t, "schema")
	assert.Equal(t, 0, code)
	assert.True(t, json.Valid([]byte(out)))
}

func TestRiskTest(t *testing.T) {
	code, out, _ := runRiskCmd(t, "test", "builtin:ofsted-concern", "builtin:rise", "builtin:la-categories",
		"builtin:wales-categorisation", "builtin:trust-at-risk")
	assert.Equal(t, 0, code, out)
	assert.Regexp(t, `(?m)^\d+ passed, 0 failed$`, out)

	failing := filepath.Join(t.TempDir(), "failing.yaml")
	require.NoError(t, os.WriteFile(failing, []byte(`policy: failing
indicators:
  attendance: {type: percentage, source: MIS}
levels: [{name: none}, {name: at_risk}]
rules:
  - {name: low, when: attendance < 90.0, level: at_risk}
tests:
  - {name: wrong expectation, indicators: {attendance: 85}, expect: none}
`), 0o644))
	code, out, _ = runRiskCmd(t, "test", failing)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL "+failing+":8:12: wrong expectation: want none, got at_risk")
	assert.Contains(t, out, "0 passed, 1 failed")
}

// TestRiskOnEngland writes indicators for every open state-funded school
// in England (the embedded subset where shared/data is absent) and runs
// eval with each built-in policy, and diff between two of them.
func TestRiskOnEngland(t *testing.T) {
	dir := t.TempDir()
	args := []string{"synth", "--out", dir, "--periods", "3"} // la-categories has for: 3
	if raw := rawData(t); raw != "" {
		args = append(args, "--data", raw)
	}
	code, out, errs := runRiskCmd(t, args...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "indicators.csv")
	ind, hist := filepath.Join(dir, "indicators.csv"), filepath.Join(dir, "history.csv")

	for _, name := range []string{"trust-at-risk", "ofsted-concern", "rise", "la-categories", "wales-categorisation"} {
		args := []string{"eval", "builtin:" + name, "--indicators", ind, "--history", hist, "--format", "csv", "--at", "2025-07-20"}
		code, out, errs := runRiskCmd(t, args...)
		require.Equal(t, 0, code, errs)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		assert.Equal(t, "urn,name,level,undetermined,previous,change,score,fired,near_misses,override", lines[0])
		if rawData(t) != "" {
			assert.Greater(t, len(lines)-1, 20000, name)
		}
		assert.Contains(t, errs, "schools:")
		assert.Contains(t, errs, "every school's level was decided")
	}

	code, out, _ = runRiskCmd(t, "eval", "builtin:rise", "--indicators", ind, "--format", "json")
	require.Equal(t, 0, code)
	var as []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &as))
	require.NotEmpty(t, as)
	assert.Contains(t, as[0], "level")

	code, out, errs = runRiskCmd(t, "diff", "builtin:rise", "builtin:ofsted-concern", "--data", dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "rise (rows) against ofsted-concern (columns)")
	assert.Contains(t, out, "levels correspond by order")
	assert.Contains(t, out, "URN")

	code, out, errs = runRiskCmd(t, "diff", "builtin:la-categories", "builtin:la-five-levels", "--data", dir,
		"--map", "A=1,B=2,C=3A,D=3C", "--by", "la", "--format", "json")
	require.Equal(t, 0, code, errs)
	var im map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &im))
	for _, k := range []string{"matrix", "groups", "mapping", "up", "down", "changes"} {
		assert.Contains(t, im, k)
	}
	code, out, errs = runRiskCmd(t, "diff", "builtin:la-categories", "builtin:la-five-levels", "--data", dir,
		"--cell", "A:2", "--format", "csv")
	require.Equal(t, 0, code, errs)
	assert.True(t, strings.HasPrefix(out, "urn,name,group,from,to,direction,old_rules,new_rules"), out)
}

func TestRiskEvalTableAndOverrides(t *testing.T) {
	dir := t.TempDir()
	ind := filepath.Join(dir, "ind.csv")
	require.NoError(t, os.WriteFile(ind, []byte("urn,standards_group,improvement_capacity\n101,1,A\n102,4,D\n"), 0o644))
	ovr := filepath.Join(dir, "ovr.csv")
	require.NoError(t, os.WriteFile(ovr, []byte("policy,urn,level,by,reason,at,expires\n"+
		"wales-categorisation,102,amber,Challenge adviser,New head has stabilised the school,2025-01-01,2025-12-31\n"), 0o644))
	code, out, errs := runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--overrides", ovr, "--at", "2025-06-01")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `101\s+green\s+new`, out)
	assert.Regexp(t, `102\s+amber\s+new \(override\)\s+red_cells`, out)

	// An override that cannot be applied is refused with its position,
	// never ignored: a misspelt policy, an unknown level, an unknown school.
	require.NoError(t, os.WriteFile(ovr, []byte("policy,urn,level,by,reason,at,expires\n"+
		"wales-categorisaton,102,amber,A,r,2025-01-01,2025-12-31\n"+
		"wales-categorisation,102,Z,A,r,2025-01-01,2025-12-31\n"+
		"wales-categorisation,999999,amber,A,r,2025-01-01,2025-12-31\n"+
		"la-categories,102,Z,A,r,2025-01-01,2025-12-31\n"), 0o644))
	code, out, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--overrides", ovr, "--at", "2025-06-01")
	assert.Equal(t, 1, code, errs)
	assert.Empty(t, out)
	assert.Contains(t, errs, ovr+`:2:1: policy: no policy "wales-categorisaton"`)
	assert.Contains(t, errs, ovr+`:3:3: level: wales-categorisation has no level "Z"`)
	assert.Contains(t, errs, ovr+`:4:2: urn: school 999999 is not in the indicator data`)
	assert.NotContains(t, errs, ovr+":5:")

	// A bad cell is reported with its file, line and column.
	require.NoError(t, os.WriteFile(ind, []byte("urn,standards_group,improvement_capacity\n101,1,A\nnot-a-urn,2,B\n"), 0o644))
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, ind+":3:1: URN \"not-a-urn\" is not a whole positive number")

	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--indicators (or --data) is required")
}

// Renamed headers fail loudly; --column maps them; a missing value that
// could raise a school makes eval exit non-zero.
func TestRiskEvalDataContract(t *testing.T) {
	dir := t.TempDir()
	ind := filepath.Join(dir, "ind.csv")
	require.NoError(t, os.WriteFile(ind, []byte("urn,Standards Group,Capacity\n101,1,A\n102,4,D\n"), 0o644))
	code, out, errs := runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "no column for improvement_capacity")

	code, out, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind,
		"--column", "standards_group=Standards Group", "--column", "improvement_capacity=Capacity")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `102\s+red`, out)
	assert.Contains(t, errs, "every school's level was decided")

	require.NoError(t, os.WriteFile(ind, []byte("urn,standards_group,improvement_capacity\n101,1,A\n102,,A\n"), 0o644))
	code, out, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind)
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, out, "undetermined")
	assert.Contains(t, errs, "1 school(s) whose level could not be decided")
}

// A policy with for: 2 evaluated without history: a school whose
// condition holds now is undetermined (it may have held for two periods),
// and eval exits 1 saying so; one whose condition does not hold now is
// decided; with missing: skip on the rule the school is not placed by it.
func TestRiskEvalShortHistory(t *testing.T) {
	dir := t.TempDir()
	ind := filepath.Join(dir, "ind.csv")
	pol := filepath.Join(dir, "p.yaml")
	policy := func(extra string) {
		require.NoError(t, os.WriteFile(pol, []byte("policy: p\nindicators:\n  x: {type: number, source: t}\nlevels: [{name: ok}, {name: bad}]\n"+
			"rules:\n  - {name: high, when: x > 1.0, for: 2, level: bad"+extra+"}\n"), 0o644))
	}
	policy("")
	require.NoError(t, os.WriteFile(ind, []byte("urn,x\n101,5\n102,0\n"), 0o644))
	code, out, errs := runRiskCmd(t, "eval", pol, "--indicators", ind, "--format", "csv")
	require.Equal(t, 1, code, errs)
	assert.Contains(t, errs, "2 school(s) have fewer than the 2 periods of data")
	assert.Contains(t, errs, "1 school(s) whose level could not be decided")
	assert.Contains(t, errs, "101 : at least ok; rule high needs x in the 1 period before (for: 2; the data has 1 period)")
	assert.Contains(t, out, "101,,ok,rule high needs x in the 1 period before (for: 2; the data has 1 period),")
	assert.Contains(t, out, "102,,ok,,")

	hist := filepath.Join(dir, "hist.csv")
	require.NoError(t, os.WriteFile(hist, []byte("urn,period,x\n101,p0,4\n102,p0,4\n"), 0o644))
	code, out, errs = runRiskCmd(t, "eval", pol, "--indicators", ind, "--history", hist, "--format", "csv")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "101,,bad,,ok,up,")

	policy(", missing: skip")
	code, out, errs = runRiskCmd(t, "eval", pol, "--indicators", ind, "--format", "csv")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "101,,ok,,,new,")
}

func TestRiskShowAndBrokenTest(t *testing.T) {
	code, out, errs := runRiskCmd(t, "show", "builtin:rise")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "policy: rise")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("policy: bad\nindicators:\n  x: {type: number, source: t}\nlevels: [{name: a}]\nrules:\n  - {name: r, when: 'x <', level: a}\n"), 0o644))
	code, out, errs = runRiskCmd(t, "test", bad)
	assert.Equal(t, 1, code)
	assert.NotContains(t, out, "passed")
	assert.Contains(t, errs, "the expression ends too soon")
}

// An override naming another policy is accepted (one overrides file may
// serve several policies) but not applied: eval and diff say how many and
// on which lines, and diff's JSON lists them.
func TestRiskOverridesForOtherPolicies(t *testing.T) {
	dir := t.TempDir()
	ind := filepath.Join(dir, "ind.csv")
	require.NoError(t, os.WriteFile(ind, []byte("urn,standards_group,improvement_capacity\n101,1,A\n102,4,D\n"), 0o644))
	ovr := filepath.Join(dir, "ovr.csv")
	require.NoError(t, os.WriteFile(ovr, []byte("policy,urn,level,by,reason,at,expires\n"+
		"wales-categorisation,102,amber,Challenge adviser,New head,2025-01-01,2025-12-31\n"+
		"la-categories,102,B,Director,Judged on a visit,2025-01-01,2025-12-31\n"+
		"# a comment\n"+
		"rise,101,targeted,Director,Judged on a visit,2025-01-01,2025-12-31\n"), 0o644))
	code, _, errs := runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--overrides", ovr, "--at", "2025-06-01")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, ovr+": 2 override(s) name another policy (la-categories 1, rise 1) and are not applied by this run of wales-categorisation: line(s) 3, 5\n")

	// None for another policy: nothing said.
	require.NoError(t, os.WriteFile(ovr, []byte("policy,urn,level,by,reason,at,expires\n"+
		"wales-categorisation,102,amber,Challenge adviser,New head,2025-01-01,2025-12-31\n"), 0o644))
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--overrides", ovr, "--at", "2025-06-01")
	require.Equal(t, 0, code, errs)
	assert.NotContains(t, errs, "not applied")
	code, out, errs := runRiskCmd(t, "diff", "builtin:wales-categorisation", "builtin:wales-categorisation", "--indicators", ind,
		"--overrides", ovr, "--at", "2025-06-01", "--format", "json")
	require.Equal(t, 0, code, errs)
	var im struct {
		Unapplied []unappliedOverride `json:"unapplied_overrides"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &im))
	assert.NotNil(t, im.Unapplied)
	assert.Empty(t, im.Unapplied)

	// diff applies overrides for either policy and names the others.
	require.NoError(t, os.WriteFile(ovr, []byte("policy,urn,level,by,reason,at,expires\n"+
		"wales-categorisation,102,amber,Challenge adviser,New head,2025-01-01,2025-12-31\n"+
		"rise,101,targeted,Director,Judged on a visit,2025-01-01,2025-12-31\n"), 0o644))
	code, out, errs = runRiskCmd(t, "diff", "builtin:wales-categorisation", "builtin:wales-categorisation", "--indicators", ind,
		"--overrides", ovr, "--at", "2025-06-01", "--format", "json")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, ovr+": 1 override(s) name another policy (rise 1) and are not applied by this run of wales-categorisation and wales-categorisation: line(s) 3\n")
	require.NoError(t, json.Unmarshal([]byte(out), &im))
	assert.Equal(t, []unappliedOverride{{File: ovr, Line: 3, ID: ovr + ":3:2", Policy: "rise", URN: 101}}, im.Unapplied)
}

// Schools of the history file with no row in the indicators file are not
// assessed: eval's coverage report and diff say how many and where.
func TestRiskHistoryOnlySchools(t *testing.T) {
	dir := t.TempDir()
	ind, hist := filepath.Join(dir, "ind.csv"), filepath.Join(dir, "hist.csv")
	require.NoError(t, os.WriteFile(ind, []byte("urn,period,standards_group,improvement_capacity\n101,2024-25 summer,1,A\n102,2024-25 summer,4,D\n"), 0o644))
	var h strings.Builder
	h.WriteString("urn,period,standards_group,improvement_capacity\n101,2024-25 spring,1,A\n")
	for u := 201; u <= 207; u++ {
		fmt.Fprintf(&h, "%d,2024-25 spring,2,B\n", u)
	}
	require.NoError(t, os.WriteFile(hist, []byte(h.String()), 0o644))
	code, _, errs := runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2025-07-20")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "  7 school(s) of "+hist+" have no row in the current file, so are not assessed and their history is not used: 201 ("+hist+":3:1), 202 ("+hist+":4:1), 203 ("+hist+":5:1), 204 ("+hist+":6:1), 205 ("+hist+":7:1) and 2 more\n")
	code, _, errs = runRiskCmd(t, "diff", "builtin:wales-categorisation", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2025-07-20")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "7 school(s) of "+hist+" have no row in the current file")
}

// --at is checked against the data's periods: before the latest history
// period begins it is refused (exit 2), before the current period begins
// it is warned of, once for diff; the default, today, is checked too.
func TestRiskAtChecked(t *testing.T) {
	dir := t.TempDir()
	ind, hist := filepath.Join(dir, "ind.csv"), filepath.Join(dir, "hist.csv")
	require.NoError(t, os.WriteFile(ind, []byte("urn,period,standards_group,improvement_capacity\n101,2024-25 summer,1,A\n"), 0o644))
	require.NoError(t, os.WriteFile(hist, []byte("urn,period,standards_group,improvement_capacity\n101,2024-25 spring,1,A\n"), 0o644))
	code, out, errs := runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2024-12-31")
	assert.Equal(t, 2, code, errs)
	assert.Empty(t, out)
	assert.Contains(t, errs, "--at 2024-12-31: invalid assessment date: 2024-12-31 is before the latest period of the history, 2024-25 spring (from 2025-01-01), begins")

	const early = "warning: the assessment date 2025-02-01 is before the current period, 2024-25 summer (from 2025-04-01), begins: the data are of a later time than the date\n"
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2025-02-01")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 1, strings.Count(errs, early), errs)
	code, _, errs = runRiskCmd(t, "diff", "builtin:wales-categorisation", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2025-02-01")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 1, strings.Count(errs, early), "diff reads the data twice and warns once: %s", errs)
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", ind, "--history", hist, "--at", "2025-07-20")
	require.Equal(t, 0, code, errs)
	assert.NotContains(t, errs, "warning:")

	// Without --at the date is today's: data of long ago are warned of,
	// history from the future refused, each saying the date is today's.
	old := filepath.Join(dir, "old.csv")
	require.NoError(t, os.WriteFile(old, []byte("urn,period,standards_group,improvement_capacity\n101,2000-01 summer,1,A\n"), 0o644))
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", old)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "months after the current period, 2000-01 summer, ended (2001-08-31): the data may be out of date (the date is today's: give the assessment's date with --at)\n")
	fcur, fhist := filepath.Join(dir, "fcur.csv"), filepath.Join(dir, "fhist.csv")
	require.NoError(t, os.WriteFile(fcur, []byte("urn,period,standards_group,improvement_capacity\n101,2990-91 summer,1,A\n"), 0o644))
	require.NoError(t, os.WriteFile(fhist, []byte("urn,period,standards_group,improvement_capacity\n101,2990-91 autumn,1,A\n"), 0o644))
	code, _, errs = runRiskCmd(t, "eval", "builtin:wales-categorisation", "--indicators", fcur, "--history", fhist)
	assert.NotEqual(t, 0, code, errs)
	assert.Contains(t, errs, "today's date (the default --at): invalid assessment date: ")
}
