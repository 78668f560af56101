package flow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// bellmanFord solves g by cycle cancelling from a feasible flow found with
// a super source: a reference that shares no code with the solvers.
func referenceCost(t *rapid.T, g *flow.Network) (int64, bool) {
	n := g.NumNodes()
	type e struct {
		u, v      int
		cap, cost int64
	}
	var es []e
	add := func(u, v int, c, cost int64) {
		es = append(es, e{u, v, c, cost}, e{v, u, 0, -cost})
	}
	s, tt := n, n+1
	excess := make([]int64, n)
	for v := 0; v < n; v++ {
		excess[v] = g.Supply(v)
	}
	var base int64
	for k := 0; k < g.NumArcs(); k++ {
		a := g.Arc(k)
		excess[a.From] -= a.Low
		excess[a.To] += a.Low
		base += a.Low * a.Cost
		add(a.From, a.To, a.Cap-a.Low, a.Cost)
	}
	var need int64
	for v := 0; v < n; v++ {
		if excess[v] > 0 {
			add(s, v, excess[v], 0)
			need += excess[v]
		} else if excess[v] < 0 {
			add(v, tt, -excess[v], 0)
		}
	}
	// A feasible flow by shortest augmenting paths in hops, then cancel
	// negative cycles found by Bellman-Ford until none remain.
	const inf = int64(1) << 60
	N := n + 2
	for need > 0 {
		dist := make([]int64, N)
		prev := make([]int, N)
		for i := range dist {
			dist[i], prev[i] = inf, -1
		}
		dist[s] = 0
		for it := 0; it < N; it++ {
			for k, x := range es {
				// Costs are ignored here: any feasible flow will do.
				if x.cap > 0 && dist[x.u] < inf && dist[x.u]+1 < dist[x.v] {
					dist[x.v], prev[x.v] = dist[x.u]+1, k
				}
			}
		}
		if dist[tt] == inf {
			return 0, false
		}
		push := need
		for v := tt; v != s; v = es[prev[v]].u {
			push = min(push, es[prev[v]].cap)
		}
		for v := tt; v != s; v = es[prev[v]].u {
			es[prev[v]].cap -= push
			es[prev[v]^1].cap += push
		}
		need -= push
	}
	for {
		dist := make([]int64, N)
		prev := make([]int, N)
		for i := range prev {
			prev[i] = -1
		}
		last := -1
		for it := 0; it < N; it++ {
			last = -1
			for k, x := range es {
				if x.cap > 0 && dist[x.u]+x.cost < dist[x.v] {
					dist[x.v], prev[x.v] = dist[x.u]+x.cost, k
					last = x.v
				}
			}
		}
		if last < 0 {
			break
		}
		for i := 0; i < N; i++ {
			last = es[prev[last]].u
		}
		push := int64(1) << 62
		for v := last; ; {
			push = min(push, es[prev[v]].cap)
			v = es[prev[v]].u
			if v == last {
				break
			}
		}
		for v := last; ; {
			es[prev[v]].cap -= push
			es[prev[v]^1].cap += push
			v = es[prev[v]].u
			if v == last {
				break
			}
		}
	}
	cost := base
	for k := 0; k < g.NumArcs(); k++ {
		cost += es[2*k+1].cap * g.Arc(k).Cost
	}
	return cost, true
}

func randomNetwork(t *rapid.T) *flow.Network {
	n := rapid.IntRange(1, 7).Draw(t, "nodes")
	g := flow.NewNetwork(n)
	var sum int64
	for v := 0; v < n-1; v++ {
		b := rapid.Int64Range(-4, 4).Draw(t, "supply")
		g.SetSupply(v, b)
		sum += b
	}
	g.SetSupply(n-1, -sum)
	m := rapid.IntRange(0, 14).Draw(t, "arcs")
	for k := 0; k < m; k++ {
		lo := rapid.Int64Range(0, 2).Draw(t, "low")
		g.AddArc(flow.Arc{
			From: rapid.IntRange(0, n-1).Draw(t, "from"),
			To:   rapid.IntRange(0, n-1).Draw(t, "to"),
			Low:  lo,
			Cap:  lo + rapid.Int64Range(0, 6).Draw(t, "cap"),
			Cost: rapid.Int64Range(-5, 9).Draw(t, "cost"),
		})
	}
	return g
}

