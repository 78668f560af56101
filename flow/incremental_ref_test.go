package flow

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// refIncremental is Incremental as it was before its arcs' residual
// capacities, heads and costs were laid out by node (commit 9bc8c05),
// kept as a reference: the tests check that both give the same flow and
// potentials after every change.
type refIncremental struct {
	source int
	n      int
	to     []int32
	from   []int32
	cap    []int32 // residual capacity; arc a's twin is a^1
	cost   []int64
	excess []int64

	start []int32 // CSR offsets into adj by tail node, len n+1
	adj   []int32
	built int // arcs in the CSR

	pot     []int64
	dist    []int64
	pred    []int32
	touched []int32
	settled []int32
	heap    refHeap
}

// newRefIncremental returns a problem of n nodes (numbered from 0) whose
// source is node source.
func newRefIncremental(n, source int) *refIncremental {
	g := &refIncremental{source: source}
	for range n {
		g.AddNode()
	}
	return g
}

// AddNode adds a node with potential 0 and returns its index.
func (g *refIncremental) AddNode() int {
	g.n++
	g.excess = append(g.excess, 0)
	g.pot = append(g.pot, 0)
	g.dist = append(g.dist, infDist)
	g.pred = append(g.pred, -1)
	return g.n - 1
}

// NumNodes returns the number of nodes.
func (g *refIncremental) NumNodes() int { return g.n }

// NumArcs returns the number of arcs added.
func (g *refIncremental) NumArcs() int { return len(g.to) / 2 }

// AddArc adds an arc u→v of the given capacity and cost per unit, with no
// flow, and returns its index for Flow and Close. It panics on a node out
// of range or a negative capacity (a programming error).
func (g *refIncremental) AddArc(u, v int, capacity int32, cost int64) int {
	if u < 0 || u >= g.n || v < 0 || v >= g.n || capacity < 0 {
		panic(fmt.Sprintf("flow: AddArc(%d, %d, %d): node out of range or negative capacity", u, v, capacity))
	}
	a := len(g.to)
	g.to = append(g.to, int32(v), int32(u))
	g.from = append(g.from, int32(u), int32(v))
	g.cap = append(g.cap, capacity, 0)
	g.cost = append(g.cost, cost, -cost)
	return a / 2
}

// AddDemand asks for units more flow into v (units < 0 asks for less).
// The source's own demand is ignored.
func (g *refIncremental) AddDemand(v int, units int64) {
	if v != g.source {
		g.excess[v] -= units
	}
}

// Flow returns the flow on arc k.
func (g *refIncremental) Flow(k int) int32 { return g.cap[2*k+1] }

// Close removes arc k from the problem: its flow is cancelled (its head
// is then short of that flow and its tail has it to spare) and its capacity
// becomes zero. Solve re-optimises.
func (g *refIncremental) Close(k int) {
	a := 2 * k
	f := g.cap[a+1]
	if f > 0 {
		if u := int(g.from[a]); u != g.source {
			g.excess[u] += int64(f)
		}
		if v := int(g.to[a]); v != g.source {
			g.excess[v] -= int64(f)
		}
	}
	g.cap[a], g.cap[a+1] = 0, 0
}

// Potential returns node v's potential after Solve: for every arc u→v with
// residual capacity, cost + Potential(u) − Potential(v) ≥ 0, and the
// reduced cost of an arc not yet added tells whether adding it could lower
// the cost (only if it is negative).
func (g *refIncremental) Potential(v int) int64 { return g.pot[v] }

// Cost returns the cost of the current flow.
func (g *refIncremental) Cost() int64 {
	var c int64
	for a := 0; a < len(g.to); a += 2 {
		c += int64(g.cap[a+1]) * g.cost[a]
	}
	return c
}

// Clone returns an independent copy of the problem and its flow.
func (g *refIncremental) Clone() *refIncremental {
	c := *g
	c.to = append([]int32(nil), g.to...)
	c.from = append([]int32(nil), g.from...)
	c.cap = append([]int32(nil), g.cap...)
	c.cost = append([]int64(nil), g.cost...)
	c.excess = append([]int64(nil), g.excess...)
	c.start = append([]int32(nil), g.start...)
	c.adj = append([]int32(nil), g.adj...)
	c.pot = append([]int64(nil), g.pot...)
	c.dist = append([]int64(nil), g.dist...)
	c.pred = append([]int32(nil), g.pred...)
	c.touched, c.settled, c.heap = nil, nil, nil
	return &c
}

func (g *refIncremental) index() {
	if g.built == len(g.to) && len(g.start) == g.n+1 {
		return
	}
	g.start = make([]int32, g.n+1)
	for _, u := range g.from {
		g.start[u+1]++
	}
	for i := 1; i <= g.n; i++ {
		g.start[i] += g.start[i-1]
	}
	g.adj = make([]int32, len(g.from))
	pos := make([]int32, g.n)
	copy(pos, g.start[:g.n])
	for a, u := range g.from {
		g.adj[pos[u]] = int32(a)
		pos[u]++
	}
	g.built = len(g.to)
}

