package simulation

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Transitions are the statistics calibration matches: the matrix of
// transitions between consecutive graded inspections of a school (rows the
// earlier judgement, columns the later, outstanding first) and the
// distribution of judgements over all graded inspections.
type Transitions struct {
	Counts [4][4]float64
	Grades [4]float64
}

// Row returns row r (0 outstanding .. 3 inadequate) as shares.
func (t *Transitions) Row(r int) [4]float64 {
	var out [4]float64
	s := 0.0
	for _, c := range t.Counts[r] {
		s += c
	}
	for k, c := range t.Counts[r] {
		if s > 0 {
			out[k] = c / s
		}
	}
	return out
}

// Distribution returns the grade distribution as shares.
func (t *Transitions) Distribution() [4]float64 {
	var out [4]float64
	s := t.Grades[0] + t.Grades[1] + t.Grades[2] + t.Grades[3]
	for k, c := range t.Grades {
		if s > 0 {
			out[k] = c / s
		}
	}
	return out
}

// String formats the matrix and distribution as a table.
func (t *Transitions) String() string {
	var b strings.Builder
	names := []string{"outstanding", "good", "req. improvement", "inadequate"}
	fmt.Fprintf(&b, "%-18s %11s %11s %11s %11s %9s\n", "from \\ to", "outstanding", "good", "RI", "inadequate", "pairs")
	for r := range 4 {
		row := t.Row(r)
		n := t.Counts[r][0] + t.Counts[r][1] + t.Counts[r][2] + t.Counts[r][3]
		fmt.Fprintf(&b, "%-18s %11.3f %11.3f %11.3f %11.3f %9.0f\n", names[r], row[0], row[1], row[2], row[3], n)
	}
	d := t.Distribution()
	fmt.Fprintf(&b, "%-18s %11.3f %11.3f %11.3f %11.3f %9.0f\n", "all judgements", d[0], d[1], d[2], d[3], t.Grades[0]+t.Grades[1]+t.Grades[2]+t.Grades[3])
	return b.String()
}

// Distance returns the total variation distance of each row of a from the
// same row of b, and of the grade distributions.
func (t *Transitions) Distance(o *Transitions) (rows [4]float64, grades float64) {
	tv := func(p, q [4]float64) float64 {
		s := 0.0
		for k := range p {
			s += math.Abs(p[k] - q[k])
		}
		return s / 2
	}
	for r := range 4 {
		rows[r] = tv(t.Row(r), o.Row(r))
	}
	return rows, tv(t.Distribution(), o.Distribution())
}

// RealTransitions computes the statistics from the graded inspections of
// the world's schools in its model (each school's history with its
// predecessors', partnership.Model.Inspections), or of the schools
// idx picks (with repeats, for the bootstrap; nil means all). A pair is
// two consecutive inspections that both gave an overall judgement: an
// inspection without one (key judgements only, a report card) counts in
// neither the pairs nor the distribution, and breaks the chain, so the
// judgements either side of it are not paired as if consecutive.
func RealTransitions(w *World, idx []int) (*Transitions, error) {
	m := w.Model()
	if m == nil {
		return nil, fmt.Errorf("simulation: calibration: %w: the world has no inspection history (a generated world)", ErrInvalid)
	}
	if idx == nil {
		idx = make([]int, len(w.Schools))
		for i := range idx {
			idx[i] = i
		}
	}
	t := &Transitions{}
	for _, i := range idx {
		h := m.Inspections(w.Schools[i].URN) // newest first
		prev := 0
		for k := len(h) - 1; k >= 0; k-- {
			r := int(h[k].Overall)
			if r < 1 || r > 4 {
				prev = 0
				continue
			}
			t.Grades[r-1]++
			if prev > 0 {
				t.Counts[prev-1][r-1]++
			}
			prev = r
		}
	}
	return t, nil
}

// SimulatedTransitions runs the model with interventions off on w for
// terms terms (replicates runs) and computes the statistics from its
// simulated inspections. A school's first simulated inspection is paired
// with its real latest inspection when that gave an overall judgement, as
// the real history's pairs are; not when the latest gave none.
func SimulatedTransitions(ctx context.Context, w *World, p Params, terms, replicates int, seed uint64) (*Transitions, error) {
	t := &Transitions{}
	for rep := range replicates {
		res, err := Run(ctx, Config{World: w, Params: p, Terms: terms, Seed: seed, Replicate: rep, NoInterventions: true, Inspections: true})
		if err != nil {
			return nil, err
		}
		last := make([]int, len(w.Schools))
		for i, s := range w.Schools {
			if len(s.History) > 0 && s.History[0].Overall != partnership.RatingNone {
				last[i] = int(s.History[0].Overall)
			}
		}
		for _, in := range res.Inspections {
			r := int(in.Rating)
			t.Grades[r-1]++
			if last[in.School] > 0 {
				t.Counts[last[in.School]-1][r-1]++
			}
			last[in.School] = r
		}
	}
	return t, nil
}

// CalibrateOptions control Calibrate.
type CalibrateOptions struct {
	// Terms and Replicates size each simulation (default 45 terms, the 15
	// years of the Ofsted history, and 2 replicates).
	Terms, Replicates int
	// Bootstrap is how many bootstrap refits estimate the uncertainty
	// (default 0: none).
	Bootstrap int
	// MaxEvaluations bounds each fit (default 400).
	MaxEvaluations int
	Seed           uint64
	// Log, if set, receives progress lines.
	Log func(string)
}

