// Command fulcrum works with the partnerships between English schools: it
// loads the published data for England, analyses networks, evaluates at-risk
// policies, allocates peer reviewers and brokers expertise.
//
// Usage:
//
//	fulcrum <group> <command> [flags]
//
// Run "fulcrum help" for the list of groups, "fulcrum help <group>" for a
// group's commands, and "fulcrum completion bash|zsh|fish|powershell" for
// shell completion. Machine output goes to standard output; progress,
// summaries and diagnostics go to standard error; help asked for goes to
// standard output. Every command that prints records takes --format table,
// csv or json; a report of one action or status (version, db status, risk
// synth, sim run, ...) takes table or json; a document (risk schema, risk
// show, sim describe, network export, the completion scripts) is printed as
// it is.
//
// # Exit status
//
//	0  success (and help asked for with -h, --help or "fulcrum help")
//	1  failure: bad input data, a file that cannot be read or written, a
//	   policy that does not compile, a failing policy test
//	2  usage error: unknown command or flag, a missing or stray argument,
//	   a flag value out of range or of an unknown format; the command's
//	   usage follows the message on standard error
//	130  interrupted by Ctrl-C (SIGINT) before the command finished; 143
//	   when stopped by SIGTERM. The command stops at its next check of
//	   its context, removing the files it was writing; a second Ctrl-C
//	   ends the process at once
//
// # Adding a command
//
// Each group ("network", "risk", ...) lives in its own file with a
// newXxxCmd(e *env) constructor that returns newGroup(...) over its
// subcommands; each subcommand is a *cobra.Command with Args: noArgs (or
// its own positional check) and a RunE that parses nothing itself: flags
// are bound with c.Flags() and the shared helpers addFormat, addDataFlag,
// intFlag and floatFlag (every numeric flag is bounded), and mistakes are
// returned as usagef(...) so that they exit 2. Records are printed with
// writeJSON (snake_case keys) and e.writeRecords (CSV through the formula
// guard, or a table; a nested report's CSV is long form, see facts);
// a human summary of what a command did goes to stderr through e.notef;
// files are written with internal/atomicfile; input files are opened with
// openLimited. Register the group in newRootCmd, add
// the command's JSON type to jsonOutputs in json_test.go, and regenerate
// the README's list with
//
//	go test ./cmd/fulcrum -run TestREADMECommands -update
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// env is what every command receives: its streams, kept apart from the
// process so tests can run commands in-process.
type env struct {
	stdout io.Writer
	stderr io.Writer
	// interactive reports whether stderr is a terminal; long runs print
	// progress only then.
	interactive bool
	// progressAfter is how long work runs before progress shows (zero:
	// the constant progressAfter).
	progressAfter time.Duration

	// Set from the global flags by newRootCmd.
	csvFormulas bool         // --csv-formulas: CSV cells unchanged
	log         *slog.Logger // diagnostics on stderr at --log-level
	dbPath      string       // --db: the database keeping state, "" for none

	db *sqlstore.DB // --db, once a command has opened it
}

// errUsage marks a command-line mistake: the tool prints the message and
// the command's usage to stderr and exits 2.
var errUsage = errors.New("usage")

// usagef returns a usage error (exit status 2) with a formatted message.
func usagef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// exitError carries the exit status of a failure that has already been
// reported on stderr.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Exit statuses of a run stopped by a signal: 128 + the signal's number,
// as shells report it.
const (
	exitInterrupted = 128 + 2  // SIGINT, Ctrl-C
	exitTerminated  = 128 + 15 // SIGTERM
)

func main() {
	// The first SIGINT or SIGTERM cancels the context; the handlers then
	// stop, so a second one ends the process at once.
	interrupted, stopInt := signal.NotifyContext(context.Background(), os.Interrupt)
	ctx, stopTerm := signal.NotifyContext(interrupted, syscall.SIGTERM)
	terminated := make(chan bool, 1) // which signal, once one came
	go func() {
		<-ctx.Done()
		terminated <- interrupted.Err() == nil // before stopInt cancels it
		stopInt()
		stopTerm()
	}()
	interactive := isTerminal(os.Stderr) && os.Getenv("TERM") != "dumb"
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, interactive: interactive}, os.Args[1:])
	if code == exitInterrupted && <-terminated { // run returns it only once ctx is done
		code = exitTerminated
	}
	stopTerm()
	stopInt()
	os.Exit(code)
}

// run executes the tool and returns the process exit status, having
// reported any error on e.stderr. A command that fails after ctx was
// cancelled (by a signal, in main) was interrupted: status 130.
func run(ctx context.Context, e *env, args []string) int {
	cmd, err := execute(ctx, e, args)
	e.closeDB()
	var ee exitError
	switch {
	case err == nil:
		return 0
	case ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "%s: interrupted (%v)\n", cmd.CommandPath(), context.Cause(ctx))
		return exitInterrupted
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "%s: %s\n\n%s", cmd.CommandPath(), excerpt(err.Error()), cmd.UsageString())
		return 2
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", cmd.CommandPath(), excerpt(err.Error()))
		return 1
	}
}

