// Command mcf is Fulcrum's side of the min-cost flow comparison in
// bench/mcf: it writes the benchmark instances as DIMACS files and times
// Fulcrum's solver on a DIMACS file.
//
// Usage:
//
//	mcf gen [-seed N] [-sizes NxP,...] [-general=false] DIR
//	                       write DIR/<size>-<loose|tight>.min for every size (default
//	                       the standard ones) and DIR/g<nodes>.min; with a seed other
//	                       than 1 the names end in -sN (500x300-tight-s3.min)
//	mcf solve [-runs N] FILE   solve FILE N times; print "cost C median_seconds S"
//	mcf whole [-runs N] [-out FILE] CMD ARG...   run CMD N times, standard output to
//	                       FILE (default /dev/null); print "wall_s W cpu_s C rss_mb R"
//
// whole reports the median wall time, the median user+system CPU time and
// the largest peak resident set (ru_maxrss) of the runs, from the rusage
// of each child, to the microsecond (/usr/bin/time prints hundredths of a
// second, too coarse for a whole process of a few milliseconds). Go starts
// the child with vfork, so a child's ru_maxrss is at least this process's
// own, about 2.3 MB: smaller peaks read as that.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mcf:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: mcf gen DIR | mcf solve [-runs N] FILE | mcf whole [-runs N] [-out FILE] CMD [ARG]")
	}
	switch args[0] {
	case "gen":
		fs := flag.NewFlagSet("gen", flag.ContinueOnError)
		seed := fs.Uint64("seed", 1, "generator `seed`")
		sizes := fs.String("sizes", "", "comma-separated `NEEDSxPROVIDERS` brokerage sizes (default the standard sizes)")
		general := fs.Bool("general", true, "also write the general networks")
		fs.Usage = func() {
			fmt.Fprintln(fs.Output(), "usage: mcf gen [-seed N] [-sizes NxP,...] [-general=false] DIR")
			fs.PrintDefaults()
		}
		if err := fs.Parse(args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		if fs.NArg() != 1 {
			fs.Usage()
			return fmt.Errorf("gen takes one directory")
		}
		ss := flowgen.Sizes
		if *sizes != "" {
			var err error
			if ss, err = parseSizes(*sizes); err != nil {
				return err
			}
		}
		return gen(fs.Arg(0), *seed, ss, *general)
	case "solve":
		fs := flag.NewFlagSet("solve", flag.ContinueOnError)
		runs := fs.Int("runs", 3, "number of timed runs")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: mcf solve [-runs N] FILE")
		}
		return solve(fs.Arg(0), *runs)
	case "whole":
		fs := flag.NewFlagSet("whole", flag.ContinueOnError)
		runs := fs.Int("runs", 3, "number of runs")
		out := fs.String("out", os.DevNull, "`FILE` for the command's standard output")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			return fmt.Errorf("usage: mcf whole [-runs N] [-out FILE] CMD [ARG]")
		}
		return whole(fs.Args(), *runs, *out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// parseSizes reads a list such as "500x300,1000x600".
func parseSizes(list string) ([]flowgen.Size, error) {
	var ss []flowgen.Size
	for _, f := range strings.Split(list, ",") {
		var n, p int
		if _, err := fmt.Sscanf(f, "%dx%d", &n, &p); err != nil || n <= 0 || p <= 0 || fmt.Sprintf("%dx%d", n, p) != f {
			return nil, fmt.Errorf("size %q: want NEEDSxPROVIDERS, both positive", f)
		}
		ss = append(ss, flowgen.Size{Name: f, Needs: n, Providers: p})
	}
	return ss, nil
}

func gen(dir string, seed uint64, sizes []flowgen.Size, general bool) error {
	suffix := ""
	if seed != 1 {
		suffix = fmt.Sprintf("-s%d", seed)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, s := range sizes {
		for _, tight := range []bool{false, true} {
			kind := "loose"
			if tight {
				kind = "tight"
			}
			a := flowgen.Generate(flowgen.Config{Needs: s.Needs, Providers: s.Providers, Tight: tight, Seed: seed})
			name := filepath.Join(dir, s.Name+"-"+kind+suffix+".min")
			f, err := os.Create(name)
			if err != nil {
				return err
			}
			err = flow.WriteDIMACS(f, a.Network(), fmt.Sprintf("fulcrum flowgen %s %s seed %d", s.Name, kind, seed),
				"node 1 is the sink; nodes 2.. are needs (supply 1), then providers",
				fmt.Sprintf("needs %d providers %d", s.Needs, s.Providers))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			fmt.Println(name)
		}
	}
	if !general {
		return nil
	}
	for _, n := range flowgen.GeneralSizes {
		name := filepath.Join(dir, fmt.Sprintf("g%d%s.min", n, suffix))
		if err := writeNetwork(name, flowgen.General(flowgen.GeneralConfig{Nodes: n, Seed: seed}),
			fmt.Sprintf("fulcrum flowgen general %d nodes seed %d", n, seed)); err != nil {
			return err
		}
		fmt.Println(name)
	}
	return nil
}

func writeNetwork(name string, g *flow.Network, comments ...string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	err = flow.WriteDIMACS(f, g, comments...)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func solve(name string, runs int) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	p0, pc0 := time.Now(), cpuSeconds()
	g, err := flow.ParseDIMACS(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s:%w", name, err)
	}
	parse, parseCPU := time.Since(p0).Seconds(), cpuSeconds()-pc0
	var times, cpus []float64
	var cost int64
	var cold float64
	for r := range max(runs, 1) {
		start, c0 := time.Now(), cpuSeconds()
		fl, err := g.Solve(context.Background())
		if err != nil {
			return err
		}
		times = append(times, time.Since(start).Seconds())
		cpus = append(cpus, cpuSeconds()-c0)
		if r == 0 {
			cold = times[0]
		}
		cost = fl.Cost
	}
	slices.Sort(times)
	slices.Sort(cpus)
	fmt.Printf("cost %d median_seconds %.4f cold_seconds %.4f median_cpu_seconds %.4f parse_seconds %.4f parse_cpu_seconds %.4f\n",
		cost, times[len(times)/2], cold, cpus[len(cpus)/2], parse, parseCPU)
	return nil
}

func whole(cmdline []string, runs int, out string) error {
	var walls, cpus []float64
	var rss int64
	for range max(runs, 1) {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		cmd := exec.Command(cmdline[0], cmdline[1:]...)
		cmd.Stdout, cmd.Stderr = f, os.Stderr
		start := time.Now()
		err = cmd.Run()
		wall := time.Since(start).Seconds()
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(cmdline, " "), err)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		walls = append(walls, wall)
		cpus = append(cpus, float64(ru.Utime.Nano()+ru.Stime.Nano())/1e9)
		rss = max(rss, ru.Maxrss) // kilobytes on Linux
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	fmt.Printf("wall_s %.4f cpu_s %.4f rss_mb %.1f\n", walls[(len(walls)-1)/2], cpus[(len(cpus)-1)/2], float64(rss)/1024)
	return nil
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