// checkFlow verifies conservation, bounds and the reported cost.
func checkFlow(t require.TestingT, g *flow.Network, f *flow.Flow) {
	bal := make([]int64, g.NumNodes())
	var cost int64
	require.Len(t, f.Arcs, g.NumArcs())
	for k, x := range f.Arcs {
		a := g.Arc(k)
		require.GreaterOrEqual(t, x, a.Low, "arc %d below its lower bound", k)
		require.LessOrEqual(t, x, a.Cap, "arc %d above its capacity", k)
		bal[a.From] -= x
		bal[a.To] += x
		cost += x * a.Cost
	}
	for v := range bal {
		require.Equal(t, -g.Supply(v), bal[v], "node %d not balanced", v)
	}
	require.Equal(t, cost, f.Cost)
}

// TestNetworkMatchesReference checks every general solver (the network
// simplex behind Solve and SolveGeneral, and successive shortest paths)
// against cycle cancelling, an exact reference that shares no code with
// them, on small networks with negative costs and lower bounds.
func TestNetworkMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := randomNetwork(t)
		want, ok := referenceCost(t, g)
		for name, solve := range map[string]func(context.Context) (*flow.Flow, error){
			"Solve": g.Solve, "SolveGeneral": g.SolveGeneral, "SSP": g.SolveSSP,
		} {
			f, err := solve(context.Background())
			if !ok {
				require.ErrorIs(t, err, flow.ErrInfeasible, name)
				continue
			}
			require.NoError(t, err, name)
			checkFlow(t, g, f)
			require.Equal(t, want, f.Cost, name)
		}
	})
}

// largerNetwork draws a network of up to 60 nodes and 400 arcs with
// negative costs, lower bounds and many zero-capacity and parallel arcs:
// degenerate pivots are the rule.
func largerNetwork(t *rapid.T) *flow.Network {
	n := rapid.IntRange(2, 60).Draw(t, "nodes")
	g := flow.NewNetwork(n)
	m := rapid.IntRange(0, 400).Draw(t, "arcs")
	sup := make([]int64, n)
	for k := 0; k < m; k++ {
		u, v := rapid.IntRange(0, n-1).Draw(t, "from"), rapid.IntRange(0, n-1).Draw(t, "to")
		lo := rapid.Int64Range(0, 3).Draw(t, "low")
		c := lo + rapid.Int64Range(0, 20).Draw(t, "cap")
		// A flow within the bounds on most arcs keeps most instances
		// feasible; the rest are perturbed below.
		x := rapid.Int64Range(lo, c).Draw(t, "x")
		sup[u] += x
		sup[v] -= x
		g.AddArc(flow.Arc{From: u, To: v, Low: lo, Cap: c, Cost: rapid.Int64Range(-50, 100).Draw(t, "cost")})
	}
	if rapid.IntRange(0, 4).Draw(t, "perturb") == 0 && n > 1 {
		d := rapid.Int64Range(1, 5).Draw(t, "d")
		sup[0] += d
		sup[n-1] -= d
	}
	for v, b := range sup {
		g.SetSupply(v, b)
	}
	return g
}

// TestSimplexMatchesSSP compares the network simplex with successive
// shortest paths on larger random general networks.
func TestSimplexMatchesSSP(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := largerNetwork(t)
		ns, errNS := g.SolveGeneral(context.Background())
		ssp, errSSP := g.SolveSSP(context.Background())
		if errSSP != nil {
			require.ErrorIs(t, errSSP, flow.ErrInfeasible)
			require.ErrorIs(t, errNS, flow.ErrInfeasible)
			return
		}
		require.NoError(t, errNS)
		checkFlow(t, g, ns)
		require.Equal(t, ssp.Cost, ns.Cost)
	})
}

