package review

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// candidate is a reviewer–school pair that every rule on the pair allows,
// with its arcs in the flow (−1 when absent).
type candidate struct {
	r, s                    int32 // indices into the area's reviewers and schools
	lead, peer              bool
	newPeer                 bool
	leadCost, peerCost      int64
	km, fit                 float64
	pair                    int32 // directed (home, school) pair, or −1
	split, leadArc, peerArc int32
}

// rank is the cheaper of the candidate's costs, the order candidates are
// chosen in.
func (c *candidate) rank() int64 {
	switch {
	case c.lead && (!c.peer || c.leadCost < c.peerCost):
		return c.leadCost
	case c.peer:
		return c.peerCost
	}
	return math.MaxInt64
}

// areaProblem is one component's candidate graph and flow.
type areaProblem struct {
	in        *instance
	a         area
	cands     []candidate
	candOf    map[[2]int32]int32
	pairs     [][2]int
	pairID    map[[2]int]int32
	pairCands [][]int32
	reverse   []int32
	places    int
	newCap    int
	placePen  int64
	leadPen   int64
	g         *flow.Incremental
	revNode   []int
	slot      [][3]int // per school: lead, peer and new-peer nodes
	penLead   []int
	penPeer   []int
	cutAll    []int64 // per school: every eligible pair left out costs at least this
	cutLead   []int64 // per school: every lead-eligible pair left out leads for at least this
	revGrid   *grid
	pruned    bool
	priced    int
	unbounded bool
	bySchool  [][]int32
	reach     []float64 // per school, the farthest candidate's distance
	// xbound is the exact search's bound at its root, when it ran; xsh
	// what its searches share.
	xbound *xbound
	xsh    *exactShared
}

// areaSolution is the outcome of one component.
type areaSolution struct {
	teams      []Team
	shortfalls []Shortfall
	result     AreaResult
}

// flowSolution is one decoded flow.
type flowSolution struct {
	g            *flow.Incremental
	cost         int64 // with penalties
	leadsMissing int
	unfilled     int
	leadOf       []int32 // school -> candidate of its lead, or −1
	peersOf      [][]int32
	used         []int32 // places per pair
}

func (in *instance) solveArea(ctx context.Context, a area) (*areaSolution, error) {
	p := in.newProblem(a)
	p.build()
	if err := p.g.Solve(ctx); err != nil {
		return nil, err
	}
	if p.pruned {
		if err := p.price(ctx); err != nil {
			return nil, err
		}
	}
	root := p.decode(p.g)
	bound := root // the relaxation's optimum, lexicographically a lower bound
	st := p.state(root)
	nodes, bans := 1, 0
	optimal := !p.unbounded
	if conf := p.conflicts(root); len(conf) > 0 {
		had := make([][2]int, len(p.a.schools)) // lead, peers from the flow
		for s := range had {
			had[s] = [2]int{min(1, len(st.teams[s])-st.peers(s)), st.peers(s)}
		}
		bans = st.repair(conf)
		for range 2 {
			if st.improve(slices.Clone(st.changed)) == 0 {
				break
			}
		}
		// A place the flow filled and the bounded chains left empty is
		// filled by a chain of any length when one exists.
		for _, s := range slices.Clone(st.changed) {
			if had[s][0] > 0 && !st.hasLead(int(s)) {
				st.deepFill(s, true)
			}
			for st.peers(int(s)) < had[s][1] && st.deepFill(s, false) {
			}
		}
		limit := in.rules.SearchNodes
		if limit == 0 {
			limit = 8
		}
		if len(conf) > 4*limit {
			// Branching on one of so many conflicts cannot close the
			// gap within the limit; each node would copy the whole flow.
			limit = 0
		}
		incumbent := st.cost()
		found, proven, n, err := p.branchAndBound(ctx, root, incumbent, limit)
		if err != nil {
			return nil, err
		}
		nodes += n
		if found != nil {
			st, incumbent = p.state(found), found.cost
		}
		// The search proves the best optimal when no open node could beat
		// it; that holds over every pair only if no pair was left out.
		// (An open node's weighted bound says nothing about leads and
		// places apart, so it is not used.)
		optimal = optimal && !p.pruned && proven >= incumbent
	}
	exact := false
	if st.fillAll(); !optimal && len(p.a.schools) <= boundSchools {
		// Where the flow's bound does not settle leads and places, a
		// bound that sees the reciprocal and one-per-school rules may,
		// and a small component is searched exactly (see exactSearch).
		if l, u, _ := st.score(); l != bound.leadsMissing || u != bound.unfilled {
			var err error
			var n int
			if st, exact, n, err = p.exact(ctx, st, len(p.a.schools) <= exactSchools); err != nil {
				return nil, err
			}
			nodes += n
		}
		if exact {
			optimal, p.unbounded = true, false
		}
	}
	if !optimal && len(p.a.schools) > exactSchools {
		if l, u, _ := st.score(); (l != bound.leadsMissing || u != bound.unfilled) &&
			(p.xbound == nil || l != p.xbound.leadsMissing || u != p.xbound.unfilled) {
			// Too large to search whole: search around each short team.
			n, err := p.improveLocally(ctx, st)
			if err != nil {
				return nil, err
			}
			nodes += n
		}
	}
	sol := p.finish(bound, st, nodes, bans, optimal)
	sol.result.Exact = exact
	if x := p.xbound; x != nil && x.leadsMissing == sol.result.LeadsMissing && x.unfilled == sol.result.Unfilled {
		how := "an exact search of"
		if !exact {
			how = "a bound over"
		}
		for i := range sol.shortfalls {
			sol.shortfalls[i].Reason += fmt.Sprintf("; %s the %d schools that share these reviewers shows that no allocation has more leads or fills more places", how, len(p.a.schools))
		}
	}
	return sol, nil
}

