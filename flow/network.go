package flow

import (
	"context"
	"errors"
	"fmt"
)

// Arc is one arc of a [Network]: flow from From to To of at least Low and at
// most Cap units, each costing Cost.
type Arc struct {
	From, To int   // 0-based node indices
	Low, Cap int64 // bounds on the flow
	Cost     int64 // cost per unit of flow
}

// Network is a general minimum-cost flow problem. The zero value is an empty
// network; add nodes with [Network.AddNodes] and arcs with [Network.AddArc].
type Network struct {
	supply []int64
	arcs   []Arc
}

// NewNetwork returns a network of n nodes with zero supply.
func NewNetwork(n int) *Network { return &Network{supply: make([]int64, n)} }

// AddNodes adds n nodes with zero supply and returns the index of the first.
func (g *Network) AddNodes(n int) int {
	first := len(g.supply)
	g.supply = append(g.supply, make([]int64, n)...)
	return first
}

// NumNodes returns the number of nodes.
func (g *Network) NumNodes() int { return len(g.supply) }

// NumArcs returns the number of arcs.
func (g *Network) NumArcs() int { return len(g.arcs) }

// SetSupply sets node v's supply: positive for a source of flow, negative for
// a demand. The supplies of a feasible network sum to zero.
func (g *Network) SetSupply(v int, b int64) { g.supply[v] = b }

// Supply returns node v's supply.
func (g *Network) Supply(v int) int64 { return g.supply[v] }

// AddArc adds an arc and returns its index. Invalid arcs are reported by
// Solve, not here.
func (g *Network) AddArc(a Arc) int {
	g.arcs = append(g.arcs, a)
	return len(g.arcs) - 1
}

// Arc returns arc i.
func (g *Network) Arc(i int) Arc { return g.arcs[i] }

// Flow is an optimal solution: its total cost and the flow on each arc, in
// the order the arcs were added.
type Flow struct {
	Cost int64
	Arcs []int64
}

// validate checks every value and the sums the solvers form. Nodes and
// arcs are named by their 1-based DIMACS numbers.
func (g *Network) validate() error {
	var flowSum, maxCost int64
	for v, b := range g.supply {
		if b > MaxValue || b < -MaxValue {
			return fmt.Errorf("%w: node %d: supply %d out of range [-%d, %d]", ErrInvalid, v+1, b, int64(MaxValue), int64(MaxValue))
		}
		if !addAbs(&flowSum, b) {
			return fmt.Errorf("%w: the supplies' magnitudes sum to more than %d", ErrInvalid, sumLimit)
		}
	}
	n := len(g.supply)
	for i, a := range g.arcs {
		switch {
		case a.From < 0 || a.From >= n || a.To < 0 || a.To >= n:
			return fmt.Errorf("%w: arc %d: node out of range 1..%d", ErrInvalid, i+1, n)
		case a.Low < 0 || a.Cap < a.Low:
			return fmt.Errorf("%w: arc %d (%d -> %d): bounds [%d, %d]", ErrInvalid, i+1, a.From+1, a.To+1, a.Low, a.Cap)
		case a.Cap > MaxValue || a.Cost > MaxValue || a.Cost < -MaxValue:
			return fmt.Errorf("%w: arc %d (%d -> %d): value out of range [-%d, %d]", ErrInvalid, i+1, a.From+1, a.To+1, int64(MaxValue), int64(MaxValue))
		}
		// A lower bound moves into two supplies: count it twice.
		for range 2 {
			if !addAbs(&flowSum, a.Low) {
				return fmt.Errorf("%w: the supplies and lower bounds sum to more than %d", ErrInvalid, sumLimit)
			}
		}
		maxCost = max(maxCost, a.Cost, -a.Cost)
	}
	if !potentialFits(n, maxCost) {
		return fmt.Errorf("%w: %d nodes with costs up to %d: node potentials could overflow", ErrInvalid, n, maxCost)
	}
	return nil
}

// total returns the cost of the flow x on g's arcs, or ErrInvalid when it
// does not fit an int64.
func (g *Network) total(x []int64) (int64, error) {
	var s costSum
	for k, a := range g.arcs {
		s.add(x[k], a.Cost)
	}
	return s.int64()
}

// residual is the residual graph in forward-star form: arc 2k is the forward
// copy of arc k, arc 2k+1 its reverse.
type residual struct {
	next  []int32
	to    []int32
	cap   []int64
	cost  []int64
	first []int32
}

func (r *residual) add(u, v int, c, cost int64) {
	for _, e := range [2]struct {
		u, v int
		c    int64
		cost int64
	}{{u, v, c, cost}, {v, u, 0, -cost}} {
		r.to = append(r.to, int32(e.v))
		r.cap = append(r.cap, e.c)
		r.cost = append(r.cost, e.cost)
		r.next = append(r.next, r.first[e.u])
		r.first[e.u] = int32(len(r.to) - 1)
	}
}

