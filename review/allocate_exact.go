package review

import (
	"context"
	"slices"
)

// exactSchools is the most schools a component may have for the exact
// search; exactNodes bounds the search's nodes (a count, not a time, so the
// result depends only on the input).
const (
	exactSchools = 12
	exactNodes   = 400_000
	// boundSchools is the most schools a component may have for the
	// exact search's root bound (its pair bound keeps a matrix of them).
	boundSchools = 400
)

// exactSearch is a depth-first branch and bound over every allocation of a
// small component, for the objective documented on Allocation (most leads,
// then most places, then least cost), with every rule checked as each
// member joins a team (teamState.blocked). The flow's branch and bound
// cannot always close a small component whose schools can only review each
// other (special schools and alternative provision under PhaseRelated):
// there the reciprocal and one-per-school rules, which the flow does not
// see, decide how many places can be filled at all, and a flow that fills
// every place is a weak bound. This search decides leads first (each
// school's lead, or none), then each team's peers as a set (reviewers in
// the order of their cost, or the rest of the team's places left empty),
// and prunes a branch when a bound on what it can still reach is no better
// than the best allocation found:
//
//   - a lead place no reviewer can still take stays empty;
//   - the places still filled are at most each team's open places, capped by
//     the reviewers who can still join it (at most Rules.MaxPerSchool from
//     each school); at most the reviewers' spare capacity; and, under
//     Rules.ExcludeReciprocal, at most one direction of each pair of
//     schools in the component (a place from A on B's team rules out a
//     place from B on A's), which counts each pair's larger direction once;
//   - when leads and places can at best tie, the cost still to come is at
//     least the cheapest reviewers who can still take the places needed.
//
// Each of these only shrinks as members join, so the bounds hold for every
// allocation below the node.
type exactSearch struct {
	ctx context.Context
	p   *areaProblem
	sh  *exactShared
	st  *teamState
	// The schools searched, by position (fewest lead candidates first),
	// and per position every reviewer allowed on the team by the rules on
	// the pair, those allowed in the lead's place (cheapest first) and
	// those allowed in a peer's place (cheapest first).
	order []int32
	all   [][]candidate
	leads [][]candidate
	peers [][]candidate
	revs  []int32 // the reviewers in any list
	n     int     // peers per team
	// The lead matching's scratch: per position, the reviewers who may
	// still lead it and the one matched; the positions with an open lead
	// place.
	leadAdj   [][]int32
	openLeads []int
	mOf       []int32
	pair      []int // pair[a*S+b]: places position a's reviewers can still take on b's team
	open      []int // per position, the open places someone can still take
	used      []int32
	dirs      []dirCost
	byDir     []dirCost
	costs     []int64

	nodes, limit int
	stopped      bool
	err          error

	curL, curU, filled int
	curC               int64

	bestL, bestU int
	bestC        int64
	best         [][]place // per position
	improved     bool
}

// exactShared is what every search of a component shares, per reviewer and
// per school of the component.
type exactShared struct {
	key     []int32 // per reviewer, their source: home school, or themselves when they have none
	keyHome []int   // per source, its home URN, or 0
	keyTeam []int32 // per source, its home's index among the area's schools, or −1
	exp     []bool  // per reviewer, experienced
	room    []int   // per source, scratch (left zero)
	mLoad   []int   // per reviewer, the matching's count (reset for the reviewers it uses)
	seen    []bool  // per reviewer, scratch (reset for the reviewers it uses)
	pos     []int32 // per school, its position in the search under way, or −1
}

// exactShared returns the component's shared search state, made once.
func (p *areaProblem) exactShared() *exactShared {
	if p.xsh != nil {
		return p.xsh
	}
	R := len(p.a.reviewers)
	sh := &exactShared{key: make([]int32, R), exp: make([]bool, R), mLoad: make([]int, R), seen: make([]bool, R),
		pos: make([]int32, len(p.a.schools))}
	for i := range sh.pos {
		sh.pos[i] = -1
	}
	homes := map[int]int32{}
	homeTeam := p.emptyState().homeTeam
	for r, ri := range p.a.reviewers {
		h := int(p.in.reviewers[ri].Home)
		if h <= 0 {
			h = -(r + 1)
		}
		k, ok := homes[h]
		if !ok {
			k = int32(len(homes))
			homes[h] = k
			sh.keyHome = append(sh.keyHome, max(0, h))
			sh.keyTeam = append(sh.keyTeam, homeTeam[r])
		}
		sh.key[r] = k
		sh.exp[r] = p.in.experienced(&p.in.reviewers[ri])
	}
	sh.room = make([]int, len(homes))
	p.xsh = sh
	return sh
}