// evaluate returns the candidate for reviewer r and school s (area
// indices) and whether any place on the team is open to the reviewer.
func (p *areaProblem) evaluate(r, s int32) (candidate, bool) {
	in := p.in
	ri, si := p.a.reviewers[r], p.a.schools[s]
	rv := &in.reviewers[ri]
	if rv.Capacity == 0 {
		return candidate{}, false
	}
	// The distance is needed by the rules only when they limit it;
	// otherwise it is computed for the pairs they allow.
	km := 0.0
	lazy := in.rules.MaxTravelKm == 0 && in.rules.MinDistanceKm == 0
	if !lazy {
		km = in.km(ri, si)
	}
	// The lead's place has the rules of a peer's place and two of its
	// own (check tests those first and then the same rules), so the
	// peer's rules are checked once for both.
	pair := in.check(ri, si, false, km) == ConstraintNone
	leadOK := pair && in.leadOnly(ri) == ConstraintNone
	peerOK := in.rules.Peers > 0 && pair
	if !leadOK && !peerOK {
		return candidate{}, false
	}
	if lazy {
		km = in.km(ri, si)
	}
	fit := focusFit(in.rules.Taxonomy, in.schools[si].Focus, rv.Expertise)
	c := candidate{r: r, s: s, lead: leadOK, peer: peerOK, km: km, fit: fit, pair: -1, split: -1, leadArc: -1, peerArc: -1,
		newPeer: !in.experienced(rv)}
	c.leadCost, c.peerCost = in.placeCosts(ri, si, km, fit)
	return c, true
}

// placeCosts are the objective's terms, in solver units, for reviewer ri
// in the lead's and in a peer's place on school si's team.
func (in *instance) placeCosts(ri, si int, km, fit float64) (lead, peer int64) {
	return int64(math.Round(costScale * in.placeCost(ri, si, true, km, fit))), int64(math.Round(costScale * in.placeCost(ri, si, false, km, fit)))
}

// travelBound is the least cost, in solver units, of a place lb km away.
func (in *instance) travelBound(lb float64) int64 {
	return int64(math.Floor(costScale * in.rules.Weights.Travel * lb))
}

func (in *instance) newProblem(a area) *areaProblem {
	ru := &in.rules
	// Room for the reviewers' nearest candidates, the most the search
	// below usually keeps, so neither grows by copying many times.
	size := 0
	if ru.Candidates > 0 {
		size = len(a.reviewers) * min(ru.Candidates, len(a.schools))
	}
	p := &areaProblem{in: in, a: a, candOf: make(map[[2]int32]int32, size), pairID: map[[2]int]int32{},
		cands: make([]candidate, 0, size)}
	p.places = len(a.schools) * (1 + ru.Peers)
	p.newCap = ru.Peers - ru.MinExperiencedPeers
	p.cutAll = make([]int64, len(a.schools))
	p.cutLead = make([]int64, len(a.schools))
	for i := range p.cutAll {
		p.cutAll[i], p.cutLead[i] = math.MaxInt64, math.MaxInt64
	}
	add := func(c candidate) {
		k := [2]int32{c.r, c.s}
		if _, ok := p.candOf[k]; !ok {
			p.candOf[k] = int32(len(p.cands))
			p.cands = append(p.cands, c)
		}
	}
	schoolLoc := func(i int) partnership.Location { return in.schools[a.schools[i]].Location }
	revLoc := func(i int) partnership.Location { return in.reviewers[a.reviewers[i]].Location }
	cell := 8.0
	if ru.MaxTravelKm > 0 {
		cell = min(cell, ru.MaxTravelKm)
	}
	p.revGrid = newGrid(len(a.reviewers), revLoc, cell)
	if ru.Candidates == 0 {
		for r := range a.reviewers {
			for s := range a.schools {
				if c, ok := p.evaluate(int32(r), int32(s)); ok {
					add(c)
				}
			}
		}
	} else {
		far := func(lb float64) bool { return ru.MaxTravelKm > 0 && lb > ru.MaxTravelKm }
		schoolGrid := newGrid(len(a.schools), schoolLoc, cell)
		var found []candidate
		var order []ranked
		var top smallest
		for r := range a.reviewers {
			if in.reviewers[a.reviewers[r]].Capacity == 0 {
				continue
			}
			found, order = found[:0], order[:0]
			top.reset(ru.Candidates)
			cut := int64(math.MaxInt64) // the K-th best so far, from the last ring
			schoolGrid.rings(revLoc(r), func(lb float64) bool {
				if far(lb) {
					return true
				}
				if ru.Weights.Travel > 0 && len(found) >= ru.Candidates {
					cut = top.kth()
					if in.travelBound(lb) > cut {
						p.pruned = true // schools beyond may be eligible
						return true
					}
				}
				return false
			}, func(s int32) {
				if cut != math.MaxInt64 {
					if in.travelBound(in.lowKm(p.a.reviewers[r], p.a.schools[s])) > cut {
						p.pruned = true // dearer than K others already found
						return
					}
				}
				if c, ok := p.evaluate(int32(r), s); ok {
					order = append(order, ranked{c.rank(), c.s, int32(len(found))})
					found = append(found, c)
					top.add(c.rank())
				}
			})
			order = atMost(order, top.kth())
			slices.SortFunc(order, func(x, y ranked) int { return cmp.Or(cmp.Compare(x.rank, y.rank), cmp.Compare(x.by, y.by)) })
			if len(found) > ru.Candidates {
				p.pruned = true
			}
			for _, o := range order[:min(len(order), ru.Candidates)] {
				add(found[o.i])
			}
		}
		m, ml := 4*(ru.Peers+1), 4
		var all []candidate
		var byRank, byLead []ranked
		var topM, topL smallest
		for s := range a.schools {
			all, byRank, byLead = all[:0], byRank[:0], byLead[:0]
			topM.reset(m)
			topL.reset(ml)
			complete := true
			// cutM and cutL are the m-th best rank and ml-th best lead
			// cost found by the last ring: a pair whose travel alone
			// costs more cannot be among the best.
			cutM, cutL := int64(math.MaxInt64), int64(math.MaxInt64)
			p.revGrid.rings(schoolLoc(s), func(lb float64) bool {
				if far(lb) {
					return true
				}
				if ru.Weights.Travel == 0 {
					return false
				}
				cutM, cutL = topM.kth(), topL.kth()
				if tb := in.travelBound(lb); tb > cutM && tb > cutL {
					complete = false
					return true
				}
				return false
			}, func(r int32) {
				if cutM != math.MaxInt64 {
					if tb := in.travelBound(in.lowKm(p.a.reviewers[r], p.a.schools[s])); tb > cutM && (tb > cutL || !in.reviewers[p.a.reviewers[r]].TrainedLead) {
						complete = false // left out: dearer than the best found
						return
					}
				}
				if c, ok := p.evaluate(r, int32(s)); ok {
					byRank = append(byRank, ranked{c.rank(), c.r, int32(len(all))})
					topM.add(c.rank())
					if c.lead {
						byLead = append(byLead, ranked{c.leadCost, c.r, int32(len(all))})
						topL.add(c.leadCost)
					}
					all = append(all, c)
				}
			})
			byOrder := func(x, y ranked) int { return cmp.Or(cmp.Compare(x.rank, y.rank), cmp.Compare(x.by, y.by)) }
			nRank, nLead := len(byRank), len(byLead)
			byRank, byLead = atMost(byRank, topM.kth()), atMost(byLead, topL.kth())
			slices.SortFunc(byRank, byOrder)
			slices.SortFunc(byLead, byOrder)
			if nRank > m {
				p.cutAll[s] = byRank[m-1].rank
				byRank = byRank[:m]
			} else if !complete && len(byRank) > 0 {
				p.cutAll[s] = byRank[len(byRank)-1].rank
			}
			if nLead > ml {
				p.cutLead[s] = byLead[ml-1].rank
				byLead = byLead[:ml]
			} else if !complete && len(byLead) > 0 {
				p.cutLead[s] = byLead[len(byLead)-1].rank
			}
			for _, o := range byRank {
				add(all[o.i])
			}
			for _, o := range byLead {
				add(all[o.i])
			}
		}
	}
	// Penalties: an unfilled place costs more than any cost a change of
	// places could save (a simple cycle of the flow passes at most
	// 3·schools+places place arcs, each costing at most cmax), and a
	// missing lead costs more than an unfilled place plus that.
	cmax := p.maxCost()
	p.placePen = int64(3*len(a.schools)+p.places)*cmax + 1
	p.leadPen = 2 * p.placePen
	return p
}

