package simulation

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Effect is one parameter's elementary effects on a metric (Morris 1991;
// mu* after Campolongo et al. 2007), in units of the metric per unit of
// the parameter's range.
type Effect struct {
	Param string
	// MuStar is the mean absolute elementary effect (the importance),
	// Mu the mean (its sign) and Sigma the standard deviation (non-linearity
	// or interaction).
	MuStar, Mu, Sigma float64
	// N counts the effects with a defined metric.
	N int
}

// Morris screens the parameters of x.Sensitivity on its metric at the last
// term, for its variant: Trajectories one-at-a-time paths through a grid of
// Levels levels on each parameter's range, each path starting at a random
// grid point and moving each parameter in turn (random order) by Δ =
// Levels/(2(Levels-1)) of its range, up or down to stay in range. Each
// trajectory is one replicate (its own random streams); trajectories go in
// parallel on workers (0 = GOMAXPROCS) and the result does not depend on
// it. Effects are sorted by MuStar, largest first.
func Morris(ctx context.Context, x *Experiment, w *World, workers int, progress func(done, total int)) ([]Effect, error) {
	s := x.Sensitivity
	if s == nil {
		return nil, fmt.Errorf("simulation: %w: the experiment has no sensitivity section", ErrInvalid)
	}
	vi := slices.IndexFunc(x.Variants, func(v Variant) bool { return v.Name == s.Variant })
	if vi < 0 {
		return nil, fmt.Errorf("simulation: %w: unknown variant %q", ErrNotFound, s.Variant)
	}
	v := x.Variants[vi]
	st, err := Build(v.Structure, w, x.Structure)
	if err != nil {
		return nil, err
	}
	strat, _ := NewStrategy(v.Strategy)
	k := len(s.Ranges)
	p := float64(s.Levels)
	delta := p / (2 * (p - 1))
	ee := make([][]float64, k) // per parameter, per trajectory
	for i := range ee {
		ee[i] = make([]float64, s.Trajectories)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	var firstErr error
	done := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	eval := func(traj int, u []float64) (float64, error) {
		pr := v.Params
		for i, r := range s.Ranges {
			if err := pr.Set(r.Param, r.Min+u[i]*(r.Max-r.Min)); err != nil {
				return 0, err
			}
		}
		if err := pr.Validate(); err != nil {
			return 0, err
		}
		res, err := Run(ctx, Config{World: w, Structure: st, Policy: v.Policy, Strategy: strat, Params: pr, Terms: x.Terms, Seed: x.Seed, Replicate: traj})
		if err != nil {
			return 0, err
		}
		c := slices.Index(res.Metrics, s.Metric)
		if c < 0 {
			return 0, fmt.Errorf("simulation: %w: variant %s has no metric %q (metrics: %v)", ErrInvalid, v.Name, s.Metric, res.Metrics)
		}
		return res.Terms[len(res.Terms)-1][c], nil
	}
	for range min(workers, s.Trajectories) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for traj := range jobs {
				r := rand.New(rand.NewPCG(x.Seed, uint64(traj)+0x6d6f72726973))
				u := make([]float64, k)
				for i := range u {
					u[i] = float64(r.IntN(s.Levels)) / (p - 1)
				}
				y0, err := eval(traj, u)
				for _, i := range r.Perm(k) {
					if err != nil {
						break
					}
					d := delta
					if u[i]+d > 1+1e-12 {
						d = -delta
					}
					u[i] += d
					var y1 float64
					y1, err = eval(traj, u)
					ee[i][traj] = (y1 - y0) / d
					y0 = y1
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				done++
				if progress != nil {
					progress(done, s.Trajectories)
				}
				mu.Unlock()
			}
		}()
	}
	for traj := range s.Trajectories {
		jobs <- traj
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	out := make([]Effect, k)
	for i, r := range s.Ranges {
		e := Effect{Param: r.Param}
		var sum, abs float64
		for _, v := range ee[i] {
			if !math.IsNaN(v) {
				sum += v
				abs += math.Abs(v)
				e.N++
			}
		}
		e.Mu, e.MuStar, e.Sigma = math.NaN(), math.NaN(), math.NaN()
		if e.N > 0 {
			e.Mu, e.MuStar = sum/float64(e.N), abs/float64(e.N)
		}
		if e.N > 1 {
			ss := 0.0
			for _, v := range ee[i] {
				if !math.IsNaN(v) {
					ss += (v - e.Mu) * (v - e.Mu)
				}
			}
			e.Sigma = math.Sqrt(ss / float64(e.N-1))
		}
		out[i] = e
	}
	slices.SortStableFunc(out, func(a, b Effect) int { return cmp.Compare(b.MuStar, a.MuStar) })
	return out, nil
}
