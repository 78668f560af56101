// Command fulcrum works with the partnerships between English schools: it
// loads the published data for England, analyses networks, evaluates at-risk
// policies, allocates peer reviewers and brokers expertise.
//
// Usage:
//
//	fulcrum <group> <command> [flags]
//
// Run "fulcrum help" for the list of groups and commands. Machine output goes
// to standard output; progress and diagnostics go to standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// command is one top-level group of the tool ("network", "risk", ...).
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command receives: its streams, kept apart from the
// process so tests can run commands in-process.
type env struct {
	stdout io.Writer
	stderr io.Writer
	// interactive reports whether stderr is a terminal; long runs print
	// progress only then.
	interactive bool
}

// errUsage marks a command-line mistake: the tool prints usage and exits 2.
var errUsage = errors.New("usage")

// exitError carries an exit status other than 1 for a failure that has
// already been reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func commands() map[string]command {
	return map[string]command{
		"england": {"load the published England extracts and report what was read", runEngland},
		"network": {"partnership statistics, isolation, bridges and graph export", runNetwork},
		"risk":    {"check, test, evaluate and compare at-risk policies", runRisk},
		"review":  {"peer-review reviewer allocation, clusters and QA schedules", runReview},
		"broker":  {"match needs to expertise, report gaps, solve min-cost flows", runBroker},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, interactive: isTerminal(os.Stderr)}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the tool and returns the process exit status.
func run(ctx context.Context, e *env, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "fulcrum: unknown command %q\n", args[0])
		usage(e.stderr, cmds)
		return 2
	}
	err := c.run(ctx, e, args[1:])
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "fulcrum %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(e.stderr, "fulcrum %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: fulcrum <command> <subcommand> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun \"fulcrum <command> -h\" for a command's subcommands.\n")
	io.WriteString(w, b.String())
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// subcommand dispatches args to one of subs, printing the group's usage for
// an unknown or missing subcommand.
func subcommand(ctx context.Context, e *env, group string, args []string,
	subs map[string]func(context.Context, *env, []string) error) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(e.stderr, "usage: fulcrum %s <%s> [flags]\n", group, strings.Join(names, "|"))
		if len(args) == 0 {
			return exitError{2}
		}
		return nil
	}
	f, ok := subs[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown subcommand %q", errUsage, args[0])
	}
	return f(ctx, e, args[1:])
}
