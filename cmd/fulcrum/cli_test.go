package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leafCommands returns the path of every runnable command of the tree
// below root that is not a group, cobra's own completion commands apart.
func leafCommands(c *cobra.Command, path []string) [][]string {
	var out [][]string
	for _, s := range c.Commands() {
		if !s.IsAvailableCommand() || s.Name() == "completion" || s.Name() == "help" {
			continue
		}
		p := append(append([]string{}, path...), s.Name())
		if s.HasAvailableSubCommands() {
			out = append(out, leafCommands(s, p)...)
			continue
		}
		out = append(out, p)
	}
	return out
}

func allCommands(t *testing.T) [][]string {
	t.Helper()
	cmds := leafCommands(newRootCmd(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}), nil)
	require.Greater(t, len(cmds), 20)
	return cmds
}

// Help asked for goes to stdout with status 0, for every command and
// group, by -h, --help and "fulcrum help ...".
func TestHelpEveryCommand(t *testing.T) {
	cmds := append(allCommands(t), []string{}, []string{"network"}, []string{"risk"}, []string{"review"},
		[]string{"broker"}, []string{"england"})
	for _, path := range cmds {
		for _, how := range [][]string{append(append([]string{}, path...), "-h"),
			append(append([]string{}, path...), "--help"), append([]string{"help"}, path...)} {
			t.Run(strings.Join(how, " "), func(t *testing.T) {
				code, out, errOut := runCmd(t, how...)
				assert.Equal(t, 0, code, errOut)
				assert.Empty(t, errOut)
				assert.Contains(t, out, "Usage:")
				assert.Contains(t, out, "fulcrum "+strings.Join(path, " "))
			})
		}
	}
	_, out, _ := runCmd(t, "help", "risk")
	for _, sub := range []string{"check", "test", "eval", "diff", "synth", "list", "schema"} {
		assert.Regexp(t, `(?m)^  `+sub+` +\S`, out, "group help lists each command with its description")
	}
}

// Every command refuses an unknown flag and a stray argument as usage
// errors: status 2, the message and the usage on stderr, nothing on stdout.
func TestUsageErrorEveryCommand(t *testing.T) {
	for _, path := range allCommands(t) {
		t.Run(strings.Join(path, " "), func(t *testing.T) {
			code, out, errOut := runCmd(t, append(append([]string{}, path...), "--no-such-flag")...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "unknown flag: --no-such-flag")
			assert.Contains(t, errOut, "Usage:\n  fulcrum "+strings.Join(path, " "))
			if c, _, err := newRootCmd(&env{}).Find(path); err == nil && c.Flags().Lookup("format") != nil {
				code, out, errOut = runCmd(t, append(append([]string{}, path...), "--format", "xml")...)
				assert.Equal(t, 2, code, "an unknown format is a usage error")
				assert.Empty(t, out)
				assert.Contains(t, errOut, `invalid argument "xml" for "--format" flag: want `)
			}
		})
	}
}

func TestGroupsAndSuggestions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "fulcrum: usage: missing command (one of broker, "},
		{[]string{"network"}, "fulcrum network: usage: missing command (one of bridges, export, "},
		{[]string{"netwrok"}, `unknown command "netwrok" for "fulcrum"; did you mean network?`},
		{[]string{"network", "stat"}, `unknown command "stat" for "fulcrum network"; did you mean stats?`},
		{[]string{"risk", "chekc"}, `did you mean check?`},
		{[]string{"nonesuch"}, `unknown command "nonesuch" for "fulcrum"`},
		{[]string{"risk", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"completion"}, "fulcrum completion: usage: missing command (one of bash, fish, powershell, zsh)"},
		{[]string{"completion", "bassh"}, "did you mean bash?"},
	} {
		code, out, errOut := runCmd(t, c.args...)
		assert.Equal(t, 2, code, "%v", c.args)
		assert.Empty(t, out, "%v", c.args)
		assert.Contains(t, errOut, c.want, "%v", c.args)
		assert.Contains(t, errOut, "Usage:", "%v", c.args)
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "# bash completion V2 for fulcrum", "zsh": "#compdef fulcrum",
		"fish": "# fish completion for fulcrum", "powershell": "# powershell completion for fulcrum",
	} {
		code, out, errOut := runCmd(t, "completion", shell)
		assert.Equal(t, 0, code, errOut)
		assert.Contains(t, out, want, shell)
	}
	// The shells ask the tool itself; --format completes its values.
	code, out, _ := runCmd(t, "__complete", "risk", "eval", "--format", "")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "table\ncsv\njson\n")
	code, out, _ = runCmd(t, "__complete", "net")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "network")
}

func TestVersion(t *testing.T) {
	code, out, errOut := runCmd(t, "--version")
	assert.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "fulcrum "), out)
	assert.Equal(t, versionLine()+"\n", out)

	code, out, errOut = runCmd(t, "version")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "module   github.com/fulcrum-edu/fulcrum")
	assert.Contains(t, out, "revision ")

	code, out, _ = runCmd(t, "version", "--format", "json")
	assert.Equal(t, 0, code)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Contains(t, v, "version")
	assert.Contains(t, v, "go_version")
}

// The context given to run reaches the commands: a cancelled run is
// interrupted (status 130, as for Ctrl-C) without output.
func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, &env{stdout: &out, stderr: &errOut}, []string{"network", "stats"})
	assert.Equal(t, 130, code)
	assert.Equal(t, "fulcrum network stats: interrupted (context canceled)\n", errOut.String())
	assert.Empty(t, out.String())
}

// Every numeric flag of every command is checked when parsed: NaN, an
// infinity, a negative number where none is allowed, and an absurd size
// are usage errors naming the flag, before any work is done. Seeds
// (uint64) take any value and refuse the rest.
func TestNumericFlagsEveryCommand(t *testing.T) {
	root := newRootCmd(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	checked := 0
	for _, path := range allCommands(t) {
		c, _, err := root.Find(path)
		require.NoError(t, err)
		c.Flags().VisitAll(func(f *pflag.Flag) {
			var bad []string
			switch v := f.Value.(type) {
			case *boundedInt:
				bad = []string{"NaN", "1.5", strconv.Itoa(v.lo - 1), strconv.Itoa(v.hi + 1), "99999999999999999999"}
			case *boundedFloat:
				bad = []string{"NaN", "Inf", "-Inf", strconv.FormatFloat(v.lo-1, 'g', -1, 64), strconv.FormatFloat(v.hi*2+1, 'g', -1, 64), "1e400"}
			default:
				switch f.Value.Type() {
				case "uint64":
					bad = []string{"-1", "NaN", "18446744073709551616"}
				case "int", "int64", "int32", "uint", "float64", "float32", "intSlice", "float64Slice":
					t.Errorf("fulcrum %s --%s is an unchecked %s: register it with intFlag or floatFlag", strings.Join(path, " "), f.Name, f.Value.Type())
				}
			}
			for _, v := range bad {
				args := append(append([]string{}, path...), "--"+f.Name, v)
				code, out, errOut := runCmd(t, args...)
				assert.Equal(t, 2, code, "%v", args)
				assert.Empty(t, out, "%v", args)
				assert.Contains(t, errOut, `for "--`+f.Name+`" flag`, "%v", args)
				checked++
			}
		})
	}
	assert.Greater(t, checked, 50)
}
