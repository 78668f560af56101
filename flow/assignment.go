package flow

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
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
	fee              []int64 // per unit assigned to the provider; nil when none
	penalty          []int64
	hasPenalty       []bool
	arcs             []assignArc
	// source, when set, yields the arcs instead of arcs (the recognised
	// fast path of Network.Solve reads them from the network without a
	// copy); orig is then what the result's Arc reports.
	source func(yield func(need, provider int32, cost int64, orig int32))
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
func (a *Assignment) NumArcs() int {
	n := 0
	a.each(func(int32, int32, int64, int32) { n++ })
	return n
}

// each yields every arc with the index a result's Arc reports for it.
func (a *Assignment) each(yield func(need, provider int32, cost int64, orig int32)) {
	if a.source != nil {
		a.source(yield)
		return
	}
	for k, e := range a.arcs {
		yield(e.need, e.provider, e.cost, int32(k))
	}
}

// SetCapacity sets how many needs provider p may take.
func (a *Assignment) SetCapacity(p int, c int64) { a.capacity[p] = c }

// SetFee charges cost for each need assigned to provider p, on top of the
// arc's cost (a per-provider fee, or the cost of a provider-to-sink arc in a
// transportation model). The result's Cost includes the fees.
func (a *Assignment) SetFee(p int, cost int64) {
	if a.fee == nil {
		a.fee = make([]int64, a.providers)
	}
	a.fee[p] = cost
}

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
	var maxCost int64
	for p, c := range a.capacity {
		if c < 0 || c > MaxValue {
			return fmt.Errorf("%w: provider %d: capacity %d", ErrInvalid, p, c)
		}
	}
	for i, c := range a.penalty {
		if c > MaxValue || c < -MaxValue {
			return fmt.Errorf("%w: need %d: penalty %d out of range", ErrInvalid, i, c)
		}
		maxCost = max(maxCost, c, -c)
	}
	for p, c := range a.fee {
		if c > MaxValue || c < -MaxValue {
			return fmt.Errorf("%w: provider %d: fee %d out of range", ErrInvalid, p, c)
		}
	}
	var bad error
	a.each(func(need, provider int32, cost int64, k int32) {
		switch {
		case bad != nil:
		case need < 0 || int(need) >= a.needs:
			bad = fmt.Errorf("%w: arc %d: need %d out of range", ErrInvalid, k, need)
		case provider < 0 || int(provider) >= a.providers:
			bad = fmt.Errorf("%w: arc %d: provider %d out of range", ErrInvalid, k, provider)
		case cost > MaxValue || cost < -MaxValue:
			bad = fmt.Errorf("%w: arc %d: cost %d out of range", ErrInvalid, k, cost)
		default:
			if a.fee != nil {
				cost += a.fee[provider]
			}
			maxCost = max(maxCost, cost, -cost)
		}
	})
	if bad != nil {
		return bad
	}
	if !potentialFits(a.needs+a.providers, maxCost) {
		return fmt.Errorf("%w: %d needs and providers with costs up to %d: potentials could overflow", ErrInvalid, a.needs+a.providers, maxCost)
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
	return a.solve(ctx)
}

// solve is Solve for a problem already known to be valid.
func (a *Assignment) solve(ctx context.Context) (*AssignmentResult, error) {
	s := newAssignSolver(a)
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	res := &AssignmentResult{Provider: make([]int, a.needs), Arc: make([]int, a.needs)}
	var total costSum
	for i := 0; i < a.needs; i++ {
		k := s.match[i]
		p := int(s.arcs[k].prov)
		if p == s.unmet {
			res.Provider[i], res.Arc[i] = -1, -1
			res.Unmet++
		} else {
			res.Provider[i], res.Arc[i] = p, int(s.orig[k])
		}
		total.add(1, s.arcs[k].cost)
	}
	var err error
	if res.Cost, err = total.int64(); err != nil {
		return nil, err
	}
	return res, nil
}

