package simulation

import (
	"context"
	"runtime"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// TestRetainedBytesPerSchool measures what a run keeps alive beyond the
// shared world and structure after 30 terms (state, working space, the
// memoised levels, compiled networks, metrics), with the heap measured
// after a collection: under 200 bytes per school, for a world of England's
// size (the memoised levels grow more slowly than the schools: about 6,000
// for all England, 3,800 for 5,000 schools).
func TestRetainedBytesPerSchool(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what the heap holds")
	}
	w := Generate(GenerateOptions{Schools: 20000, Seed: 1})
	st := Trusts(w)
	pol, err := riskpolicy.Builtin("ofsted-concern")
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cfg := Config{World: w, Structure: st, Policy: pol, Strategy: brokerage.Optimal{}, Params: DefaultParams(), Terms: 30, Seed: 1}
	e, err := newEngine(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.record()
	for k := 1; k <= cfg.Terms; k++ {
		if err := e.step(context.Background(), k); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(w.Schools))
	runtime.KeepAlive(e)
	t.Logf("%.0f bytes retained per school (StateBytes %d)", per, StateBytes(w))
	if per > 200 {
		t.Errorf("a run retains %.0f bytes per school, over 200", per)
	}
}