// TestInfeasibleNamesLowerBound: the error names the DIMACS node and the
// lower bound that cannot be met.
func TestInfeasibleNamesLowerBound(t *testing.T) {
	const in = "p min 3 2\na 1 2 0 5 1\na 2 3 4 9 1\n"
	g, err := flow.ParseDIMACS(strings.NewReader(in))
	require.NoError(t, err)
	_, err = g.Solve(context.Background())
	require.ErrorIs(t, err, flow.ErrInfeasible)
	assert.Contains(t, err.Error(), "arc 2 (2 -> 3) lower bound 4")
	assert.Contains(t, err.Error(), "node 2: 4 units")
}

func randomAssignment(t *rapid.T) *flow.Assignment {
	n := rapid.IntRange(0, 7).Draw(t, "needs")
	m := rapid.IntRange(0, 4).Draw(t, "providers")
	a := flow.NewAssignment(n, m)
	for p := 0; p < m; p++ {
		a.SetCapacity(p, rapid.Int64Range(0, 3).Draw(t, "cap"))
	}
	for i := 0; i < n; i++ {
		if rapid.IntRange(0, 4).Draw(t, "haspen") > 0 {
			a.SetPenalty(i, rapid.Int64Range(0, 60).Draw(t, "penalty"))
		}
		if m > 0 {
			for k := rapid.IntRange(0, 4).Draw(t, "deg"); k > 0; k-- {
				a.AddArc(i, rapid.IntRange(0, m-1).Draw(t, "p"), rapid.Int64Range(-10, 40).Draw(t, "cost"))
			}
		}
	}
	return a
}

func TestAssignmentMatchesGeneralSolver(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := randomAssignment(t)
		g := a.Network()
		want, errG := g.SolveGeneral(context.Background())
		got, errA := a.Solve(context.Background())
		if errG != nil {
			require.ErrorIs(t, errG, flow.ErrInfeasible)
			require.ErrorIs(t, errA, flow.ErrInfeasible)
			return
		}
		require.NoError(t, errA)
		require.Equal(t, want.Cost, got.Cost)
		// The solution is an assignment within capacities.
		load := make([]int64, a.Providers())
		for i, p := range got.Provider {
			if p >= 0 {
				load[p]++
				require.GreaterOrEqual(t, got.Arc[i], 0)
			}
		}
		for p, l := range load {
			require.LessOrEqual(t, l, capacityOf(a, p), "provider %d over capacity", p)
		}
		f, err := g.Solve(context.Background())
		require.NoError(t, err)
		checkFlow(t, g, f)
		require.Equal(t, want.Cost, f.Cost)
	})
}

func capacityOf(a *flow.Assignment, p int) int64 {
	g := a.Network()
	for k := 0; k < g.NumArcs(); k++ {
		arc := g.Arc(k)
		if arc.From == 1+a.Needs()+p && arc.To == 0 {
			return arc.Cap
		}
	}
	return 0
}

func TestAssignmentExhaustive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := randomAssignment(t)
		g := a.Network()
		// Exhaustive search over every need's choice of arc or penalty.
		type opt struct {
			p    int
			cost int64
		}
		choices := make([][]opt, a.Needs())
		for k := 0; k < g.NumArcs(); k++ {
			arc := g.Arc(k)
			switch {
			case arc.From >= 1 && arc.From <= a.Needs() && arc.To > a.Needs():
				choices[arc.From-1] = append(choices[arc.From-1], opt{arc.To - 1 - a.Needs(), arc.Cost})
			case arc.From >= 1 && arc.From <= a.Needs() && arc.To == 0:
				choices[arc.From-1] = append(choices[arc.From-1], opt{-1, arc.Cost})
			}
		}
		caps := make([]int64, a.Providers())
		for p := range caps {
			caps[p] = capacityOf(a, p)
		}
		best, found := int64(0), false
		var rec func(i int, cost int64)
		rec = func(i int, cost int64) {
			if i == a.Needs() {
				if !found || cost < best {
					best, found = cost, true
				}
				return
			}
			for _, o := range choices[i] {
				if o.p >= 0 {
					if caps[o.p] == 0 {
						continue
					}
					caps[o.p]--
				}
				rec(i+1, cost+o.cost)
				if o.p >= 0 {
					caps[o.p]++
				}
			}
		}
		rec(0, 0)
		got, err := a.Solve(context.Background())
		if !found {
			require.ErrorIs(t, err, flow.ErrInfeasible)
			return
		}
		require.NoError(t, err)
		require.Equal(t, best, got.Cost)
	})
}

