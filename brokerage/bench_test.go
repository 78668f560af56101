package brokerage_test

import (
	"context"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// BenchmarkMatch matches the real instance built from the embedded
// regional subset with each strategy, constraints and scoring included:
//
//	go test -run '^$' -bench Match ./brokerage
func BenchmarkMatch(b *testing.B) {
	res, err := england.LoadEmbedded(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	m, err := res.Model()
	if err != nil {
		b.Fatal(err)
	}
	needs, offers := brokerage.FromInspections(m, nil)
	for _, s := range []brokerage.Strategy{brokerage.Optimal{}, brokerage.Stable{}, brokerage.Greedy{}} {
		b.Run(s.Name(), func(b *testing.B) {
			br := brokerage.NewBroker(brokerage.WithStrategy(s))
			var met int
			for range b.N {
				r, err := br.Match(context.Background(), needs, offers)
				if err != nil {
					b.Fatal(err)
				}
				met = r.Met
			}
			b.ReportMetric(float64(met), "met")
			b.ReportMetric(float64(len(needs)), "needs")
		})
	}
}
