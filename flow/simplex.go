package flow

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// Arc states in the network simplex: an arc out of the spanning tree sits
// at its lower bound (stateLower) or at its capacity (stateUpper); the sign
// turns the reduced cost into a violation (negative means the arc should
// enter the tree).
const (
	stateUpper int8 = -1
	stateTree  int8 = 0
	stateLower int8 = 1
)

// simplex is the primal network simplex method on a network whose lower
// bounds have been moved into the supplies. The basis is a spanning tree
// rooted at an artificial node (index n) joined to every node by an
// artificial arc; the tree is kept strongly feasible (Cunningham's rule for
// the leaving arc), so degenerate pivots cannot cycle. The tree is stored
// as parent pointers with a preorder thread (next, prev), subtree sizes and
// each node's last descendant in the thread, so that cutting and joining
// subtrees costs time in the length of the paths involved, not in n.
// Entering arcs are chosen by block search: the arcs are scanned
// cyclically in blocks of about √m and the most violating arc of the first
// block holding one enters.
type simplex struct {
	n, m int // real nodes and arcs; arcs m..m+n-1 are artificial
	root int32

	src, tgt []int32
	cost     []int64
	fc       []flowCap // flow and capacity, read together around a cycle
	state    []int8

	// tn holds what a walk up the tree reads about each node.
	tn []treeNode
	// th holds each node's potential and its successor in the preorder
	// thread (circular), together because the potential update walks the
	// thread: reduced cost of arc a is cost + th[src].pi - th[tgt].pi.
	th   []thread
	prev []int32
	last []int32 // last node of the subtree in the thread

	block, nextArc int
	path           []int32 // scratch
	order          []int32 // position of each real arc, in the order added
}

const simplexInf = sumLimit

type thread struct {
	pi   int64
	next int32
}

type flowCap struct{ flow, cap int64 }

type treeNode struct {
	parent int32
	pedge  int32 // arc joining the node to its parent
	size   int32 // nodes in the subtree
	down   bool  // the arc to the parent points from the parent to the node
}

func newSimplex(g *Network, maxCost int64) *simplex {
	n, m := len(g.supply), len(g.arcs)
	N := n + 1
	M := m + n
	s := &simplex{n: n, m: m, root: int32(n),
		src: make([]int32, M), tgt: make([]int32, M), cost: make([]int64, M),
		fc: make([]flowCap, M), state: make([]int8, M),
		tn: make([]treeNode, N),
		th: make([]thread, N), prev: make([]int32, N), last: make([]int32, N),
	}
	b := make([]int64, n)
	copy(b, g.supply)
	// The arcs are stored in a mixed order (arc k at position pos(k),
	// stepping by skip and wrapping), so that each block of the pivot
	// search sees arcs from all over the network rather than the arcs of
	// a few neighbouring nodes.
	s.order = make([]int32, m)
	skip := max(m/max(n, 1), 3)
	i, j := 0, 0
	for k := range g.arcs {
		s.order[k] = int32(i)
		if i += skip; i >= m {
			j++
			i = j
		}
	}
	for k0, a := range g.arcs {
		k := s.order[k0]
		s.src[k], s.tgt[k] = int32(a.From), int32(a.To)
		s.cost[k] = a.Cost
		s.fc[k].cap = a.Cap - a.Low
		s.state[k] = stateLower
		b[a.From] -= a.Low
		b[a.To] += a.Low
	}
	art := (maxCost + 1) * int64(n+1)
	root := s.root
	for v := 0; v < n; v++ {
		k := m + v
		s.cost[k] = art
		s.fc[k].cap = simplexInf
		s.state[k] = stateTree
		if b[v] >= 0 {
			s.src[k], s.tgt[k] = int32(v), root
			s.fc[k].flow = b[v]
			s.th[v].pi = -art
		} else {
			s.src[k], s.tgt[k] = root, int32(v)
			s.fc[k].flow = -b[v]
			s.th[v].pi = art
			s.tn[v].down = true
		}
		s.tn[v].parent = root
		s.tn[v].pedge = int32(k)
		s.tn[v].size = 1
		s.last[v] = int32(v)
		s.th[v].next = int32(v + 1)
		s.prev[v] = int32(v - 1)
	}
	s.tn[root].parent, s.tn[root].pedge = -1, -1
	s.tn[root].size = int32(N)
	if n > 0 {
		s.th[root].next, s.prev[0] = 0, root
		s.th[n-1].next, s.prev[root] = root, int32(n-1)
		s.last[root] = int32(n - 1)
	} else {
		s.th[root].next, s.prev[root], s.last[root] = root, root, root
	}
	s.block = max(10, int(math.Sqrt(float64(M))))
	return s
}

