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
// the leaving arc), so degenerate pivots cannot cycle.
//
// The tree is stored in parallel int32 arrays indexed by node: the parent,
// the arc to the parent and its direction, a preorder thread (next, prev,
// circular through the root), the subtree size and the subtree's last node
// in the thread. A pivot costs time in the length of the cycle and of the
// path it reverses, plus the smaller side of the tree for the potentials;
// nothing is allocated per pivot.
//
// Entering arcs are chosen by block search: the real arcs (the artificial
// ones never re-enter) are scanned cyclically in blocks of 1.5√m and
// the most violating arc of the first block holding one enters. Before
// that, each demand node's cheapest incoming arc is tried once (a crash
// start that routes most supply in a few pivots).
type simplex struct {
	n, m int // real nodes and arcs; arcs m..m+n-1 are artificial
	root int32

	// Per arc.
	src, tgt  []int32
	cost      []int64
	flow, cap []int64
	state     []int8

	// Per node (n+1 with the root). Reduced cost of arc a is
	// cost[a] + pi[src[a]] - pi[tgt[a]].
	pi           []int64
	parent, pred []int32
	up           []bool // the arc to the parent points from the node up to it
	next, prev   []int32
	size, last   []int32

	block, nextArc int
	stem, runs     []int32 // scratch for the path a pivot reverses
	order          []int32 // position of each real arc, in the order added
}

const simplexInf = sumLimit

func newSimplex(g *Network, maxCost int64) *simplex {
	n, m := len(g.supply), len(g.arcs)
	N := n + 1
	M := m + n
	s := &simplex{n: n, m: m, root: int32(n),
		src: make([]int32, M), tgt: make([]int32, M), cost: make([]int64, M),
		flow: make([]int64, M), cap: make([]int64, M), state: make([]int8, M),
		pi: make([]int64, N), parent: make([]int32, N), pred: make([]int32, N),
		up: make([]bool, N), next: make([]int32, N), prev: make([]int32, N),
		size: make([]int32, N), last: make([]int32, N),
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
		s.cap[k] = a.Cap - a.Low
		s.state[k] = stateLower
		b[a.From] -= a.Low
		b[a.To] += a.Low
	}
	art := (maxCost + 1) * int64(n+1)
	root := s.root
	for v := range n {
		k := m + v
		s.cost[k] = art
		s.cap[k] = simplexInf
		s.state[k] = stateTree
		if b[v] >= 0 {
			s.src[k], s.tgt[k] = int32(v), root
			s.flow[k] = b[v]
			s.pi[v] = -art
			s.up[v] = true
		} else {
			s.src[k], s.tgt[k] = root, int32(v)
			s.flow[k] = -b[v]
			s.pi[v] = art
		}
		s.parent[v] = root
		s.pred[v] = int32(k)
		s.size[v] = 1
		s.last[v] = int32(v)
		s.next[v] = int32(v + 1)
		s.prev[v] = int32(v - 1)
	}
	s.parent[root], s.pred[root] = -1, -1
	s.size[root] = int32(N)
	if n > 0 {
		s.next[root], s.prev[0] = 0, root
		s.next[n-1], s.prev[root] = root, int32(n-1)
		s.last[root] = int32(n - 1)
	} else {
		s.next[root], s.prev[root], s.last[root] = root, root, root
	}
	s.block = max(10, int(1.5*math.Sqrt(float64(m))))
	return s
}

// violation returns the violation of arc a: negative when it should enter.
func (s *simplex) violation(a int) int64 {
	return int64(s.state[a]) * (s.cost[a] + s.pi[s.src[a]] - s.pi[s.tgt[a]])
}

