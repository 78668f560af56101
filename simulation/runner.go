package simulation

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// RunSpec is one run of an experiment: a variant and a replicate. Runs are
// numbered variant-major: run = variant*replicates + replicate.
type RunSpec struct {
	Run, Variant, Replicate int
}

// Runs returns every run of x in order.
func (x *Experiment) Runs() []RunSpec {
	out := make([]RunSpec, 0, len(x.Variants)*x.Replicates)
	for v := range x.Variants {
		for r := range x.Replicates {
			out = append(out, RunSpec{Run: len(out), Variant: v, Replicate: r})
		}
	}
	return out
}

// Shard selects part of an experiment's runs: shard Index (1-based) of
// Count takes the runs whose number mod Count is Index-1. The zero Shard
// is the whole experiment.
type Shard struct{ Index, Count int }

// ParseShard parses "i/n".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("%w: shard %q must be i/n with 1 <= i <= n", ErrInvalid, s)
	}
	return Shard{i, n}, nil
}

func (s Shard) takes(run int) bool { return s.Count <= 1 || run%s.Count == s.Index-1 }

// ExecOptions control Execute.
type ExecOptions struct {
	// Workers is how many runs go at once; 0 means GOMAXPROCS. The output
	// does not depend on it.
	Workers int
	Shard   Shard
	// Progress, if set, is called after each run with the runs done and
	// the total; calls are serialised.
	Progress func(done, total int)
}

// Output file names in an experiment's output directory.
const (
	MetricsFile  = "metrics.csv"
	SchoolsFile  = "schools.csv"
	VariantsFile = "variants.csv"
	SummaryFile  = "summary.csv"
	ShardFile    = "shard.json"
)

// shardInfo is what a shard's directory records about it.
type shardInfo struct {
	Experiment string `json:"experiment"`
	SHA256     string `json:"sha256"`
	Index      int    `json:"index"`
	Count      int    `json:"count"`
	Runs       int    `json:"runs"`
}

// Execute runs x's runs (those of opts.Shard) on w, writing into dir:
//
//	metrics.csv   run,variant,replicate,term,metric,value  one row per run, term and metric (tidy), in run order
//	schools.csv   run,variant,replicate,term,urn,effectiveness,level,rating  when per_school is set (rating 1-4, NA when the latest inspection gave no overall judgement)
//	variants.csv  variant,structure,policy,strategy and every parameter's value
//	summary.csv   variant,term,metric,n,mean,sd,ci95_low,ci95_high  over replicates (t interval)
//
// A shard writes metrics.csv (and schools.csv) for its runs and
// shard.json; Merge joins the shards into exactly the bytes one Execute
// of the whole experiment writes. Values are written in Go's shortest
// round-trip form; an undefined value is NA. Files are written to a
// temporary name and renamed when complete.
func Execute(ctx context.Context, x *Experiment, w *World, dir string, opts ExecOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	structures := map[string]*Structure{}
	for _, v := range x.Variants {
		if _, ok := structures[v.Structure]; !ok {
			s, err := Build(v.Structure, w, x.Structure)
			if err != nil {
				return err
			}
			structures[v.Structure] = s
		}
	}
	var runs []RunSpec
	for _, r := range x.Runs() {
		if opts.Shard.takes(r.Run) {
			runs = append(runs, r)
		}
	}
	metrics, err := newAtomic(filepath.Join(dir, MetricsFile))
	if err != nil {
		return err
	}
	defer metrics.abort()
	mw := bufio.NewWriterSize(metrics.f, 1<<16)
	mw.WriteString("run,variant,replicate,term,metric,value\n")
	var schools *atomicFile
	var sw *bufio.Writer
	if x.PerSchool {
		if schools, err = newAtomic(filepath.Join(dir, SchoolsFile)); err != nil {
			return err
		}
		defer schools.abort()
		sw = bufio.NewWriterSize(schools.f, 1<<16)
		sw.WriteString("run,variant,replicate,term,urn,effectiveness,level,rating\n")
	}
	var all []metricRow
	emit := func(r RunSpec, res *Result) {
		var buf bytes.Buffer
		rows := runRows(x, r, res)
		writeRows(&buf, x, rows)
		mw.Write(buf.Bytes())
		if opts.Shard.Count <= 1 {
			all = append(all, rows...)
		}
		if sw != nil {
			name := csvField(x.Variants[r.Variant].Name)
			for t, st := range res.Schools {
				for _, s := range st {
					rating := "NA"
					if s.Rating != partnership.RatingNone {
						rating = strconv.Itoa(int(s.Rating))
					}
					fmt.Fprintf(sw, "%d,%s,%d,%d,%d,%s,%d,%s\n", r.Run, name, r.Replicate, t, s.URN, ftoa(s.Effectiveness), s.Level, rating)
				}
			}
		}
	}
	if err := runAll(ctx, x, w, structures, runs, opts, emit); err != nil {
		return err
	}
	if err := mw.Flush(); err != nil {
		return err
	}
	if err := metrics.commit(); err != nil {
		return err
	}
	if sw != nil {
		if err := sw.Flush(); err != nil {
			return err
		}
		if err := schools.commit(); err != nil {
			return err
		}
	}
	if opts.Shard.Count > 1 {
		sum := sha256.Sum256(x.Source)
		info := shardInfo{Experiment: x.Name, SHA256: hex.EncodeToString(sum[:]), Index: opts.Shard.Index, Count: opts.Shard.Count, Runs: len(runs)}
		b, _ := json.MarshalIndent(info, "", "  ")
		return writeFileAtomic(filepath.Join(dir, ShardFile), append(b, '\n'))
	}
	return writeTables(dir, x, all)
}