func TestSolveErrors(t *testing.T) {
	ctx := context.Background()
	g := flow.NewNetwork(2)
	g.SetSupply(0, 3)
	g.SetSupply(1, -3)
	g.AddArc(flow.Arc{From: 0, To: 1, Cap: 2, Cost: 1})
	_, err := g.Solve(ctx)
	require.ErrorIs(t, err, flow.ErrInfeasible)

	g = flow.NewNetwork(2)
	g.AddArc(flow.Arc{From: 0, To: 5, Cap: 2})
	_, err = g.Solve(ctx)
	require.ErrorIs(t, err, flow.ErrInvalid)

	g = flow.NewNetwork(2)
	g.AddArc(flow.Arc{From: 0, To: 1, Low: 3, Cap: 2})
	_, err = g.Solve(ctx)
	require.ErrorIs(t, err, flow.ErrInvalid)

	a := flow.NewAssignment(1, 1)
	a.AddArc(0, 3, 1)
	_, err = a.Solve(ctx)
	require.ErrorIs(t, err, flow.ErrInvalid)

	a = flow.NewAssignment(1, 1)
	a.AddArc(0, 0, 1)
	_, err = a.Solve(ctx)
	require.ErrorIs(t, err, flow.ErrInfeasible, "capacity 0 and no penalty")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	g = flow.NewNetwork(2)
	g.SetSupply(0, 1)
	g.SetSupply(1, -1)
	g.AddArc(flow.Arc{From: 0, To: 1, Cap: 1})
	_, err = g.SolveGeneral(cctx)
	assert.True(t, errors.Is(err, context.Canceled))
}

func TestParseDIMACSErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"no problem", "c nothing\n", "line 1: no problem line \"p min NODES ARCS\""},
		{"wrong type", "p max 2 1\n", "line 1: problem type \"max\", want \"min\""},
		{"arc first", "a 1 2 0 1 1\n", "line 1: arc line before the problem line"},
		{"bad node", "p min 2 1\na 1 3 0 1 1\n", "line 2: target node 3 out of range [1, 2]"},
		{"bad int", "p min 2 1\nc x\na 1 2 0 x 1\n", "line 3: capacity \"x\" is not an integer"},
		{"cap below low", "p min 2 1\na 1 2 3 1 1\n", "line 2: capacity 1 below lower bound 3"},
		{"too many arcs", "p min 2 0\na 1 2 0 1 1\n", "line 2: more arc lines than the 0 declared"},
		{"too few arcs", "p min 2 2\na 1 2 0 1 1\n", "line 2: 1 arc lines, 2 declared"},
		{"fields", "p min 2 1\nn 1\n", "line 2: node line has 2 fields, want \"n ID FLOW\""},
		{"twice", "p min 2 0\nn 1 1\nn 1 1\n", "line 3: node 1 given twice"},
		{"unknown", "p min 2 0\nx\n", "line 2: unknown line type \"x\" (want c, p, n or a)"},
		{"huge", "p min 99999999999 0\n", "line 1: node count 99999999999 out of range [0, 67108864]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := flow.ParseDIMACS(strings.NewReader(tc.in))
			var se *flow.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestDIMACSRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := randomNetwork(t)
		var b strings.Builder
		require.NoError(t, flow.WriteDIMACS(&b, g, "round trip"))
		h, err := flow.ParseDIMACS(strings.NewReader(b.String()))
		require.NoError(t, err)
		require.Equal(t, g.NumNodes(), h.NumNodes())
		require.Equal(t, g.NumArcs(), h.NumArcs())
		for k := 0; k < g.NumArcs(); k++ {
			require.Equal(t, g.Arc(k), h.Arc(k))
		}
		for v := 0; v < g.NumNodes(); v++ {
			require.Equal(t, g.Supply(v), h.Supply(v))
		}
	})
}