// newSearch prepares a search of the schools, with lists giving every
// reviewer allowed on a school's team, and binds their positions.
func (p *areaProblem) newSearch(ctx context.Context, schools []int32, lists func(s int32) []candidate, limit int) *exactSearch {
	S := len(schools)
	x := &exactSearch{ctx: ctx, p: p, sh: p.exactShared(), n: p.in.rules.Peers, limit: limit,
		order: make([]int32, S), all: make([][]candidate, S), leads: make([][]candidate, S), peers: make([][]candidate, S),
		leadAdj: make([][]int32, S), mOf: make([]int32, S), pair: make([]int, S*S), open: make([]int, S)}
	type lists3 struct {
		s                 int32
		all, leads, peers []candidate
	}
	ls := make([]lists3, S)
	for i, s := range schools {
		l := lists3{s: s, all: lists(s)}
		for _, c := range l.all {
			if c.lead {
				l.leads = append(l.leads, c)
			}
			if c.peer {
				l.peers = append(l.peers, c)
			}
		}
		slices.SortStableFunc(l.leads, func(a, b candidate) int { return cmpInt64(a.leadCost, b.leadCost) })
		slices.SortStableFunc(l.peers, func(a, b candidate) int { return cmpInt64(a.peerCost, b.peerCost) })
		ls[i] = l
	}
	slices.SortStableFunc(ls, func(a, b lists3) int { return len(a.leads) - len(b.leads) })
	for t, l := range ls {
		x.order[t], x.all[t], x.leads[t], x.peers[t] = l.s, l.all, l.leads, l.peers
		x.sh.pos[l.s] = int32(t)
		for _, c := range l.all {
			if !x.sh.seen[c.r] {
				x.sh.seen[c.r] = true
				x.revs = append(x.revs, c.r)
			}
		}
	}
	for _, r := range x.revs {
		x.sh.seen[r] = false
	}
	return x
}

// unbind forgets the search's positions.
func (x *exactSearch) unbind() {
	for _, s := range x.order {
		x.sh.pos[s] = -1
	}
}

// keep takes st's teams of the searched schools as the incumbent.
func (x *exactSearch) keep(st *teamState) {
	n := x.n
	x.best = make([][]place, len(x.order))
	x.bestL, x.bestU, x.bestC = 0, 0, 0
	for t, s := range x.order {
		x.best[t] = slices.Clone(st.teams[s])
		if !st.hasLead(int(s)) {
			x.bestL++
			x.bestU++
		}
		x.bestU += max(0, n-st.peers(int(s)))
		for _, pl := range st.teams[s] {
			x.bestC += pl.cost
		}
	}
}

// exact searches the component for an allocation better than st's (which
// it is given complete, as finish would leave it) and returns the better
// state, or st, whether the search finished, proving the result optimal,
// and the nodes it searched. It sets p.xbound, the root's bound, and
// searches only when asked to and when the root's bound leaves
// open whether more leads or places can be had: the search is for the
// objective's first two levels, where the flow is a weak guide, and it
// minimises cost among those.
func (p *areaProblem) exact(ctx context.Context, st *teamState, search bool) (*teamState, bool, int, error) {
	S := len(p.a.schools)
	schools := make([]int32, S)
	for s := range schools {
		schools[s] = int32(s)
	}
	x := p.newSearch(ctx, schools, func(s int32) []candidate {
		var out []candidate
		for r := range p.a.reviewers {
			if c, ok := p.evaluate(int32(r), s); ok {
				out = append(out, c)
			}
		}
		return out
	}, exactNodes)
	defer x.unbind()
	x.keep(st)
	x.st = p.emptyState()
	// The root's bounds hold for every allocation of the component.
	rl, ru := x.bounds(0)
	if rc, ok := x.costBound(S*(1+x.n) - ru); ok {
		p.xbound = &xbound{leadsMissing: rl, unfilled: ru, cost: rc}
	}
	if !search || (rl == x.bestL && ru == x.bestU) {
		// The bound settles leads and places; cost is left to the flow's
		// search, as in a large component.
		return st, false, 0, nil
	}
	x.rec(0, 0)
	if x.err != nil {
		return nil, false, x.nodes, x.err
	}
	if !x.improved {
		return st, !x.stopped, x.nodes, nil
	}
	out := p.emptyState()
	for t, pls := range x.best {
		for _, pl := range pls {
			out.add(int(x.order[t]), pl)
		}
	}
	return out, !x.stopped, x.nodes, nil
}

