package flow_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

// BenchmarkAssignment solves the standard brokerage instances (see
// flowgen.Sizes), loose and tight. Run with
//
//	go test -run '^$' -bench Assignment -benchtime 5x ./flow
func BenchmarkAssignment(b *testing.B) {
	for _, size := range flowgen.Sizes {
		for _, tight := range []bool{false, true} {
			name := size.Name + "/loose"
			if tight {
				name = size.Name + "/tight"
			}
			b.Run(name, func(b *testing.B) {
				a := flowgen.Generate(flowgen.Config{Needs: size.Needs, Providers: size.Providers, Tight: tight, Seed: 1})
				b.ReportMetric(float64(a.NumArcs())/float64(size.Needs), "arcs/need")
				var res *flow.AssignmentResult
				b.ResetTimer()
				for range b.N {
					var err error
					res, err = a.Solve(context.Background())
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(res.Unmet), "unmet")
				if testing.Verbose() {
					fmt.Printf("%s cost %d\n", name, res.Cost)
				}
			})
		}
	}
}

// BenchmarkGeneral solves the smallest instances with the general solver,
// for comparison with BenchmarkAssignment.
func BenchmarkGeneral(b *testing.B) {
	for _, tight := range []bool{false, true} {
		b.Run(fmt.Sprint("500x300/tight=", tight), func(b *testing.B) {
			g := flowgen.Generate(flowgen.Config{Needs: 500, Providers: 300, Tight: tight, Seed: 1}).Network()
			b.ResetTimer()
			for range b.N {
				if _, err := g.SolveGeneral(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGeneralNetworks solves the general instances (flowgen.General)
// with the network simplex. Run with
//
//	go test -run '^$' -bench GeneralNetworks -benchtime 3x -cpu 1 ./flow
func BenchmarkGeneralNetworks(b *testing.B) {
	for _, n := range flowgen.GeneralSizes {
		b.Run(fmt.Sprint("g", n), func(b *testing.B) {
			g := flowgen.General(flowgen.GeneralConfig{Nodes: n, Seed: 1})
			var f *flow.Flow
			b.ResetTimer()
			for range b.N {
				var err error
				if f, err = g.SolveGeneral(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if testing.Verbose() {
				fmt.Printf("g%d cost %d\n", n, f.Cost)
			}
		})
	}
}

// BenchmarkCliff solves the largest loose brokerage instance written as a
// flow network with one provider's fee set to 1 (its provider-to-sink arc
// costs 1): before the fast path took fees, this fell to the general
// solver. Run with
//
//	go test -run '^$' -bench Cliff -benchtime 3x -cpu 1 ./flow
func BenchmarkCliff(b *testing.B) {
	g := flowgen.Generate(flowgen.Config{Needs: 20000, Providers: 10000, Seed: 1}).Network()
	cliff := flow.NewNetwork(g.NumNodes())
	for v := range g.NumNodes() {
		cliff.SetSupply(v, g.Supply(v))
	}
	done := false
	for k := range g.NumArcs() {
		a := g.Arc(k)
		if a.To == 0 && a.From > 20000 && !done {
			a.Cost, done = 1, true
		}
		cliff.AddArc(a)
	}
	if _, _, ok := cliff.Assignment(); !ok {
		b.Fatal("the cliff instance is not on the fast path")
	}
	b.ResetTimer()
	for range b.N {
		if _, err := cliff.Solve(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDIMACS reads the largest brokerage instance from a file
// (about 48 MB). Run with
//
//	go test -run '^$' -bench ParseDIMACS -benchtime 3x -benchmem -cpu 1 ./flow
func BenchmarkParseDIMACS(b *testing.B) {
	name := filepath.Join(b.TempDir(), "20000x10000.min")
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	g := flowgen.Generate(flowgen.Config{Needs: 20000, Providers: 10000, Seed: 1}).Network()
	if err := flow.WriteDIMACS(f, g); err != nil {
		b.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(name)
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for range b.N {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := flow.ParseDIMACS(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
