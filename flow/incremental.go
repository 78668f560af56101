package flow

import (
	"context"
	"fmt"
	"math"
)

// Incremental is a minimum-cost flow problem with one source of unlimited
// supply that is kept optimal while it changes: demands are added, arcs are
// added or closed, and [Incremental.Solve] restores an optimal flow from the
// previous one instead of starting again. It suits problems whose optimum
// is mostly local (each demand met from nearby supply), such as building
// review teams: one search per unit of demand that stops at the nearest
// node able to supply it.
//
// Solve keeps node potentials π such that every arc u→v with residual
// capacity has a non-negative reduced cost c + π(u) − π(v) (the optimality
// condition of a minimum-cost flow). Each round takes a node short of flow
// and runs Dijkstra backwards from it on reduced costs until it settles the
// source or a node with excess flow, augments along that shortest path and
// raises the potentials of the settled nodes; then it returns every excess
// to the source along a shortest path found forwards from it (lowering the
// potentials of the nodes it settles). Any pairing of excess and deficit along
// shortest paths keeps the condition, so the result is an exact
// minimum-cost flow of the demands (successive shortest paths). A new arc
// whose reduced cost is negative is saturated first, which moves the
// imbalance to its ends, so arcs of any cost may be added at any time.
//
// The source supplies without limit and absorbs returned flow without
// limit; a problem where some demand must always be met needs a path from
// the source to it (for example a penalty arc). Capacities fit an int32;
// costs and potentials must stay within ±MaxValue·(number of nodes).
// An Incremental is used by one goroutine; Clone gives an independent copy.
type Incremental struct {
	source int
	n      int
	to     []int32
	from   []int32
	cap    []int32 // residual capacity; arc a's twin is a^1
	cost   []int64

	// The arcs by tail node, built by index: node v's arcs are the
	// slots start[v] to start[v+1]−1, and slot j holds arc adj[j], its
	// head, its cost and copies of its residual capacity (out) and its
	// twin's (in), so that a search reads a node's arcs from consecutive
	// memory. slot gives each arc's slot; setCap keeps the copies equal
	// to cap for the first built arcs (the rest are not in the index).
	start []int32 // len n+1
	adj   []int32
	head  []int32
	scost []int64
	out   []int32
	in    []int32
	slot  []int32
	built int

	pd      []nodeState // per node
	touched []int32
	settled []int32
	heap    distHeap
}

// nodeState is what a search reads and writes of a node, kept together:
// its potential, its distance in the current search (infDist outside
// one), its excess (flow in less flow out less demand) and the arc that
// reached it.
type nodeState struct {
	pot, dist, excess int64
	pred              int32
}

// NewIncremental returns a problem of n nodes (numbered from 0) whose
// source is node source.
func NewIncremental(n, source int) *Incremental {
	g := &Incremental{source: source}
	for range n {
		g.AddNode()
	}
	return g
}

// AddNode adds a node with potential 0 and returns its index.
func (g *Incremental) AddNode() int {
	g.n++
	g.pd = append(g.pd, nodeState{dist: infDist, pred: -1})
	return g.n - 1
}

// NumNodes returns the number of nodes.
func (g *Incremental) NumNodes() int { return g.n }

// NumArcs returns the number of arcs added.
func (g *Incremental) NumArcs() int { return len(g.to) / 2 }