// Solve returns a minimum-cost flow that meets every supply and demand. It
// returns ErrInvalid for a malformed network, ErrInfeasible when no feasible
// flow exists and ctx.Err() when ctx ends first.
//
// A network that [Network.Assignment] recognises as a transportation
// problem of the brokerage shape (unit or multi-unit needs, providers with
// capacities and per-unit fees, one sink; see there for the exact shapes)
// is solved by [Assignment.Solve], the fast path; any other by
// [Network.SolveGeneral], the network simplex. Both are exact, so the cost is the same; where
// several flows are optimal they may return different ones.
func (g *Network) Solve(ctx context.Context) (*Flow, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	if a, back, needOf, ok := g.assignment(); ok {
		res, err := a.solve(ctx)
		var ne *needError
		if errors.As(err, &ne) {
			v := needOf[ne.need]
			return nil, fmt.Errorf("%w: node %d (supply %d) %s", ErrInfeasible, v+1, g.supply[v], ne.msg)
		}
		if err != nil {
			return nil, err
		}
		return back(res), nil
	}
	return g.solveSimplex(ctx)
}

// SolveGeneral is Solve without the recognition of assignment structure: it
// always runs the network simplex on the whole network.
func (g *Network) SolveGeneral(ctx context.Context) (*Flow, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	return g.solveSimplex(ctx)
}

// solveSSP solves g, already validated, by successive shortest paths
// (Dijkstra on reduced costs after saturating negative-cost arcs). It is
// kept as an independent check of the network simplex in the tests; it is
// much slower on large networks.
func (g *Network) solveSSP(ctx context.Context) (*Flow, error) {
	var total int64
	for _, b := range g.supply {
		total += b
	}
	if total != 0 {
		return nil, fmt.Errorf("%w: supplies sum to %d, not 0", ErrInfeasible, total)
	}
	n := len(g.supply)
	s, t := n, n+1
	excess := make([]int64, n+2)
	copy(excess, g.supply)
	r := &residual{first: make([]int32, n+2)}
	for i := range r.first {
		r.first[i] = -1
	}
	r.to = make([]int32, 0, 2*len(g.arcs)+2*n)
	for _, a := range g.arcs {
		c := a.Cap - a.Low
		excess[a.From] -= a.Low
		excess[a.To] += a.Low
		if a.Cost < 0 {
			// Saturate: the residual then holds only the reverse arc, whose
			// cost is positive.
			excess[a.From] -= c
			excess[a.To] += c
			r.add(a.From, a.To, 0, a.Cost)
			r.cap[len(r.to)-1] = c
			continue
		}
		r.add(a.From, a.To, c, a.Cost)
	}
	var need int64
	for v := 0; v < n; v++ {
		switch {
		case excess[v] > 0:
			r.add(s, v, excess[v], 0)
			need += excess[v]
		case excess[v] < 0:
			r.add(v, t, -excess[v], 0)
		}
	}
	pot := make([]int64, n+2)
	dist := make([]int64, n+2)
	prev := make([]int32, n+2)
	done := make([]bool, n+2)
	var h arcHeap
	const inf = int64(1) << 62
	for iter := 0; need > 0; iter++ {
		if iter&63 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for i := range dist {
			dist[i] = inf
			prev[i] = -1
			done[i] = false
		}
		dist[s] = 0
		h = h[:0]
		h.push(0, int32(s))
		for len(h) > 0 {
			d, u := h.pop()
			if done[u] || d > dist[u] {
				continue
			}
			done[u] = true
			for e := r.first[u]; e >= 0; e = r.next[e] {
				if r.cap[e] == 0 {
					continue
				}
				v := r.to[e]
				nd := d + r.cost[e] + pot[u] - pot[v]
				if nd < dist[v] {
					dist[v] = nd
					prev[v] = e
					h.push(nd, v)
				}
			}
		}
		if dist[t] == inf {
			return nil, fmt.Errorf("%w: %d units of supply cannot reach a demand", ErrInfeasible, need)
		}
		for v := range pot {
			if dist[v] < dist[t] {
				pot[v] += dist[v] - dist[t]
			}
		}
		push := need
		for v := int32(t); v != int32(s); v = r.to[prev[v]^1] {
			if c := r.cap[prev[v]]; c < push {
				push = c
			}
		}
		for v := int32(t); v != int32(s); v = r.to[prev[v]^1] {
			r.cap[prev[v]] -= push
			r.cap[prev[v]^1] += push
		}
		need -= push
	}
	f := &Flow{Arcs: make([]int64, len(g.arcs))}
	for k, a := range g.arcs {
		// The reverse residual arc's capacity is the flow above the
		// lower bound.
		f.Arcs[k] = a.Low + r.cap[2*k+1]
	}
	var err error
	if f.Cost, err = g.total(f.Arcs); err != nil {
		return nil, err
	}
	return f, nil
}

// arcHeap is a binary min-heap of (distance, node) pairs with lazy deletion.
type arcHeap []heapItem

type heapItem struct {
	d int64
	v int32
}

func (h *arcHeap) push(d int64, v int32) {
	*h = append(*h, heapItem{d, v})
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].d <= a[i].d {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *arcHeap) pop() (int64, int32) {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && a[r].d < a[l].d {
			m = r
		}
		if a[i].d <= a[m].d {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top.d, top.v
}
