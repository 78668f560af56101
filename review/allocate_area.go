package review

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// candidate is a reviewer–school pair that every static rule allows.
type candidate struct {
	r, s       int32 // indices into the area's reviewers and schools
	lead, peer bool
	newPeer    bool
	leadCost   int64
	peerCost   int64
	km, fit    float64
	pair       int32 // directed school pair for the reciprocal rule, or -1
}

// areaProblem is one area's candidate graph.
type areaProblem struct {
	in        *instance
	a         area
	cands     []candidate
	pairs     [][2]int // pair id -> (home URN, school URN)
	reverse   []int32  // pair id -> id of the reverse pair, or -1
	places    int
	newCap    int
	perSchool [][]int32 // candidate indices per school
}

// areaSolution is the outcome of one area.
type areaSolution struct {
	teams      []Team
	shortfalls []Shortfall
	result     AreaResult
}

// flowSolution is one solve of the area's flow.
type flowSolution struct {
	cost     int64 // including penalties
	unfilled int
	leadOf   []int32 // school -> candidate index of its lead, or -1
	peersOf  [][]int32
	used     []int32 // units per pair
	g        *flowGraph
	slotNode [][2]int // school -> lead node, peer node
	revNode  []int
}

func (in *instance) solveArea(ctx context.Context, a area) (*areaSolution, error) {
	p := in.buildCandidates(a)
	root, err := p.solve(ctx, nil)
	if err != nil {
		return nil, err
	}
	best := root
	lb := root.cost
	nodes := 1
	bans := 0
	optimal := true
	if in.rules.ExcludeReciprocal && len(p.conflicts(root)) > 0 {
		limit := in.rules.SearchNodes
		if limit == 0 {
			limit = 8
		}
		inc, incBans, n, err := p.heuristic(ctx)
		if err != nil {
			return nil, err
		}
		nodes += n
		best, bans = inc, incBans
		best, lb, n, optimal, err = p.branchAndBound(ctx, root, best, limit)
		if err != nil {
			return nil, err
		}
		nodes += n
	}
	return p.finish(root, best, lb, nodes, bans, optimal), nil
}

func (in *instance) buildCandidates(a area) *areaProblem {
	ru := &in.rules
	p := &areaProblem{in: in, a: a, perSchool: make([][]int32, len(a.schools))}
	p.places = len(a.schools) * (1 + ru.Peers)
	p.newCap = ru.Peers - ru.MinExperiencedPeers
	type opt struct {
		si   int32
		cost int64
		c    candidate
	}
	perSchool := make([][]opt, len(a.schools))
	var chosen []candidate
	keep := map[[2]int32]bool{}
	for ari, ri := range a.reviewers {
		if in.reviewers[ri].Capacity == 0 {
			continue
		}
		var mine []opt
		rv := &in.reviewers[ri]
		for asi, si := range a.schools {
			km := in.km(ri, si)
			leadOK := in.check(ri, si, true, km) == ConstraintNone
			peerOK := ru.Peers > 0 && in.check(ri, si, false, km) == ConstraintNone
			if !leadOK && !peerOK {
				continue
			}
			fit := focusFit(ru.Taxonomy, in.schools[si].Focus, rv.Expertise)
			c := candidate{r: int32(ari), s: int32(asi), lead: leadOK, peer: peerOK, km: km, fit: fit, pair: -1,
				newPeer: !in.experienced(rv)}
			c.leadCost = int64(math.Round(costScale * in.placeCost(ri, si, true, km, fit)))
			c.peerCost = int64(math.Round(costScale * in.placeCost(ri, si, false, km, fit)))
			rank := c.peerCost
			if leadOK && (!peerOK || c.leadCost < rank) {
				rank = c.leadCost
			}
			o := opt{int32(asi), rank, c}
			mine = append(mine, o)
			perSchool[asi] = append(perSchool[asi], o)
		}
		if ru.Candidates > 0 && len(mine) > ru.Candidates {
			slices.SortFunc(mine, func(x, y opt) int { return cmp.Or(cmp.Compare(x.cost, y.cost), cmp.Compare(x.si, y.si)) })
			mine = mine[:ru.Candidates]
		}
		for _, o := range mine {
			keep[[2]int32{o.c.r, o.c.s}] = true
		}
	}
	if ru.Candidates > 0 {
		k := 4 * (ru.Peers + 1)
		for _, os := range perSchool {
			if len(os) > k {
				slices.SortFunc(os, func(x, y opt) int { return cmp.Or(cmp.Compare(x.cost, y.cost), cmp.Compare(x.c.r, y.c.r)) })
				os = os[:k]
			}
			for _, o := range os {
				keep[[2]int32{o.c.r, o.c.s}] = true
			}
		}
	}
	for _, os := range perSchool {
		for _, o := range os {
			if ru.Candidates == 0 || keep[[2]int32{o.c.r, o.c.s}] {
				chosen = append(chosen, o.c)
			}
		}
	}
	slices.SortFunc(chosen, func(x, y candidate) int { return cmp.Or(cmp.Compare(x.r, y.r), cmp.Compare(x.s, y.s)) })
	pairID := map[[2]int]int32{}
	for i := range chosen {
		c := &chosen[i]
		h := in.reviewers[a.reviewers[c.r]].Home
		if ru.ExcludeReciprocal && h > 0 {
			key := [2]int{int(h), int(in.schools[a.schools[c.s]].URN)}
			id, ok := pairID[key]
			if !ok {
				id = int32(len(p.pairs))
				pairID[key] = id
				p.pairs = append(p.pairs, key)
			}
			c.pair = id
		}
		p.perSchool[c.s] = append(p.perSchool[c.s], int32(i))
	}
	p.reverse = make([]int32, len(p.pairs))
	for id, k := range p.pairs {
		p.reverse[id] = -1
		if r, ok := pairID[[2]int{k[1], k[0]}]; ok {
			p.reverse[id] = r
		}
	}
	p.cands = chosen
	return p
}

