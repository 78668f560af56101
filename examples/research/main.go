// Command research compares the six partnership structures on the embedded
// Yorkshire and the Humber region: it runs experiment.yaml (six variants ×
// four replicates × 30 terms, on both cores) and writes the tidy CSV, the
// summary with 95% intervals and a chart of every metric into ./out.
//
//	go run ./examples/research            # from the repository root
//	go run ./examples/research -out DIR
//	go run ./examples/research -replicates 2 -terms 3   # a quick, smaller run
//
// -replicates and -terms default to the experiment file's (4 and 30) and
// replace them when given; values outside the file's own limits (1 to
// simulation.MaxReplicates, 1 to simulation.MaxTerms) are refused.
//
// The same run from the command line is
//
//	fulcrum sim run examples/research/experiment.yaml --out out
//	fulcrum sim plot out
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/simulation"
	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	var usage usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "research:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "research:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ error }

// experimentFile is experiment.yaml beside this source file, or, when the
// source tree is not where it was compiled, relative to the repository root.
func experimentFile() string {
	_, self, _, _ := runtime.Caller(0)
	file := filepath.Join(filepath.Dir(self), "experiment.yaml")
	if _, err := os.Stat(file); err != nil {
		file = "examples/research/experiment.yaml"
	}
	return file
}

// run is the whole program: args are the command-line arguments after the
// program's name, stdout gets the one-line result and stderr the progress.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	file := experimentFile()
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	x, err := simulation.ParseExperiment(file, src, os.DirFS(filepath.Dir(file)))
	if err != nil {
		return err
	}

	fs := flag.NewFlagSet("research", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "out", "directory for the CSV files and charts")
	replicates := fs.Int("replicates", x.Replicates, fmt.Sprintf("replicates of each variant (1-%d; default: the experiment file's)", simulation.MaxReplicates))
	terms := fs.Int("terms", x.Terms, fmt.Sprintf("terms each replicate runs (1-%d; default: the experiment file's)", simulation.MaxTerms))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("unexpected argument %q (the experiment is %s)", fs.Arg(0), file)}
	case *replicates < 1 || *replicates > simulation.MaxReplicates:
		return usageError{fmt.Errorf("-replicates %d is outside 1..%d", *replicates, simulation.MaxReplicates)}
	case *terms < 1 || *terms > simulation.MaxTerms:
		return usageError{fmt.Errorf("-terms %d is outside 1..%d", *terms, simulation.MaxTerms)}
	case *out == "":
		return usageError{errors.New("-out is empty")}
	}
	x.Replicates, x.Terms = *replicates, *terms

	r, err := england.LoadEmbedded(ctx)
	if err != nil {
		return err
	}
	m, err := r.Model()
	if err != nil {
		return err
	}
	w, err := simulation.NewWorld(m, x.Start, "embedded")
	if err != nil {
		return err
	}
	t0 := time.Now()
	err = simulation.Execute(ctx, x, w, *out, simulation.ExecOptions{Progress: func(done, total int) {
		fmt.Fprintf(stderr, "\r%s   ", simulation.Elapsed(done, total, time.Since(t0)))
	}})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	s, err := simplot.ReadSummary(filepath.Join(*out, simulation.SummaryFile))
	if err != nil {
		return err
	}
	files, err := s.WriteAll(filepath.Join(*out, "charts"))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%d schools, %d variants × %d replicates × %d terms in %s; %d charts in %s\n",
		len(w.Schools), len(x.Variants), x.Replicates, x.Terms, time.Since(t0).Round(time.Millisecond), len(files), filepath.Join(*out, "charts"))
	return err
}