// maxCost bounds the cost of any place in the area, in solver units.
func (p *areaProblem) maxCost() int64 {
	in, w := p.in, p.in.rules.Weights
	km := in.rules.MaxTravelKm
	if km == 0 {
		// The span of the known locations bounds every known distance
		// and is the price of an unknown one (an unknown distance is
		// eligible only without a distance rule).
		km = in.unknownKm
	}
	return int64(math.Ceil(costScale*(w.Travel*km+w.FocusMiss+w.ExperiencedPeer))) + 1
}

// build makes the flow: the source supplies every reviewer (through their
// school when giving is balanced), every school demands its places, and
// penalty arcs from the source meet any place left unfilled.
func (p *areaProblem) build() {
	in, ru := p.in, &p.in.rules
	N := ru.Peers
	g := flow.NewIncremental(1, 0)
	p.g = g
	homeNode := map[partnership.URN]int{}
	p.revNode = make([]int, len(p.a.reviewers))
	for i, ri := range p.a.reviewers {
		rv := &in.reviewers[ri]
		from := 0
		if ru.BalanceGiving && rv.Home > 0 {
			h, ok := homeNode[rv.Home]
			if !ok {
				h = g.AddNode()
				homeNode[rv.Home] = h
				g.AddArc(0, h, int32(in.quota(rv.Home)), 0)
			}
			from = h
		}
		p.revNode[i] = g.AddNode()
		g.AddArc(from, p.revNode[i], int32(rv.Capacity), 0)
	}
	p.slot = make([][3]int, len(p.a.schools))
	p.penLead = make([]int, len(p.a.schools))
	p.penPeer = make([]int, len(p.a.schools))
	for s := range p.a.schools {
		l, pe := g.AddNode(), g.AddNode()
		nw := pe
		if p.newCap < N {
			nw = g.AddNode()
			if p.newCap > 0 {
				g.AddArc(nw, pe, int32(p.newCap), 0)
			}
		}
		p.slot[s] = [3]int{l, pe, nw}
		g.AddDemand(l, 1)
		p.penLead[s] = g.AddArc(0, l, 1, p.leadPen)
		p.penPeer[s] = -1
		if N > 0 {
			g.AddDemand(pe, int64(N))
			p.penPeer[s] = g.AddArc(0, pe, int32(N), p.placePen)
		}
	}
	for i := range p.cands {
		p.addArcs(int32(i))
	}
	p.indexPairs()
}

// addArcs adds candidate i's arcs to the flow.
func (p *areaProblem) addArcs(i int32) {
	c := &p.cands[i]
	from := p.revNode[c.r]
	if c.lead && c.peer {
		x := p.g.AddNode()
		c.split = int32(p.g.AddArc(from, x, 1, 0))
		from = x
	}
	if c.lead {
		c.leadArc = int32(p.g.AddArc(from, p.slot[c.s][0], 1, c.leadCost))
	}
	if c.peer {
		to := p.slot[c.s][1]
		if c.newPeer {
			to = p.slot[c.s][2]
		}
		c.peerArc = int32(p.g.AddArc(from, to, 1, c.peerCost))
	}
}

// indexPairs gives every candidate from a school its directed (home,
// school) pair, for the reciprocal rule.
func (p *areaProblem) indexPairs() {
	in := p.in
	if !in.rules.ExcludeReciprocal {
		return
	}
	for i := range p.cands {
		c := &p.cands[i]
		if c.pair >= 0 {
			continue
		}
		h := in.reviewers[p.a.reviewers[c.r]].Home
		if h <= 0 {
			continue
		}
		key := [2]int{int(h), int(in.schools[p.a.schools[c.s]].URN)}
		id, ok := p.pairID[key]
		if !ok {
			id = int32(len(p.pairs))
			p.pairID[key] = id
			p.pairs = append(p.pairs, key)
			p.pairCands = append(p.pairCands, nil)
		}
		c.pair = id
		p.pairCands[id] = append(p.pairCands[id], int32(i))
	}
	p.reverse = make([]int32, len(p.pairs))
	for id, k := range p.pairs {
		p.reverse[id] = -1
		if r, ok := p.pairID[[2]int{k[1], k[0]}]; ok {
			p.reverse[id] = r
		}
	}
}