// solve builds and solves the flow with the banned pairs removed.
func (p *areaProblem) solve(ctx context.Context, banned []bool) (*flowSolution, error) {
	in := p.in
	N := in.rules.Peers
	g := &flowGraph{}
	S := g.addNode()
	var deficits, demand []int
	sol := &flowSolution{revNode: make([]int, len(p.a.reviewers)), slotNode: make([][2]int, len(p.a.schools))}
	for i, ri := range p.a.reviewers {
		sol.revNode[i] = g.addNode()
		g.addArc(S, sol.revNode[i], int32(in.reviewers[ri].Capacity), 0)
	}
	newNode := make([]int, len(p.a.schools))
	penaltyArcs := make([]int, 0, 2*len(p.a.schools))
	for s := range p.a.schools {
		l, pe := g.addNode(), g.addNode()
		sol.slotNode[s] = [2]int{l, pe}
		deficits, demand = append(deficits, l), append(demand, 1)
		penaltyArcs = append(penaltyArcs, g.addArc(S, l, 1, penalty))
		if N > 0 {
			deficits, demand = append(deficits, pe), append(demand, N)
			penaltyArcs = append(penaltyArcs, g.addArc(S, pe, int32(N), penalty))
		}
		newNode[s] = pe
		if p.newCap < N {
			newNode[s] = g.addNode()
			if p.newCap > 0 {
				g.addArc(newNode[s], pe, int32(p.newCap), 0)
			}
		}
	}
	leadArc := make([]int, len(p.cands))
	peerArc := make([]int, len(p.cands))
	for i, c := range p.cands {
		leadArc[i], peerArc[i] = -1, -1
		if c.pair >= 0 && banned != nil && banned[c.pair] {
			continue
		}
		r := sol.revNode[c.r]
		peerTo := sol.slotNode[c.s][1]
		if c.newPeer {
			peerTo = newNode[c.s]
		}
		from := r
		if c.lead && c.peer {
			from = g.addNode()
			g.addArc(r, from, 1, 0)
		}
		if c.lead {
			leadArc[i] = g.addArc(from, sol.slotNode[c.s][0], 1, c.leadCost)
		}
		if c.peer {
			peerArc[i] = g.addArc(from, peerTo, 1, c.peerCost)
		}
	}
	_, cost, err := g.solve(ctx, S, deficits, demand)
	if err != nil {
		return nil, err
	}
	sol.g = g
	sol.cost = cost
	for _, a := range penaltyArcs {
		sol.unfilled += int(g.flow(a))
	}
	sol.leadOf = make([]int32, len(p.a.schools))
	for i := range sol.leadOf {
		sol.leadOf[i] = -1
	}
	sol.peersOf = make([][]int32, len(p.a.schools))
	sol.used = make([]int32, len(p.pairs))
	for i, c := range p.cands {
		if leadArc[i] >= 0 && g.flow(leadArc[i]) > 0 {
			sol.leadOf[c.s] = int32(i)
		} else if peerArc[i] >= 0 && g.flow(peerArc[i]) > 0 {
			sol.peersOf[c.s] = append(sol.peersOf[c.s], int32(i))
		} else {
			continue
		}
		if c.pair >= 0 {
			sol.used[c.pair]++
		}
	}
	return sol, nil
}

