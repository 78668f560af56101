package analysis_test

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// synthetic is an England-sized generated model, built once per test binary.
var synthetic = sync.OnceValue(func() *partnership.Model { return syntheticEngland(1) })

// benchAnalyses runs each analysis on m as a sub-benchmark.
func benchAnalyses(b *testing.B, m *partnership.Model) {
	ctx := context.Background()
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("Coverage", func() error { _, err := analysis.Coverage(m, nil); return err })
	run("Isolation", func() error { _, err := analysis.Isolation(m, nil); return err })
	run("Duplicates", func() error { _, err := analysis.Duplicates(m, nil); return err })
	run("Bridges", func() error { _, err := analysis.Bridges(ctx, m, nil); return err })
	run("BridgesWithLANetworks", func() error {
		// Local authorities' networks join each authority's maintained
		// schools into one component.
		_, err := analysis.Bridges(ctx, m, &analysis.Options{LocalAuthorityNetworks: true})
		return err
	})
	run("BridgesSampled", func() error {
		// Betweenness sampled (256 sources) in every component above 64
		// nodes, as it would be in components above the default ExactLimit.
		_, err := analysis.Bridges(ctx, m, &analysis.Options{LocalAuthorityNetworks: true, ExactLimit: 64})
		return err
	})
	run("Links", func() error { _, err := analysis.Links(ctx, m, nil); return err })
	run("Communities", func() error { _, err := analysis.Communities(ctx, m, nil); return err })
	run("CommunitiesProximity", func() error {
		_, err := analysis.Communities(ctx, m, &analysis.Options{ProximityKm: 3})
		return err
	})
	run("Families", func() error { _, err := analysis.Families(ctx, m, nil); return err })
	run("GraphML", func() error {
		g, err := analysis.NewGraph(m, nil)
		if err != nil {
			return err
		}
		return analysis.WriteGraphML(io.Discard, g)
	})
	run("DOT", func() error {
		g, err := analysis.NewGraph(m, nil)
		if err != nil {
			return err
		}
		return analysis.WriteDOT(io.Discard, g)
	})
}

// BenchmarkSynthetic runs every analysis on a generated model of England's
// size (see syntheticEngland).
func BenchmarkSynthetic(b *testing.B) { benchAnalyses(b, synthetic()) }
