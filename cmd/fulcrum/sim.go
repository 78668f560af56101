package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/simulation"
	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

func newSimCmd(e *env) *cobra.Command {
	return newGroup("sim", "simulate partnership structures, policies and brokerage strategies",
		newSimRunCmd(e), newSimMergeCmd(e), newSimPlotCmd(e), newSimDescribeCmd(e), newSimSensitivityCmd(e), newSimCalibrateCmd(e))
}

// readExperiment parses an experiment file; its mistakes are a failure
// (exit 1) listing every one with its position.
func readExperiment(file string) (*simulation.Experiment, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(src) > simulation.MaxExperimentSize {
		return nil, fmt.Errorf("%s: over the limit of %d bytes", file, simulation.MaxExperimentSize)
	}
	return simulation.ParseExperiment(file, src, os.DirFS(filepath.Dir(file)))
}

// simWorld loads the experiment's world: --data wins over the file's data
// key; a relative data directory is resolved against the file's directory.
func simWorld(ctx context.Context, e *env, x *simulation.Experiment, file, data string) (*simulation.World, error) {
	src := x.Data
	if data != "" {
		src = data
	} else if src != "embedded" && src != "generated" && !filepath.IsAbs(src) {
		src = filepath.Join(filepath.Dir(file), src)
	}
	if src == "generated" {
		return simulation.Generate(x.Generate), nil
	}
	dir := src
	if src == "embedded" {
		dir = ""
	}
	r, err := loadData(ctx, e, dir, false)
	if err != nil {
		return nil, err
	}
	m, err := r.Model()
	if err != nil {
		return nil, err
	}
	return simulation.NewWorld(m, x.Start, r.Source)
}

func progressPrinter(e *env, what string) func(done, total int) {
	start := time.Now()
	lastPct := -1
	return func(done, total int) {
		line := simulation.Elapsed(done, total, time.Since(start))
		if e.interactive {
			fmt.Fprintf(e.stderr, "\r%s: %s   ", what, line)
			if done == total {
				fmt.Fprintln(e.stderr)
			}
			return
		}
		if pct := done * 10 / total; pct != lastPct {
			lastPct = pct
			fmt.Fprintf(e.stderr, "%s: %s\n", what, line)
		}
	}
}

