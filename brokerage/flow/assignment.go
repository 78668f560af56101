package flow

import (
	"context"
	"fmt"
)

// Assignment is a capacitated semi-assignment problem: each need is assigned
// to at most one provider through one of its arcs, each provider takes at
// most its capacity, and a need left unassigned costs its penalty (a need
// without a penalty must be assigned). It is a transportation problem with
// unit supplies; [Assignment.Solve] exploits that structure.
//
// Build it with [NewAssignment], then SetCapacity, SetPenalty and AddArc.
type Assignment struct {
	needs, providers int
	capacity         []int64
	penalty          []int64
	hasPenalty       []bool
	arcs             []assignArc
}

type assignArc struct {
	need, provider int32
	cost           int64
}

// NewAssignment returns a problem with the given numbers of needs and
// providers, every capacity 0 and no penalties.
func NewAssignment(needs, providers int) *Assignment {
	return &Assignment{
		needs: needs, providers: providers,
		capacity:   make([]int64, providers),
		penalty:    make([]int64, needs),
		hasPenalty: make([]bool, needs),
	}
}

// Needs returns the number of needs.
func (a *Assignment) Needs() int { return a.needs }

// Providers returns the number of providers.
func (a *Assignment) Providers() int { return a.providers }

// NumArcs returns the number of arcs added.
func (a *Assignment) NumArcs() int { return len(a.arcs) }

// SetCapacity sets how many needs provider p may take.
func (a *Assignment) SetCapacity(p int, c int64) { a.capacity[p] = c }

// SetPenalty lets need i stay unassigned at the given cost.
func (a *Assignment) SetPenalty(i int, cost int64) {
	a.penalty[i] = cost
	a.hasPenalty[i] = true
}

// AddArc lets need i be assigned to provider p at the given cost. Parallel
// arcs are allowed; the cheapest counts.
func (a *Assignment) AddArc(i, p int, cost int64) {
	a.arcs = append(a.arcs, assignArc{int32(i), int32(p), cost})
}

// AssignmentResult is an optimal assignment.
type AssignmentResult struct {
	// Cost is the total cost of the arcs used plus the penalties of the
	// needs left unassigned.
	Cost int64
	// Provider[i] is the provider need i is assigned to, or -1.
	Provider []int
	// Arc[i] is the index (in the order added) of the arc need i uses, or -1.
	Arc []int
	// Unmet is the number of needs left unassigned.
	Unmet int
}

func (a *Assignment) validate() error {
	if a.needs < 0 || a.providers < 0 || a.needs >= 1<<31-1 || a.providers >= 1<<31-2 {
		return fmt.Errorf("%w: size", ErrInvalid)
	}
	for p, c := range a.capacity {
		if c < 0 || c > MaxValue {
			return fmt.Errorf("%w: provider %d: capacity %d", ErrInvalid, p, c)
		}
	}
	for i, c := range a.penalty {
		if c > MaxValue || c < -MaxValue {
			return fmt.Errorf("%w: need %d: penalty %d out of range", ErrInvalid, i, c)
		}
	}
	for k, e := range a.arcs {
		switch {
		case e.need < 0 || int(e.need) >= a.needs:
			return fmt.Errorf("%w: arc %d: need %d out of range", ErrInvalid, k, e.need)
		case e.provider < 0 || int(e.provider) >= a.providers:
			return fmt.Errorf("%w: arc %d: provider %d out of range", ErrInvalid, k, e.provider)
		case e.cost > MaxValue || e.cost < -MaxValue:
			return fmt.Errorf("%w: arc %d: cost %d out of range", ErrInvalid, k, e.cost)
		}
	}
	return nil
}

// Solve returns an optimal assignment. It returns ErrInvalid for a malformed
// problem, ErrInfeasible when a need without a penalty cannot be assigned,
// and ctx.Err() when ctx ends first.
func (a *Assignment) Solve(ctx context.Context) (*AssignmentResult, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	s := newAssignSolver(a)
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	res := &AssignmentResult{Provider: make([]int, a.needs), Arc: make([]int, a.needs)}
	for i := 0; i < a.needs; i++ {
		k := s.match[i]
		p := int(s.prov[k])
		if p == s.unmet {
			res.Provider[i], res.Arc[i] = -1, -1
			res.Unmet++
		} else {
			res.Provider[i], res.Arc[i] = p, int(s.orig[k])
		}
		res.Cost += s.cost[k]
	}
	return res, nil
}

