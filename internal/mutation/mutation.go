// Package mutation measures a conformance suite against deliberately
// broken stores: each bug's store runs the suite in a child process (the
// test binary itself, re-run with the bug named in the environment), and
// the suite must fail on every one while passing the same store without a
// bug.
package mutation

import (
	"errors"
	"os"
	"os/exec"
	"testing"
)

// Bug returns the bug named in the environment variable env, "" in a
// normal run (the child test should then return at once).
func Bug(env string) string { return os.Getenv(env) }

// Score runs the test named child once per bug, and once with the bug
// "none", in child processes with env set to the bug, and fails t unless
// the child passes for "none" and fails for every bug. It logs the score.
func Score(t *testing.T, env, child string, bugs []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the suite once per bug in a child process")
	}
	caught := 0
	for _, bug := range append([]string{"none"}, bugs...) {
		cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
		cmd.Env = append(os.Environ(), env+"="+bug)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case bug == "none":
			if err != nil {
				t.Fatalf("the suite fails the store without a bug: %v\n%s", err, out)
			}
		case errors.As(err, &exit):
			caught++
		case err != nil:
			t.Fatalf("%s: %v", bug, err)
		default:
			t.Errorf("the suite passed a store with bug %s", bug)
		}
	}
	t.Logf("the suite caught %d of %d planted bugs", caught, len(bugs))
}
