package review

import (
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// move is one step of an ejection chain: reviewer r (through candidate ci)
// leaves school from's team (−1: r had room) and takes the lead's place
// (lead) or a peer's place on school to's team.
type move struct {
	ci       int32
	from, to int32
	lead     bool
}

// repair removes the conflicts of the root's flow (reciprocal pairs used
// both ways, teams with more than MaxPerSchool reviewers from one school)
// locally, without solving the flow again. For a reciprocal pair it takes
// out every place of the direction whose places cost least to replace; for
// a team it takes out, one at a time, the member that costs least to
// replace until the rule holds. What replacing a member costs is the change
// of the cheapest ejection chain that refills its place: a reviewer with
// room takes the place (depth 1), or a reviewer on another team moves to it
// and a reviewer with room takes theirs (depth 2), or one more such step
// (depth 3, tried only when no shorter chain exists); a place no chain
// refills costs its penalty. Every move is checked against every rule, so
// the state never breaks one; a place no chain refills stays empty (finish
// tries to fill it once more and explains it). It returns the number of
// members taken out.
func (st *teamState) repair(conf []conflict) int {
	p := st.p
	ejected := 0
	eject := func(ci int32) {
		cd := &p.cands[ci]
		pl, ok := st.take(int(cd.s), cd.r)
		if !ok {
			return
		}
		ejected++
		if chain, _, found := st.bestChain(cd.s, pl.lead); found {
			st.apply(chain)
		}
	}
	for _, c := range conf {
		if !c.sameSchool {
			ua, ub := st.pairUse(int32(c.options[0])), st.pairUse(int32(c.options[1]))
			if len(ua) == 0 || len(ub) == 0 {
				continue // already resolved by an earlier chain
			}
			da, db := st.ejectCosts(ua), st.ejectCosts(ub)
			out := ua
			if db < da || (db == da && len(ub) < len(ua)) {
				out = ub
			}
			for _, ci := range out {
				eject(ci)
			}
			continue
		}
		// Take out, one at a time, the member whose removal costs least,
		// until the team has MaxPerSchool from the school.
		for {
			ms := st.onTeam(c)
			if len(ms) <= p.in.rules.MaxPerSchool {
				break
			}
			best, bestCost := ms[0], st.ejectCost(ms[0])
			for _, ci := range ms[1:] {
				if d := st.ejectCost(ci); d < bestCost {
					best, bestCost = ci, d
				}
			}
			eject(best)
		}
	}
	return ejected
}

// ejectCosts sums ejectCost over cs, each taken alone.
func (st *teamState) ejectCosts(cs []int32) int64 {
	var n int64
	for _, ci := range cs {
		n += st.ejectCost(ci)
	}
	return n
}

// onTeam lists the members of a same-school conflict still on the team.
func (st *teamState) onTeam(c conflict) []int32 {
	var out []int32
	for _, b := range c.options {
		ci := int32(-b - 1)
		cd := &st.p.cands[ci]
		if st.holds(int(cd.s), cd.r) {
			out = append(out, ci)
		}
	}
	return out
}

// pairUse lists the candidates holding a place on the directed pair id.
func (st *teamState) pairUse(id int32) []int32 {
	var out []int32
	for _, ci := range st.p.pairCands[id] {
		c := &st.p.cands[ci]
		if st.holds(int(c.s), c.r) {
			out = append(out, ci)
		}
	}
	return out
}

// holds reports whether area reviewer r is on school s's team.
func (st *teamState) holds(s int, r int32) bool {
	return slices.ContainsFunc(st.teams[s], func(pl place) bool { return pl.r == r })
}

// take removes reviewer r from school s's team and returns the place.
func (st *teamState) take(s int, r int32) (place, bool) {
	in := st.p.in
	i := slices.IndexFunc(st.teams[s], func(pl place) bool { return pl.r == r })
	if i < 0 {
		return place{}, false
	}
	pl := st.teams[s][i]
	st.teams[s] = slices.Delete(st.teams[s], i, i+1)
	st.load[r]--
	st.held[r] = slices.DeleteFunc(st.held[r], func(t int32) bool { return t == int32(s) })
	if h := in.reviewers[st.p.a.reviewers[r]].Home; h > 0 {
		st.given[h]--
		k := [2]partnership.URN{h, in.schools[st.p.a.schools[s]].URN}
		if st.pairIn[k]--; st.pairIn[k] == 0 {
			delete(st.pairIn, k)
		}
	}
	return pl, true
}

// candPlace is candidate ci in the lead's place or a peer's.
func (p *areaProblem) candPlace(ci int32, lead bool) place {
	c := &p.cands[ci]
	if lead {
		return place{r: c.r, lead: true, km: c.km, fit: c.fit, cost: c.leadCost}
	}
	return place{r: c.r, km: c.km, fit: c.fit, cost: c.peerCost, newPeer: c.newPeer}
}

// fits reports whether candidate ci may take the lead's place (lead) or a
// peer's on its school's team as the state stands.
func (st *teamState) fits(ci int32, lead bool) bool {
	c := &st.p.cands[ci]
	if (lead && !c.lead) || (!lead && !c.peer) || st.holds(int(c.s), c.r) {
		return false
	}
	return st.blocked(int(c.s), c.r, lead, c.newPeer) == ConstraintNone
}

// bestChain returns the cheapest ejection chain of the least depth (up to
// three) that fills the place (the lead's when lead) on school s's team,
// and its cost change.
func (st *teamState) bestChain(s int32, lead bool) ([]move, int64, bool) {
	for depth := 2; depth <= 3; depth++ {
		var best []move
		bestCost := int64(0)
		var path []move
		st.chains(s, lead, depth, 0, &path, func(cost int64) {
			if best == nil || cost < bestCost {
				best, bestCost = slices.Clone(path), cost
			}
		})
		if best != nil {
			return best, bestCost, true
		}
	}
	return nil, 0, false
}

// apply makes the moves of a chain, in order.
func (st *teamState) apply(chain []move) {
	for _, m := range chain {
		if m.from >= 0 {
			st.take(int(m.from), st.p.cands[m.ci].r)
		}
		st.add(int(m.to), st.p.candPlace(m.ci, m.lead))
	}
}

// ejectCost is what taking candidate ci off its team and refilling its
// place by the best chain would change the cost by (placePen more when no
// chain refills it, and leadPen for a lead).
func (st *teamState) ejectCost(ci int32) int64 {
	c := &st.p.cands[ci]
	pl, ok := st.take(int(c.s), c.r)
	if !ok {
		return 0
	}
	_, d, found := st.bestChain(c.s, pl.lead)
	st.add(int(c.s), pl)
	switch {
	case found:
		return d - pl.cost
	case pl.lead:
		return st.p.leadPen - pl.cost
	}
	return st.p.placePen - pl.cost
}

// chains calls found with the cost change of every ejection chain of at
// most depth steps that fills the place (the lead's when lead) on school
// s's team, with path holding its moves (in the order they are made).
// The state is as it was on return.
func (st *teamState) chains(s int32, lead bool, depth int, acc int64, path *[]move, found func(int64)) {
	p := st.p
	for _, ci := range p.schoolCands(s) {
		c := &p.cands[ci]
		if (lead && !c.lead) || (!lead && !c.peer) {
			continue
		}
		cost := c.peerCost
		if lead {
			cost = c.leadCost
		}
		if st.load[c.r] < st.cap(c.r) {
			if st.fits(ci, lead) {
				*path = append(*path, move{ci: ci, from: -1, to: s, lead: lead})
				found(acc + cost)
				*path = (*path)[:len(*path)-1]
			}
			continue
		}
		if depth == 1 || st.holds(int(s), c.r) {
			continue
		}
		for _, t := range slices.Clone(st.held[c.r]) {
			pl, _ := st.take(int(t), c.r)
			if st.fits(ci, lead) {
				st.add(int(s), p.candPlace(ci, lead))
				*path = append(*path, move{ci: ci, from: t, to: s, lead: lead})
				n := len(*path)
				st.chains(t, pl.lead, depth-1, acc+cost-pl.cost, path, found)
				*path = (*path)[:n-1]
				st.take(int(s), c.r)
			}
			st.add(int(t), pl)
		}
	}
}

func (st *teamState) cap(r int32) int {
	return st.p.in.reviewers[st.p.a.reviewers[r]].Capacity
}

// cost is the state's objective with its penalties, in the flow's units.
func (st *teamState) cost() int64 {
	p := st.p
	var c int64
	for s := range st.teams {
		lead := false
		for _, pl := range st.teams[s] {
			c += pl.cost
			lead = lead || pl.lead
		}
		if !lead {
			c += p.leadPen
		}
		c += p.placePen * int64(max(0, p.in.rules.Peers-st.peers(s)))
	}
	return c
}
