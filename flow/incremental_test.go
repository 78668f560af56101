package flow_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// TestIncrementalMatchesGeneral builds a random problem with a penalty arc
// from the source to every node that has a demand, solves it, then closes
// and adds arcs (of any cost) and solves again, each time comparing the
// cost with Network.SolveGeneral on the same problem solved from nothing.
func TestIncrementalMatchesGeneral(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 9).Draw(t, "n")
		g := flow.NewIncremental(n, 0)
		type arc struct {
			u, v      int
			cap       int32
			cost      int64
			closed    bool
			permanent bool
		}
		var arcs []arc
		add := func(u, v int, c int32, cost int64, permanent bool) {
			g.AddArc(u, v, c, cost)
			arcs = append(arcs, arc{u, v, c, cost, false, permanent})
		}
		demand := make([]int64, n)
		for v := 1; v < n; v++ {
			demand[v] = int64(rapid.IntRange(0, 3).Draw(t, "demand"))
			g.AddDemand(v, demand[v])
			add(0, v, 3, 1000, true) // the penalty arc keeps every demand feasible
		}
		for range rapid.IntRange(0, 20).Draw(t, "arcs") {
			add(rapid.IntRange(0, n-1).Draw(t, "u"), rapid.IntRange(0, n-1).Draw(t, "v"),
				int32(rapid.IntRange(0, 3).Draw(t, "cap")), int64(rapid.IntRange(0, 50).Draw(t, "cost")), false)
		}
		check := func() {
			require.NoError(t, g.Solve(context.Background()))
			net := flow.NewNetwork(n)
			var total int64
			for v := 1; v < n; v++ {
				net.SetSupply(v, -demand[v])
				total += demand[v]
			}
			net.SetSupply(0, total)
			for k, a := range arcs {
				f := g.Flow(k)
				require.GreaterOrEqual(t, f, int32(0))
				if a.closed {
					require.Zero(t, f, "a closed arc carries no flow")
					continue
				}
				require.LessOrEqual(t, f, a.cap)
				if a.u != a.v {
					net.AddArc(flow.Arc{From: a.u, To: a.v, Cap: int64(a.cap), Cost: a.cost})
				}
			}
			want, err := net.SolveGeneral(context.Background())
			require.NoError(t, err)
			got := g.Cost()
			for k, a := range arcs {
				if a.u == a.v {
					got -= int64(g.Flow(k)) * a.cost
				}
			}
			require.Equal(t, want.Cost, got)
			// Flow is conserved: each node receives its demand.
			bal := make([]int64, n)
			for k, a := range arcs {
				bal[a.v] += int64(g.Flow(k))
				bal[a.u] -= int64(g.Flow(k))
			}
			for v := 1; v < n; v++ {
				require.Equal(t, demand[v], bal[v], "node %d", v)
			}
		}
		check()
		for range rapid.IntRange(0, 4).Draw(t, "changes") {
			if rapid.Bool().Draw(t, "close") {
				k := rapid.IntRange(0, len(arcs)-1).Draw(t, "k")
				if !arcs[k].permanent {
					g.Close(k)
					arcs[k].closed = true
				}
			} else {
				add(rapid.IntRange(0, n-1).Draw(t, "u2"), rapid.IntRange(0, n-1).Draw(t, "v2"),
					int32(rapid.IntRange(0, 3).Draw(t, "cap2")), int64(rapid.IntRange(-20, 50).Draw(t, "cost2")), false)
			}
			if rapid.Bool().Draw(t, "clone") {
				g = g.Clone()
			}
			check()
		}
	})
}
