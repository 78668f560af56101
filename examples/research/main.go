// Command research compares the six partnership structures on the embedded
// Yorkshire and the Humber region: it runs experiment.yaml (six variants ×
// four replicates × 30 terms, on both cores) and writes the tidy CSV, the
// summary with 95% intervals and a chart of every metric into ./out.
//
//	go run ./examples/research            # from the repository root
//	go run ./examples/research -out DIR
//
// The same run from the command line is
//
//	fulcrum sim run examples/research/experiment.yaml --out out
//	fulcrum sim plot out
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/simulation"
	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

func main() {
	out := flag.String("out", "out", "directory for the CSV files and charts")
	flag.Parse()
	_, self, _, _ := runtime.Caller(0)
	file := filepath.Join(filepath.Dir(self), "experiment.yaml")
	if _, err := os.Stat(file); err != nil {
		file = "examples/research/experiment.yaml"
	}
	src, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	x, err := simulation.ParseExperiment(file, src, os.DirFS(filepath.Dir(file)))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	r, err := england.LoadEmbedded(ctx)
	if err != nil {
		log.Fatal(err)
	}
	m, err := r.Model()
	if err != nil {
		log.Fatal(err)
	}
	w, err := simulation.NewWorld(m, x.Start, "embedded")
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	err = simulation.Execute(ctx, x, w, *out, simulation.ExecOptions{Progress: func(done, total int) {
		fmt.Fprintf(os.Stderr, "\r%s   ", simulation.Elapsed(done, total, time.Since(t0)))
	}})
	fmt.Fprintln(os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	s, err := simplot.ReadSummary(filepath.Join(*out, simulation.SummaryFile))
	if err != nil {
		log.Fatal(err)
	}
	files, err := s.WriteAll(filepath.Join(*out, "charts"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d schools, %d variants × %d replicates × %d terms in %s; %d charts in %s\n",
		len(w.Schools), len(x.Variants), x.Replicates, x.Terms, time.Since(t0).Round(time.Millisecond), len(files), filepath.Join(*out, "charts"))
}
