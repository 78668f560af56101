package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// englandRawDir returns ../shared/data/raw beside the module root, or ""
// when it is absent.
func englandRawDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the working directory")
		dir = parent
	}
	raw := filepath.Join(dir, "..", "shared", "data", "raw")
	if _, err := os.Stat(filepath.Join(raw, "SOURCES.md")); err != nil {
		return ""
	}
	return raw
}

// runCmd runs the tool in-process and returns its exit status and streams.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

func TestEnglandLoadEmbedded(t *testing.T) {
	code, out, errOut := runCmd(t, "england", "load")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "source: embedded: Yorkshire and The Humber")
	assert.Contains(t, out, "school-census")
	assert.Contains(t, out, "schools 2388")
	assert.Empty(t, errOut, "nothing on stderr when it is not a terminal")

	code, out, errOut = runCmd(t, "england", "load", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep loadReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 2388, rep.Schools)
	assert.Len(t, rep.Files, 6)
}

func TestEnglandLoadData(t *testing.T) {
	dir := englandRawDir(t)
	if dir == "" {
		// Without the full extracts, write the embedded ones to a
		// directory and read that.
		dir = t.TempDir()
		fsys := england.EmbeddedFS()
		des, err := fs.ReadDir(fsys, ".")
		require.NoError(t, err)
		for _, de := range des {
			data, err := fs.ReadFile(fsys, de.Name())
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, de.Name()), data, 0o644))
		}
		require.NotEmpty(t, des)
	}
	code, out, errOut := runCmd(t, "england", "load", "--data", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "gias-groups")
	assert.Contains(t, out, "inspections")
}

// TestEnglandLoadKeyJudgements: england load says how many inspection
// rows were read as key judgements without an overall rating.
func TestEnglandLoadKeyJudgements(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ofsted_mi_2024-25.csv", "spc_school_level_ees.csv"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "partnership", "england", "testdata", "layouts", name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	code, out, errOut := runCmd(t, "england", "load", "--data", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ofsted_mi_2024-25.csv: 2 rows read as key judgements and safeguarding without an overall rating")
	code, out, errOut = runCmd(t, "england", "load", "--data", dir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"key_judgements_only": 2`)
}

// TestEnglandLoadReportCards: england load says how many inspection rows
// were read as report cards.
func TestEnglandLoadReportCards(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ofsted_mi_report_cards_2025-26.csv", "spc_school_level_ees.csv"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "partnership", "england", "testdata", "layouts", name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	code, out, errOut := runCmd(t, "england", "load", "--data", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ofsted_mi_report_cards_2025-26.csv: 2 rows read as report cards")
	code, out, errOut = runCmd(t, "england", "load", "--data", dir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"report_cards": 2`)
}

func TestEnglandLoadErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ofsted.csv"),
		[]byte("URN,Rating,Inspection Date\n100000,Good,20130418\n100001,Great,20130418\n100002,Good,20131345\n"), 0o644))
	// A lenient load still needs schools.
	code, _, errOut := runCmd(t, "england", "load", "--data", dir, "--lenient")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no schools: a load needs a list of schools, which comes from the school census")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "census.csv"),
		[]byte("urn,school_name,phase_type_grouping\n100000,A,State-funded primary\n"), 0o644))

	code, _, errOut = runCmd(t, "england", "load", "--data", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "ofsted.csv:3:2: Rating: unknown rating \"Great\"")
	assert.Contains(t, errOut, "ofsted.csv:4:3: Inspection Date: date \"20131345\" does not exist")

	code, out, errOut := runCmd(t, "england", "load", "--data", dir, "--lenient")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "skipped rows (2):")
	assert.Contains(t, out, "ofsted.csv:3:2: Rating: unknown rating \"Great\"")
	assert.Contains(t, errOut, `level=WARN msg="skipped bad rows; fulcrum england load --lenient lists them" rows=2`)

	code, _, errOut = runCmd(t, "england", "load", "--data", filepath.Join(dir, "missing"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "missing")

	code, _, _ = runCmd(t, "england", "load", "--format", "xml")
	assert.Equal(t, 2, code)
	code, _, _ = runCmd(t, "england", "load", "extra")
	assert.Equal(t, 2, code)
}