// runAll runs runs on a pool of workers and calls emit for each result in
// run order.
func runAll(ctx context.Context, x *Experiment, w *World, structures map[string]*Structure, runs []RunSpec,
	opts ExecOptions, emit func(RunSpec, *Result)) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type done struct {
		k   int
		res *Result
		err error
	}
	jobs := make(chan int)
	results := make(chan done)
	var wg sync.WaitGroup
	for range min(workers, max(1, len(runs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				r := runs[k]
				v := &x.Variants[r.Variant]
				strat, _ := NewStrategy(v.Strategy)
				res, err := Run(ctx, Config{World: w, Structure: structures[v.Structure], Policy: v.Policy, Strategy: strat,
					Params: v.Params, Terms: x.Terms, Seed: x.Seed, Replicate: r.Replicate, PerSchool: x.PerSchool})
				if err != nil {
					err = fmt.Errorf("run %d (variant %s, replicate %d): %w", r.Run, v.Name, r.Replicate, err)
				}
				select {
				case results <- done{k, res, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for k := range runs {
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	pending := map[int]*Result{}
	next, finished := 0, 0
	var firstErr error
	for d := range results {
		if d.err != nil {
			if firstErr == nil {
				firstErr = d.err
				cancel()
			}
			continue
		}
		if firstErr != nil {
			continue
		}
		pending[d.k] = d.res
		finished++
		if opts.Progress != nil {
			opts.Progress(finished, len(runs))
		}
		for pending[next] != nil {
			emit(runs[next], pending[next])
			delete(pending, next)
			next++
		}
	}
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

type metricRow struct {
	run, variant, replicate, term int
	metric                        string
	value                         float64
}

func runRows(x *Experiment, r RunSpec, res *Result) []metricRow {
	out := make([]metricRow, 0, len(res.Terms)*len(res.Metrics))
	for t, row := range res.Terms {
		for k, m := range res.Metrics {
			out = append(out, metricRow{r.Run, r.Variant, r.Replicate, t, m, row[k]})
		}
	}
	return out
}

func writeRows(w io.Writer, x *Experiment, rows []metricRow) {
	for _, m := range rows {
		fmt.Fprintf(w, "%d,%s,%d,%d,%s,%s\n", m.run, csvField(x.Variants[m.variant].Name), m.replicate, m.term, m.metric, ftoa(m.value))
	}
}

func ftoa(f float64) string {
	if math.IsNaN(f) {
		return "NA"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// writeTables writes variants.csv and summary.csv from the metric rows of
// a whole experiment.
func writeTables(dir string, x *Experiment, rows []metricRow) error {
	var vb bytes.Buffer
	cw := csv.NewWriter(&vb)
	cw.Write(append([]string{"variant", "structure", "policy", "strategy"}, ParamNames()...))
	for _, v := range x.Variants {
		cw.Write(append([]string{v.Name, v.Structure, v.PolicyName, v.Strategy}, v.Params.values()...))
	}
	cw.Flush()
	if err := writeFileAtomic(filepath.Join(dir, VariantsFile), vb.Bytes()); err != nil {
		return err
	}
	// Group by variant, term and metric, in first-seen order.
	type key struct {
		variant, term int
		metric        string
	}
	var order []key
	vals := map[key][]float64{}
	for _, r := range rows {
		k := key{r.variant, r.term, r.metric}
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = append(vals[k], r.value)
	}
	slices.SortStableFunc(order, func(a, b key) int {
		if a.variant != b.variant {
			return a.variant - b.variant
		}
		return a.term - b.term
	})
	var sb bytes.Buffer
	sb.WriteString("variant,term,metric,n,mean,sd,ci95_low,ci95_high\n")
	for _, k := range order {
		n, mean, sd, lo, hi := summarise(vals[k])
		fmt.Fprintf(&sb, "%s,%d,%s,%d,%s,%s,%s,%s\n", csvField(x.Variants[k.variant].Name), k.term, k.metric, n, ftoa(mean), ftoa(sd), ftoa(lo), ftoa(hi))
	}
	return writeFileAtomic(filepath.Join(dir, SummaryFile), sb.Bytes())
}

// summarise returns the count of defined values, their mean, standard
// deviation and the 95% t interval of the mean (NaN where undefined).
func summarise(v []float64) (n int, mean, sd, lo, hi float64) {
	var s float64
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return 0, math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	mean = s / float64(n)
	if n < 2 {
		return n, mean, math.NaN(), math.NaN(), math.NaN()
	}
	var ss float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	sd = math.Sqrt(ss / float64(n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	h := t * sd / math.Sqrt(float64(n))
	return n, mean, sd, mean - h, mean + h
}

// Merge joins the output directories of the shards of one experiment into
// dir, writing exactly the bytes one Execute of the whole experiment
// writes. It checks that the shards ran the same experiment file (by
// SHA-256), that every shard 1..n is present once, and that every run is
// present once; it fails with ErrInvalid naming what is wrong otherwise.
func Merge(x *Experiment, dir string, shardDirs []string) error {
	sum := sha256.Sum256(x.Source)
	want := hex.EncodeToString(sum[:])
	total := len(x.Runs())
	blocks := make([][]byte, total)
	schoolBlocks := make([][]byte, total)
	seen := map[int]string{}
	count := 0
	for _, sd := range shardDirs {
		b, err := os.ReadFile(filepath.Join(sd, ShardFile))
		if err != nil {
			return fmt.Errorf("simulation: merge: %w: %s is not a shard's output: %v", ErrInvalid, sd, unwrapPath(err))
		}
		var info shardInfo
		if err := json.Unmarshal(b, &info); err != nil {
			return fmt.Errorf("simulation: merge: %w: %s: %v", ErrInvalid, filepath.Join(sd, ShardFile), err)
		}
		if info.SHA256 != want {
			return fmt.Errorf("simulation: merge: %w: %s ran a different experiment file (sha256 %s, want %s)", ErrInvalid, sd, info.SHA256, want)
		}
		if count == 0 {
			count = info.Count
		} else if info.Count != count {
			return fmt.Errorf("simulation: merge: %w: %s is shard %d/%d but others are of %d", ErrInvalid, sd, info.Index, info.Count, count)
		}
		if prev, dup := seen[info.Index]; dup {
			return fmt.Errorf("simulation: merge: %w: shard %d/%d appears twice (%s and %s)", ErrInvalid, info.Index, info.Count, prev, sd)
		}
		seen[info.Index] = sd
		if err := readBlocks(filepath.Join(sd, MetricsFile), blocks, metricsHeader); err != nil {
			return err
		}
		if x.PerSchool {
			if err := readBlocks(filepath.Join(sd, SchoolsFile), schoolBlocks, "run,variant,replicate,term,urn,effectiveness,level,rating"); err != nil {
				return err
			}
		}
	}
	for i := 1; i <= count; i++ {
		if _, ok := seen[i]; !ok {
			return fmt.Errorf("simulation: merge: %w: shard %d/%d is missing", ErrInvalid, i, count)
		}
	}
	for r, b := range blocks {
		if b == nil {
			return fmt.Errorf("simulation: merge: %w: run %d is missing from every shard", ErrInvalid, r)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	out := append([]byte("run,variant,replicate,term,metric,value\n"), bytes.Join(blocks, nil)...)
	if err := writeFileAtomic(filepath.Join(dir, MetricsFile), out); err != nil {
		return err
	}
	if x.PerSchool {
		out := append([]byte("run,variant,replicate,term,urn,effectiveness,level,rating\n"), bytes.Join(schoolBlocks, nil)...)
		if err := writeFileAtomic(filepath.Join(dir, SchoolsFile), out); err != nil {
			return err
		}
	}
	rows, err := readMetrics(x, filepath.Join(dir, MetricsFile))
	if err != nil {
		return err
	}
	return writeTables(dir, x, rows)
}

// readBlocks splits a shard's CSV into each run's lines.
func readBlocks(name string, blocks [][]byte, header string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("simulation: merge: %w", err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) == 0 || strings.TrimSpace(string(lines[0])) != header {
		return &csvx.Error{File: name, Line: 1, Err: fmt.Errorf("%w: the header is not %q", ErrInvalid, header)}
	}
	for i, l := range lines[1:] {
		if len(l) == 0 {
			continue
		}
		c := bytes.IndexByte(l, ',')
		r, err := strconv.Atoi(string(l[:max(c, 0)]))
		if c < 0 || err != nil || r < 0 || r >= len(blocks) {
			return &csvx.Error{File: name, Line: i + 2, Column: 1, Field: "run",
				Err: fmt.Errorf("%w: not the number of a run of the experiment (0 to %d)", ErrInvalid, len(blocks)-1)}
		}
		blocks[r] = append(blocks[r], l...)
	}
	return nil
}

// readMetrics reads a metrics.csv written for x (the merge of shards that
// may have been copied or edited on the way). Every problem is reported in
// one pass, as a csvx.ErrorList of positioned errors wrapping ErrInvalid.
func readMetrics(x *Experiment, name string) ([]metricRow, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := csvx.NewReader(name, f, nil)
	if err != nil {
		return nil, invalidAt(err)
	}
	var cols [6]csvx.Col
	var errs csvx.ErrorList
	for k, n := range strings.Split(metricsHeader, ",") {
		if cols[k] = r.Col(n); !cols[k].Found() {
			errs = append(errs, r.Errorf(csvx.Col{}, "%w: no column %q", ErrInvalid, n))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	variants := map[string]int{}
	for i, v := range x.Variants {
		variants[v.Name] = i
	}
	var out []metricRow
	for r.Next() {
		row := metricRow{value: math.NaN()}
		ok := true
		for k, dst := range []*int{&row.run, nil, &row.replicate, &row.term} {
			if dst == nil {
				continue
			}
			n, err := strconv.Atoi(r.Field(cols[k]))
			if err != nil || n < 0 {
				errs = append(errs, r.Errorf(cols[k], "%w: %q is not a count", ErrInvalid, r.Field(cols[k])))
				ok = false
			}
			*dst = n
		}
		v, found := variants[r.Field(cols[1])]
		if !found {
			errs = append(errs, r.Errorf(cols[1], "%w: variant %q is not in the experiment", ErrInvalid, r.Field(cols[1])))
			ok = false
		}
		row.variant = v
		if s := r.Field(cols[5]); s != "NA" {
			if row.value, err = strconv.ParseFloat(s, 64); err != nil {
				errs = append(errs, r.Errorf(cols[5], "%w: %q is not a number or NA", ErrInvalid, s))
				ok = false
			}
		}
		row.metric = strings.Clone(r.Field(cols[4]))
		if ok {
			out = append(out, row)
		}
	}
	if err := r.Err(); err != nil {
		return nil, invalidAt(err)
	}
	for _, e := range r.Skipped() {
		errs = append(errs, invalid(e))
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// metricsHeader is the header of metrics.csv.
const metricsHeader = "run,variant,replicate,term,metric,value"

// invalid returns e also wrapping ErrInvalid: a file the program wrote
// that does not read back (its CSV syntax, its shape) is invalid input.
func invalid(e *csvx.Error) *csvx.Error {
	c := *e
	c.Err = fmt.Errorf("%w: %w", ErrInvalid, e.Err)
	return &c
}

// invalidAt applies invalid to a *csvx.Error, and wraps any other error
// (I/O) as it is.
func invalidAt(err error) error {
	var e *csvx.Error
	if errors.As(err, &e) {
		return invalid(e)
	}
	return fmt.Errorf("simulation: %w", err)
}

type atomicFile struct {
	f    *os.File
	name string
	done bool
}

func newAtomic(name string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{f: f, name: name}, nil
}

func (a *atomicFile) commit() error {
	if err := a.f.Close(); err != nil {
		return err
	}
	a.done = true
	return os.Rename(a.f.Name(), a.name)
}

func (a *atomicFile) abort() {
	if !a.done {
		a.f.Close()
		os.Remove(a.f.Name())
	}
}

func writeFileAtomic(name string, b []byte) error {
	a, err := newAtomic(name)
	if err != nil {
		return err
	}
	defer a.abort()
	if _, err := a.f.Write(b); err != nil {
		return err
	}
	return a.commit()
}

// Elapsed formats a progress line: runs done, rate and time left.
func Elapsed(done, total int, since time.Duration) string {
	rate := float64(done) / since.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
	return fmt.Sprintf("%d/%d runs, %.2f runs/s, %s left", done, total, rate, left)
}
