package docrun_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rules the pages follow, as the test reads them.
func TestParse(t *testing.T) {
	md := "# Page\n\n" +
		"```go\npackage main\n\nfunc main() { step() }\n```\n\n" +
		"Then the step:\n\n" +
		"```go\nfunc step() {}\n```\n\n" +
		"```text output\nhello\n```\n\n" +
		"  ```sh\n  go run ./cmd/fulcrum network stats   # the main job\n  go test ./...\n  ./fulcrum risk check a.yaml \\\n    b.yaml\n  ```\n\n" +
		"| what | command |\n| --- | --- |\n| a figure | `go test -run '^$' -bench Cliff ./flow` |\n"
	p, err := parse(md)
	require.NoError(t, err)
	require.Len(t, p.programs, 1)
	assert.Equal(t, "package main\n\nfunc main() { step() }\n\nfunc step() {}\n", p.programs[0].src.String())
	require.NotNil(t, p.programs[0].output)
	assert.Equal(t, "hello\n", p.programs[0].output.text)
	require.Len(t, p.scripts, 1)
	assert.Equal(t, []string{"fulcrum network stats", "./fulcrum risk check a.yaml b.yaml"}, p.scripts[0].bash)
	require.Len(t, p.scripts[0].checks, 1)
	assert.Equal(t, []string{"go", "test", "./..."}, p.scripts[0].checks[0].args)
	require.Len(t, p.table, 1)
	assert.Equal(t, []string{"go", "test", "-run", "^$", "-bench", "Cliff", "./flow"}, p.table[0].args)
}

// Pages the test cannot read are refused, with the line.
func TestParseRefuses(t *testing.T) {
	for name, md := range map[string]string{
		"unclosed block":           "```sh\nfulcrum version\n",
		"a continuation first":     "```go\nfunc f() {}\n```\n",
		"output with no program":   "```text output\nhi\n```\n",
		"a second output":          "```go\npackage main\n\nfunc main() {}\n```\n```text output\n```\n```text output\n```\n",
		"a continuation of output": "```go\npackage main\n\nfunc main() {}\n```\n```text output\n```\n```go\nfunc f() {}\n```\n",
		"unclosed quote":           "```sh\ngo test -run 'x ./flow\n```\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parse(md)
			assert.ErrorContains(t, err, "line ")
		})
	}
}
