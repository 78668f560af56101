package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// risk check, test and list print records as a table, JSON or CSV.
func TestRiskRecordFormats(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("policy: bad\nlevels: [{name: none}]\nrules:\n  - {name: r, when: nope > 1, level: none}\n"), 0o644))

	code, out, _ := runCmd(t, "risk", "check", "builtin:rise", bad, "--format", "json")
	assert.Equal(t, 1, code, "a policy that does not compile fails the check")
	var checks []struct {
		Policy string   `json:"policy"`
		OK     bool     `json:"ok"`
		Rules  int      `json:"rules"`
		Errors []string `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &checks), out)
	require.Len(t, checks, 2)
	assert.True(t, checks[0].OK)
	assert.Positive(t, checks[0].Rules)
	assert.False(t, checks[1].OK)
	require.NotEmpty(t, checks[1].Errors)
	assert.True(t, strings.HasPrefix(checks[1].Errors[0], bad+":"), checks[1].Errors[0])

	code, out, _ = runCmd(t, "risk", "check", "builtin:rise", "--format", "csv")
	assert.Equal(t, 0, code)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"policy", "ok", "name", "indicators", "rules", "levels", "tests", "errors"}, recs[0])
	assert.Equal(t, "builtin:rise", recs[1][0])

	code, out, _ = runCmd(t, "risk", "test", "builtin:rise", "--format", "json")
	assert.Equal(t, 0, code)
	var tests struct {
		Passed, Failed int
		Tests          []struct {
			Position string `json:"position"`
			Status   string `json:"status"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &tests))
	assert.Positive(t, tests.Passed)
	assert.Zero(t, tests.Failed)
	assert.Len(t, tests.Tests, tests.Passed, "JSON lists every test, passed ones too")
	assert.Equal(t, "pass", tests.Tests[0].Status)

	code, out, _ = runCmd(t, "risk", "test", "builtin:rise", "--format", "csv")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "policy,position,name,status,want,got,want_fired,got_fired,error\n"))

	code, out, _ = runCmd(t, "risk", "list", "--format", "json")
	assert.Equal(t, 0, code)
	var list []struct{ Policy, Title string }
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	titles := map[string]string{}
	for _, b := range list {
		titles[b.Policy] = b.Title
	}
	assert.NotEmpty(t, titles["builtin:rise"])
	code, out, _ = runCmd(t, "risk", "list", "--format", "csv")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "policy,title\n"))
}