// AddArc adds an arc u→v of the given capacity and cost per unit, with no
// flow, and returns its index for Flow and Close. It panics on a node out
// of range or a negative capacity (a programming error).
func (g *Incremental) AddArc(u, v int, capacity int32, cost int64) int {
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
func (g *Incremental) AddDemand(v int, units int64) {
	if v != g.source {
		g.pd[v].excess -= units
	}
}

// Flow returns the flow on arc k.
func (g *Incremental) Flow(k int) int32 { return g.cap[2*k+1] }

// Close removes arc k from the problem: its flow is cancelled (its head
// is then short of that flow and its tail has it to spare) and its capacity
// becomes zero. Solve re-optimises.
func (g *Incremental) Close(k int) {
	a := 2 * k
	f := g.cap[a+1]
	if f > 0 {
		if u := int(g.from[a]); u != g.source {
			g.pd[u].excess += int64(f)
		}
		if v := int(g.to[a]); v != g.source {
			g.pd[v].excess -= int64(f)
		}
	}
	g.cap[a], g.cap[a+1] = 0, 0
	g.sync(a)
}

// sync copies arc a's and its twin's residual capacities into the index.
func (g *Incremental) sync(a int) {
	if a >= g.built {
		return
	}
	j, k := g.slot[a], g.slot[a^1]
	g.out[j], g.in[j] = g.cap[a], g.cap[a^1]
	g.out[k], g.in[k] = g.cap[a^1], g.cap[a]
}

// move sends f units along arc a (f < 0 sends them back).
func (g *Incremental) move(a int, f int32) {
	g.cap[a] -= f
	g.cap[a^1] += f
	g.sync(a)
}

// Potential returns node v's potential after Solve: for every arc u→v with
// residual capacity, cost + Potential(u) − Potential(v) ≥ 0, and the
// reduced cost of an arc not yet added tells whether adding it could lower
// the cost (only if it is negative).
func (g *Incremental) Potential(v int) int64 { return g.pd[v].pot }

// Cost returns the cost of the current flow.
func (g *Incremental) Cost() int64 {
	var c int64
	for a := 0; a < len(g.to); a += 2 {
		c += int64(g.cap[a+1]) * g.cost[a]
	}
	return c
}

// Clone returns an independent copy of the problem and its flow.
func (g *Incremental) Clone() *Incremental {
	c := *g
	c.to = append([]int32(nil), g.to...)
	c.from = append([]int32(nil), g.from...)
	c.cap = append([]int32(nil), g.cap...)
	c.cost = append([]int64(nil), g.cost...)
	c.start = append([]int32(nil), g.start...)
	c.adj = append([]int32(nil), g.adj...)
	c.head = append([]int32(nil), g.head...)
	c.scost = append([]int64(nil), g.scost...)
	c.out = append([]int32(nil), g.out...)
	c.in = append([]int32(nil), g.in...)
	c.slot = append([]int32(nil), g.slot...)
	c.pd = append([]nodeState(nil), g.pd...)
	c.touched, c.settled, c.heap = nil, nil, nil
	return &c
}

func (g *Incremental) index() {
	if g.built == len(g.to) && len(g.start) == g.n+1 {
		return
	}
	// The arrays are reused when a rebuild (after arcs are added) fits
	// them; every slot is overwritten.
	g.start = resize(g.start, g.n+1)
	clear(g.start)
	for _, u := range g.from {
		g.start[u+1]++
	}
	for i := 1; i <= g.n; i++ {
		g.start[i] += g.start[i-1]
	}
	m := len(g.from)
	g.adj = resize(g.adj, m)
	g.head = resize(g.head, m)
	g.scost = resize(g.scost, m)
	g.out = resize(g.out, m)
	g.in = resize(g.in, m)
	g.slot = resize(g.slot, m)
	pos := make([]int32, g.n)
	copy(pos, g.start[:g.n])
	for a, u := range g.from {
		j := pos[u]
		pos[u]++
		g.adj[j] = int32(a)
		g.head[j] = g.to[a]
		g.scost[j] = g.cost[a]
		g.out[j] = g.cap[a]
		g.in[j] = g.cap[a^1]
		g.slot[a] = j
	}
	g.built = len(g.to)
}

// resize returns s with length n, reusing its array when it is big enough
// (the contents are then stale).
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, n+n/8)
}

func (g *Incremental) reduced(a int) int64 {
	return g.cost[a] + g.pd[g.from[a]].pot - g.pd[g.to[a]].pot
}