// Calibration is the result of Calibrate.
type Calibration struct {
	Params    Params
	Real, Sim *Transitions
	// Objective is the fitted loss: the mean total-variation distance over
	// the four rows plus that of the grade distribution.
	Objective float64
	// SD holds the bootstrap standard deviation of each calibrated
	// parameter, by name (empty without a bootstrap).
	SD map[string]float64
}

// calibrated are the fitted parameters, in ParamTable order.
func calibrated() []string {
	var out []string
	for _, s := range specs {
		if s.calibrated {
			out = append(out, s.name)
		}
	}
	return out
}

// Calibrate fits the calibrated parameters (ParamTable's Calibrated ones:
// persistence, school effect, inspection noise, the three cut points and
// the system's response to requires improvement and inadequate) by the
// simulated method of moments: Nelder-Mead (gonum/optimize) minimises the
// mean total-variation distance between the real and simulated rows of
// the transition matrix plus that of the grade distribution, with the
// random numbers held fixed across evaluations (common random numbers) so
// the loss is a deterministic function of the parameters. The other
// parameters keep start's values. With opts.Bootstrap > 0 the fit is
// repeated on bootstrap resamples of the schools (their whole histories)
// and each parameter's standard deviation across the refits is reported.
func Calibrate(ctx context.Context, w *World, start Params, opts CalibrateOptions) (*Calibration, error) {
	if opts.Terms <= 0 {
		opts.Terms = 45
	}
	if opts.Replicates <= 0 {
		opts.Replicates = 2
	}
	if opts.MaxEvaluations <= 0 {
		opts.MaxEvaluations = 400
	}
	real, err := RealTransitions(w, nil)
	if err != nil {
		return nil, err
	}
	best, loss, err := fit(ctx, w, real, start, opts)
	if err != nil {
		return nil, err
	}
	c := &Calibration{Params: best, Real: real, Objective: loss, SD: map[string]float64{}}
	if c.Sim, err = SimulatedTransitions(ctx, w, best, opts.Terms, opts.Replicates, opts.Seed); err != nil {
		return nil, err
	}
	if opts.Bootstrap > 0 {
		r := rand.New(rand.NewPCG(opts.Seed, 0xb0075))
		names := calibrated()
		sums, sqs := make([]float64, len(names)), make([]float64, len(names))
		for b := range opts.Bootstrap {
			idx := make([]int, len(w.Schools))
			for i := range idx {
				idx[i] = r.IntN(len(idx))
			}
			rt, _ := RealTransitions(w, idx)
			bo := opts
			bo.MaxEvaluations = opts.MaxEvaluations / 2
			pb, _, err := fit(ctx, w, rt, best, bo)
			if err != nil {
				return nil, err
			}
			for k, n := range names {
				v, _ := pb.Get(n)
				sums[k] += v
				sqs[k] += v * v
			}
			if opts.Log != nil {
				opts.Log(fmt.Sprintf("bootstrap %d/%d done", b+1, opts.Bootstrap))
			}
		}
		nb := float64(opts.Bootstrap)
		for k, n := range names {
			m := sums[k] / nb
			c.SD[n] = math.Sqrt(max(0, sqs[k]/nb-m*m) * nb / max(1, nb-1))
		}
	}
	return c, nil
}

func fit(ctx context.Context, w *World, real *Transitions, start Params, opts CalibrateOptions) (Params, float64, error) {
	names := calibrated()
	x0 := make([]float64, len(names))
	for k, n := range names {
		x0[k], _ = start.Get(n)
	}
	var runErr error
	loss := func(x []float64) float64 {
		p := start
		for k, n := range names {
			if err := p.Set(n, x[k]); err != nil {
				return 10 // out of range: worse than any real fit
			}
		}
		if p.Validate() != nil {
			return 10
		}
		sim, err := SimulatedTransitions(ctx, w, p, opts.Terms, opts.Replicates, opts.Seed)
		if err != nil {
			runErr = err
			return math.NaN()
		}
		rows, g := real.Distance(sim)
		return (rows[0]+rows[1]+rows[2]+rows[3])/4 + g
	}
	evals := 0
	bestX, bestF := slices.Clone(x0), math.Inf(1)
	res, err := optimize.Minimize(optimize.Problem{Func: func(x []float64) float64 {
		evals++
		v := loss(x)
		if v < bestF {
			bestX, bestF = slices.Clone(x), v
		}
		if opts.Log != nil && evals%25 == 0 {
			opts.Log(fmt.Sprintf("evaluation %d: loss %.4f", evals, v))
		}
		return v
	}}, x0, &optimize.Settings{FuncEvaluations: opts.MaxEvaluations}, &optimize.NelderMead{SimplexSize: 0.1})
	if runErr != nil {
		return Params{}, 0, runErr
	}
	if res == nil && math.IsInf(bestF, 1) {
		return Params{}, 0, fmt.Errorf("simulation: calibration: %w", err)
	}
	// The best point evaluated, whatever stopped the search (gonum reports
	// reaching the evaluation limit as an error).
	p := start
	for k, n := range names {
		if err := p.Set(n, bestX[k]); err != nil {
			return Params{}, 0, err
		}
	}
	return p, bestF, nil
}