// assignSolver holds the arcs in compressed rows by need; the unmet option
// is a provider (index unmet) of unlimited capacity.
type assignSolver struct {
	n, m, unmet int
	start       []int32 // arcs of need i: start[i]..start[i+1]
	prov        []int32
	cost        []int64
	orig        []int32 // index of the arc as added, -1 for penalty arcs
	owner       []int32 // need of each arc
	capacity    []int64
	load        []int64
	match       []int32   // arc used by need i, -1 if none yet
	members     [][]int32 // needs assigned to each provider
	pos         []int32   // index of need i in members[provider]
	potNeed     []int64
	potProv     []int64
	// Dijkstra state, reset through touched after each search.
	dist      []int64
	predArc   []int32 // arc by which a provider was reached
	scanned   []bool
	touched   []int32
	heap      dheap
	scanNeeds []int32
}

const infDist = int64(1) << 62

func newAssignSolver(a *Assignment) *assignSolver {
	n, m := a.needs, a.providers
	s := &assignSolver{n: n, m: m, unmet: m}
	s.start = make([]int32, n+1)
	for _, e := range a.arcs {
		s.start[e.need+1]++
	}
	for i := 0; i < n; i++ {
		if a.hasPenalty[i] {
			s.start[i+1]++
		}
	}
	for i := 0; i < n; i++ {
		s.start[i+1] += s.start[i]
	}
	total := s.start[n]
	s.prov = make([]int32, total)
	s.cost = make([]int64, total)
	s.orig = make([]int32, total)
	s.owner = make([]int32, total)
	fill := make([]int32, n)
	copy(fill, s.start[:n])
	for k, e := range a.arcs {
		j := fill[e.need]
		fill[e.need]++
		s.prov[j], s.cost[j], s.orig[j], s.owner[j] = e.provider, e.cost, int32(k), e.need
	}
	for i := 0; i < n; i++ {
		if a.hasPenalty[i] {
			j := fill[i]
			s.prov[j], s.cost[j], s.orig[j], s.owner[j] = int32(m), a.penalty[i], -1, int32(i)
		}
	}
	s.capacity = make([]int64, m+1)
	copy(s.capacity, a.capacity)
	s.capacity[m] = int64(n) + 1
	s.load = make([]int64, m+1)
	s.match = make([]int32, n)
	s.members = make([][]int32, m+1)
	s.pos = make([]int32, n)
	s.potNeed = make([]int64, n)
	s.potProv = make([]int64, m+1)
	s.dist = make([]int64, m+1)
	s.predArc = make([]int32, m+1)
	s.scanned = make([]bool, m+1)
	for j := range s.dist {
		s.dist[j] = infDist
	}
	return s
}

func (s *assignSolver) assign(i int32, k int32) {
	p := s.prov[k]
	s.match[i] = k
	s.load[p]++
	if p != int32(s.unmet) {
		s.pos[i] = int32(len(s.members[p]))
		s.members[p] = append(s.members[p], i)
	}
}

func (s *assignSolver) unassign(i int32) {
	p := s.prov[s.match[i]]
	s.load[p]--
	if p != int32(s.unmet) {
		ms := s.members[p]
		last := ms[len(ms)-1]
		ms[s.pos[i]] = last
		s.pos[last] = s.pos[i]
		s.members[p] = ms[:len(ms)-1]
	}
	s.match[i] = -1
}

