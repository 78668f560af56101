package riskpolicy_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

var england7 struct {
	once      sync.Once
	cur, hist []byte
	err       error
}

// englandData returns the synthetic indicators of every open state-funded
// school in England with seven terms (the current one and six in
// history), as fulcrum risk synth --periods 7 writes them; it skips when
// the England extracts are absent.
func englandData(b *testing.B) (cur, hist []byte) {
	b.Helper()
	dir := rawdata.Dir(b)
	if dir == "" {
		b.Skip("the England extracts (../shared/data/raw) are absent")
	}
	england7.once.Do(func() {
		res, err := england.Load(context.Background(), dir, &england.Options{Lenient: true})
		if err != nil {
			england7.err = err
			return
		}
		m, err := res.Model()
		if err != nil {
			england7.err = err
			return
		}
		var c, h bytes.Buffer
		if _, err := synth.Write(context.Background(), m, &c, &h, &synth.Options{Seed: 1, Periods: 7}); err != nil {
			england7.err = err
			return
		}
		england7.cur, england7.hist = c.Bytes(), h.Bytes()
	})
	if england7.err != nil {
		b.Fatal(england7.err)
	}
	return england7.cur, england7.hist
}

// BenchmarkEngland measures, over every open state-funded school in
// England with seven terms of history, reading the two CSV files against
// a policy (the data contract included), and the whole evaluation (read,
// bind, evaluate) under two realistic policies: trust-at-risk (history
// functions trend and count, for: 2, exit conditions with hysteresis,
// rules.NAME, list comprehensions that need full CEL, schools never
// inspected) and la-five-levels (five levels, hysteresis with rules.NAME
// in exit conditions). Targets: read under 1 s, read+evaluate under 2 s.
func BenchmarkEngland(b *testing.B) {
	cur, hist := englandData(b)
	ctx := context.Background()
	for _, name := range []string{"trust-at-risk", "la-five-levels"} {
		p, err := riskpolicy.Builtin(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("read/"+name, func(b *testing.B) {
			defer reportCPU(b)()
			b.ReportAllocs()
			b.SetBytes(int64(len(cur) + len(hist)))
			for b.Loop() {
				if _, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur), "history.csv", bytes.NewReader(hist), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("eval/"+name, func(b *testing.B) {
			defer reportCPU(b)()
			b.ReportAllocs()
			for b.Loop() {
				d, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur), "history.csv", bytes.NewReader(hist), nil)
				if err != nil {
					b.Fatal(err)
				}
				as, err := p.EvaluateAll(ctx, d.Source, &riskpolicy.EvalOptions{At: at})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.Coverage(ctx, d.Source, as); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
