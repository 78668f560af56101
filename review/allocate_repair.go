package review

import (
	"slices"
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
	st.listSpare()
	ejected := 0
	eject := func(ci int32) {
		cd := &p.cands[ci]
		pl, ok := st.take(int(cd.s), cd.r)
		if !ok {
			return
		}
		st.touch(int(cd.s))
		ejected++
		if chain, _, found := st.bestChain(cd.s, pl.lead, 3); found {
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
	st.syncSpare(r)
	st.held[r] = slices.DeleteFunc(st.held[r], func(t int32) bool { return t == int32(s) })
	if h := in.reviewers[st.p.a.reviewers[r]].Home; h > 0 && in.rules.BalanceGiving {
		st.given[h]--
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
	return st.blocked(int(c.s), c.r, lead, c.newPeer, false) == ConstraintNone
}

// bestChain returns the cheapest ejection chain of the least depth (two,
// then up to maxDepth) that fills the place (the lead's when lead) on school s's team,
// and its cost change.
func (st *teamState) bestChain(s int32, lead bool, maxDepth int) ([]move, int64, bool) {
	for depth := 2; depth <= maxDepth; depth++ {
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
			st.touch(int(m.from))
		}
		st.add(int(m.to), st.p.candPlace(m.ci, m.lead))
		st.touch(int(m.to))
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
	_, d, found := st.bestChain(c.s, pl.lead, 3)
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
	cands := p.schoolCands(s)
	if depth == 1 && st.spos != nil && len(st.spare) < len(cands) {
		// Only a reviewer with room can end the chain: look them up.
		cands = st.spareCands(s)
	}
	for _, ci := range cands {
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
		// Whether c may move to s does not depend on the team it
		// leaves (its school's count of places and its pairs with s stay
		// as they are), so it is checked once.
		if depth == 1 || st.holds(int(s), c.r) || st.blocked(int(s), c.r, lead, c.newPeer, true) != ConstraintNone {
			continue
		}
		for _, t := range slices.Clone(st.held[c.r]) {
			pl, _ := st.take(int(t), c.r)
			st.add(int(s), p.candPlace(ci, lead))
			*path = append(*path, move{ci: ci, from: t, to: s, lead: lead})
			n := len(*path)
			st.chains(t, pl.lead, depth-1, acc+cost-pl.cost, path, found)
			*path = (*path)[:n-1]
			st.take(int(s), c.r)
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

// improve tries, for each member of a team the repair changed, to take
// them out and refill their place by the cheapest ejection chain of at most
// two moves (in which they may move to another place), and keeps the change
// when it lowers the cost. It returns the number of changes kept.
func (st *teamState) improve(schools []int32) int {
	p := st.p
	kept := 0
	for _, s := range schools {
		for _, pl := range slices.Clone(st.teams[s]) {
			if _, ok := p.candOf[[2]int32{pl.r, s}]; !ok || !st.holds(int(s), pl.r) {
				continue
			}
			old, _ := st.take(int(s), pl.r)
			chain, d, found := st.bestChain(s, old.lead, 2)
			if found && d < old.cost {
				st.apply(chain)
				kept++
				continue
			}
			st.add(int(s), old)
		}
	}
	return kept
}

// touch records that school s's team changed.
func (st *teamState) touch(s int) {
	if st.touched == nil {
		st.touched = make([]bool, len(st.teams))
	}
	if !st.touched[s] {
		st.touched[s] = true
		st.changed = append(st.changed, int32(s))
	}
}

// deepFill fills the place (the lead's when lead) on school s's team by the
// ejection chain of fewest moves, of any length: a breadth-first search
// over the teams, each team entered once, from s to a reviewer with room.
// It is the fallback for a place the bounded chains leave empty, as the
// objective puts filling a place before its cost. Each move of the chain
// found is checked again as it is made; if one fails, the chain is undone.
// It reports whether the place was filled.
func (st *teamState) deepFill(s int32, lead bool) bool {
	p := st.p
	type step struct {
		s      int32 // the team whose place is to be filled
		lead   bool
		parent int32 // index of the step whose mover came from s, or −1
		ci     int32 // the candidate that moves from s into the parent's place
	}
	steps := []step{{s: s, lead: lead, parent: -1, ci: -1}}
	seen := map[int32]bool{s: true}
	for i := 0; i < len(steps); i++ {
		if st.budget != nil {
			if *st.budget <= 0 {
				return false
			}
			*st.budget--
		}
		cur := steps[i]
		for _, ci := range p.schoolCands(cur.s) {
			c := &p.cands[ci]
			if (cur.lead && !c.lead) || (!cur.lead && !c.peer) || st.holds(int(cur.s), c.r) {
				continue
			}
			if st.load[c.r] < st.cap(c.r) {
				if !st.fits(ci, cur.lead) {
					continue
				}
				// Found: c takes cur's place, and back up the chain
				// each mover takes the place of the step before.
				var chain []move
				chain = append(chain, move{ci: ci, from: -1, to: cur.s, lead: cur.lead})
				for k := i; steps[k].parent >= 0; k = int(steps[k].parent) {
					par := steps[steps[k].parent]
					chain = append(chain, move{ci: steps[k].ci, from: steps[k].s, to: par.s, lead: par.lead})
				}
				slices.Reverse(chain)
				if st.applyChecked(chain) {
					for _, m := range chain {
						st.touch(int(m.to))
						if m.from >= 0 {
							st.touch(int(m.from))
						}
					}
					return true
				}
				continue
			}
			for _, t := range st.held[c.r] {
				if seen[t] {
					continue
				}
				pl, _ := st.take(int(t), c.r)
				ok := st.fits(ci, cur.lead)
				st.add(int(t), pl)
				if ok {
					seen[t] = true
					steps = append(steps, step{s: t, lead: pl.lead, parent: int32(i), ci: ci})
				}
			}
		}
	}
	return false
}

// applyChecked makes the moves of a chain in order, each checked against
// every rule as the state then stands, and undoes them all if one fails.
func (st *teamState) applyChecked(chain []move) bool {
	p := st.p
	var undo []func()
	for _, m := range chain {
		r := p.cands[m.ci].r
		var old place
		if m.from >= 0 {
			pl, ok := st.take(int(m.from), r)
			if !ok {
				for i := len(undo) - 1; i >= 0; i-- {
					undo[i]()
				}
				return false
			}
			old = pl
			from := m.from
			undo = append(undo, func() { st.add(int(from), old) })
		}
		if !st.fits(m.ci, m.lead) {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
			return false
		}
		to := m.to
		st.add(int(to), p.candPlace(m.ci, m.lead))
		undo = append(undo, func() { st.take(int(to), r) })
	}
	return true
}

// listSpare starts keeping the list of reviewers with room.
func (st *teamState) listSpare() {
	st.spos = make([]int32, len(st.load))
	for r := range st.spos {
		st.spos[r] = -1
		st.syncSpare(int32(r))
	}
}

// syncSpare puts reviewer r on the list of those with room, or off it.
func (st *teamState) syncSpare(r int32) {
	if st.spos == nil {
		return
	}
	room := st.load[r] < st.cap(r)
	switch i := st.spos[r]; {
	case room && i < 0:
		st.spos[r] = int32(len(st.spare))
		st.spare = append(st.spare, r)
	case !room && i >= 0:
		last := st.spare[len(st.spare)-1]
		st.spare[i], st.spos[last] = last, i
		st.spare = st.spare[:len(st.spare)-1]
		st.spos[r] = -1
	}
}

// spareCands returns the candidates for school s whose reviewers have room,
// in the order of the candidates.
func (st *teamState) spareCands(s int32) []int32 {
	st.buf = st.buf[:0]
	p := st.p
	for _, ci := range p.schoolCands(s) {
		if st.spos[p.cands[ci].r] >= 0 {
			st.buf = append(st.buf, ci)
		}
	}
	return st.buf
}