// xbound is a lexicographic lower bound on a component's objective.
type xbound struct {
	leadsMissing, unfilled int
	cost                   int64
}

// score is the state's objective: leads missing, places unfilled, cost.
func (st *teamState) score() (leadsMissing, unfilled int, cost int64) {
	n := st.p.in.rules.Peers
	for s := range st.teams {
		if !st.hasLead(s) {
			leadsMissing++
			unfilled++
		}
		unfilled += max(0, n-st.peers(s))
		for _, pl := range st.teams[s] {
			cost += pl.cost
		}
	}
	return leadsMissing, unfilled, cost
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rec decides place k of the sequence (the schools' leads in x.order, then
// each school's peer places in the same order), choosing peers from index
// start of the school's list (a team's peers are a set, chosen in order).
func (x *exactSearch) rec(k, start int) {
	if x.stopped || x.err != nil {
		return
	}
	x.nodes++
	if x.nodes > x.limit {
		x.stopped = true
		return
	}
	if x.nodes%4096 == 0 {
		if err := x.ctx.Err(); err != nil {
			x.err = err
			return
		}
	}
	S := len(x.order)
	if k == S+S*x.n {
		if x.curL < x.bestL || (x.curL == x.bestL && (x.curU < x.bestU || (x.curU == x.bestU && x.curC < x.bestC))) {
			x.bestL, x.bestU, x.bestC, x.improved = x.curL, x.curU, x.curC, true
			for t, s := range x.order {
				x.best[t] = append(x.best[t][:0], x.st.teams[s]...)
			}
		}
		return
	}
	if x.prune(k) {
		return
	}
	st := x.st
	if k < S {
		s := int(x.order[k])
		for _, c := range x.leads[k] {
			if st.blocked(s, c.r, true, false, false) != ConstraintNone {
				continue
			}
			st.add(s, place{r: c.r, lead: true, km: c.km, fit: c.fit, cost: c.leadCost})
			x.curC += c.leadCost
			x.filled++
			x.rec(k+1, 0)
			x.filled--
			x.curC -= c.leadCost
			st.take(s, c.r)
		}
		x.curL++
		x.curU++
		x.rec(k+1, 0)
		x.curL--
		x.curU--
		return
	}
	t, slot := (k-S)/x.n, (k-S)%x.n
	s := int(x.order[t])
	for i := start; i < len(x.peers[t]); i++ {
		c := &x.peers[t][i]
		if st.holds(s, c.r) || st.blocked(s, c.r, false, c.newPeer, false) != ConstraintNone {
			continue
		}
		st.add(s, place{r: c.r, km: c.km, fit: c.fit, cost: c.peerCost, newPeer: c.newPeer})
		x.curC += c.peerCost
		x.filled++
		next := i + 1
		if slot+1 == x.n {
			next = 0
		}
		x.rec(k+1, next)
		x.filled--
		x.curC -= c.peerCost
		st.take(s, c.r)
	}
	// The rest of the team's places stay empty.
	missing := x.n - slot
	x.curU += missing
	x.rec(S+(t+1)*x.n, 0)
	x.curU -= missing
}

// bounds returns lower bounds on the leads missing and the places unfilled
// of every allocation below place k (see exactSearch), leaving in x.costs
// and x.dirs what costBound needs.
func (x *exactSearch) bounds(k int) (leadsMissing, unfilled int) {
	p, st, sh := x.p, x.st, x.sh
	ru := &p.in.rules
	S := len(x.order)
	forced, open, fill, outside, newFill, peersOpen := 0, 0, 0, 0, 0, 0
	x.openLeads = x.openLeads[:0]
	clear(x.pair)
	clear(x.open)
	x.costs = x.costs[:0]
	x.dirs = x.dirs[:0]
	for t, s32 := range x.order {
		s := int(s32)
		openLead, openPeers := k <= t, x.n
		if k >= S {
			switch pt := (k - S) / x.n; {
			case t < pt:
				openPeers = 0
			case t == pt:
				openPeers = x.n - (k-S)%x.n
			}
		}
		if !openLead && openPeers == 0 {
			continue
		}
		leadMin, leadOK, newOK := int64(0), false, 0
		x.leadAdj[t] = x.leadAdj[t][:0]
		peerCosts := len(x.costs)
		x.used = x.used[:0]
		for i := range x.all[t] {
			c := &x.all[t][i]
			if st.holds(s, c.r) {
				continue
			}
			l := openLead && c.lead && st.blocked(s, c.r, true, false, false) == ConstraintNone
			pe := openPeers > 0 && c.peer && st.blocked(s, c.r, false, c.newPeer, false) == ConstraintNone
			if !l && !pe {
				continue
			}
			if l {
				x.leadAdj[t] = append(x.leadAdj[t], c.r)
				if !leadOK || c.leadCost < leadMin {
					leadMin, leadOK = c.leadCost, true
				}
			}
			if pe {
				x.costs = append(x.costs, c.peerCost)
				if c.newPeer {
					newOK++
				}
			}
			kk := sh.key[c.r]
			if ru.ExcludeReciprocal {
				v := c.peerCost
				if l && (!pe || c.leadCost < v) {
					v = c.leadCost
				}
				dir := -1 - t // from outside the schools searched
				if a := x.teamPos(kk); a >= 0 {
					dir = a*S + t
				}
				x.dirs = append(x.dirs, dirCost{dir, v})
			}
			if sh.room[kk] == 0 {
				x.used = append(x.used, kk)
			}
			sh.room[kk]++
		}
		o := openPeers
		if openLead {
			open++
			if leadOK {
				o++
				x.openLeads = append(x.openLeads, t)
			} else {
				forced++
			}
		}
		open += openPeers
		peersOpen += openPeers
		x.open[t] = o
		// The reviewers who can still join, at most the cap per school
		// from each school (blocked has checked that each school is
		// under it, so the room is the cap less those on the team).
		src, fromTeams := 0, 0
		for _, kk := range x.used {
			n := sh.room[kk]
			sh.room[kk] = 0
			if h := sh.keyHome[kk]; h > 0 && ru.MaxPerSchool > 0 {
				n = min(n, max(0, ru.MaxPerSchool-x.onTeamFrom(s, h)))
			}
			src += n
			if a := x.teamPos(kk); a >= 0 {
				x.pair[a*S+t] = n
				fromTeams += n
			}
		}
		fill += min(o, src)
		newFill += min(openPeers, newOK, max(0, p.newCap-x.newOn(s)))
		outside += min(o, src-fromTeams)
		// Peer costs: the team's cheapest openPeers, and the lead's.
		pc := x.costs[peerCosts:]
		slices.Sort(pc)
		x.costs = x.costs[:peerCosts+min(len(pc), openPeers)]
		if leadOK {
			x.costs = append(x.costs, leadMin)
		}
	}
	// The lead places that can be filled at once: a matching of the
	// schools to the reviewers who may lead them, within their capacity.
	led := x.leadMatching()
	forced += len(x.openLeads) - led
	fill = min(fill, led+peersOpen)
	spare, expSpare := 0, 0
	for _, r := range x.revs {
		n := max(0, st.cap(r)-st.load[r])
		spare += n
		if sh.exp[r] {
			expSpare += n
		}
	}
	// Every place is an experienced reviewer's or a new peer's, and new
	// peers are capped per team.
	fill = min(fill, spare, expSpare+newFill)
	if ru.ExcludeReciprocal {
		// A pair of schools in the component fills places in one
		// direction at most.
		pairs := outside
		for a := range S {
			for b := a + 1; b < S; b++ {
				pairs += max(min(x.pair[a*S+b], x.open[b]), min(x.pair[b*S+a], x.open[a]))
			}
		}
		fill = min(fill, pairs)
	}
	return x.curL + forced, x.curU + open - fill
}

// costBound bounds the cost of the allocations below the node bounds last
// looked at that fill need more places, or reports false when fewer can
// be filled: the need cheapest places open to someone (see exactSearch),
// and under the reciprocal rule pairCost when higher.
func (x *exactSearch) costBound(need int) (int64, bool) {
	need = max(0, need)
	if need > len(x.costs) {
		return 0, false
	}
	slices.Sort(x.costs)
	var c int64
	for _, v := range x.costs[:need] {
		c += v
	}
	if x.p.in.rules.ExcludeReciprocal {
		pc, ok := x.pairCost(need)
		if !ok {
			return 0, false
		}
		c = max(c, pc)
	}
	return c, true
}

// prune reports whether nothing below place k can beat the best allocation
// found.
func (x *exactSearch) prune(k int) bool {
	lb, ub := x.bounds(k)
	if lb != x.bestL {
		return lb > x.bestL
	}
	if ub != x.bestU {
		return ub > x.bestU
	}
	c, ok := x.costBound(len(x.order)*(1+x.n) - x.bestU - x.filled)
	return !ok || x.curC+c >= x.bestC
}

// dirCost is what a reviewer who can still join a team would cost there:
// dir is a*S+b for a reviewer from area school a on school b's team, or
// −1−b for one from outside the area's schools.
type dirCost struct {
	dir  int
	cost int64
}

// pairCost bounds the cost of filling need more places under the
// reciprocal rule: a pair of schools fills places in one direction only,
// so its places cost at least the cheaper of the two directions' i-th
// cheapest reviewers, place by place (each direction capped by the places
// open to it); the need cheapest of those, and of the places open to
// reviewers from outside, bound the cost. It reports false when fewer than
// need places can be filled.
func (x *exactSearch) pairCost(need int) (int64, bool) {
	S := len(x.order)
	slices.SortFunc(x.dirs, func(a, b dirCost) int {
		if a.dir != b.dir {
			return a.dir - b.dir
		}
		return cmpInt64(a.cost, b.cost)
	})
	// Each direction's cheapest, at most its cap.
	x.byDir = x.byDir[:0]
	for i := 0; i < len(x.dirs); {
		j := i
		for j < len(x.dirs) && x.dirs[j].dir == x.dirs[i].dir {
			j++
		}
		d := x.dirs[i].dir
		b := d % S
		if d < 0 {
			b = -1 - d
		}
		n := min(j-i, x.open[b])
		if d >= 0 {
			n = min(n, x.pair[d])
		}
		x.byDir = append(x.byDir, x.dirs[i:i+n]...)
		i = j
	}
	vals := x.costs[:0]
	for i := 0; i < len(x.byDir); {
		j := i
		for j < len(x.byDir) && x.byDir[j].dir == x.byDir[i].dir {
			j++
		}
		d := x.byDir[i].dir
		if d < 0 {
			for _, e := range x.byDir[i:j] {
				vals = append(vals, e.cost)
			}
			i = j
			continue
		}
		a, b := d/S, d%S
		if a > b {
			// Taken with its reverse, from the smaller end.
			if _, ok := slices.BinarySearchFunc(x.byDir, b*S+a, func(e dirCost, t int) int { return e.dir - t }); !ok {
				for _, e := range x.byDir[i:j] {
					vals = append(vals, e.cost)
				}
			}
			i = j
			continue
		}
		rev := b*S + a
		k, _ := slices.BinarySearchFunc(x.byDir, rev, func(e dirCost, t int) int { return e.dir - t })
		m := k
		for m < len(x.byDir) && x.byDir[m].dir == rev {
			m++
		}
		fw, bw := x.byDir[i:j], x.byDir[k:m]
		for q := range max(len(fw), len(bw)) {
			switch {
			case q >= len(fw):
				vals = append(vals, bw[q].cost)
			case q >= len(bw):
				vals = append(vals, fw[q].cost)
			default:
				vals = append(vals, min(fw[q].cost, bw[q].cost))
			}
		}
		i = j
	}
	x.costs = vals
	if need > len(vals) {
		return 0, false
	}
	slices.Sort(vals)
	var c int64
	for _, v := range vals[:need] {
		c += v
	}
	return c, true
}

// leadMatching returns the most of x.openLeads that can have a lead at
// once: a maximum matching of those positions to the reviewers in
// x.leadAdj, each reviewer taking at most their spare capacity
// (augmenting paths).
func (x *exactSearch) leadMatching() int {
	x.resetMatching()
	for _, t := range x.openLeads {
		x.mOf[t] = -1
	}
	n := 0
	for _, t := range x.openLeads {
		x.resetSeen()
		if x.augment(t) {
			n++
		}
	}
	x.resetMatching()
	x.resetSeen()
	return n
}

// resetMatching and resetSeen clear the per-reviewer scratch of the
// reviewers the matching can use.
func (x *exactSearch) resetMatching() {
	for _, t := range x.openLeads {
		for _, r := range x.leadAdj[t] {
			x.sh.mLoad[r] = 0
		}
	}
}

func (x *exactSearch) resetSeen() {
	for _, t := range x.openLeads {
		for _, r := range x.leadAdj[t] {
			x.sh.seen[r] = false
		}
	}
}

// augment looks for an augmenting path from position t.
func (x *exactSearch) augment(t int) bool {
	st, sh := x.st, x.sh
	for _, r := range x.leadAdj[t] {
		if sh.seen[r] {
			continue
		}
		sh.seen[r] = true
		if sh.mLoad[r] < st.cap(r)-st.load[r] {
			x.mOf[t] = r
			sh.mLoad[r]++
			return true
		}
		for _, u := range x.openLeads {
			if x.mOf[u] == r && x.augment(u) {
				x.mOf[t] = r // u has left r for another: r's count stands
				return true
			}
		}
	}
	return false
}

// teamPos is the position of source kk's home school in the search, or −1
// when it is not searched (or the source has none).
func (x *exactSearch) teamPos(kk int32) int {
	if a := x.sh.keyTeam[kk]; a >= 0 {
		return int(x.sh.pos[a])
	}
	return -1
}

// newOn counts the new reviewers among school s's peers.
func (x *exactSearch) newOn(s int) int {
	n := 0
	for _, pl := range x.st.teams[s] {
		if !pl.lead && pl.newPeer {
			n++
		}
	}
	return n
}

// onTeamFrom counts the members of school s's team from home school h.
func (x *exactSearch) onTeamFrom(s, h int) int {
	n := 0
	for _, pl := range x.st.teams[s] {
		if int(x.p.in.reviewers[x.p.a.reviewers[pl.r]].Home) == h {
			n++
		}
	}
	return n
}

// localNodes and localBudget bound the neighbourhood searches of a
// component: nodes per neighbourhood, and in all (counts, not times, so the
// result depends only on the input).
const (
	localNodes  = 5_000
	localBudget = 200_000
)

// improveLocally is for a component too large for the exact search whose
// leads or places the bounds leave open. For each team still short, in
// order, it takes the team and the teams around it (where the reviewers who
// could join it now are, and those reviewers' own schools, breadth first,
// at most exactSchools), takes their members off, and searches their
// allocations exactly with everything else fixed, keeping the best: more
// leads, then more places, then less cost over those teams, so the whole
// allocation only improves. It returns the nodes searched.
func (p *areaProblem) improveLocally(ctx context.Context, st *teamState) (int, error) {
	total := 0
	for s := range st.teams {
		if total >= localBudget {
			break
		}
		if st.hasLead(s) && st.peers(s) >= p.in.rules.Peers {
			continue
		}
		n, err := p.improveAround(ctx, st, p.neighbourhood(st, int32(s)), min(localNodes, localBudget-total))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// neighbourhood returns school s and the schools around it, breadth first:
// for each, the teams its candidates are on and their home schools, at most
// exactSchools in all.
func (p *areaProblem) neighbourhood(st *teamState, s int32) []int32 {
	out := []int32{s}
	seen := map[int32]bool{s: true}
	for i := 0; i < len(out) && len(out) < exactSchools; i++ {
		for _, ci := range p.schoolCands(out[i]) {
			r := p.cands[ci].r
			next := append(slices.Clone(st.held[r]), st.homeTeam[r])
			for _, t := range next {
				if t >= 0 && !seen[t] && len(out) < exactSchools {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// improveAround searches the allocations of the schools' teams with every
// other team fixed (their candidates are the component's, see
// Rules.Candidates) and keeps the best. It reports the nodes searched.
func (p *areaProblem) improveAround(ctx context.Context, st *teamState, schools []int32, limit int) (int, error) {
	x := p.newSearch(ctx, schools, func(s int32) []candidate {
		var out []candidate
		for _, ci := range p.schoolCands(s) {
			out = append(out, p.cands[ci])
		}
		return out
	}, limit)
	defer x.unbind()
	x.keep(st)
	for _, s := range x.order {
		for _, pl := range slices.Clone(st.teams[s]) {
			st.take(int(s), pl.r)
		}
	}
	x.st = st
	x.rec(0, 0)
	// The search leaves the teams empty; the best goes back (the
	// incumbent when nothing beat it).
	for t, pls := range x.best {
		s := int(x.order[t])
		for _, pl := range pls {
			st.add(s, pl)
		}
		if x.improved {
			st.touch(s)
		}
	}
	return x.nodes, x.err
}