func newSimRunCmd(e *env) *cobra.Command {
	var format *formatFlag // set below, read when the command runs
	var out, data, shard string
	var workers int
	c := &cobra.Command{
		Use:   "run EXPERIMENT.yaml --out DIR",
		Short: "run an experiment's variants and replicates in parallel, writing tidy CSV and a summary",
		Long: `run executes every variant × replicate of an experiment file (see its JSON Schema,
simulation/experiment.schema.json) and writes metrics.csv (run, variant, replicate, term,
metric, value), variants.csv, summary.csv (means with 95% intervals) and, with per_school,
schools.csv into DIR. Progress (runs done, rate, time left) goes to stderr. The same seed
gives the same bytes whatever --workers is. --shard i/n runs one part of a study larger
than one machine; "fulcrum sim merge" joins the parts into exactly one run's bytes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out DIR is required")
			}
			if workers < 0 {
				return usagef("--workers %d must be 0 (all cores) or more", workers)
			}
			var sh simulation.Shard
			if shard != "" {
				var err error
				if sh, err = simulation.ParseShard(shard); err != nil {
					return usagef("%v", err)
				}
			}
			x, err := readExperiment(args[0])
			if err != nil {
				return err
			}
			w, err := simWorld(c.Context(), e, x, args[0], data)
			if err != nil {
				return err
			}
			t0 := time.Now()
			err = simulation.Execute(c.Context(), x, w, out, simulation.ExecOptions{Workers: workers, Shard: sh, Progress: progressPrinter(e, "sim run")})
			if err != nil {
				return err
			}
			o := simRunOutput{Out: out, Schools: len(w.Schools), FSMImputed: w.FSMImputed, PupilsUnknown: w.PupilsUnknown,
				Variants: len(x.Variants), Replicates: x.Replicates, Terms: x.Terms,
				Seconds: time.Since(t0).Round(time.Millisecond).Seconds()}
			if format.value == "json" {
				return writeJSON(e.stdout, o)
			}
			unknown := ""
			if o.FSMImputed > 0 || o.PupilsUnknown > 0 {
				unknown = fmt.Sprintf(" (%d with FSM share unknown: imputed %g%% in the latent model, missing to the policy; %d with roll unknown: missing to the policy)",
					o.FSMImputed, simulation.NationalFSM, o.PupilsUnknown)
			}
			e.notef(c, "%d schools%s, %d variants × %d replicates, %d terms in %gs; wrote %s", o.Schools, unknown, o.Variants, o.Replicates, o.Terms, o.Seconds, out)
			return nil
		},
	}
	format = addFormat(c, "table", "json")
	c.Flags().StringVar(&out, "out", "", "`DIR` to write the output into")
	c.Flags().StringVar(&shard, "shard", "", "run only shard `i/n` of the runs")
	intFlag(c, &workers, "workers", 0, 0, 4096, "runs at once (0: every core)")
	addDataFlag(c, &data)
	return c
}

func newSimMergeCmd(e *env) *cobra.Command {
	var format *formatFlag // set below, read when the command runs
	var out string
	c := &cobra.Command{
		Use:   "merge EXPERIMENT.yaml --out DIR SHARD_DIR...",
		Short: "join the outputs of an experiment's shards into exactly the bytes of one run",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out DIR is required")
			}
			x, err := readExperiment(args[0])
			if err != nil {
				return err
			}
			if err := simulation.Merge(x, out, args[1:]); err != nil {
				return err
			}
			if format.value == "json" {
				return writeJSON(e.stdout, simMergeOutput{Out: out, Shards: args[1:]})
			}
			e.notef(c, "%d shards into %s", len(args)-1, out)
			return nil
		},
	}
	format = addFormat(c, "table", "json")
	c.Flags().StringVar(&out, "out", "", "`DIR` to write the merged output into")
	return c
}

func newSimPlotCmd(e *env) *cobra.Command {
	var format *formatFlag // set below, read when the command runs
	var out string
	c := &cobra.Command{
		Use:   "plot DIR",
		Short: "chart every metric over time, a line and 95% band per variant (SVG and PNG)",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				out = filepath.Join(args[0], "charts")
			}
			s, err := simplot.ReadSummary(filepath.Join(args[0], simulation.SummaryFile))
			if err != nil {
				return err
			}
			files, err := s.WriteAll(out)
			if err != nil {
				return err
			}
			if format.value == "json" {
				return writeJSON(e.stdout, simPlotOutput{Out: out, Files: files})
			}
			e.notef(c, "wrote %d charts into %s", len(files), out)
			return nil
		},
	}
	format = addFormat(c, "table", "json")
	c.Flags().StringVar(&out, "out", "", "`DIR` for the charts (default DIR/charts)")
	return c
}

func newSimDescribeCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "describe",
		Short: "describe the model (ODD protocol), its indicators, metrics and every parameter",
		Args:  noArgs,
		RunE:  func(c *cobra.Command, args []string) error { return simulation.Describe(e.stdout) },
	}
}

func newSimSensitivityCmd(e *env) *cobra.Command {
	var format *formatFlag // set below, read when the command runs
	var data string
	var workers int
	c := &cobra.Command{
		Use:   "sensitivity EXPERIMENT.yaml",
		Short: "Morris elementary-effects screening of the parameters in the file's sensitivity section",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			x, err := readExperiment(args[0])
			if err != nil {
				return err
			}
			if x.Sensitivity == nil {
				return fmt.Errorf("%s has no sensitivity section", args[0])
			}
			w, err := simWorld(c.Context(), e, x, args[0], data)
			if err != nil {
				return err
			}
			effects, err := simulation.Morris(c.Context(), x, w, workers, progressPrinter(e, "sim sensitivity"))
			if err != nil {
				return err
			}
			o := sensitivityOutput{Metric: x.Sensitivity.Metric, Term: x.Terms, Variant: x.Sensitivity.Variant}
			for _, ef := range effects {
				o.Effects = append(o.Effects, effect{Parameter: ef.Param, MuStar: ef.MuStar, Mu: ef.Mu, Sigma: ef.Sigma, N: ef.N})
			}
			switch format.value {
			case "json":
				return writeJSON(e.stdout, o)
			case "csv":
				rows := make([][]string, len(o.Effects))
				for i, ef := range o.Effects {
					rows[i] = []string{ef.Parameter, fmtG(ef.MuStar), fmtG(ef.Mu), fmtG(ef.Sigma), strconv.Itoa(ef.N)}
				}
				return e.writeRecords("csv", []string{"parameter", "mu_star", "mu", "sigma", "n"}, rows)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "parameter\tmu*\tmu\tsigma\tn\t(metric %s at term %d, variant %s)\n", x.Sensitivity.Metric, x.Terms, x.Sensitivity.Variant)
			for _, ef := range effects {
				fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t%d\t\n", ef.Param, ef.MuStar, ef.Mu, ef.Sigma, ef.N)
			}
			return tw.Flush()
		},
	}
	format = addFormat(c, "table", "json", "csv")
	intFlag(c, &workers, "workers", 0, 0, 4096, "trajectories at once (0: every core)")
	addDataFlag(c, &data)
	return c
}

func newSimCalibrateCmd(e *env) *cobra.Command {
	var format *formatFlag // set below, read when the command runs
	var data string
	var bootstrap, evals int
	c := &cobra.Command{
		Use:   "calibrate",
		Short: "fit the latent dynamics to the Ofsted history: transition matrix and grade distribution",
		Long: `calibrate fits the calibrated parameters of the model to the transitions between
consecutive Ofsted judgements and to the grade distribution of the data, printing both
(real and simulated), their distance and the fitted parameters.

` + factsHelp,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if bootstrap < 0 || evals < 1 {
				return usagef("--bootstrap must be 0 or more and --evaluations 1 or more")
			}
			r, err := loadData(c.Context(), e, data, false)
			if err != nil {
				return err
			}
			m, err := r.Model()
			if err != nil {
				return err
			}
			w, err := simulation.NewWorld(m, time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC), r.Source)
			if err != nil {
				return err
			}
			cal, err := simulation.Calibrate(c.Context(), w, simulation.DefaultParams(), simulation.CalibrateOptions{
				Bootstrap: bootstrap, MaxEvaluations: evals, Log: func(s string) { fmt.Fprintln(e.stderr, "sim calibrate:", s) }})
			if err != nil {
				return err
			}
			rows, g := cal.Real.Distance(cal.Sim)
			switch format.value {
			case "json":
				return writeJSON(e.stdout, calibrationOutputOf(r.Source, cal))
			case "csv":
				return e.writeRecords("csv", factHeader, calibrationFacts(cal))
			}
			fmt.Fprintf(e.stdout, "real (%s)\n%s\nsimulated with the parameters below, interventions off\n%s\ntotal variation per row %.3f, grade distribution %.3f, loss %.4f\n\n",
				r.Source, cal.Real, cal.Sim, rows, g, cal.Objective)
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "parameter\tfitted\tbootstrap sd\t")
			for _, p := range simulation.ParamTable() {
				if !p.Calibrated {
					continue
				}
				v, _ := cal.Params.Get(p.Name)
				sd := "-"
				if s, ok := cal.SD[p.Name]; ok {
					sd = fmt.Sprintf("%.4f", s)
				}
				fmt.Fprintf(tw, "%s\t%.4f\t%s\t\n", p.Name, v, sd)
			}
			return tw.Flush()
		},
	}
	format = addFormat(c, "table", "json", "csv")
	intFlag(c, &bootstrap, "bootstrap", 0, 0, 10_000, "bootstrap refits for the uncertainty")
	intFlag(c, &evals, "evaluations", 400, 1, 1_000_000, "most loss evaluations per fit")
	addDataFlag(c, &data)
	return c
}