// Solve meets every demand at minimum cost, starting from the current flow:
// arcs with residual capacity and a negative reduced cost are saturated,
// every node short of flow is supplied along a shortest path from the
// source or a node with flow to spare, and whatever is left to spare
// returns to the source. It returns ErrInfeasible when a node can be
// neither supplied nor relieved (the flow is then partial), and ctx.Err()
// when ctx ends first.
func (g *Incremental) Solve(ctx context.Context) error {
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
		for v != g.source && g.pd[v].excess < 0 {
			if err := check(); err != nil {
				return err
			}
			if !g.augment(v) {
				return fmt.Errorf("%w: node %d cannot be supplied (%d units short)", ErrInfeasible, v, -g.pd[v].excess)
			}
		}
	}
	for u := range g.n {
		for u != g.source && g.pd[u].excess > 0 {
			if err := check(); err != nil {
				return err
			}
			if !g.relieve(u) {
				return fmt.Errorf("%w: node %d cannot return %d units to the source", ErrInfeasible, u, g.pd[u].excess)
			}
		}
	}
	return nil
}

// push sends f units along arc a, moving the imbalance to its ends.
func (g *Incremental) push(a int, f int32) {
	g.move(a, f)
	if u := int(g.from[a]); u != g.source {
		g.pd[u].excess -= int64(f)
	}
	if v := int(g.to[a]); v != g.source {
		g.pd[v].excess += int64(f)
	}
}

// augment finds a shortest path to l from the source or a node with flow
// to spare, searching backwards from l, and sends along it as much as its
// capacity, the node's spare flow and l's need allow (one unit at least).
func (g *Incremental) augment(l int) bool {
	s, ok := g.reverseDijkstra(l)
	if !ok {
		return false
	}
	f := int32(math.MaxInt32)
	for v := s; v != l; v = int(g.to[g.pd[v].pred]) {
		f = min(f, g.cap[g.pd[v].pred])
	}
	if s != g.source {
		f = int32(min(int64(f), g.pd[s].excess))
	}
	if l != g.source {
		f = int32(min(int64(f), -g.pd[l].excess))
	}
	f = max(f, 1)
	for v := s; v != l; {
		a := g.pd[v].pred
		g.move(int(a), f)
		v = int(g.to[a])
	}
	if s != g.source {
		g.pd[s].excess -= int64(f)
	}
	if l != g.source {
		g.pd[l].excess += int64(f)
	}
	return true
}

// relieve sends flow from u, which has flow to spare, along a shortest path
// to the source or a node short of flow, searching forwards from u (the
// path is usually short: back to the source through the arc that supplied
// u, or on to a cheaper use nearby). Settled nodes' potentials are lowered
// by D − dist(v), which keeps every residual reduced cost non-negative.
func (g *Incremental) relieve(u int) bool {
	g.touched = g.touched[:0]
	g.settled = g.settled[:0]
	g.pd[u].dist = 0
	g.touched = append(g.touched, int32(u))
	g.heap = g.heap[:0]
	g.heap.push(0, int32(u))
	var dt int64 = infDist
	t := -1
	pd := g.pd
	for len(g.heap) > 0 {
		d, v := g.heap.pop()
		if d > pd[v].dist {
			continue
		}
		if int(v) != u && (int(v) == g.source || g.pd[v].excess < 0) {
			dt, t = d, int(v)
			break
		}
		g.settled = append(g.settled, v)
		lo, hi := g.start[v], g.start[v+1]
		out := g.out[lo:hi]
		head := g.head[lo:hi][:len(out)]
		cost := g.scost[lo:hi][:len(out)]
		dv := d + pd[v].pot
		for i, c := range out {
			if c <= 0 {
				continue
			}
			w := head[i]
			nd := dv + cost[i] - pd[w].pot
			if nd < pd[w].dist {
				if pd[w].dist == infDist {
					g.touched = append(g.touched, w)
				}
				pd[w].dist = nd
				g.pd[w].pred = g.adj[int(lo)+i]
				g.heap.push(nd, w)
			}
		}
	}
	if t >= 0 {
		for _, v := range g.settled {
			pd[v].pot -= dt - pd[v].dist
		}
		f := int32(min(int64(math.MaxInt32), g.pd[u].excess))
		for v := t; v != u; v = int(g.from[g.pd[v].pred]) {
			f = min(f, g.cap[g.pd[v].pred])
		}
		if t != g.source {
			f = int32(min(int64(f), -g.pd[t].excess))
		}
		f = max(f, 1)
		for v := t; v != u; {
			a := g.pd[v].pred
			g.move(int(a), f)
			v = int(g.from[a])
		}
		g.pd[u].excess -= int64(f)
		if t != g.source {
			g.pd[t].excess += int64(f)
		}
	}
	for _, v := range g.touched {
		pd[v].dist = infDist
	}
	return t >= 0
}