// price checks every eligible pair left out of the candidates against the
// flow's potentials and adds those whose reduced cost is negative (they
// could lower the objective), re-solving until none is left: the flow is
// then optimal over every eligible pair, not only the candidates. A school
// needs checking only when its places are dearer than its cut: every pair
// left out of it costs at least the cut. If the check has not settled after
// a few rounds, the bound is not reported.
func (p *areaProblem) price(ctx context.Context) error {
	in := p.in
	ru := &in.rules
	// After the first round, a pair checked before can only have turned
	// negative if its place's potential rose or its reviewer's fell: a
	// school whose places did not rise is checked against the reviewers
	// whose potential fell (when they are few), not every reviewer.
	var prevRev []int64
	var prevTh [][3]int64
	var fell []int32
	// What the check reads of each reviewer, by area index, side by side:
	// their location, whether they are a trained lead and experienced,
	// and (each round) their potential.
	rPos := make([]position, len(p.a.reviewers))
	trained := make([]bool, len(p.a.reviewers))
	exper := make([]bool, len(p.a.reviewers))
	for r, ri := range p.a.reviewers {
		rv := &in.reviewers[ri]
		rPos[r], trained[r], exper[r] = in.rPos[ri], rv.TrainedLead, in.experienced(rv)
	}
	pot := make([]int64, len(p.a.reviewers))
	for round := 0; ; round++ {
		minPot := int64(math.MaxInt64)
		for r, n := range p.revNode {
			pot[r] = p.g.Potential(n)
			minPot = min(minPot, pot[r])
		}
		if len(p.revNode) == 0 {
			return nil
		}
		fell = fell[:0]
		for r, n := range p.revNode {
			if prevRev != nil && p.g.Potential(n) < prevRev[r] {
				fell = append(fell, int32(r))
			}
		}
		few := prevRev != nil && len(fell) <= 64
		// The least reviewer potential of each cell of the grid (keyed
		// by its first point): a cell can be skipped when even it cannot
		// undercut a school's places.
		cellMin := make(map[*int32]int64, len(p.revGrid.cells))
		for _, pts := range p.revGrid.cells {
			m := int64(math.MaxInt64)
			for _, r := range pts {
				m = min(m, p.g.Potential(p.revNode[r]))
			}
			cellMin[&pts[0]] = m
		}
		added := 0
		expPremium := int64(math.Floor(costScale * ru.Weights.ExperiencedPeer))
		for s := range p.a.schools {
			th := [3]int64{p.g.Potential(p.slot[s][0]), p.g.Potential(p.slot[s][1]), p.g.Potential(p.slot[s][2])}
			rose := prevTh == nil || th[0] > prevTh[s][0] || th[1] > prevTh[s][1] || th[2] > prevTh[s][2]
			needLead := th[0]-minPot > max(p.cutAll[s], p.cutLead[s])
			needPeer := ru.Peers > 0 && max(th[1], th[2])-minPot > p.cutAll[s]
			if p.cutAll[s] == math.MaxInt64 && p.cutLead[s] == math.MaxInt64 {
				continue // every eligible pair is a candidate
			}
			if !needLead && !needPeer {
				continue
			}
			top := max(th[0], th[1], th[2])
			sPos := &in.sPos[p.a.schools[s]]
			check := func(r int32) {
				// Every place costs at least its travel (and a peer's
				// place an experienced reviewer's premium): skip the
				// rules when even that cannot undercut the places open
				// to the reviewer.
				pr := pot[r]
				low := in.travelBound(chordKm(&rPos[r], sPos)) + pr
				peerTop, peerLow := th[1], low+expPremium
				if !exper[r] {
					peerTop, peerLow = th[2], low
				}
				if !(trained[r] && low < th[0]) && !(ru.Peers > 0 && peerLow < peerTop) {
					return
				}
				if slices.ContainsFunc(p.schoolCands(int32(s)), func(ci int32) bool { return p.cands[ci].r == r }) {
					return
				}
				c, ok := p.evaluate(r, int32(s))
				if !ok {
					return
				}
				to := th[1]
				if c.newPeer {
					to = th[2]
				}
				if (c.lead && c.leadCost+pr < th[0]) || (c.peer && c.peerCost+pr < to) {
					p.candOf[[2]int32{r, int32(s)}] = int32(len(p.cands))
					p.cands = append(p.cands, c)
					p.addArcs(int32(len(p.cands) - 1))
					p.addSchoolCand(int32(len(p.cands) - 1))
					added++
				}
			}
			if !rose && few {
				for _, r := range fell {
					check(r)
				}
				continue
			}
			p.revGrid.cellRings(in.schools[p.a.schools[s]].Location, func(lb float64) bool {
				return (ru.MaxTravelKm > 0 && lb > ru.MaxTravelKm) || (ru.Weights.Travel > 0 && in.travelBound(lb)+minPot >= top)
			}, func(pts []int32, lb float64) {
				if m, ok := cellMin[&pts[0]]; ok && ru.Weights.Travel > 0 && in.travelBound(lb)+m >= top {
					return // no reviewer in the cell can undercut the places
				}
				for _, r := range pts {
					check(r)
				}
			})
		}
		p.priced += added
		prevRev = make([]int64, len(p.revNode))
		for r, n := range p.revNode {
			prevRev[r] = p.g.Potential(n)
		}
		prevTh = make([][3]int64, len(p.a.schools))
		for s := range prevTh {
			prevTh[s] = [3]int64{p.g.Potential(p.slot[s][0]), p.g.Potential(p.slot[s][1]), p.g.Potential(p.slot[s][2])}
		}
		if added == 0 {
			p.indexPairs()
			return nil
		}
		if round == 8 {
			p.unbounded = true
			p.indexPairs()
			return nil
		}
		if err := p.g.Solve(ctx); err != nil {
			return err
		}
	}
}

