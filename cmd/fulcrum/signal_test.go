//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A real signal to the built tool, mid-run: SIGINT (Ctrl-C) ends it with
// status 130 and SIGTERM with 143, each saying it was interrupted and
// leaving no output file behind.
func TestSignalExitStatus(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the test builds the tool with the go command")
	dir := t.TempDir()
	bin := filepath.Join(dir, "fulcrum")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	// An experiment long enough (minutes) to be interrupted.
	exp := filepath.Join(dir, "long.yaml")
	require.NoError(t, os.WriteFile(exp, []byte(`experiment: long
data: generated
generate: {schools: 2000, seed: 3}
terms: 300
replicates: 200
seed: 7
variants:
  - {name: none, structure: none}
`), 0o644))
	for _, tc := range []struct {
		sig  os.Signal
		code int
		why  string
	}{
		{os.Interrupt, 130, "interrupted (interrupt signal received)"},
		{syscall.SIGTERM, 143, "interrupted (terminated signal received)"},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.sig.String(), " ", "-"))
			cmd := exec.Command(bin, "sim", "run", exp, "--out", out, "--workers", "1")
			stderr, err := cmd.StderrPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			// The first progress line means the runs have begun (and
			// the signal handlers are in place).
			lines := bufio.NewScanner(stderr)
			var seen []string
			for lines.Scan() {
				seen = append(seen, lines.Text())
				if strings.Contains(lines.Text(), " runs, ") {
					break
				}
			}
			require.NoError(t, cmd.Process.Signal(tc.sig))
			for lines.Scan() {
				seen = append(seen, lines.Text())
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				_ = cmd.Process.Kill()
				t.Fatalf("still running a minute after %v", tc.sig)
			}
			var ee *exec.ExitError
			require.True(t, errors.As(err, &ee), "exit: %v\n%s", err, strings.Join(seen, "\n"))
			assert.Equal(t, tc.code, ee.ExitCode(), strings.Join(seen, "\n"))
			assert.Contains(t, strings.Join(seen, "\n"), "fulcrum sim run: "+tc.why)
			_, err = os.Stat(filepath.Join(out, "metrics.csv"))
			assert.ErrorIs(t, err, os.ErrNotExist, "no output left behind")
		})
	}
}