func (s *assignSolver) run(ctx context.Context) error {
	// Warm start: potentials make each need's cheapest arc tight (reduced
	// cost 0, provider potentials 0); give each need that arc while its
	// provider has room. Every assigned arc is tight and every other arc
	// has a non-negative reduced cost, so the partial assignment is optimal
	// for the needs it covers.
	var free []int32
	for i := 0; i < s.n; i++ {
		s.match[i] = -1
		lo, hi := s.start[i], s.start[i+1]
		if lo == hi {
			return fmt.Errorf("%w: need %d has no arc and no penalty", ErrInfeasible, i)
		}
		best := lo
		for k := lo + 1; k < hi; k++ {
			if s.cost[k] < s.cost[best] {
				best = k
			}
		}
		s.potNeed[i] = -s.cost[best]
		if p := s.prov[best]; s.load[p] < s.capacity[p] {
			s.assign(int32(i), best)
		} else {
			free = append(free, int32(i))
		}
	}
	for c, i := range free {
		if c&255 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := s.augment(i); err != nil {
			return err
		}
	}
	return nil
}

// augment assigns free need src along a shortest alternating path.
func (s *assignSolver) augment(src int32) error {
	s.heap = s.heap[:0]
	s.scanNeeds = append(s.scanNeeds[:0], src)
	s.relaxNeed(src, 0)
	term := int32(-1)
	var dT int64
	for len(s.heap) > 0 {
		d, j := s.heap.pop()
		if s.scanned[j] || d > s.dist[j] {
			continue
		}
		if s.load[j] < s.capacity[j] {
			term, dT = j, d
			break
		}
		s.scanned[j] = true
		for _, i := range s.members[j] {
			s.scanNeeds = append(s.scanNeeds, i)
			s.relaxNeed(i, d)
		}
	}
	if term < 0 {
		s.reset()
		return fmt.Errorf("%w: need %d has no penalty and cannot be assigned", ErrInfeasible, src)
	}
	// Potentials: finalized nodes move by d - dT, the rest stay, so reduced
	// costs stay non-negative and the path becomes tight.
	for _, i := range s.scanNeeds {
		var d int64
		if i != src {
			d = s.dist[s.prov[s.match[i]]]
		}
		s.potNeed[i] += d - dT
	}
	for _, j := range s.touched {
		if s.scanned[j] {
			s.potProv[j] += s.dist[j] - dT
		}
	}
	// Walk back from the terminal, moving each need on the path to the
	// provider that follows it; a need left its previous provider, which
	// was reached earlier on the path.
	j := term
	for {
		k := s.predArc[j]
		i := s.owner[k]
		if i == src {
			s.assign(i, k)
			break
		}
		prev := s.prov[s.match[i]]
		s.unassign(i)
		s.assign(i, k)
		j = prev
	}
	s.reset()
	return nil
}

func (s *assignSolver) relaxNeed(i int32, d int64) {
	base := d + s.potNeed[i]
	for k := s.start[i]; k < s.start[i+1]; k++ {
		j := s.prov[k]
		if s.scanned[j] {
			continue
		}
		nd := base + s.cost[k] - s.potProv[j]
		if nd < s.dist[j] {
			if s.dist[j] == infDist {
				s.touched = append(s.touched, j)
			}
			s.dist[j] = nd
			s.predArc[j] = k
			s.heap.push(nd, j)
		}
	}
}

func (s *assignSolver) reset() {
	for _, j := range s.touched {
		s.dist[j] = infDist
		s.scanned[j] = false
	}
	s.touched = s.touched[:0]
}

// dheap is a 4-ary min-heap of (distance, provider) pairs with lazy
// deletion: stale entries are skipped when popped.
type dheap []heapItem

func (h *dheap) push(d int64, v int32) {
	*h = append(*h, heapItem{d, v})
	a := *h
	i := len(a) - 1
	it := a[i]
	for i > 0 {
		p := (i - 1) >> 2
		if a[p].d <= it.d {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = it
}

func (h *dheap) pop() (int64, int32) {
	a := *h
	top := a[0]
	n := len(a) - 1
	it := a[n]
	a = a[:n]
	if n > 0 {
		i := 0
		for {
			c := 4*i + 1
			if c >= n {
				break
			}
			m := c
			end := c + 4
			if end > n {
				end = n
			}
			for x := c + 1; x < end; x++ {
				if a[x].d < a[m].d {
					m = x
				}
			}
			if it.d <= a[m].d {
				break
			}
			a[i] = a[m]
			i = m
		}
		a[i] = it
	}
	*h = a
	return top.d, top.v
}