// decode reads the teams, penalties and pair use off a flow.
func (p *areaProblem) decode(g *flow.Incremental) *flowSolution {
	sol := &flowSolution{g: g, cost: g.Cost(), leadOf: make([]int32, len(p.a.schools)), peersOf: make([][]int32, len(p.a.schools)),
		used: make([]int32, len(p.pairs))}
	for s := range p.a.schools {
		sol.leadOf[s] = -1
		if f := int(g.Flow(p.penLead[s])); f > 0 {
			sol.leadsMissing += f
			sol.unfilled += f
		}
		if p.penPeer[s] >= 0 {
			sol.unfilled += int(g.Flow(p.penPeer[s]))
		}
	}
	for i := range p.cands {
		c := &p.cands[i]
		switch {
		case c.leadArc >= 0 && g.Flow(int(c.leadArc)) > 0:
			sol.leadOf[c.s] = int32(i)
		case c.peerArc >= 0 && g.Flow(int(c.peerArc)) > 0:
			sol.peersOf[c.s] = append(sol.peersOf[c.s], int32(i))
		default:
			continue
		}
		if c.pair >= 0 {
			sol.used[c.pair]++
		}
	}
	return sol
}

// realCost is a solution's cost without its penalties.
func (p *areaProblem) realCost(sol *flowSolution) int64 {
	return sol.cost - p.leadPen*int64(sol.leadsMissing) - p.placePen*int64(sol.unfilled-sol.leadsMissing)
}

// A ban closes a directed pair (ban ≥ 0: every candidate from the home
// school to the school) or one candidate (ban < 0: candidate −ban−1).
type ban int64

func candBan(c int32) ban { return ban(-int64(c) - 1) }

// conflict is a breach of a rule the flow cannot express, with the bans
// that each remove it (any one suffices).
type conflict struct {
	sameSchool bool
	options    []ban
}