func (g *refIncremental) reduced(a int) int64 { return g.cost[a] + g.pot[g.from[a]] - g.pot[g.to[a]] }

// Solve meets every demand at minimum cost, starting from the current flow:
// arcs with residual capacity and a negative reduced cost are saturated,
// every node short of flow is supplied along a shortest path from the
// source or a node with flow to spare, and whatever is left to spare
// returns to the source. It returns ErrInfeasible when a node can be
// neither supplied nor relieved (the flow is then partial), and ctx.Err()
// when ctx ends first.
func (g *refIncremental) Solve(ctx context.Context) error {
	g.index()
	for a := 0; a < len(g.to); a++ {
		if c := g.cap[a]; c > 0 && g.reduced(a) < 0 {
			g.push(a, c)
		}
	}
	rounds := 0
	check := func() error {
		if rounds++; rounds&63 == 0 {
			return ctx.Err()
		}
		return nil
	}
	for v := range g.n {
		for v != g.source && g.excess[v] < 0 {
			if err := check(); err != nil {
				return err
			}
			if !g.augment(v, func(u int32) bool { return int(u) == g.source || g.excess[u] > 0 }) {
				return fmt.Errorf("%w: node %d cannot be supplied (%d units short)", ErrInfeasible, v, -g.excess[v])
			}
		}
	}
	for u := range g.n {
		for u != g.source && g.excess[u] > 0 {
			if err := check(); err != nil {
				return err
			}
			if !g.relieve(u) {
				return fmt.Errorf("%w: node %d cannot return %d units to the source", ErrInfeasible, u, g.excess[u])
			}
		}
	}
	return nil
}

// push sends f units along arc a, moving the imbalance to its ends.
func (g *refIncremental) push(a int, f int32) {
	g.cap[a] -= f
	g.cap[a^1] += f
	if u := int(g.from[a]); u != g.source {
		g.excess[u] -= int64(f)
	}
	if v := int(g.to[a]); v != g.source {
		g.excess[v] += int64(f)
	}
}

// augment finds a shortest path to l from a node that isSource accepts,
// searching backwards from l, and sends along it as much as its capacity,
// the source's spare flow and l's need allow (one unit at least).
func (g *refIncremental) augment(l int, isSource func(int32) bool) bool {
	s, ok := g.reverseDijkstra(l, isSource)
	if !ok {
		return false
	}
	f := int32(math.MaxInt32)
	for v := s; v != l; v = int(g.to[g.pred[v]]) {
		f = min(f, g.cap[g.pred[v]])
	}
	if s != g.source {
		f = int32(min(int64(f), g.excess[s]))
	}
	if l != g.source {
		f = int32(min(int64(f), -g.excess[l]))
	}
	f = max(f, 1)
	for v := s; v != l; {
		a := g.pred[v]
		g.cap[a] -= f
		g.cap[a^1] += f
		v = int(g.to[a])
	}
	if s != g.source {
		g.excess[s] -= int64(f)
	}
	if l != g.source {
		g.excess[l] += int64(f)
	}
	return true
}

// relieve sends flow from u, which has flow to spare, along a shortest path
// to the source or a node short of flow, searching forwards from u (the
// path is usually short: back to the source through the arc that supplied
// u, or on to a cheaper use nearby). Settled nodes' potentials are lowered
// by D − dist(v), which keeps every residual reduced cost non-negative.
func (g *refIncremental) relieve(u int) bool {
	g.touched = g.touched[:0]
	g.settled = g.settled[:0]
	g.dist[u] = 0
	g.touched = append(g.touched, int32(u))
	g.heap = g.heap[:0]
	g.heap.push(0, int32(u))
	var dt int64 = infDist
	t := -1
	for len(g.heap) > 0 {
		d, v := g.heap.pop()
		if d > g.dist[v] {
			continue
		}
		if int(v) != u && (int(v) == g.source || g.excess[v] < 0) {
			dt, t = d, int(v)
			break
		}
		g.settled = append(g.settled, v)
		for _, a := range g.adj[g.start[v]:g.start[v+1]] {
			if g.cap[a] <= 0 {
				continue
			}
			w := g.to[a]
			nd := d + g.cost[a] + g.pot[v] - g.pot[w]
			if nd < g.dist[w] {
				if g.dist[w] == infDist {
					g.touched = append(g.touched, w)
				}
				g.dist[w] = nd
				g.pred[w] = a
				g.heap.push(nd, w)
			}
		}
	}
	if t >= 0 {
		for _, v := range g.settled {
			g.pot[v] -= dt - g.dist[v]
		}
		f := int32(min(int64(math.MaxInt32), g.excess[u]))
		for v := t; v != u; v = int(g.from[g.pred[v]]) {
			f = min(f, g.cap[g.pred[v]])
		}
		if t != g.source {
			f = int32(min(int64(f), -g.excess[t]))
		}
		f = max(f, 1)
		for v := t; v != u; {
			a := g.pred[v]
			g.cap[a] -= f
			g.cap[a^1] += f
			v = int(g.from[a])
		}
		g.excess[u] -= int64(f)
		if t != g.source {
			g.excess[t] += int64(f)
		}
	}
	for _, v := range g.touched {
		g.dist[v] = infDist
	}
	return t >= 0
}