// findEntering returns a violating arc by block search, or -1 when the
// tree is optimal.
func (s *simplex) findEntering() int {
	state := s.state
	M := len(state)
	cost, src, tgt, th := s.cost[:M], s.src[:M], s.tgt[:M], s.th
	best, in := int64(0), -1
	cnt := s.block
	e := s.nextArc
	for scanned := 0; scanned < M; {
		// Scan to the end of the block, of the arcs or of one full cycle,
		// whichever comes first; the slices' common length lets the
		// compiler drop the bounds checks of the sequential reads.
		end := min(M, e+cnt, e+M-scanned)
		n := end - e
		for ; e < end; e++ {
			// Tree arcs have state 0, so they never violate.
			if v := int64(state[e]) * (cost[e] + th[src[e]].pi - th[tgt[e]].pi); v < best {
				best, in = v, e
			}
		}
		scanned += n
		if e == M {
			e = 0
		}
		if cnt -= n; cnt == 0 {
			if in >= 0 {
				break
			}
			cnt = s.block
		}
	}
	s.nextArc = e
	return in
}

// residual is how much more flow arc a can take when traversed forward
// (along its direction) or backward.
func (s *simplex) residual(a int32, forward bool) int64 {
	if forward {
		return s.fc[a].cap - s.fc[a].flow
	}
	return s.fc[a].flow
}

// pivot brings arc in into the tree and sends flow around its cycle.
func (s *simplex) pivot(in int) {
	// Flow goes p -> q along the entering arc.
	p, q := s.src[in], s.tgt[in]
	if s.state[in] == stateUpper {
		p, q = q, p
	}
	// The apex: the deepest common ancestor (an ancestor's subtree is
	// strictly larger).
	w1, w2 := p, q
	for w1 != w2 {
		if s.tn[w1].size < s.tn[w2].size {
			w1 = s.tn[w1].parent
		} else {
			w2 = s.tn[w2].parent
		}
	}
	apex := w1
	// Cycle order from the apex: down to p, the entering arc, up from q
	// to the apex. The leaving arc is the last blocking one in that order.
	best1, leave1 := int64(simplexInf)+1, int32(-1)
	for x := p; x != apex; x = s.tn[x].parent {
		a := s.tn[x].pedge
		// Traversed parent -> x: forward when the arc points to x.
		if r := s.residual(a, s.tn[x].down); r < best1 {
			best1, leave1 = r, x
		}
	}
	rin := s.fc[in].cap
	best3, leave3 := int64(simplexInf)+1, int32(-1)
	for y := q; y != apex; y = s.tn[y].parent {
		a := s.tn[y].pedge
		if r := s.residual(a, !s.tn[y].down); r <= best3 {
			best3, leave3 = r, y
		}
	}
	delta := min(best1, rin, best3)
	// Push delta around the cycle.
	if delta > 0 {
		if p == s.src[in] {
			s.fc[in].flow += delta
		} else {
			s.fc[in].flow -= delta
		}
		for x := p; x != apex; x = s.tn[x].parent {
			a := s.tn[x].pedge
			if s.tn[x].down {
				s.fc[a].flow += delta
			} else {
				s.fc[a].flow -= delta
			}
		}
		for y := q; y != apex; y = s.tn[y].parent {
			a := s.tn[y].pedge
			if !s.tn[y].down {
				s.fc[a].flow += delta
			} else {
				s.fc[a].flow -= delta
			}
		}
	}
	var x, uIn, uOut int32
	switch {
	case best3 == delta:
		x, uIn, uOut = leave3, q, p
	case rin == delta:
		// The entering arc itself blocks: it moves to its other bound.
		s.state[in] = -s.state[in]
		return
	default:
		x, uIn, uOut = leave1, p, q
	}
	out := s.tn[x].pedge
	if s.fc[out].flow == 0 {
		s.state[out] = stateLower
	} else {
		s.state[out] = stateUpper
	}
	s.cut(x, apex)
	s.reroot(x, uIn)
	// New potential of uIn makes the entering arc's reduced cost 0.
	var d int64
	if s.tgt[in] == uIn {
		d = s.th[s.src[in]].pi + s.cost[in] - s.th[uIn].pi
	} else {
		d = s.th[s.tgt[in]].pi - s.cost[in] - s.th[uIn].pi
	}
	if d != 0 {
		// Only differences of potentials matter, so shift whichever side
		// is smaller: the detached subtree by d, or the rest by -d.
		v, k := uIn, s.tn[uIn].size
		if rest := int32(len(s.th)) - k; rest < k {
			v, k, d = s.root, rest, -d
		}
		for range k {
			s.th[v].pi += d
			v = s.th[v].next
		}
	}
	s.state[in] = stateTree
	s.link(uOut, uIn, int32(in), apex)
}