// assignSolver holds the arcs in compressed rows by need; the unmet option
// is a provider (index unmet) of unlimited capacity.
type assignSolver struct {
	n, m, unmet int
	start       []int32 // arcs of need i: start[i]..start[i+1]
	arcs        []sArc
	orig        []int32   // index of the arc as added, -1 for penalty arcs
	hot         []provHot // what the inner loop reads, kept small
	ps          []provState
	match       []int32   // arc used by need i, -1 if none yet
	members     [][]int32 // needs assigned to each provider
	pos         []int32   // index of need i in members[provider]
	potNeed     []int64
	blocked     []bool  // need i has an arc to a provider of capacity 0; nil if none has
	sorted      []uint8 // 2 once need's arcs are sorted by cost, else times searched
	// Scratch of sortArcs.
	sortKeys  []uint64
	sortArcs2 []sArc
	sortOrig  []int32
	// Dijkstra state, reset through touched after each search.
	touched   []int32
	heap      rheap
	scanNeeds []int32
}

type sArc struct {
	cost int64
	prov int32
}

// provHot is what relaxing an arc reads about a provider: its tentative
// distance and its potential, 16 bytes so that many fit in cache.
type provHot struct {
	dist int64
	pot  int64
}

// provState is the rest of a provider's state.
type provState struct {
	load     int64
	capacity int64
	predArc  int32 // arc by which the provider was reached
	predNeed int32 // the need whose arc that is
	scanned  bool
}

const infDist = int64(1) << 62

func newAssignSolver(a *Assignment) *assignSolver {
	n, m := a.needs, a.providers
	s := &assignSolver{n: n, m: m, unmet: m}
	s.start = make([]int32, n+1)
	// An arc to a provider of capacity 0 can carry nothing, and searching
	// it costs as much as any other (a fifth to a quarter of the arcs of
	// the tight bench instances): it is left out, and its need marked.
	each := a.each
	each(func(need, provider int32, _ int64, _ int32) {
		if a.capacity[provider] > 0 {
			s.start[need+1]++
		} else {
			if s.blocked == nil {
				s.blocked = make([]bool, n)
			}
			s.blocked[need] = true
		}
	})
	for i := 0; i < n; i++ {
		if a.hasPenalty[i] {
			s.start[i+1]++
		}
	}
	for i := 0; i < n; i++ {
		s.start[i+1] += s.start[i]
	}
	total := s.start[n]
	s.arcs = make([]sArc, total)
	s.orig = make([]int32, total)
	fill := make([]int32, n)
	copy(fill, s.start[:n])
	each(func(need, provider int32, c int64, orig int32) {
		if a.capacity[provider] == 0 {
			return
		}
		j := fill[need]
		fill[need]++
		if a.fee != nil {
			c += a.fee[provider]
		}
		s.arcs[j], s.orig[j] = sArc{c, provider}, orig
	})
	for i := 0; i < n; i++ {
		if a.hasPenalty[i] {
			j := fill[i]
			s.arcs[j], s.orig[j] = sArc{a.penalty[i], int32(m)}, -1
		}
	}
	s.ps = make([]provState, m+1)
	s.hot = make([]provHot, m+1)
	for j := range s.ps {
		s.hot[j].dist = infDist
		if j < m {
			s.ps[j].capacity = a.capacity[j]
		} else {
			s.ps[j].capacity = int64(n) + 1
		}
	}
	s.heap.init(m + 1)
	s.match = make([]int32, n)
	s.members = make([][]int32, m+1)
	s.pos = make([]int32, n)
	s.potNeed = make([]int64, n)
	s.sorted = make([]uint8, n)
	return s
}

func (s *assignSolver) assign(i int32, k int32) {
	p := s.arcs[k].prov
	s.match[i] = k
	s.ps[p].load++
	if p != int32(s.unmet) {
		s.pos[i] = int32(len(s.members[p]))
		s.members[p] = append(s.members[p], i)
	}
}