// review commands print a table on request.
func TestReviewTable(t *testing.T) {
	code, out, errOut := runCmd(t, "review", "schedule", "--format", "table")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^DATE\s+TERM\s+DIRECTOR\s+SCHOOL\s+KIND\s+SEQ\n`, out)
}

// A file over its limit is refused while it is read, naming the file; an
// error is echoed only in part.
func TestInputLimits(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("#", maxYAMLBytes+1)), 0o644))
	code, _, errOut := runCmd(t, "risk", "check", big)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, big+": file too large: over 4 MiB")

	b, err := readFileLimited(big, maxYAMLBytes+1)
	require.NoError(t, err, "a file of exactly the limit is read")
	assert.Len(t, b, maxYAMLBytes+1)

	long := "f.csv:1:1: " + strings.Repeat("é", 10_000)
	got := excerpt("first\n" + long + "\nlast")
	lines := strings.Split(got, "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "first", lines[0])
	assert.Equal(t, "last", lines[2])
	assert.Less(t, len(lines[1]), maxEchoBytes+40)
	assert.Contains(t, lines[1], "more bytes)")
	assert.True(t, strings.HasPrefix(lines[1], "f.csv:1:1: é"))
	assert.Equal(t, "short", excerpt("short"))
}

// england load, network families and risk diff print CSV records too.
func TestMoreCSVRecords(t *testing.T) {
	code, out, errOut := runCmd(t, "england", "load", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"file", "kind", "layout", "encoding", "rows", "used", "unmatched", "ignored", "skipped", "note"}, recs[0])
	assert.Len(t, recs, 1+6, "one record per embedded file")

	code, out, errOut = runCmd(t, "network", "families", "--la", "Leeds", "--size", "2", "--format", "csv", "--at", "2023-01-15")
	require.Equal(t, 0, code, errOut)
	recs, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"urn", "school", "rank", "similar_urn", "similar_school", "distance"}, recs[0])
	require.Greater(t, len(recs), 10)
	assert.Equal(t, "1", recs[1][2])
	assert.Equal(t, "2", recs[2][2])

	dir := t.TempDir()
	code, _, errOut = runCmd(t, "risk", "synth", "--out", dir, "--periods", "1")
	require.Equal(t, 0, code, errOut)
	code, out, errOut = runCmd(t, "risk", "diff", "builtin:rise", "builtin:ofsted-concern", "--data", dir, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	recs, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"urn", "name", "group", "from", "to", "direction", "old_rules", "new_rules", "gained", "lost",
		"old_score", "score", "held", "old_held"}, recs[0])
	assert.Greater(t, len(recs), 1)
}

// nonRecordFormats are the commands that do not print records, with the
// formats they take instead of table, csv and json, and why.
var nonRecordFormats = map[string]struct {
	formats []string
	why     string
}{
	// Documents: printed as they are.
	"risk schema":           {nil, "a JSON Schema document"},
	"risk show":             {nil, "a policy file, YAML"},
	"sim describe":          {nil, "the model's ODD description, Markdown"},
	"completion bash":       {nil, "a shell script"},
	"completion zsh":        {nil, "a shell script"},
	"completion fish":       {nil, "a shell script"},
	"completion powershell": {nil, "a shell script"},
	"network export":        {[]string{"graphml", "dot"}, "a graph document"},
	"broker solve":          {[]string{"dimacs", "json"}, "a DIMACS solution, or its JSON"},
	// Reports of one action or status, nested: a table for people, JSON
	// for scripts; a CSV of one nested object would be a long-form dump.
	"version":        {[]string{"table", "json"}, "the build's version"},
	"db status":      {[]string{"table", "json"}, "the schema's status"},
	"db migrate":     {[]string{"table", "json"}, "the schema's status after migrating"},
	"risk override":  {[]string{"table", "json"}, "the override recorded"},
	"risk synth":     {[]string{"table", "json"}, "the files written"},
	"broker england": {[]string{"table", "json"}, "the files written"},
	"sim run":        {[]string{"table", "json"}, "the files written"},
	"sim merge":      {[]string{"table", "json"}, "the file written"},
	"sim plot":       {[]string{"table", "json"}, "the charts written"},
}

// Every command that prints records takes --format table, csv and json;
// the others are listed in nonRecordFormats with what they print.
func TestFormatOnEveryRecordCommand(t *testing.T) {
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasAvailableSubCommands() {
			for _, s := range c.Commands() {
				walk(s)
			}
			return
		}
		name := strings.TrimPrefix(c.CommandPath(), "fulcrum ")
		if name == "help" || !c.IsAvailableCommand() {
			return
		}
		seen[name] = true
		var got []string
		if f := c.Flags().Lookup("format"); f != nil {
			got = slices.Sorted(slices.Values(f.Value.(*formatFlag).allowed))
		}
		want, what := []string{"csv", "json", "table"}, "records"
		if x, ok := nonRecordFormats[name]; ok {
			want, what = slices.Sorted(slices.Values(x.formats)), x.why
		}
		assert.Equal(t, want, got, "fulcrum %s --format (it prints %s)", name, what)
	}
	walk(newRootCmd(&env{stdout: io.Discard, stderr: io.Discard}))
	for name := range nonRecordFormats {
		assert.True(t, seen[name], "nonRecordFormats names %q, which is not a command", name)
	}
	assert.Greater(t, len(seen), 30)
}