// conflicts returns the pair ids used in both directions (the lower id of
// each), in increasing order.
func (p *areaProblem) conflicts(sol *flowSolution) []int32 {
	var out []int32
	for id, n := range sol.used {
		if r := p.reverse[id]; n > 0 && r > int32(id) && sol.used[r] > 0 {
			out = append(out, int32(id))
		}
	}
	return out
}

// heuristic finds a solution without reciprocal pairs: for each pair used
// both ways it forbids the direction carrying fewer places (then the dearer,
// then the later) and solves again; from the fourth solve on it also forbids
// the unused direction of every pair in use, so it ends within a few solves.
func (p *areaProblem) heuristic(ctx context.Context) (*flowSolution, int, int, error) {
	banned := make([]bool, len(p.pairs))
	nodes := 0
	for {
		sol, err := p.solve(ctx, banned)
		if err != nil {
			return nil, 0, nodes, err
		}
		nodes++
		conf := p.conflicts(sol)
		if len(conf) == 0 {
			n := 0
			for _, b := range banned {
				if b {
					n++
				}
			}
			return sol, n, nodes, nil
		}
		pairCost := make([]int64, len(p.pairs))
		for s := range p.a.schools {
			for _, ci := range append(slices.Clone(sol.peersOf[s]), sol.leadOf[s]) {
				if ci >= 0 && p.cands[ci].pair >= 0 {
					pairCost[p.cands[ci].pair] += p.cands[ci].peerCost
				}
			}
		}
		if nodes > 3 {
			// Converge: forbid the unused direction of every pair in use.
			for id, n := range sol.used {
				if r := p.reverse[id]; n > 0 && r >= 0 && sol.used[r] == 0 {
					banned[r] = true
				}
			}
		}
		for _, a := range conf {
			b := p.reverse[a]
			loseA := sol.used[a] < sol.used[b] || (sol.used[a] == sol.used[b] && pairCost[a] >= pairCost[b])
			if loseA {
				banned[a] = true
			} else {
				banned[b] = true
			}
		}
	}
}