// reverseDijkstra finds a shortest path on reduced costs from a node
// isSource accepts to l, searching backwards from l, recording in pred[u]
// the arc leaving u on the path; it raises the potential of every settled
// node v by D − dist(v), where D is the source's distance, which keeps every
// residual reduced cost non-negative and makes the path's zero. Every entry
// of dist is infDist again on return.
func (g *refIncremental) reverseDijkstra(l int, isSource func(int32) bool) (int, bool) {
	g.touched = g.touched[:0]
	g.settled = g.settled[:0]
	g.dist[l] = 0
	g.touched = append(g.touched, int32(l))
	g.heap = g.heap[:0]
	g.heap.push(0, int32(l))
	var ds int64 = infDist
	src := -1
	for len(g.heap) > 0 {
		d, v := g.heap.pop()
		if d > g.dist[v] {
			continue
		}
		if int(v) != l && isSource(v) {
			ds, src = d, int(v)
			break
		}
		g.settled = append(g.settled, v)
		for _, b := range g.adj[g.start[v]:g.start[v+1]] {
			a := b ^ 1 // the arc u->v whose twin b leaves v
			if g.cap[a] <= 0 {
				continue
			}
			u := g.to[b]
			nd := d + g.cost[a] + g.pot[u] - g.pot[v]
			if nd < g.dist[u] {
				if g.dist[u] == infDist {
					g.touched = append(g.touched, u)
				}
				g.dist[u] = nd
				g.pred[u] = a
				g.heap.push(nd, u)
			}
		}
	}
	if src >= 0 {
		for _, v := range g.settled {
			g.pot[v] += ds - g.dist[v]
		}
	}
	for _, v := range g.touched {
		g.dist[v] = infDist
	}
	return src, src >= 0
}

// refHeap is a binary min-heap of (distance, node), ties broken by node so
// that the search order, and so the flow found, is deterministic.
type refHeap []heapItem

func (h *refHeap) push(d int64, v int32) {
	*h = append(*h, heapItem{d, v})
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *refHeap) pop() (int64, int32) {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && s[r].less(s[l]) {
			m = r
		}
		if !s[m].less(s[i]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top.d, top.v
}

// TestIncrementalMatchesReference applies the same random changes (nodes,
// arcs of any cost, demands up and down, closed arcs, clones) to an
// Incremental and to the reference, solving after each, and requires the
// same outcome, the same flow on every arc and the same potential at
// every node: the layout changed, the algorithm did not.
func TestIncrementalMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "n")
		src := rapid.IntRange(0, n-1).Draw(t, "source")
		g, r := NewIncremental(n, src), newRefIncremental(n, src)
		arcs := 0
		for step := range rapid.IntRange(1, 40).Draw(t, "steps") {
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op == 0:
				require.Equal(t, r.AddNode(), g.AddNode())
				n++
			case op <= 4:
				u, v := rapid.IntRange(0, n-1).Draw(t, "u"), rapid.IntRange(0, n-1).Draw(t, "v")
				c := int32(rapid.IntRange(0, 4).Draw(t, "cap"))
				cost := int64(rapid.IntRange(-30, 100).Draw(t, "cost"))
				require.Equal(t, r.AddArc(u, v, c, cost), g.AddArc(u, v, c, cost))
				arcs++
			case op <= 6:
				v, d := rapid.IntRange(0, n-1).Draw(t, "v"), int64(rapid.IntRange(-2, 3).Draw(t, "units"))
				g.AddDemand(v, d)
				r.AddDemand(v, d)
			case op == 7 && arcs > 0:
				k := rapid.IntRange(0, arcs-1).Draw(t, "close")
				g.Close(k)
				r.Close(k)
			case op == 8:
				g, r = g.Clone(), r.Clone()
			}
			if step%3 == 0 || rapid.Bool().Draw(t, "solve") {
				errG, errR := g.Solve(context.Background()), r.Solve(context.Background())
				require.Equal(t, errR, errG)
				if errR != nil {
					return // the flow is partial; nothing more to compare
				}
				for k := range arcs {
					require.Equal(t, r.Flow(k), g.Flow(k), "arc %d", k)
				}
				for v := range n {
					require.Equal(t, r.Potential(v), g.Potential(v), "node %d", v)
				}
				require.Equal(t, r.Cost(), g.Cost())
			}
		}
	})
}