// cut detaches the subtree of t from its parent; the subtree keeps a
// circular thread of its own. Subtree sizes are updated on the ancestors
// below stop (-1: all of them): in a pivot the subtree moves within the
// apex's subtree, so sizes from the apex up do not change.
func (s *simplex) cut(t, stop int32) {
	st := s.tn[t].size
	for x := s.tn[t].parent; x != stop; x = s.tn[x].parent {
		s.tn[x].size -= st
	}
	lt := s.last[t]
	pt, nt := s.prev[t], s.th[lt].next
	s.th[pt].next, s.prev[nt] = nt, pt
	s.th[lt].next, s.prev[t] = t, lt
	for x := s.tn[t].parent; x >= 0 && s.last[x] == lt; x = s.tn[x].parent {
		s.last[x] = pt
	}
	s.tn[t].parent, s.tn[t].pedge = -1, -1
}

// link makes q, the root of a detached subtree, a child of p through arc
// a; q's subtree follows p in the thread. Sizes are updated as in cut.
func (s *simplex) link(p, q, a, stop int32) {
	s.tn[q].parent, s.tn[q].pedge, s.tn[q].down = p, a, s.tgt[a] == q
	sq := s.tn[q].size
	for x := p; x != stop; x = s.tn[x].parent {
		s.tn[x].size += sq
	}
	lq, np := s.last[q], s.th[p].next
	s.th[p].next, s.prev[q] = q, p
	s.th[lq].next, s.prev[np] = np, lq
	if s.last[p] == p {
		for x := p; x >= 0 && s.last[x] == p; x = s.tn[x].parent {
			s.last[x] = lq
		}
	}
}

// reroot makes u the root of the detached subtree rooted at r, reversing
// the parent pointers on the path between them.
func (s *simplex) reroot(r, u int32) {
	s.path = s.path[:0]
	for x := u; x != r; x = s.tn[x].parent {
		s.path = append(s.path, x)
	}
	// Walk down from r: each step cuts the child c on the path and hangs
	// the old root below it.
	top := r
	for i := len(s.path) - 1; i >= 0; i-- {
		c := s.path[i]
		a := s.tn[c].pedge
		s.cut(c, -1)
		s.link(c, top, a, -1)
		top = c
	}
}

// run pivots until no arc violates optimality.
func (s *simplex) run(ctx context.Context) error {
	for it := 0; ; it++ {
		if it&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		in := s.findEntering()
		if in < 0 {
			return nil
		}
		s.pivot(in)
	}
}

// solveSimplex solves g, already validated, by the network simplex.
func (g *Network) solveSimplex(ctx context.Context) (*Flow, error) {
	var total, maxCost int64
	for _, b := range g.supply {
		total += b
	}
	if total != 0 {
		return nil, fmt.Errorf("%w: supplies sum to %d, not 0", ErrInfeasible, total)
	}
	for _, a := range g.arcs {
		maxCost = max(maxCost, a.Cost, -a.Cost)
	}
	s := newSimplex(g, maxCost)
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	for v := 0; v < s.n; v++ {
		if s.fc[s.m+v].flow != 0 {
			return nil, g.infeasible(s)
		}
	}
	f := &Flow{Arcs: make([]int64, len(g.arcs))}
	for k, a := range g.arcs {
		f.Arcs[k] = a.Low + s.fc[s.order[k]].flow
	}
	var err error
	if f.Cost, err = g.total(f.Arcs); err != nil {
		return nil, err
	}
	return f, nil
}

// infeasible explains why no feasible flow exists, naming nodes and arcs
// by their 1-based DIMACS numbers: the nodes whose supply (after the lower
// bounds of their arcs are moved into it) could not be routed, and those
// lower bounds.
func (g *Network) infeasible(s *simplex) error {
	var parts []string
	var stuck int64
	shown := 0
	for v := 0; v < s.n; v++ {
		f := s.fc[s.m+v].flow
		if f == 0 {
			continue
		}
		stuck += f
		if shown == 3 {
			continue
		}
		shown++
		what := "supply"
		if s.src[s.m+v] == s.root {
			what = "demand"
		}
		msg := fmt.Sprintf("node %d: %d units of its %s cannot be routed (its own supply %d", v+1, f, what, g.supply[v])
		var lows []string
		for k, a := range g.arcs {
			if a.Low > 0 && (a.From == v || a.To == v) {
				if len(lows) == 3 {
					lows = append(lows, "...")
					break
				}
				lows = append(lows, fmt.Sprintf("arc %d (%d -> %d) lower bound %d", k+1, a.From+1, a.To+1, a.Low))
			}
		}
		if len(lows) > 0 {
			msg += "; lower bounds it must meet: " + strings.Join(lows, ", ")
		}
		parts = append(parts, msg+")")
	}
	return fmt.Errorf("%w: %s", ErrInfeasible, strings.Join(parts, "; "))
}
