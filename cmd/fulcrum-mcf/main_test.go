package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.min")
	require.NoError(t, os.WriteFile(p, []byte("c example\np min 4 5\nn 1 3\nn 2 1\nn 3 -2\nn 4 -2\n"+
		"a 1 3 0 2 1\na 1 4 0 2 4\na 2 3 0 2 2\na 2 4 0 2 1\na 3 4 0 1 5\n"), 0o644))
	for _, tc := range []struct {
		name     string
		args     []string
		stdin    string
		code     int
		out, err string // err: what stderr starts with
	}{
		{"dimacs", []string{"--dimacs", p}, "", 0, "s 7\nf 1 3 2\nf 1 4 1\nf 2 4 1\n", ""},
		{"general", []string{"-dimacs", p, "--general"}, "", 0, "s 7\nf 1 3 2\nf 1 4 1\nf 2 4 1\n", ""},
		{"json", []string{"--dimacs=" + p, "--format", "json"}, "", 0, "{\n  \"cost\": 7,\n  \"arcs\": [\n    {\n      \"from\": 1,\n      \"to\": 3,\n      \"flow\": 2\n    },\n" +
			"    {\n      \"from\": 1,\n      \"to\": 4,\n      \"flow\": 1\n    },\n    {\n      \"from\": 2,\n      \"to\": 4,\n      \"flow\": 1\n    }\n  ]\n}\n", ""},
		{"stdin", []string{"--dimacs", "-"}, "p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 -3\n", 0, "s -3\nf 1 2 1\n", ""},
		{"help", []string{"--help"}, "", 0, "", "Usage: fulcrum-mcf --dimacs FILE"},
		{"no file", nil, "", 2, "", "fulcrum-mcf: --dimacs FILE is required\n\nUsage:"},
		{"bad format", []string{"--dimacs", p, "--format", "yaml"}, "", 2, "", "fulcrum-mcf: --format \"yaml\": want dimacs or json\n\nUsage:"},
		{"unknown flag", []string{"--dimax", p}, "", 2, "", "flag provided but not defined: -dimax"},
		{"argument", []string{"--dimacs", p, "extra"}, "", 2, "", "fulcrum-mcf: unexpected argument \"extra\""},
		{"missing file", []string{"--dimacs", p + ".none"}, "", 1, "", "fulcrum-mcf: open " + p + ".none: no such file or directory\n"},
		{"syntax", []string{"--dimacs", "-"}, "p min 2 1\na 1 3 0 1 1\n", 1, "", "fulcrum-mcf: -:2: target node 3 out of range [1, 2]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(tc.stdin), &out, &errOut)
			assert.Equal(t, tc.code, code, errOut.String())
			assert.Equal(t, tc.out, out.String())
			assert.True(t, strings.HasPrefix(errOut.String(), tc.err), "stderr %q, want it to start with %q", errOut.String(), tc.err)
		})
	}
}

// An interrupted solve says so and exits 1 from run (main turns it into
// 130 or 143 by the signal).
func TestRunInterrupted(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.min")
	require.NoError(t, os.WriteFile(p, []byte("p min 2 1\nn 1 1\nn 2 -1\na 1 2 0 1 -3\n"), 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"--dimacs", p}, nil, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Empty(t, out.String())
	assert.Equal(t, "fulcrum-mcf: interrupted (context canceled)\n", errOut.String())
}