// statsJSON runs "network stats" with args and decodes its JSON.
func statsJSON(t *testing.T, args ...string) england.Stats {
	t.Helper()
	var out, errOut bytes.Buffer
	_, err := execute(context.Background(), &env{stdout: &out, stderr: &errOut}, append([]string{"network", "stats", "--format", "json"}, args...))
	require.NoError(t, err, errOut.String())
	var st england.Stats
	require.NoError(t, json.Unmarshal(out.Bytes(), &st), out.String())
	return st
}

func TestNetworkStats(t *testing.T) {
	ctx := context.Background()
	r, err := england.LoadEmbedded(ctx)
	require.NoError(t, err)
	for _, la := range []string{"", "Leeds", "Bradford"} {
		want, err := r.Stats(la)
		require.NoError(t, err)
		args := []string{}
		if la != "" {
			args = append(args, "--la", la)
		}
		got := statsJSON(t, args...)
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("--la %q (-want +got):\n%s", la, diff)
		}
	}

	var out bytes.Buffer
	_, err = execute(ctx, &env{stdout: &out, stderr: &out}, []string{"network", "stats", "--la", "Leeds"})
	require.NoError(t, err)
	assert.Contains(t, out.String(), "local authority Leeds")
	assert.Contains(t, out.String(), "largest multi-academy trusts")

	_, err = execute(ctx, &env{stdout: &out, stderr: &out}, []string{"network", "stats", "--la", "Atlantis"})
	assert.ErrorIs(t, err, partnership.ErrNotFound)
	assert.ErrorIs(t, err, errUsage, "an unknown --la is a usage error")
	_, err = execute(ctx, &env{stdout: &out, stderr: &out}, []string{"network", "stats", "--format", "yaml"})
	assert.ErrorIs(t, err, errUsage)
}

// TestNetworkStatsEngland checks the command's JSON on the full England
// extracts against the figures in SOURCES.md (the package england test
// TestStatsByHand checks every key against an independent count).
func TestNetworkStatsEngland(t *testing.T) {
	dir := englandRawDir(t)
	if dir == "" {
		t.Log("../shared/data/raw is absent; TestNetworkStats covers the embedded data")
		return
	}
	got := statsJSON(t, "--data", dir)
	assert.Equal(t, 21980, got.Schools)
	assert.Equal(t, map[partnership.Phase]int{
		partnership.PhasePrimary: 16783, partnership.PhaseSecondary: 3444, partnership.PhaseSpecial: 1035,
		partnership.PhaseNursery: 383, partnership.PhaseAlternativeProvision: 335,
	}, got.ByPhase)
	assert.Equal(t, 1366, got.Trusts)
	assert.Equal(t, 9917, got.SchoolsInTrust)
	assert.Len(t, got.LargestTrusts, 10)
}

// Each file read is logged at debug level; a spinner shows on stderr at a
// terminal, never on stdout, and never when stderr is not a terminal.
func TestLoadDataProgress(t *testing.T) {
	code, out, errOut := runCmd(t, "--log-level", "debug", "england", "load", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, `level=DEBUG msg="using the embedded data (--data DIR reads other extracts)" region="Yorkshire and The Humber"`)
	assert.Contains(t, errOut, "level=DEBUG msg=read file=spc_school_level_underlying_data_2022-23.csv.gz kind=school-census rows=2388")
	assert.True(t, json.Valid([]byte(out)))

	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, interactive: true, progressAfter: time.Nanosecond}
	code = run(context.Background(), e, []string{"network", "stats", "--format", "json"})
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stderr.String(), "loading the embedded Yorkshire and The Humber data")
	assert.NotContains(t, stderr.String(), "\x1b[", "never colour or cursor codes: NO_COLOR holds, dumb terminals work")
	assert.True(t, json.Valid(stdout.Bytes()), "progress never goes to stdout")

	code, _, errOut = runCmd(t, "network", "stats")
	require.Equal(t, 0, code)
	assert.Empty(t, errOut, "no progress when stderr is not a terminal")
}