// execute runs the command args name and returns it with its error,
// unreported.
func execute(ctx context.Context, e *env, args []string) (*cobra.Command, error) {
	root := newRootCmd(e)
	if args == nil {
		args = []string{} // cobra reads os.Args for nil
	}
	root.SetArgs(args)
	return root.ExecuteContextC(ctx)
}

// newRootCmd builds the command tree, writing to e's streams.
func newRootCmd(e *env) *cobra.Command {
	root := newGroup("fulcrum", "partnerships between English schools: data, networks, risk, review and brokerage",
		newEnglandCmd(e),
		newNetworkCmd(e),
		newRiskCmd(e),
		newReviewCmd(e),
		newBrokerCmd(e),
		newSimCmd(e),
		newCycleCmd(e),
		newEngagementCmd(e),
		newDBCmd(e),
		newVersionCmd(e),
	)
	// A group runs only to refuse a missing or unknown command: show it
	// as "fulcrum network [command]", not also as runnable by itself.
	root.SetUsageTemplate(strings.Replace(root.UsageTemplate(), "{{if .Runnable}}",
		"{{if and .Runnable (not .HasAvailableSubCommands)}}", 1))
	root.Long = `fulcrum works with the partnerships between English schools: it loads the
published data for England, analyses networks, evaluates at-risk policies,
allocates peer reviewers and brokers expertise.

Machine output goes to standard output, progress, summaries and diagnostics
to standard error. Exit status: 0 success, 1 failure, 2 usage error, 130
interrupted (Ctrl-C), 143 terminated (SIGTERM).

Every command that prints records takes --format table, csv or json (JSON
keys in snake_case). A report of one action or status (version, db status,
risk synth, sim run, ...) takes table or json; a document (risk schema, risk
show, sim describe, network export, the completion scripts) is printed as it is.`
	root.Version = versionLine()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w: %v", errUsage, err)
	})

	// cobra's completion command, a group like the others.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			asGroup(c)
		}
	}

	// Global flags.
	root.PersistentFlags().BoolVar(&e.csvFormulas, "csv-formulas", false,
		"write CSV cells beginning with =, +, - or @ unchanged (by default they are prefixed with ' so that a spreadsheet shows them as text, not formulas)")
	root.PersistentFlags().StringVar(&e.dbPath, "db", "",
		"keep state in the database `FILE` (SQLite; or a postgres:// URL): england load imports into it, the other commands read from it, risk eval records its assessments")
	level := new(slog.LevelVar)
	root.PersistentFlags().Var(logLevel{level}, "log-level", "diagnostics on standard error at this `LEVEL` and above: debug, info, warn or error")
	_ = root.RegisterFlagCompletionFunc("log-level", cobra.FixedCompletions([]string{"debug", "info", "warn", "error"}, cobra.ShellCompDirectiveNoFileComp))
	e.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level, ReplaceAttr: dropTime}))
	if e.progressAfter == 0 {
		e.progressAfter = progressAfter
	}
	return root
}

// logLevel is the --log-level flag.
type logLevel struct{ v *slog.LevelVar }

func (l logLevel) String() string {
	if l.v == nil {
		return "info"
	}
	return strings.ToLower(l.v.Level().String())
}

func (l logLevel) Set(s string) error { return l.v.UnmarshalText([]byte(s)) }

func (l logLevel) Type() string { return "string" }

// dropTime leaves the time out of log lines: they go to a person at a
// terminal, or to a CI log that has its own times.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// newGroup returns a command that only groups subs. Run without a
// subcommand, or with an unknown one, it is a usage error naming the
// closest subcommands.
func newGroup(use, short string, subs ...*cobra.Command) *cobra.Command {
	g := &cobra.Command{Use: use, Short: short}
	g.AddCommand(subs...)
	asGroup(g)
	return g
}

// asGroup makes g refuse to run without a subcommand, or with an unknown
// one, as a usage error naming the closest subcommands (within two edits).
func asGroup(g *cobra.Command) {
	g.Args = cobra.ArbitraryArgs
	g.SuggestionsMinimumDistance = 2
	g.RunE = func(c *cobra.Command, args []string) error {
		var names []string
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() {
				names = append(names, s.Name())
			}
		}
		if len(args) == 0 {
			return usagef("missing command (one of %s)", strings.Join(names, ", "))
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + orList(s) + "?"
		}
		return usagef("%s", msg)
	}
}

// noArgs is the Args of a command that takes flags only.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