// findEntering returns a violating real arc by block search, or -1 when
// the tree is optimal.
func (s *simplex) findEntering() int {
	m := s.m
	best, in := int64(0), -1
	cnt := s.block
	e := s.nextArc
	for scanned := 0; scanned < m; {
		// Scan to the end of the block, of the arcs or of one full cycle,
		// whichever comes first.
		end := min(m, e+cnt, e+m-scanned)
		best, in = s.scan(e, end, best, in)
		n := end - e
		scanned += n
		if e = end; e == m {
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

// scan returns the most violating of arcs lo..hi-1 and best (whose arc is
// in), and its violation. Its loop reads four parallel slices cut to the
// same length, so the compiler drops their bounds checks, and keeps every
// live value in a register.
func (s *simplex) scan(lo, hi int, best int64, in int) (int64, int) {
	state := s.state[lo:hi]
	cost := s.cost[lo:hi][:len(state)]
	src := s.src[lo:hi][:len(state)]
	tgt := s.tgt[lo:hi][:len(state)]
	pi := s.pi
	k := -1
	for i, st := range state {
		// Tree arcs have state 0, so they never violate.
		if v := int64(st) * (cost[i] + pi[src[i]] - pi[tgt[i]]); v < best {
			best, k = v, i
		}
	}
	if k >= 0 {
		in = lo + k
	}
	return best, in
}

// crash pivots, once each, on the cheapest arc into every demand node that
// still violates optimality when its turn comes.
func (s *simplex) crash() {
	// Before any pivot, the demand nodes are those below the root.
	cheapest := make([]int32, s.n)
	for v := range cheapest {
		cheapest[v] = -1
	}
	for a := range s.m {
		t := s.tgt[a]
		if s.up[t] {
			continue
		}
		if c := cheapest[t]; c < 0 || s.cost[a] < s.cost[c] {
			cheapest[t] = int32(a)
		}
	}
	for _, a := range cheapest {
		if a >= 0 && s.violation(int(a)) < 0 {
			s.pivot(int(a))
		}
	}
}

// pivot brings arc in into the tree and sends flow around its cycle.
func (s *simplex) pivot(in int) {
	parent, pred, up, size := s.parent, s.pred, s.up, s.size
	flow, cp := s.flow, s.cap
	// Flow goes p -> q along the entering arc.
	p, q := s.src[in], s.tgt[in]
	if s.state[in] == stateUpper {
		p, q = q, p
	}
	// The apex: the deepest common ancestor (an ancestor's subtree is
	// strictly larger).
	w1, w2 := p, q
	for w1 != w2 {
		if size[w1] < size[w2] {
			w1 = parent[w1]
		} else {
			w2 = parent[w2]
		}
	}
	apex := w1
	// Cycle order from the apex: down to p, the entering arc, up from q
	// to the apex. The leaving arc is the last blocking one in that order.
	// Going down to p, the arc above x is traversed parent -> x: forward
	// when it points down; going up from q, forward when it points up.
	delta, out := s.cap[in], int32(-1)
	side := 0
	for x := p; x != apex; x = parent[x] {
		a := pred[x]
		r := flow[a]
		if !up[x] {
			r = cp[a] - r
		}
		if r < delta {
			delta, out, side = r, x, 1
		}
	}
	for y := q; y != apex; y = parent[y] {
		a := pred[y]
		r := flow[a]
		if up[y] {
			r = cp[a] - r
		}
		if r <= delta {
			delta, out, side = r, y, 2
		}
	}
	// Push delta around the cycle.
	if delta > 0 {
		if p == s.src[in] {
			flow[in] += delta
		} else {
			flow[in] -= delta
		}
		for x := p; x != apex; x = parent[x] {
			if a := pred[x]; up[x] {
				flow[a] -= delta
			} else {
				flow[a] += delta
			}
		}
		for y := q; y != apex; y = parent[y] {
			if a := pred[y]; up[y] {
				flow[a] += delta
			} else {
				flow[a] -= delta
			}
		}
	}
	if side == 0 {
		// The entering arc itself blocks: it moves to its other bound.
		s.state[in] = -s.state[in]
		return
	}
	uIn, vIn := p, q
	if side == 2 {
		uIn, vIn = q, p
	}
	a := pred[out]
	if flow[a] == 0 {
		s.state[a] = stateLower
	} else {
		s.state[a] = stateUpper
	}
	s.state[in] = stateTree
	s.retree(int32(in), uIn, vIn, out, apex)
	// New potential of uIn makes the entering arc's reduced cost 0; only
	// differences of potentials matter, so shift whichever side of the
	// tree is smaller: the moved subtree by d, or the rest by -d.
	var d int64
	if up[uIn] {
		d = s.pi[vIn] - s.cost[in] - s.pi[uIn]
	} else {
		d = s.pi[vIn] + s.cost[in] - s.pi[uIn]
	}
	if d != 0 {
		pi, next := s.pi, s.next
		v, k := uIn, size[uIn]
		if rest := int32(len(pi)) - k; rest < k {
			v, k, d = next[s.last[uIn]], rest, -d
		}
		for range k {
			pi[v] += d
			v = next[v]
		}
	}
}

// retree updates the tree after arc in (between uIn and vIn) enters and
// the arc joining out to its parent leaves, out being uIn or one of its
// ancestors below apex: the subtree of out is cut off, re-rooted at uIn by
// reversing the stem (the path from uIn up to out) and hung below vIn.
//
// In the thread, the new subtree is the old subtree of uIn followed, for
// each stem node s above it (child c on the stem), by s and the part of
// its old subtree before c, then the part after c's subtree. Every piece
// is a run of the old thread, so the new thread is spliced from at most
// two runs per stem node.
func (s *simplex) retree(in, uIn, vIn, out, apex int32) {
	parent, pred, up, next, prev, size, last := s.parent, s.pred, s.up, s.next, s.prev, s.size, s.last
	// The stem, and for each stem node x above uIn (child c on the stem)
	// the two runs of the old thread it brings: x to prev[c], and
	// next[last[c]] to last[x] when c's subtree does not end x's. Every
	// link is read before any is written.
	stem, runs := s.stem[:0], s.runs[:0]
	for x := uIn; ; x = parent[x] {
		if x != uIn {
			c := stem[len(stem)-1]
			after := int32(-1)
			if cl := last[c]; cl != last[x] {
				after = next[cl]
			}
			runs = append(runs, prev[c], after)
		}
		stem = append(stem, x)
		if x == out {
			break
		}
	}
	s.stem, s.runs = stem, runs
	vOut := parent[out]
	moved := size[out]
	outLast, before, after := last[out], prev[out], next[last[out]]

	// Build the new thread of the moved subtree from head uIn to tail.
	tail := last[uIn]
	for i := 1; i < len(stem); i++ {
		x := stem[i]
		next[tail], prev[x] = x, tail
		tail = runs[2*i-2]
		if a := runs[2*i-1]; a >= 0 {
			next[tail], prev[a] = a, tail
			tail = last[x]
		}
	}
	// Cut the old subtree of out from the thread; ancestors whose subtree
	// ended with it now end at the node before it.
	next[before], prev[after] = after, before
	for x := vOut; x >= 0 && last[x] == outLast; x = parent[x] {
		last[x] = before
	}
	// Hang the new subtree after vIn; ancestors whose subtree ended at vIn
	// now end at tail.
	nv := next[vIn]
	next[vIn], prev[uIn] = uIn, vIn
	next[tail], prev[nv] = nv, tail
	for x := vIn; x >= 0 && last[x] == vIn; x = parent[x] {
		last[x] = tail
	}
	// Reverse the stem, from out down to uIn: each stem node's parent
	// becomes its old child, its arc the child's old arc with the
	// direction turned, and its subtree all of the moved nodes but the
	// child's old subtree.
	for i := len(stem) - 1; i >= 1; i-- {
		x, c := stem[i], stem[i-1]
		parent[x], pred[x], up[x] = c, pred[c], !up[c]
		size[x] = moved - size[c]
		last[x] = tail
	}
	parent[uIn], pred[uIn], up[uIn] = vIn, in, s.src[in] == uIn
	size[uIn], last[uIn] = moved, tail
	// Sizes on the two paths to the apex (above it nothing changes).
	for x := vOut; x != apex; x = parent[x] {
		size[x] -= moved
	}
	for x := vIn; x != apex; x = parent[x] {
		size[x] += moved
	}
}

// run pivots until no arc violates optimality.
func (s *simplex) run(ctx context.Context) error {
	s.crash()
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
		if s.flow[s.m+v] != 0 {
			return nil, g.infeasible(s)
		}
	}
	f := &Flow{Arcs: make([]int64, len(g.arcs))}
	for k, a := range g.arcs {
		f.Arcs[k] = a.Low + s.flow[s.order[k]]
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
		f := s.flow[s.m+v]
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
