package simulation_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

var englandWorld struct {
	once sync.Once
	w    *simulation.World
	err  error
}

// englandWorldFor returns the world of every open state-funded school in
// England (shared/data/raw), or the embedded region when the data is absent.
func englandWorldFor(b testing.TB) *simulation.World {
	englandWorld.once.Do(func() {
		dir := rawdata.Dir(b)
		if dir == "" {
			englandWorld.w, englandWorld.err = regionOnce()
			return
		}
		r, err := england.Load(context.Background(), dir, &england.Options{Lenient: true})
		if err != nil {
			englandWorld.err = err
			return
		}
		m, err := r.Model()
		if err != nil {
			englandWorld.err = err
			return
		}
		englandWorld.w, englandWorld.err = simulation.NewWorld(m, time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC), dir)
	})
	if englandWorld.err != nil {
		b.Fatal(englandWorld.err)
	}
	return englandWorld.w
}

// BenchmarkEnglandReplicate is one full-England replicate: about 22,000
// schools, 30 terms, the risk policy and brokerage every term, peer-review
// clusters once a year, in the trusts of the data.
func BenchmarkEnglandReplicate(b *testing.B) {
	w := englandWorldFor(b)
	pol, err := riskpolicy.Builtin("ofsted-concern")
	if err != nil {
		b.Fatal(err)
	}
	st := simulation.Trusts(w)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		_, err := simulation.Run(context.Background(), simulation.Config{World: w, Structure: st, Policy: pol,
			Strategy: brokerage.Optimal{}, Params: simulation.DefaultParams(), Terms: 30, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(len(w.Schools)), "schools")
	b.ReportMetric(float64(simulation.StateBytes(w)), "state-bytes/school")
}

// BenchmarkEnglandReplicates runs four full-England replicates on
// GOMAXPROCS workers: compare ns/op at -cpu 1 and -cpu 2 for the scaling,
// beside BenchmarkCPUControl run at the same moment.
func BenchmarkEnglandReplicates(b *testing.B) {
	w := englandWorldFor(b)
	pol, err := riskpolicy.Builtin("ofsted-concern")
	if err != nil {
		b.Fatal(err)
	}
	st := simulation.Trusts(w)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		onWorkers(4, func(rep int) {
			if _, err := simulation.Run(context.Background(), simulation.Config{World: w, Structure: st, Policy: pol,
				Strategy: brokerage.Optimal{}, Params: simulation.DefaultParams(), Terms: 30, Seed: 1, Replicate: rep}); err != nil {
				b.Error(err)
			}
		})
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N)/4, "cpu-s/replicate")
}

// BenchmarkCPUControl is the control for BenchmarkEnglandReplicates: four
// jobs of pure arithmetic (no memory traffic, no allocation) on the same
// workers. Its speed-up from -cpu 1 to -cpu 2 is what the machine gives
// at that moment to work that scales perfectly.
func BenchmarkCPUControl(b *testing.B) {
	var sink [4]uint64
	for b.Loop() {
		onWorkers(4, func(job int) {
			x := uint64(job) + 1
			for range 200_000_000 {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
			}
			sink[job] = x
		})
	}
	_ = sink
}

// onWorkers runs jobs 0..n-1 on GOMAXPROCS goroutines.
func onWorkers(n int, job func(int)) {
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				job(j)
			}
		}()
	}
	for j := range n {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
}