// TestNetworkStatsRefusesIncompleteData: no census, a file that is not an
// extract, or no group links: exit 1 with a message naming what is wrong
// and where the missing extract is published, never zeros.
func TestNetworkStatsRefusesIncompleteData(t *testing.T) {
	census := "urn,school_name,phase_type_grouping,typeofestablishment_name\n100000,A,State-funded primary,Academy converter\n"
	links := ",URN,Group UID,Group Name,Group Type,Group Status,Joined date\n0,100000,10,Trust One,Multi-academy trust,Open,2013-09-01\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"no census", map[string]string{"links.csv": links},
			[]string{"no schools", "school census", "explore-education-statistics.service.gov.uk"}},
		{"unrecognised file", map[string]string{"census.csv": census, "links.csv": links, "budget.csv": "Cost centre,Amount\nA,1\n"},
			[]string{"budget.csv", "not an extract Fulcrum reads", `"Cost centre"`, "gias-group-links"}},
		{"no group links", map[string]string{"census.csv": census},
			[]string{"lacks the GIAS group links", "get-information-schools.service.gov.uk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, s := range tt.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644))
			}
			code, out, errOut := runCmd(t, "network", "stats", "--data", dir)
			assert.Equal(t, 1, code, out)
			for _, w := range tt.want {
				assert.Contains(t, errOut, w)
			}
		})
	}
	// With all three, it counts.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "census.csv"), []byte(census), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "links.csv"), []byte(links), 0o644))
	code, out, errOut := runCmd(t, "network", "stats", "--data", dir, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"schools_in_trust": 1`)
}

// TestConsumersLoadStrictly: every command that reads --data fails on a bad
// row, naming file, line, column and field, unless --lenient is given; then
// it warns on stderr and goes on. A bad row is never a silent skip.
func TestConsumersLoadStrictly(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "census.csv"),
		[]byte("urn,school_name,phase_type_grouping\n100000,A,State-funded primary\n100001,B,State-funded primary\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ofsted.csv"),
		[]byte("URN,Rating,Inspection Date\n100000,Good,20130418\n100001,Great,20130418\n"), 0o644))
	out := t.TempDir()
	cmds := [][]string{
		{"broker", "england", "--needs-out", filepath.Join(out, "n.csv"), "--offers-out", filepath.Join(out, "o.csv")},
		{"broker", "match", "--england"},
		{"review", "allocate", "--reviewers", filepath.Join(out, "none.csv")},
		{"review", "clusters"},
		{"risk", "synth", "--out", out},
	}
	for _, args := range cmds {
		t.Run(args[0]+" "+args[1], func(t *testing.T) {
			code, _, errOut := runCmd(t, append(args, "--data", dir)...)
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, "ofsted.csv:3:2: Rating: unknown rating \"Great\"")
			_, _, errOut = runCmd(t, append(args, "--data", dir, "--lenient")...)
			assert.NotContains(t, errOut, "ofsted.csv:3:2")
			assert.Contains(t, errOut, `msg="skipped bad rows; fulcrum england load --lenient lists them" rows=1`)
		})
	}
}

// TestLenientRefusesCutShortFile: under --lenient, a file cut short by a
// record over 1 MiB is refused whole, and the warning counts its rows and
// the file, not "1 row".
func TestLenientRefusesCutShortFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "census.csv"),
		[]byte("urn,school_name,phase_type_grouping\n100000,A,State-funded primary\n100001,B,State-funded primary\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ofsted.csv"),
		[]byte("URN,Rating,Inspection Date\n100000,Good,20130418\n100001,Good,"+strings.Repeat("x", 2<<20)+"\n"), 0o644))
	code, _, errOut := runCmd(t, "england", "load", "--data", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "ofsted.csv:3: record too long")
	out := t.TempDir()
	code, _, errOut = runCmd(t, "risk", "synth", "--data", dir, "--lenient", "--out", out)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, `rows=2 files_refused=1`)
	code, js, errOut := runCmd(t, "england", "load", "--data", dir, "--lenient", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, js, `"inspections": 0,`, "the row before the cut is not used")
}

// TestConsumersSayMissingColumns: a census column missing (every school's
// value unknown) is said on stderr by the commands that consume --data,
// not only listed by "england load".
func TestConsumersSayMissingColumns(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "census.csv"),
		[]byte("urn,school_name,phase_type_grouping,pupils\n100000,A,State-funded primary,100\n"), 0o644))
	out := t.TempDir()
	_, _, errOut := runCmd(t, "risk", "synth", "--data", dir, "--out", out)
	assert.Contains(t, errOut, `level=WARN msg="census.csv:1: no \"headcount of pupils\" column (nor an alias of it): every school's pupil count is unknown"`)
}