// bbNode is a node of the search: the directions it forbids and the bound
// inherited from its parent.
type bbNode struct {
	bans  []int32
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

// branchAndBound searches best-first, branching on the first reciprocal
// pair of a node's solution, for at most limit nodes. It returns the best
// solution, the proven lower bound, the nodes solved and whether the best is
// proven optimal.
func (p *areaProblem) branchAndBound(ctx context.Context, root, incumbent *flowSolution, limit int) (*flowSolution, int64, int, bool, error) {
	q := &bbQueue{}
	seq := 0
	push := func(bans []int32, bound int64) {
		seq++
		heap.Push(q, bbNode{bans: bans, bound: bound, seq: seq})
	}
	branch := func(bans []int32, sol *flowSolution) {
		a := p.conflicts(sol)[0]
		push(append(slices.Clone(bans), a), sol.cost)
		push(append(slices.Clone(bans), p.reverse[a]), sol.cost)
	}
	branch(nil, root)
	nodes := 0
	banned := make([]bool, len(p.pairs))
	for q.Len() > 0 && nodes < limit {
		n := heap.Pop(q).(bbNode)
		if n.bound >= incumbent.cost {
			continue
		}
		clear(banned)
		for _, b := range n.bans {
			banned[b] = true
		}
		sol, err := p.solve(ctx, banned)
		if err != nil {
			return nil, 0, nodes, false, err
		}
		nodes++
		if sol.cost >= incumbent.cost {
			continue
		}
		if len(p.conflicts(sol)) == 0 {
			incumbent = sol
			continue
		}
		branch(n.bans, sol)
	}
	lb := incumbent.cost
	for _, n := range *q {
		if n.bound < lb {
			lb = n.bound
		}
	}
	return incumbent, lb, nodes, lb >= incumbent.cost, nil
}

func split(cost int64) (unfilled int, rest float64) {
	u := cost / penalty
	return int(u), float64(cost-u*penalty) / costScale
}

// finish turns the best solution into teams, shortfalls and the area report.
func (p *areaProblem) finish(root, best *flowSolution, lb int64, nodes, bans int, optimal bool) *areaSolution {
	in := p.in
	out := &areaSolution{}
	objU, obj := split(best.cost)
	lbU, lbv := split(lb)
	out.result = AreaResult{
		Name: p.a.name, Schools: len(p.a.schools), Reviewers: len(p.a.reviewers),
		Objective: obj, LowerBound: lbv, Optimal: optimal, Unfilled: objU, BoundUnfilled: lbU,
		SearchNodes: nodes, ReciprocalBans: bans, CandidateArcs: len(p.cands),
	}
	for s, si := range p.a.schools {
		t := Team{School: in.schools[si].URN}
		add := func(ci int32, lead bool) {
			c := p.cands[ci]
			rv := &in.reviewers[p.a.reviewers[c.r]]
			cost := c.peerCost
			if lead {
				cost = c.leadCost
			}
			m := Member{Reviewer: rv.ID, Home: rv.Home, Lead: lead, New: !in.experienced(rv), External: rv.External,
				TravelKm: c.km, FocusFit: c.fit, Cost: float64(cost) / costScale}
			if math.IsNaN(m.TravelKm) {
				m.TravelKm = 0
			}
			t.Members = append(t.Members, m)
			t.TravelKm += m.TravelKm
			t.Cost += m.Cost
		}
		if ci := best.leadOf[s]; ci >= 0 {
			add(ci, true)
		}
		peers := slices.Clone(best.peersOf[s])
		slices.SortFunc(peers, func(a, b int32) int {
			return cmp.Compare(in.reviewers[p.a.reviewers[p.cands[a].r]].ID, in.reviewers[p.a.reviewers[p.cands[b].r]].ID)
		})
		for _, ci := range peers {
			add(ci, false)
		}
		out.teams = append(out.teams, t)
		if best.leadOf[s] < 0 {
			out.shortfalls = append(out.shortfalls, p.explain(root, best, s, true, 1))
		}
		if miss := in.rules.Peers - len(peers); miss > 0 {
			out.shortfalls = append(out.shortfalls, p.explain(root, best, s, false, miss))
		}
	}
	return out
}

// explain says why school s lacks places: the first rule that leaves too
// few eligible reviewers, or else the capacity of those who remain, or the
// reciprocal rule.
func (p *areaProblem) explain(root, best *flowSolution, s int, lead bool, missing int) Shortfall {
	in := p.in
	si := p.a.schools[s]
	sh := Shortfall{School: in.schools[si].URN, Lead: lead, Missing: missing}
	place := "peer places"
	need := in.rules.Peers
	if lead {
		place, need = "the lead's place", 1
	}
	// Count, rule by rule, how many of the area's reviewers remain.
	removed := map[Constraint]int{}
	left := 0
	experienced := 0
	for _, ri := range p.a.reviewers {
		if in.reviewers[ri].Capacity == 0 {
			removed[ConstraintCapacity]++
			continue
		}
		c := in.check(ri, si, lead, in.km(ri, si))
		if c == ConstraintNone {
			left++
			if in.experienced(&in.reviewers[ri]) {
				experienced++
			}
		} else {
			removed[c]++
		}
	}
	var steps []string
	remaining := len(p.a.reviewers)
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
	summary := fmt.Sprintf("of the %d reviewers in area %s, %s", len(p.a.reviewers), p.a.name, strings.Join(steps, ", "))
	if len(steps) == 0 {
		summary = fmt.Sprintf("all %d reviewers in area %s are eligible", len(p.a.reviewers), p.a.name)
	}
	switch {
	case blocking != ConstraintNone:
		sh.Constraint = blocking
		sh.Reason = fmt.Sprintf("%s needs %d for %s but only %d reviewers are eligible: %s", sh.School, need, place, left, summary)
	case !lead && experienced < in.rules.MinExperiencedPeers:
		sh.Constraint = ConstraintExperienceMix
		sh.Reason = fmt.Sprintf("%s needs %d experienced peers but only %d eligible reviewers are experienced", sh.School, in.rules.MinExperiencedPeers, experienced)
	case !lead && p.newOnlyLeft(best, s):
		sh.Constraint = ConstraintExperienceMix
		sh.Reason = fmt.Sprintf("%s: the eligible reviewers with places left are new, and at most %d of its %d peers may be new (every experienced eligible reviewer is fully used)",
			sh.School, p.newCap, in.rules.Peers)
	case len(p.perSchool[s]) < need:
		sh.Constraint = ConstraintCandidates
		sh.Reason = fmt.Sprintf("%s: %d reviewers are eligible but only %d were among the candidates considered (raise candidates)", sh.School, left, len(p.perSchool[s]))
	case p.rootUnfilled(root, s, lead):
		sh.Constraint = ConstraintCapacity
		revs, caps, schools := p.blockers(root, s, lead)
		if revs == 0 {
			sh.Reason = fmt.Sprintf("%s: %d reviewers are eligible for %s, but each is fully used and none can be freed by moving another", sh.School, left, place)
			break
		}
		sh.Reason = fmt.Sprintf("%s: %d reviewers are eligible for %s, but every reviewer who could fill it, directly or by moving from another team (%d reviewers, %d places), is fully used by %d schools",
			sh.School, left, place, revs, caps, schools)
	default:
		sh.Constraint = ConstraintReciprocal
		sh.Reason = fmt.Sprintf("%s: the places can be filled only by reviewers whose schools it reviews in this cycle (reciprocal pairs are excluded)", sh.School)
	}
	return sh
}

// newOnlyLeft reports whether, in the solution, school s could take a
// further peer only if that peer were new: some eligible new reviewer has a
// place left, while the team already has its quota of new peers.
func (p *areaProblem) newOnlyLeft(sol *flowSolution, s int) bool {
	load := make([]int, len(p.a.reviewers))
	newOnTeam := 0
	for t := range p.a.schools {
		for _, ci := range sol.peersOf[t] {
			load[p.cands[ci].r]++
			if t == s && p.cands[ci].newPeer {
				newOnTeam++
			}
		}
		if ci := sol.leadOf[t]; ci >= 0 {
			load[p.cands[ci].r]++
		}
	}
	if newOnTeam < p.newCap {
		return false
	}
	for _, ci := range p.perSchool[s] {
		c := p.cands[ci]
		if c.peer && c.newPeer && load[c.r] < p.in.reviewers[p.a.reviewers[c.r]].Capacity {
			return true
		}
	}
	return false
}

func (p *areaProblem) rootUnfilled(root *flowSolution, s int, lead bool) bool {
	if lead {
		return root.leadOf[s] < 0
	}
	return len(root.peersOf[s]) < p.in.rules.Peers
}

// blockers walks the root flow's residual graph backwards from the school's
// unfilled place: every node found can pass a place to it, so every reviewer
// found is at capacity. It returns how many reviewers, their capacity and
// how many schools' places are reached.
func (p *areaProblem) blockers(root *flowSolution, s int, lead bool) (int, int, int) {
	g := root.g
	target := root.slotNode[s][1]
	if lead {
		target = root.slotNode[s][0]
	}
	seen := make([]bool, g.n)
	seen[target] = true
	q := []int{target}
	// Reverse adjacency: an arc u->v with residual capacity lets u reach v.
	for i := 0; i < len(q); i++ {
		v := q[i]
		for _, a := range g.adj[g.start[v]:g.start[v+1]] {
			u := int(g.to[a]) // a is v->u; its twin u->v has residual cap[a^1]
			if u == 0 || seen[u] || g.cap[a^1] <= 0 {
				continue
			}
			seen[u] = true
			q = append(q, u)
		}
	}
	revs, caps, schools := 0, 0, 0
	for i, n := range root.revNode {
		if seen[n] {
			revs++
			caps += p.in.reviewers[p.a.reviewers[i]].Capacity
		}
	}
	for _, sn := range root.slotNode {
		if seen[sn[0]] || seen[sn[1]] {
			schools++
		}
	}
	return revs, caps, schools
}

func (in *instance) merge(areas []area, res []*areaSolution) *Allocation {
	a := &Allocation{Places: len(in.schools) * (1 + in.rules.Peers), Optimal: true}
	var objC, lbC float64 // over the areas whose bound fills as many places
	for _, r := range res {
		a.Teams = append(a.Teams, r.teams...)
		a.Shortfalls = append(a.Shortfalls, r.shortfalls...)
		a.Areas = append(a.Areas, r.result)
		a.Objective += r.result.Objective
		a.LowerBound += r.result.LowerBound
		a.Unfilled += r.result.Unfilled
		a.Optimal = a.Optimal && r.result.Optimal
		if r.result.Unfilled == r.result.BoundUnfilled {
			objC += r.result.Objective
			lbC += r.result.LowerBound
		} else {
			a.UnprovenAreas++
		}
	}
	slices.SortFunc(a.Teams, func(x, y Team) int { return cmp.Compare(x.School, y.School) })
	slices.SortFunc(a.Shortfalls, func(x, y Shortfall) int {
		return cmp.Or(cmp.Compare(x.School, y.School), -cmpBool(x.Lead, y.Lead))
	})
	for _, t := range a.Teams {
		a.TotalTravelKm += t.TravelKm
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