// reverseDijkstra finds a shortest path on reduced costs to l from the
// source or a node with flow to spare, searching backwards from l,
// recording in pred[u] the arc leaving u on the path; it raises the
// potential of every settled node v by D − dist(v), where D is the
// distance of the path's start, which keeps every residual reduced cost
// non-negative and makes the path's zero. Every distance is infDist again
// on return.
func (g *Incremental) reverseDijkstra(l int) (int, bool) {
	g.touched = g.touched[:0]
	g.settled = g.settled[:0]
	pd := g.pd
	pd[l].dist = 0
	g.touched = append(g.touched, int32(l))
	g.heap = g.heap[:0]
	g.heap.push(0, int32(l))
	var ds int64 = infDist
	src := -1
	for len(g.heap) > 0 {
		d, v := g.heap.pop()
		if d > pd[v].dist {
			continue
		}
		if int(v) != l && (int(v) == g.source || g.pd[v].excess > 0) {
			ds, src = d, int(v)
			break
		}
		g.settled = append(g.settled, v)
		lo, hi := g.start[v], g.start[v+1]
		in := g.in[lo:hi]
		head := g.head[lo:hi][:len(in)]
		cost := g.scost[lo:hi][:len(in)]
		// Slot j holds arc b leaving v; the arc u→v is its twin, whose
		// cost is −cost[j] and residual capacity in[j].
		dv := d - pd[v].pot
		for i, c := range in {
			if c <= 0 {
				continue
			}
			u := head[i]
			nd := dv - cost[i] + pd[u].pot
			// A node that cannot come off the heap before the source
			// (farther, or as far and after it in the order) is never
			// settled: it need not be pushed.
			if bound := pd[g.source].dist; nd > bound || (nd == bound && int(u) > g.source) {
				continue
			}
			if nd < pd[u].dist {
				if pd[u].dist == infDist {
					g.touched = append(g.touched, u)
				}
				pd[u].dist = nd
				g.pd[u].pred = g.adj[int(lo)+i] ^ 1
				g.heap.push(nd, u)
			}
		}
	}
	if src >= 0 {
		for _, v := range g.settled {
			pd[v].pot += ds - pd[v].dist
		}
	}
	for _, v := range g.touched {
		pd[v].dist = infDist
	}
	return src, src >= 0
}

// distHeap is a 4-ary min-heap of (distance, node), ties broken by node so
// that the search order, and so the flow found, is deterministic (no two
// entries are equal: a node is pushed again only at a shorter distance).
// Four children per node make it half as deep as a binary heap, and the
// four are adjacent in memory.
type distHeap []heapItem

func (h heapItem) less(o heapItem) bool { return h.d < o.d || (h.d == o.d && h.v < o.v) }

func (h *distHeap) push(d int64, v int32) {
	x := heapItem{d, v}
	*h = append(*h, x)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !x.less(s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = x
}

func (h *distHeap) pop() (int64, int32) {
	s := *h
	top := s[0]
	last := len(s) - 1
	x := s[last]
	s = s[:last]
	n := len(s)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < min(c+4, n); k++ {
			if s[k].less(s[m]) {
				m = k
			}
		}
		if !s[m].less(x) {
			break
		}
		s[i] = s[m]
		i = m
	}
	if n > 0 {
		s[i] = x
	}
	*h = s
	return top.d, top.v
}