func FuzzParseDIMACS(f *testing.F) {
	f.Add("p min 3 2\nn 1 1\nn 3 -1\na 1 2 0 1 5\na 2 3 0 1 -2\n")
	f.Add("c comment\np min 2 1\na 1 2 0 4 3\n")
	f.Add("p min 1 1\na 1 1 0 1 -1\n")
	f.Fuzz(func(t *testing.T, in string) {
		g, err := flow.ParseDIMACS(strings.NewReader(in))
		if err != nil {
			var se *flow.SyntaxError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if g.NumNodes() > 64 || g.NumArcs() > 256 {
			return
		}
		var total int64
		for k := 0; k < g.NumArcs(); k++ {
			a := g.Arc(k)
			total += a.Cap
		}
		if total > 1<<16 {
			return
		}
		for v := 0; v < g.NumNodes(); v++ {
			if s := g.Supply(v); s > 1<<16 || s < -(1<<16) {
				return
			}
		}
		fl, err := g.Solve(context.Background())
		if err != nil {
			if !errors.Is(err, flow.ErrInfeasible) && !errors.Is(err, flow.ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		checkFlow(t, g, fl)
		gen, err := g.SolveGeneral(context.Background())
		if err != nil || gen.Cost != fl.Cost {
			t.Fatalf("general solver disagrees: %v %v vs %d", err, gen, fl.Cost)
		}
	})
}

// TestOverflow: a four-line instance whose optimal cost is 2^80 is refused
// with ErrInvalid by every solver instead of wrapping to a wrong total.
func TestOverflow(t *testing.T) {
	const in = "p min 2 1\nn 1 1099511627776\nn 2 -1099511627776\na 1 2 0 1099511627776 1099511627776\n"
	g, err := flow.ParseDIMACS(strings.NewReader(in))
	require.NoError(t, err)
	for name, solve := range map[string]func(context.Context) (*flow.Flow, error){
		"Solve": g.Solve, "SolveGeneral": g.SolveGeneral,
	} {
		t.Run(name, func(t *testing.T) {
			f, err := solve(context.Background())
			require.ErrorIs(t, err, flow.ErrInvalid, "got %+v", f)
			assert.Contains(t, err.Error(), "total cost")
		})
	}
	// Just inside the range: 2^31 units at cost 2^31 is 2^62.
	g = flow.NewNetwork(2)
	g.SetSupply(0, 1<<31)
	g.SetSupply(1, -(1 << 31))
	g.AddArc(flow.Arc{From: 0, To: 1, Cap: 1 << 31, Cost: 1 << 31})
	f, err := g.Solve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1)<<62, f.Cost)
	// Negative totals are checked too.
	g = flow.NewNetwork(2)
	g.AddArc(flow.Arc{From: 0, To: 1, Cap: 1 << 40, Cost: -(1 << 40)})
	g.AddArc(flow.Arc{From: 1, To: 0, Cap: 1 << 40, Cost: 0})
	_, err = g.Solve(context.Background())
	require.ErrorIs(t, err, flow.ErrInvalid)
	// Sums of supplies past the limit are refused before solving (a flow
	// on one arc could not be represented).
	g = flow.NewNetwork(1<<21 + 2)
	for v := range g.NumNodes() - 1 {
		g.SetSupply(v, 1<<40)
	}
	g.SetSupply(g.NumNodes()-1, -(1 << 40))
	_, err = g.Solve(context.Background())
	require.ErrorIs(t, err, flow.ErrInvalid)
	assert.Contains(t, err.Error(), "supplies")
}

// randomTransportation draws a transportation network of the brokerage
// shape that the fast path takes: needs of 1-3 units, providers with
// capacities and fees of any sign (provider-to-sink costs), penalty arcs.
func randomTransportation(t *rapid.T) *flow.Network {
	needs := rapid.IntRange(1, 6).Draw(t, "needs")
	provs := rapid.IntRange(0, 4).Draw(t, "providers")
	g := flow.NewNetwork(1 + needs + provs)
	var units int64
	for i := 0; i < needs; i++ {
		k := rapid.Int64Range(1, 3).Draw(t, "units")
		units += k
		g.SetSupply(1+i, k)
		if rapid.IntRange(0, 3).Draw(t, "haspen") > 0 {
			g.AddArc(flow.Arc{From: 1 + i, To: 0, Cap: k + rapid.Int64Range(0, 2).Draw(t, "pcap"), Cost: rapid.Int64Range(0, 80).Draw(t, "pen")})
		}
		if provs > 0 {
			for d := rapid.IntRange(0, 4).Draw(t, "deg"); d > 0; d-- {
				p := rapid.IntRange(0, provs-1).Draw(t, "p")
				g.AddArc(flow.Arc{From: 1 + i, To: 1 + needs + p, Cap: k + rapid.Int64Range(0, 3).Draw(t, "acap"), Cost: rapid.Int64Range(-10, 40).Draw(t, "cost")})
			}
		}
	}
	g.SetSupply(0, -units)
	for p := 0; p < provs; p++ {
		if rapid.IntRange(0, 4).Draw(t, "hascap") > 0 {
			g.AddArc(flow.Arc{From: 1 + needs + p, To: 0, Cap: rapid.Int64Range(0, 5).Draw(t, "cap"), Cost: rapid.Int64Range(-5, 15).Draw(t, "fee")})
		}
	}
	return g
}

// TestTransportationFastPath: the shapes the fast path takes are
// recognised, and the fast path agrees with the network simplex, with
// successive shortest paths and with cycle cancelling.
func TestTransportationFastPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := randomTransportation(t)
		_, _, ok := g.Assignment()
		require.True(t, ok, "a transportation network of the brokerage shape takes the fast path")
		want, feasible := referenceCost(t, g)
		for name, solve := range map[string]func(context.Context) (*flow.Flow, error){
			"Solve": g.Solve, "SolveGeneral": g.SolveGeneral, "SSP": g.SolveSSP,
		} {
			f, err := solve(context.Background())
			if !feasible {
				require.ErrorIs(t, err, flow.ErrInfeasible, name)
				continue
			}
			require.NoError(t, err, name)
			checkFlow(t, g, f)
			require.Equal(t, want, f.Cost, name)
		}
	})
}