// conflicts lists the reciprocal pairs used both ways and the teams with
// more than MaxPerSchool reviewers from one school, in a fixed order.
func (p *areaProblem) conflicts(sol *flowSolution) []conflict {
	var out []conflict
	for id, n := range sol.used {
		if r := p.reverse[id]; n > 0 && r > int32(id) && sol.used[r] > 0 {
			out = append(out, conflict{options: []ban{ban(id), ban(r)}})
		}
	}
	k := p.in.rules.MaxPerSchool
	if k <= 0 {
		return out
	}
	for s := range p.a.schools {
		members := sol.peersOf[s]
		if l := sol.leadOf[s]; l >= 0 {
			members = append([]int32{l}, members...)
		}
		if len(members) <= k {
			continue
		}
		byHome := map[partnership.URN][]int32{}
		var homes []partnership.URN
		for _, ci := range members {
			h := p.in.reviewers[p.a.reviewers[p.cands[ci].r]].Home
			if h <= 0 {
				continue
			}
			if _, ok := byHome[h]; !ok {
				homes = append(homes, h)
			}
			byHome[h] = append(byHome[h], ci)
		}
		for _, h := range homes {
			if ms := byHome[h]; len(ms) > k {
				c := conflict{sameSchool: true}
				for _, ci := range ms {
					c.options = append(c.options, candBan(ci))
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// apply closes the arcs a ban names.
func (p *areaProblem) apply(g *flow.Incremental, b ban) {
	closeCand := func(ci int32) {
		c := &p.cands[ci]
		for _, a := range []int32{c.split, c.leadArc, c.peerArc} {
			if a >= 0 {
				g.Close(int(a))
			}
		}
	}
	if b < 0 {
		closeCand(int32(-b - 1))
		return
	}
	for _, ci := range p.pairCands[b] {
		closeCand(ci)
	}
}

// schoolCands returns the candidates for school s.
func (p *areaProblem) schoolCands(s int32) []int32 {
	if p.bySchool == nil {
		p.bySchool = make([][]int32, len(p.a.schools))
		p.reach = make([]float64, len(p.a.schools))
		for i := range p.cands {
			p.addSchoolCand(int32(i))
		}
	}
	return p.bySchool[s]
}

// addSchoolCand lists candidate i among its school's.
func (p *areaProblem) addSchoolCand(i int32) {
	c := &p.cands[i]
	p.bySchool[c.s] = append(p.bySchool[c.s], i)
	km := c.km
	if math.IsNaN(km) {
		km = math.Inf(1)
	}
	p.reach[c.s] = max(p.reach[c.s], km)
}

// bbNode is a node of the search: the bans it adds to the root and the
// bound inherited from its parent.
type bbNode struct {
	bans  []ban
	bound int64
	seq   int
}

type bbQueue []bbNode

func (q bbQueue) Len() int { return len(q) }
func (q bbQueue) Less(i, j int) bool {
	return q[i].bound < q[j].bound || (q[i].bound == q[j].bound && q[i].seq < q[j].seq)
}
func (q bbQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *bbQueue) Push(x any)   { *q = append(*q, x.(bbNode)) }
func (q *bbQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// branchAndBound searches best-first, branching on the first conflict of a
// node's solution (one child per way of removing it), for at most limit
// nodes, each re-optimised from the root's flow. It returns the best
// solution found that costs less than incumbent (nil if none), the least
// bound of the nodes left open (the best cost when none is), and the nodes
// solved.
func (p *areaProblem) branchAndBound(ctx context.Context, root *flowSolution, incumbent int64, limit int) (*flowSolution, int64, int, error) {
	q := &bbQueue{}
	seq := 0
	branch := func(bans []ban, sol *flowSolution) {
		for _, b := range p.conflicts(sol)[0].options {
			seq++
			heap.Push(q, bbNode{bans: append(slices.Clone(bans), b), bound: sol.cost, seq: seq})
		}
	}
	branch(nil, root)
	var best *flowSolution
	nodes := 0
	for q.Len() > 0 && nodes < limit {
		n := heap.Pop(q).(bbNode)
		if n.bound >= incumbent {
			continue
		}
		g := root.g.Clone()
		for _, b := range n.bans {
			p.apply(g, b)
		}
		if err := g.Solve(ctx); err != nil {
			return nil, 0, nodes, err
		}
		nodes++
		sol := p.decode(g)
		if sol.cost >= incumbent {
			continue
		}
		if len(p.conflicts(sol)) == 0 {
			best, incumbent = sol, sol.cost
			continue
		}
		branch(n.bans, sol)
	}
	lb := incumbent
	for _, n := range *q {
		lb = min(lb, n.bound)
	}
	return best, lb, nodes, nil
}

// place is one reviewer's place on a team in the final allocation.
type place struct {
	r       int32 // area reviewer index
	lead    bool
	km, fit float64
	cost    int64
	newPeer bool
}

// teamState is the final allocation being completed and explained.
type teamState struct {
	p     *areaProblem
	teams [][]place
	load  []int
	held  [][]int32 // per reviewer, the schools whose teams they are on
	// spare lists the reviewers with room (once listed by listSpare);
	// spos[r] is r's index in it, or −1.
	spare []int32
	spos  []int32
	buf   []int32
	// touched marks the teams changed since the flow, listed in changed.
	touched []bool
	changed []int32
	// given counts the places each home school's reviewers hold (kept
	// only under Rules.BalanceGiving).
	given map[partnership.URN]int
	// homeTeam is, per reviewer, the index of their home school among
	// the area's schools, or −1: the team the reciprocal rule looks at.
	homeTeam []int32
	// budget, when set, bounds the teams deepFill may still visit.
	budget *int
}

func (p *areaProblem) state(best *flowSolution) *teamState {
	st := p.emptyState()
	for s := range p.a.schools {
		if ci := best.leadOf[s]; ci >= 0 {
			c := &p.cands[ci]
			st.add(s, place{r: c.r, lead: true, km: c.km, fit: c.fit, cost: c.leadCost})
		}
		for _, ci := range best.peersOf[s] {
			c := &p.cands[ci]
			st.add(s, place{r: c.r, km: c.km, fit: c.fit, cost: c.peerCost, newPeer: c.newPeer})
		}
	}
	return st
}

// emptyState is a state with every team empty.
func (p *areaProblem) emptyState() *teamState {
	st := &teamState{p: p, teams: make([][]place, len(p.a.schools)), load: make([]int, len(p.a.reviewers)), held: make([][]int32, len(p.a.reviewers)),
		given: map[partnership.URN]int{}, homeTeam: make([]int32, len(p.a.reviewers))}
	byURN := make(map[partnership.URN]int32, len(p.a.schools))
	for s, si := range p.a.schools {
		byURN[p.in.schools[si].URN] = int32(s)
	}
	for r, ri := range p.a.reviewers {
		st.homeTeam[r] = -1
		if h := p.in.reviewers[ri].Home; h > 0 {
			if s, ok := byURN[h]; ok {
				st.homeTeam[r] = s
			}
		}
	}
	return st
}

func (st *teamState) add(s int, pl place) {
	in := st.p.in
	st.teams[s] = append(st.teams[s], pl)
	st.load[pl.r]++
	st.syncSpare(pl.r)
	st.held[pl.r] = append(st.held[pl.r], int32(s))
	if h := in.reviewers[st.p.a.reviewers[pl.r]].Home; h > 0 && in.rules.BalanceGiving {
		st.given[h]++
	}
}

// fromSchool reports whether a member of school s's team comes from home.
func (st *teamState) fromSchool(s int32, home partnership.URN) bool {
	for _, pl := range st.teams[s] {
		if st.p.in.reviewers[st.p.a.reviewers[pl.r]].Home == home {
			return true
		}
	}
	return false
}

// blocked returns the rule that stops reviewer r (already eligible for the
// place by every rule on the pair) from joining school s's team in the
// allocation as it stands, or ConstraintNone. When moving, r is leaving
// another team for s's, so their capacity and their school's giving are
// not checked (neither changes).
func (st *teamState) blocked(s int, r int32, lead, newPeer, moving bool) Constraint {
	in, ru := st.p.in, &st.p.in.rules
	rv := &in.reviewers[st.p.a.reviewers[r]]
	if !moving && st.load[r] >= rv.Capacity {
		return ConstraintCapacity
	}
	u := in.schools[st.p.a.schools[s]].URN
	if rv.Home > 0 {
		if ru.MaxPerSchool > 0 {
			n := 0
			for _, pl := range st.teams[s] {
				if in.reviewers[st.p.a.reviewers[pl.r]].Home == rv.Home {
					n++
				}
			}
			if n >= ru.MaxPerSchool {
				return ConstraintSameSchool
			}
		}
		if ru.ExcludeReciprocal && st.homeTeam[r] >= 0 && st.fromSchool(st.homeTeam[r], u) {
			return ConstraintReciprocal
		}
		if !moving && ru.BalanceGiving && st.given[rv.Home] >= in.quota(rv.Home) {
			return ConstraintGiving
		}
	}
	if !lead && newPeer {
		n := 0
		for _, pl := range st.teams[s] {
			if !pl.lead && pl.newPeer {
				n++
			}
		}
		if n >= st.p.newCap {
			return ConstraintExperienceMix
		}
	}
	return ConstraintNone
}

func (st *teamState) hasLead(s int) bool {
	return slices.ContainsFunc(st.teams[s], func(pl place) bool { return pl.lead })
}

func (st *teamState) peers(s int) int {
	n := 0
	for _, pl := range st.teams[s] {
		if !pl.lead {
			n++
		}
	}
	return n
}

// fill adds to school s's team the cheapest reviewer who can take the place
// without breaking a rule, and reports whether there was one.
func (st *teamState) fill(s int, lead bool) bool {
	p, in := st.p, st.p.in
	si := p.a.schools[s]
	best, bestCost := place{r: -1}, int64(math.MaxInt64)
	p.revGrid.rings(in.schools[si].Location, func(lb float64) bool {
		return in.rules.Weights.Travel > 0 && bestCost != math.MaxInt64 && in.travelBound(lb) > bestCost
	}, func(r int32) {
		if slices.ContainsFunc(st.teams[s], func(pl place) bool { return pl.r == r }) {
			return
		}
		c, ok := p.evaluate(r, int32(s))
		if !ok || (lead && !c.lead) || (!lead && !c.peer) {
			return
		}
		cost := c.peerCost
		if lead {
			cost = c.leadCost
		}
		if cost > bestCost || (cost == bestCost && r > best.r) || st.blocked(s, r, lead, c.newPeer, false) != ConstraintNone {
			return
		}
		best, bestCost = place{r: r, lead: lead, km: c.km, fit: c.fit, cost: cost, newPeer: c.newPeer && !lead}, cost
	})
	if best.r < 0 {
		return false
	}
	st.add(s, best)
	return true
}

// fillAll fills every place a reviewer with room can still take without
// breaking a rule, leads first, cheapest first.
func (st *teamState) fillAll() {
	for s := range st.teams {
		if !st.hasLead(s) {
			st.fill(s, true)
		}
	}
	for s := range st.teams {
		for st.peers(s) < st.p.in.rules.Peers && st.fill(s, false) {
		}
	}
	// A place no reviewer with room can take may still be filled by
	// moving reviewers along a chain of teams to one who has room. The
	// searches visit at most 64 teams per team of the component in all,
	// so a component with many places no chain can fill stays cheap
	// (a count, not a time: the result depends only on the input).
	budget := 64*len(st.teams) + 4096
	st.budget = &budget
	defer func() { st.budget = nil }()
	for s := range st.teams {
		if !st.hasLead(s) {
			st.deepFill(int32(s), true)
		}
	}
	for s := range st.teams {
		for st.peers(s) < st.p.in.rules.Peers && st.deepFill(int32(s), false) {
		}
	}
}

// finish completes the best solution (any place a reviewer with room can
// still take without breaking a rule is filled, leads first, cheapest
// first), turns it into teams and explains every place left unfilled.
func (p *areaProblem) finish(bound *flowSolution, st *teamState, nodes, bans int, optimal bool) *areaSolution {
	in := p.in
	N := in.rules.Peers
	st.fillAll()
	out := &areaSolution{}
	var cost int64
	leadsMissing, unfilled := 0, 0
	for s, si := range p.a.schools {
		t := Team{School: in.schools[si].URN}
		pls := slices.Clone(st.teams[s])
		slices.SortFunc(pls, func(a, b place) int {
			return cmp.Or(-cmpBool(a.lead, b.lead), cmp.Compare(in.reviewers[p.a.reviewers[a.r]].ID, in.reviewers[p.a.reviewers[b.r]].ID))
		})
		for _, pl := range pls {
			rv := &in.reviewers[p.a.reviewers[pl.r]]
			m := Member{Reviewer: rv.ID, Home: rv.Home, Lead: pl.lead, New: !in.experienced(rv), External: rv.External,
				TravelKm: pl.km, FocusFit: pl.fit, Cost: float64(pl.cost) / costScale}
			if math.IsNaN(m.TravelKm) {
				m.TravelKm, m.TravelUnknown = 0, true
			}
			t.Members = append(t.Members, m)
			t.TravelKm += m.TravelKm
			t.Cost += m.Cost
			cost += pl.cost
		}
		out.teams = append(out.teams, t)
		if !st.hasLead(s) {
			leadsMissing++
			unfilled++
			out.shortfalls = append(out.shortfalls, st.explain(s, true, 1))
		}
		if miss := N - st.peers(s); miss > 0 {
			unfilled += miss
			out.shortfalls = append(out.shortfalls, st.explain(s, false, miss))
		}
	}
	bLeads, bUnfilled, bCost := bound.leadsMissing, bound.unfilled, p.realCost(bound)
	if x := p.xbound; x != nil && (x.leadsMissing > bLeads || (x.leadsMissing == bLeads && (x.unfilled > bUnfilled || (x.unfilled == bUnfilled && x.cost > bCost)))) {
		// The exact search's bound is the stronger: it sees the rules the
		// flow does not.
		bLeads, bUnfilled, bCost = x.leadsMissing, x.unfilled, x.cost
	}
	if optimal {
		// Proven optimal: the allocation is its own bound.
		bLeads, bUnfilled, bCost = leadsMissing, unfilled, cost
	}
	out.result = AreaResult{
		Name: p.a.name, Schools: len(p.a.schools), Reviewers: len(p.a.reviewers),
		Objective: float64(cost) / costScale, Bounded: !p.unbounded,
		LeadsMissing: leadsMissing, Unfilled: unfilled,
		SearchNodes: nodes, Bans: bans, CandidateArcs: len(p.cands), PricedArcs: p.priced,
		Optimal: optimal && !p.unbounded && leadsMissing == bLeads && unfilled == bUnfilled && cost <= bCost,
	}
	if !p.unbounded {
		out.result.LowerBound = float64(bCost) / costScale
		out.result.BoundLeadsMissing = bLeads
		out.result.BoundUnfilled = bUnfilled
	}
	return out
}

// explain says why school s lacks places, true of the allocation as it
// stands: the first rule on the pair that leaves fewer eligible reviewers
// than the team needs, or else the rule that stops each eligible reviewer
// not on the team from joining it (capacity, one per school, reciprocal,
// giving, experience mix), the commonest named.
func (st *teamState) explain(s int, lead bool, missing int) Shortfall {
	p, in := st.p, st.p.in
	si := p.a.schools[s]
	sh := Shortfall{School: in.schools[si].URN, Lead: lead, Missing: missing}
	what, need := "peer places", in.rules.Peers
	if lead {
		what, need = "the lead's place", 1
	}
	removed := map[Constraint]int{}
	dynamic := map[Constraint]int{}
	eligible, onTeam := 0, 0
	local := make(map[int]int32, len(p.a.reviewers))
	for r, ri := range p.a.reviewers {
		local[ri] = int32(r)
	}
	// Every reviewer of the programme counts: those outside the component
	// are removed by a rule on the pair (the component holds every
	// reviewer who could reach the school).
	for ri := range in.reviewers {
		if in.reviewers[ri].Capacity == 0 {
			removed[ConstraintCapacity]++
			continue
		}
		if c := in.check(ri, si, lead, in.km(ri, si)); c != ConstraintNone {
			removed[c]++
			continue
		}
		eligible++
		r, ok := local[ri]
		if !ok {
			// Unreachable: a reviewer eligible for the school is in its
			// component. Counted as blocked by capacity if it happens.
			dynamic[ConstraintCapacity]++
			continue
		}
		if slices.ContainsFunc(st.teams[s], func(pl place) bool { return pl.r == r }) {
			onTeam++
			continue
		}
		dynamic[st.blocked(s, r, lead, !in.experienced(&in.reviewers[ri]), false)]++
	}
	scope := "the programme"
	var steps []string
	remaining := len(in.reviewers)
	blocking := ConstraintNone
	for _, c := range constraintNames.Values() {
		if n := removed[c]; n > 0 {
			remaining -= n
			steps = append(steps, fmt.Sprintf("%s removes %d (%d left)", c, n, remaining))
			if remaining < need && blocking == ConstraintNone {
				blocking = c
			}
		}
	}
	summary := fmt.Sprintf("of the %d reviewers in %s, %s", len(in.reviewers), scope, strings.Join(steps, ", "))
	if len(steps) == 0 {
		summary = fmt.Sprintf("all %d reviewers in %s are eligible", len(in.reviewers), scope)
	}
	if blocking != ConstraintNone && eligible < need {
		sh.Constraint = blocking
		sh.Reason = fmt.Sprintf("%d needs %d for %s but only %d reviewers are eligible: %s", sh.School, need, what, eligible, summary)
		return sh
	}
	var parts []string
	top, topN := ConstraintCapacity, -1
	for _, c := range constraintNames.Values() {
		if n := dynamic[c]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d by %s", n, c))
			if n > topN {
				top, topN = c, n
			}
		}
	}
	sh.Constraint = top
	sh.Reason = fmt.Sprintf("%d: %d reviewers are eligible for %s (%d already on the team); every other one is blocked: %s",
		sh.School, eligible, what, onTeam, strings.Join(parts, ", "))
	if topN < 0 {
		sh.Reason = fmt.Sprintf("%d: the %d eligible reviewers for %s are all on the team already", sh.School, eligible, what)
	}
	return sh
}

func (in *instance) merge(areas []area, res []*areaSolution) *Allocation {
	a := &Allocation{Places: len(in.schools) * (1 + in.rules.Peers), Optimal: true, Bounded: true}
	var objC, lbC float64 // over the areas whose bound fills as many places
	for _, r := range res {
		a.Teams = append(a.Teams, r.teams...)
		a.Shortfalls = append(a.Shortfalls, r.shortfalls...)
		a.Areas = append(a.Areas, r.result)
		a.Objective += r.result.Objective
		a.LowerBound += r.result.LowerBound
		a.Unfilled += r.result.Unfilled
		a.LeadsMissing += r.result.LeadsMissing
		a.BoundUnfilled += r.result.BoundUnfilled
		a.BoundLeadsMissing += r.result.BoundLeadsMissing
		a.Optimal = a.Optimal && r.result.Optimal
		a.Bounded = a.Bounded && r.result.Bounded
		if r.result.Bounded && r.result.Unfilled == r.result.BoundUnfilled && r.result.LeadsMissing == r.result.BoundLeadsMissing {
			objC += r.result.Objective
			lbC += r.result.LowerBound
		} else {
			a.UnprovenAreas++
		}
	}
	if !a.Bounded {
		a.LowerBound, a.BoundUnfilled, a.BoundLeadsMissing = 0, 0, 0
	}
	slices.SortFunc(a.Teams, func(x, y Team) int { return cmp.Compare(x.School, y.School) })
	slices.SortFunc(a.Shortfalls, func(x, y Shortfall) int {
		return cmp.Or(cmp.Compare(x.School, y.School), -cmpBool(x.Lead, y.Lead))
	})
	for _, t := range a.Teams {
		a.TotalTravelKm += t.TravelKm
		for _, m := range t.Members {
			if m.TravelUnknown {
				a.UnknownTravel++
			}
		}
	}
	switch {
	case a.Optimal:
		a.Gap = 0
	case lbC > 0:
		a.Gap = (objC - lbC) / lbC
	default:
		a.Gap = -1
	}
	return a
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// ranked orders candidate i by its rank, then by the other end of the pair.
type ranked struct {
	rank int64
	by   int32
	i    int32
}

// atMost keeps, in place, the entries ranked at most kth: when kth is the
// k-th smallest rank, the k best entries are among them, so sorting what is
// left gives the same first k (ties included) as sorting everything.
func atMost(xs []ranked, kth int64) []ranked {
	if kth == math.MaxInt64 {
		return xs
	}
	out := xs[:0]
	for _, x := range xs {
		if x.rank <= kth {
			out = append(out, x)
		}
	}
	return out
}

// smallest keeps the k smallest values added, in order, for their k-th.
type smallest struct {
	k  int
	xs []int64
}

func (t *smallest) reset(k int) { t.k, t.xs = k, t.xs[:0] }

func (t *smallest) add(x int64) {
	if t.k <= 0 || (len(t.xs) == t.k && x >= t.xs[t.k-1]) {
		return
	}
	i, _ := slices.BinarySearch(t.xs, x)
	if len(t.xs) < t.k {
		t.xs = append(t.xs, 0)
	}
	copy(t.xs[i+1:], t.xs[i:len(t.xs)-1])
	t.xs[i] = x
}

// kth returns the k-th smallest value added, or MaxInt64 when fewer were.
func (t *smallest) kth() int64 {
	if t.k <= 0 || len(t.xs) < t.k {
		return math.MaxInt64
	}
	return t.xs[t.k-1]
}