func (s *assignSolver) unassign(i int32) {
	p := s.arcs[s.match[i]].prov
	s.ps[p].load--
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
			if s.blocked != nil && s.blocked[i] {
				// Its arcs all go to providers of capacity 0:
				// augment reports it, as it would have.
				free = append(free, int32(i))
				continue
			}
			return &needError{need: i, msg: "has no arc and no penalty"}
		}
		best := lo
		for k := lo + 1; k < hi; k++ {
			if s.arcs[k].cost < s.arcs[best].cost {
				best = k
			}
		}
		s.potNeed[i] = -s.arcs[best].cost
		if p := s.arcs[best].prov; s.ps[p].load < s.ps[p].capacity {
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

// augment assigns free need src along a shortest alternating path: a
// Dijkstra search over providers on reduced costs that stops at the first
// provider with a free slot. bound is the shortest distance to such a
// provider seen so far; nothing at or beyond it is queued.
func (s *assignSolver) augment(src int32) error {
	s.scanNeeds = append(s.scanNeeds[:0], src)
	bound := infDist
	bound = s.relaxNeed(src, 0, bound)
	term := int32(-1)
	var dT int64
	for s.heap.n > 0 {
		d, j := s.heap.pop()
		p := &s.ps[j]
		if p.load < p.capacity {
			term, dT = j, d
			break
		}
		p.scanned = true
		for _, i := range s.members[j] {
			s.scanNeeds = append(s.scanNeeds, i)
			bound = s.relaxNeed(i, d, bound)
		}
	}
	if term < 0 {
		s.reset()
		return &needError{need: int(src), msg: "has no penalty and cannot be assigned: every provider it has an arc to is full"}
	}
	// Potentials: finalized nodes move by d - dT, the rest stay, so reduced
	// costs stay non-negative and the path becomes tight.
	for _, i := range s.scanNeeds {
		var d int64
		if i != src {
			d = s.hot[s.arcs[s.match[i]].prov].dist
		}
		s.potNeed[i] += d - dT
	}
	for _, j := range s.touched {
		if s.ps[j].scanned {
			h := &s.hot[j]
			h.pot += h.dist - dT
		}
	}
	// Walk back from the terminal, moving each need on the path to the
	// provider that follows it; a need left its previous provider, which
	// was reached earlier on the path.
	j := term
	for {
		k, i := s.ps[j].predArc, s.ps[j].predNeed
		if i == src {
			s.assign(i, k)
			break
		}
		prev := s.arcs[s.match[i]].prov
		s.unassign(i)
		s.assign(i, k)
		j = prev
	}
	s.reset()
	return nil
}

// sortArcs orders need i's arcs by cost, ties in their present order (as a
// stable sort would), keeping orig and match in step. Each arc is sorted as
// one integer key, cost above position: a solver cost (arc cost plus fee)
// lies within ±2·MaxValue, so cost+2·MaxValue takes 43 bits and leaves 21
// for the position; a need with more arcs than that sorts by comparison.
func (s *assignSolver) sortArcs(i int32) {
	lo, hi := s.start[i], s.start[i+1]
	arcs, orig := s.arcs[lo:hi], s.orig[lo:hi]
	matched := int32(-1)
	if k := s.match[i]; k >= 0 {
		matched = k - lo
	}
	const posBits = 21
	const mask = 1<<posBits - 1
	keys := s.sortKeys[:0]
	packed := len(arcs) <= 1<<posBits
	for x := range arcs {
		if packed {
			keys = append(keys, uint64(arcs[x].cost+2*MaxValue)<<posBits|uint64(x))
		} else {
			keys = append(keys, uint64(x))
		}
	}
	if packed {
		slices.Sort(keys)
	} else {
		slices.SortFunc(keys, func(a, b uint64) int {
			if c := cmp.Compare(arcs[a].cost, arcs[b].cost); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	}
	sa, so := s.sortArcs2[:0], s.sortOrig[:0]
	for x, key := range keys {
		pos := int32(key)
		if packed {
			pos = int32(key & mask)
		}
		sa, so = append(sa, arcs[pos]), append(so, orig[pos])
		if pos == matched {
			s.match[i] = lo + int32(x)
		}
	}
	copy(arcs, sa)
	copy(orig, so)
	s.sortKeys, s.sortArcs2, s.sortOrig = keys, sa, so
}

// relaxNeed relaxes the arcs of need i, reached at distance d, and
// returns the new bound.
func (s *assignSolver) relaxNeed(i int32, d int64, bound int64) int64 {
	// A need searched once is usually not searched again (loose
	// problems); a need searched twice will be searched often, and
	// sorting its arcs lets every later search stop early.
	sorted := s.sorted[i] == 2
	if !sorted {
		if s.sorted[i]++; s.sorted[i] == 2 {
			s.sortArcs(i)
			sorted = true
		}
	}
	base := d + s.potNeed[i]
	lo, hi := s.start[i], s.start[i+1]
	arcs := s.arcs[lo:hi]
	for x := range arcs {
		a := &arcs[x]
		// Provider potentials never rise above 0, so once the arcs are
		// sorted no later arc can reach below the bound.
		if base+a.cost >= bound {
			if sorted {
				break
			}
			continue
		}
		// A scanned provider has dist at most the current distance, so
		// the comparison below skips it too.
		h := &s.hot[a.prov]
		nd := base + a.cost - h.pot
		if nd >= h.dist || nd >= bound {
			continue
		}
		if h.dist == infDist {
			s.touched = append(s.touched, a.prov)
		}
		h.dist = nd
		p := &s.ps[a.prov]
		p.predArc = lo + int32(x)
		p.predNeed = i
		if p.load < p.capacity {
			bound = nd
		}
		s.heap.set(nd, a.prov)
	}
	return bound
}

func (s *assignSolver) reset() {
	s.heap.clear()
	for _, j := range s.touched {
		s.hot[j].dist = infDist
		s.ps[j].scanned = false
	}
	s.touched = s.touched[:0]
}

// rheap is a radix heap of providers by tentative distance, each at most
// once: the distances popped never decrease (Dijkstra's), so a provider
// waits in the bucket of the highest bit in which its distance differs
// from the last one popped, and the first non-empty bucket is spread over
// lower ones when bucket 0 is empty. A shorter distance moves a queued
// provider to its new bucket.
type rheap struct {
	last    int64  // the last distance popped
	used    uint64 // bit b-1 set when bucket b (1..64) may be non-empty
	n       int
	buckets [65][]heapItem
	// Where provider v is queued: buckets[bucket[v]][pos[v]]; pos[v] is
	// -1 when it is not.
	bucket []uint8
	pos    []int32
}

func (h *rheap) init(providers int) {
	h.bucket = make([]uint8, providers)
	h.pos = make([]int32, providers)
	for j := range h.pos {
		h.pos[j] = -1
	}
}

// set queues provider v at distance d, or moves it to d if it is queued
// farther.
func (h *rheap) set(d int64, v int32) {
	if i := h.pos[v]; i >= 0 {
		h.remove(int(h.bucket[v]), i)
	} else {
		h.n++
	}
	h.put(d, v)
}

func (h *rheap) put(d int64, v int32) {
	b := bits.Len64(uint64(d ^ h.last))
	h.pos[v], h.bucket[v] = int32(len(h.buckets[b])), uint8(b)
	h.buckets[b] = append(h.buckets[b], heapItem{d, v})
	if b > 0 {
		h.used |= 1 << (b - 1)
	}
}

// remove takes entry i out of bucket b, moving the bucket's last entry
// into its place.
func (h *rheap) remove(b int, i int32) {
	items := h.buckets[b]
	last := items[len(items)-1]
	items[i] = last
	h.pos[last.v] = i
	h.buckets[b] = items[:len(items)-1]
}

// pop removes a provider of the least distance; the heap must not be
// empty.
func (h *rheap) pop() (int64, int32) {
	if len(h.buckets[0]) == 0 {
		b := bits.TrailingZeros64(h.used) + 1
		for len(h.buckets[b]) == 0 { // emptied by moves
			h.used &^= 1 << (b - 1)
			b = bits.TrailingZeros64(h.used) + 1
		}
		h.used &^= 1 << (b - 1)
		items := h.buckets[b]
		h.buckets[b] = items[:0]
		m := items[0].d
		for _, it := range items[1:] {
			m = min(m, it.d)
		}
		h.last = m
		for _, it := range items {
			h.put(it.d, it.v)
		}
	}
	b0 := h.buckets[0]
	it := b0[len(b0)-1]
	h.buckets[0] = b0[:len(b0)-1]
	h.pos[it.v] = -1
	h.n--
	return it.d, it.v
}

// clear empties the heap for a new search from distance 0.
func (h *rheap) clear() {
	for _, it := range h.buckets[0] {
		h.pos[it.v] = -1
	}
	h.buckets[0] = h.buckets[0][:0]
	for h.used != 0 {
		b := bits.TrailingZeros64(h.used) + 1
		h.used &^= 1 << (b - 1)
		for _, it := range h.buckets[b] {
			h.pos[it.v] = -1
		}
		h.buckets[b] = h.buckets[b][:0]
	}
	h.n, h.last = 0, 0
}

// needError is the infeasibility of one need; Network.Solve renames the
// need by its node.
type needError struct {
	need int
	msg  string
}

func (e *needError) Error() string {
	return fmt.Sprintf("%v: need %d %s", ErrInfeasible, e.need, e.msg)
}

func (e *needError) Unwrap() error { return ErrInfeasible }