// TestFastPathShapes lists which shapes take which path.
func TestFastPathShapes(t *testing.T) {
	base := func() *flow.Network {
		g := flow.NewNetwork(4) // sink, need, two providers
		g.SetSupply(0, -2)
		g.SetSupply(1, 2)
		g.AddArc(flow.Arc{From: 1, To: 2, Cap: 2, Cost: 3})
		g.AddArc(flow.Arc{From: 1, To: 3, Cap: 2, Cost: 5})
		g.AddArc(flow.Arc{From: 2, To: 0, Cap: 1, Cost: 1}) // a fee of 1
		g.AddArc(flow.Arc{From: 3, To: 0, Cap: 5})
		return g
	}
	g := base()
	_, _, ok := g.Assignment()
	assert.True(t, ok, "fees and a need of two units")
	f, err := g.Solve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(3+1+5), f.Cost)

	g = base()
	g.AddArc(flow.Arc{From: 1, To: 2, Cap: 1, Cost: 0})
	_, _, ok = g.Assignment()
	assert.False(t, ok, "an arc that limits how a need's units split")

	g = base()
	g.AddArc(flow.Arc{From: 2, To: 3, Cap: 1})
	_, _, ok = g.Assignment()
	assert.False(t, ok, "an arc between providers")

	g = base()
	g.AddArc(flow.Arc{From: 1, To: 2, Low: 1, Cap: 2})
	_, _, ok = g.Assignment()
	assert.False(t, ok, "a lower bound")

	// The fast path's infeasibility names the DIMACS node.
	g = flow.NewNetwork(3)
	g.SetSupply(0, -1)
	g.SetSupply(2, 1)
	_, err = g.Solve(context.Background())
	require.ErrorIs(t, err, flow.ErrInfeasible)
	assert.Contains(t, err.Error(), "node 3 (supply 1) has no arc and no penalty")
}
