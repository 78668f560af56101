package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// VisitRules shape ScheduleVisits.
type VisitRules struct {
	// Days is the length of a review visit in school days, 2 or 3 (0
	// means 2). The days of a visit are consecutive dates of one week.
	Days int `json:"days" yaml:"days"`
	// TravelDays is how many weekdays (Monday to Friday, in term or not)
	// a reviewer needs between the last day of one visit and the first of
	// the next (0: a reviewer may go from one visit to the next the next
	// weekday).
	TravelDays int `json:"travel_days" yaml:"travel_days"`
	// SearchNodes caps the branch and bound in each group of visits that
	// share reviewers (0 means 200,000); VisitPlan.Optimal says whether
	// every group finished within it.
	SearchNodes int `json:"search_nodes,omitempty" yaml:"search_nodes,omitempty"`
}

// Window is when a school asks to be visited, From to To inclusive; a zero
// From or To leaves that end open (the calendar's first or last day).
type Window struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// Absence is a time a reviewer cannot visit, From to To inclusive.
type Absence struct {
	Reviewer ReviewerID `json:"reviewer"`
	From     time.Time  `json:"from"`
	To       time.Time  `json:"to"`
	// Reason is why, as given (ScheduleVisits does not read it).
	Reason string `json:"reason,omitempty"`
}

// Calendars say which terms each school keeps, so that schools of
// different local authorities in one plan follow their own term dates: a
// school's terms are ByLA[LA[school]] when given, else Default. All share
// the bank holidays Holidays. ReadTermDates returns ByLA (with the default
// under key 0).
type Calendars struct {
	Holidays *Holidays
	Default  []Term
	ByLA     map[int][]Term
	LA       map[partnership.URN]int
}

// Of returns the calendar of school u.
func (c Calendars) Of(u partnership.URN) Calendar {
	if la, ok := c.LA[u]; ok {
		if t, ok := c.ByLA[la]; ok {
			return Calendar{Terms: t, Holidays: c.Holidays}
		}
	}
	return Calendar{Terms: c.Default, Holidays: c.Holidays}
}

// PlannedVisit is a team's review visit in time: the school, its days and
// the reviewers.
type PlannedVisit struct {
	School    partnership.URN `json:"school"`
	Days      []time.Time     `json:"days"`
	Reviewers []ReviewerID    `json:"reviewers"`
	// Lead reports that the team has its lead.
	Lead bool `json:"lead,omitempty"`
	// Lateness is how many weekdays after the first start its window and
	// terms allow the visit starts.
	Lateness int `json:"lateness"`
}

// UnscheduledReview is a team whose visit found no days, and why. The
// reason is true of the plan returned: Starts counts the starts the
// school's window and terms allow, and on every one of them some member is
// absent or on a planned visit (with the travel days); Blocked gives, member
// by member, on how many.
type UnscheduledReview struct {
	School  partnership.URN `json:"school"`
	Reason  string          `json:"reason"`
	Starts  int             `json:"starts"`
	Blocked []Blocked       `json:"blocked,omitempty"`
}

// Blocked says on how many of an unscheduled visit's starts one member is
// absent and on how many busy with planned visits (a start may count under
// both), and which visits.
type Blocked struct {
	Reviewer ReviewerID        `json:"reviewer"`
	Absent   int               `json:"absent"`
	Busy     int               `json:"busy"`
	Visits   []partnership.URN `json:"visits,omitempty"`
}

// VisitPlan is the cycle's visits in time.
type VisitPlan struct {
	Visits      []PlannedVisit      `json:"visits"`
	Unscheduled []UnscheduledReview `json:"unscheduled,omitempty"`
	// LedScheduled counts the visits scheduled whose team has its lead;
	// Lateness is the sum of the visits' lateness.
	LedScheduled int `json:"led_scheduled"`
	Lateness     int `json:"lateness"`
	// Optimal reports that the plan is proved optimal for the objective
	// (see ScheduleVisits); MostVisits that its first two parts are (no
	// plan schedules more led visits, or as many and more visits), which
	// holds as well when every visit that has a free start is scheduled.
	// Groups counts the groups of visits that share
	// reviewers, Unproven those whose search stopped at
	// VisitRules.SearchNodes, and Nodes the search nodes used.
	Optimal    bool `json:"optimal"`
	MostVisits bool `json:"most_visits"`
	Groups     int  `json:"groups"`
	Unproven   int  `json:"unproven,omitempty"`
	Nodes      int  `json:"nodes"`
}

// weekday numbers Monday to Friday consecutively from Monday 5 January
// 1970: a weekday's index, so that weekday i is in the week i/5 and is the
// (i%5)th day of it. Saturdays and Sundays take the next Monday's index.
func weekday(d time.Time) int {
	n := int(day(d).Unix()/86400) - 4
	w, k := n/7, n%7
	return w*5 + min(k, 5)
}

// weekdayDate is the date of weekday index i.
func weekdayDate(i int) time.Time {
	return time.Unix(int64(4+i/5*7+i%5)*86400, 0).UTC()
}

// ScheduleVisits puts the teams' visits in time. A visit takes rules.Days
// consecutive school days of one week (the school's terms, see Calendars,
// less weekends, half terms and bank holidays) inside the school's window,
// on which every member of the team is free: not absent, not on another
// visit, and with rules.TravelDays weekdays between two of their visits, so
// no reviewer is ever in two places at once. A team with no members is not
// visited.
//
// The objective is lexicographic, in this order:
//
//  1. as many visits by a team with its lead as possible (a review without
//     its lead is not the programme's review);
//  2. then as many visits as possible;
//  3. then the least total lateness: each visit as early in its window as
//     can be, counted in weekdays from the first start the school's window
//     and terms allow.
//
// Teams that share no reviewer, even through others, are independent; each
// such group is solved exactly by branch and bound (visits with the fewest
// starts first, earliest start first; the bound counts the visits left that
// still have a free start and their earliest free start) within
// rules.SearchNodes. VisitPlan.Optimal reports that every group finished:
// the plan is then optimal for the objective. When a group stops at the
// cap, its plan is the best found, and in any case no unscheduled visit
// could be added to the plan as it stands: every unscheduled visit has,
// on every start its window allows, a member absent or on a planned visit
// (UnscheduledReview gives the counts). The result depends only on the
// input.
func ScheduleVisits(ctx context.Context, teams []Team, cals Calendars, windows map[partnership.URN]Window, absences []Absence, rules VisitRules) (*VisitPlan, error) {
	if rules.Days == 0 {
		rules.Days = 2
	}
	if rules.SearchNodes == 0 {
		rules.SearchNodes = 200_000
	}
	if rules.Days < 2 || rules.Days > 3 || rules.TravelDays < 0 || rules.TravelDays > 10 || rules.SearchNodes < 0 {
		return nil, fmt.Errorf("schedule visits: %w: days %d (want 2 or 3), travel days %d (want 0 to 10), search nodes %d", ErrInvalid, rules.Days, rules.TravelDays, rules.SearchNodes)
	}
	for _, a := range absences {
		if a.Reviewer == "" || a.From.IsZero() || a.To.Before(a.From) {
			return nil, fmt.Errorf("schedule visits: %w: absence of %q from %s to %s", ErrInvalid, a.Reviewer, a.From.Format(time.DateOnly), a.To.Format(time.DateOnly))
		}
	}
	for u, w := range windows {
		if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
			return nil, fmt.Errorf("schedule visits: %w: the window of %d ends (%s) before it starts (%s)", ErrInvalid, u, w.To.Format(time.DateOnly), w.From.Format(time.DateOnly))
		}
	}
	in, err := newVisitProblem(teams, cals, windows, absences, rules)
	if err != nil {
		return nil, fmt.Errorf("schedule visits: %w", err)
	}
	plan := &VisitPlan{Optimal: true, MostVisits: true}
	for _, g := range in.groups() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("schedule visits: %w", err)
		}
		s := newVisitSearch(in, g, rules.SearchNodes)
		proved, counts, err := s.run(ctx)
		if err != nil {
			return nil, fmt.Errorf("schedule visits: %w", err)
		}
		s.fill()
		plan.Groups++
		plan.Nodes += s.nodes
		if !proved {
			plan.Unproven++
			plan.Optimal = false
		}
		plan.MostVisits = plan.MostVisits && counts
		for k, v := range g {
			if st := s.best[k]; st >= 0 {
				in.chosen[v] = in.visits[v].dom[st]
			}
		}
	}
	in.report(plan)
	return plan, nil
}

// visitProblem is ScheduleVisits' input in weekday indices.
type visitProblem struct {
	rules   VisitRules
	gap     int // D + TravelDays: two starts of one reviewer differ by at least this
	visits  []visitVar
	absent  map[ReviewerID][][2]int
	revOf   map[ReviewerID]int // reviewer's index
	byRev   [][]int            // visits of each reviewer, by index
	booked  [][]int            // starts booked of each reviewer, by index, while searching
	chosen  []int              // start of each visit, -1 when unscheduled
	noTerms map[int]string     // visits whose calendar has no school day: why
}

type visitVar struct {
	team    Team
	ids     []ReviewerID
	rix     []int // ids' indices
	lead    bool
	window  []int // starts the window and terms allow
	dom     []int // those on which no member is absent
	lateOf0 int   // window[0]
}

func newVisitProblem(teams []Team, cals Calendars, windows map[partnership.URN]Window, absences []Absence, rules VisitRules) (*visitProblem, error) {
	D := rules.Days
	p := &visitProblem{rules: rules, gap: D + rules.TravelDays, absent: map[ReviewerID][][2]int{}, revOf: map[ReviewerID]int{}, noTerms: map[int]string{}}
	for _, a := range absences {
		p.absent[a.Reviewer] = append(p.absent[a.Reviewer], [2]int{weekday(a.From), weekday(a.To.AddDate(0, 0, 1)) - 1})
	}
	// school days of each distinct calendar, keyed by its authority (-1
	// for the default)
	type schoolDays struct {
		open map[int]bool
	}
	cache := map[int]schoolDays{}
	daysOf := func(u partnership.URN) (schoolDays, error) {
		key := -1
		if la, ok := cals.LA[u]; ok {
			if _, ok := cals.ByLA[la]; ok {
				key = la
			}
		}
		if sd, ok := cache[key]; ok {
			return sd, nil
		}
		days, _, err := cals.Of(u).SchoolDays()
		if err != nil {
			return schoolDays{}, err
		}
		sd := schoolDays{open: make(map[int]bool, len(days))}
		for _, d := range days {
			sd.open[weekday(d)] = true
		}
		cache[key] = sd
		return sd, nil
	}
	for i, t := range teams {
		v := visitVar{team: t}
		seen := map[ReviewerID]bool{}
		for _, m := range t.Members {
			if !seen[m.Reviewer] {
				seen[m.Reviewer] = true
				v.ids = append(v.ids, m.Reviewer)
				ri, ok := p.revOf[m.Reviewer]
				if !ok {
					ri = len(p.byRev)
					p.revOf[m.Reviewer] = ri
					p.byRev = append(p.byRev, nil)
				}
				v.rix = append(v.rix, ri)
				p.byRev[ri] = append(p.byRev[ri], i)
			}
		}
		_, v.lead = t.Lead()
		sd, err := daysOf(t.School)
		if err != nil {
			return nil, err
		}
		if len(sd.open) == 0 {
			if la, ok := cals.LA[t.School]; ok {
				p.noTerms[i] = fmt.Sprintf("no term dates for its local authority (%d) and no default terms", la)
			} else {
				p.noTerms[i] = "no default term dates"
			}
		}
		w := windows[t.School]
		lo, hi := -1<<62, 1<<62
		if !w.From.IsZero() {
			lo = weekday(w.From)
		}
		if !w.To.IsZero() {
			hi = weekday(w.To.AddDate(0, 0, 1)) - 1
		}
		for s := range sd.open {
			if s < lo || s+D-1 > hi || s%5+D > 5 {
				continue
			}
			ok := true
			for k := 1; k < D; k++ {
				ok = ok && sd.open[s+k]
			}
			if ok {
				v.window = append(v.window, s)
			}
		}
		slices.Sort(v.window)
		for _, s := range v.window {
			if len(v.ids) == 0 {
				break // a team with no reviewers is not visited
			}
			if !p.anyAbsent(v.ids, s) {
				v.dom = append(v.dom, s)
			}
		}
		if len(v.window) > 0 {
			v.lateOf0 = v.window[0]
		}
		p.visits = append(p.visits, v)
	}
	p.booked = make([][]int, len(p.byRev))
	p.chosen = make([]int, len(teams))
	for i := range p.chosen {
		p.chosen[i] = -1
	}
	return p, nil
}

// absentOn reports whether r is absent on a day of the visit starting s.
func (p *visitProblem) absentOn(r ReviewerID, s int) bool {
	for _, a := range p.absent[r] {
		if a[0] <= s+p.rules.Days-1 && s <= a[1] {
			return true
		}
	}
	return false
}

func (p *visitProblem) anyAbsent(ids []ReviewerID, s int) bool {
	for _, r := range ids {
		if p.absentOn(r, s) {
			return true
		}
	}
	return false
}

// groups returns the visits in groups that share reviewers, each in
// search order (lead first, then fewest starts, then school), the groups
// by their first visit's school. Visits with no member or no free start
// form groups of their own.
func (p *visitProblem) groups() [][]int {
	parent := make([]int, len(p.visits))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, vs := range p.byRev {
		for _, v := range vs[1:] {
			parent[find(v)] = find(vs[0])
		}
	}
	by := map[int][]int{}
	for i := range p.visits {
		by[find(i)] = append(by[find(i)], i)
	}
	out := make([][]int, 0, len(by))
	for _, g := range by {
		slices.SortFunc(g, func(a, b int) int {
			va, vb := &p.visits[a], &p.visits[b]
			return cmp.Or(-cmp.Compare(b2i(va.lead), b2i(vb.lead)), cmp.Compare(len(va.dom), len(vb.dom)), cmp.Compare(va.team.School, vb.team.School), cmp.Compare(a, b))
		})
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []int) int {
		return cmp.Or(cmp.Compare(p.visits[a[0]].team.School, p.visits[b[0]].team.School), cmp.Compare(a[0], b[0]))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// visitScore is the objective to minimise, lexicographically: led visits
// unscheduled, visits unscheduled, lateness.
type visitScore [3]int

func (a visitScore) less(b visitScore) bool {
	return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]), cmp.Compare(a[2], b[2])) < 0
}

// visitSearch is the branch and bound over one group.
type visitSearch struct {
	p      *visitProblem
	vs     []int       // the group's visits, in search order
	pos    map[int]int // visit → position in vs
	adj    [][]int     // positions sharing a reviewer, per position
	at     []int       // chosen index into dom per position; -1 none; -2 not yet
	early  []int       // earliest free index into dom per position, -1 none
	fixed  visitScore  // of positions decided
	rest   visitScore  // bound of positions undecided
	trail  [][2]int    // (position, old early) to undo
	best   []int
	bestSc visitScore
	found  bool
	nodes  int
	cap    int
	root   visitScore
}

func newVisitSearch(p *visitProblem, g []int, capNodes int) *visitSearch {
	s := &visitSearch{p: p, vs: g, pos: map[int]int{}, cap: capNodes}
	for k, v := range g {
		s.pos[v] = k
	}
	s.adj = make([][]int, len(g))
	for k, v := range g {
		seen := map[int]bool{k: true}
		for _, r := range p.visits[v].rix {
			for _, u := range p.byRev[r] {
				if ku := s.pos[u]; !seen[ku] {
					seen[ku] = true
					s.adj[k] = append(s.adj[k], ku)
				}
			}
		}
	}
	s.at = make([]int, len(g))
	s.early = make([]int, len(g))
	for k, v := range g {
		s.at[k] = -2
		s.early[k] = -1
		if len(p.visits[v].dom) > 0 {
			s.early[k] = 0
		}
		s.rest = s.rest.add(s.term(k, s.early[k]))
	}
	s.root = s.rest
	return s
}

// term is position k's part of the objective with dom index i (-1:
// unscheduled).
func (s *visitSearch) term(k, i int) visitScore {
	v := &s.p.visits[s.vs[k]]
	if i < 0 {
		return visitScore{b2i(v.lead), 1, 0}
	}
	return visitScore{0, 0, v.dom[i] - v.lateOf0}
}

func (a visitScore) add(b visitScore) visitScore {
	return visitScore{a[0] + b[0], a[1] + b[1], a[2] + b[2]}
}
func (a visitScore) sub(b visitScore) visitScore {
	return visitScore{a[0] - b[0], a[1] - b[1], a[2] - b[2]}
}

// free reports whether visit position k may start on dom index i given
// the bookings.
func (s *visitSearch) free(k, i int) bool {
	v := &s.p.visits[s.vs[k]]
	st := v.dom[i]
	for _, r := range v.rix {
		for _, b := range s.p.booked[r] {
			if st-b < s.p.gap && b-st < s.p.gap {
				return false
			}
		}
	}
	return true
}

// book schedules position k on dom index i and moves its undecided
// neighbours' earliest free starts on, recording them for unbook.
func (s *visitSearch) book(k, i int) int {
	mark := len(s.trail)
	v := &s.p.visits[s.vs[k]]
	for _, r := range v.rix {
		s.p.booked[r] = append(s.p.booked[r], v.dom[i])
	}
	for _, u := range s.adj[k] {
		if s.at[u] != -2 || s.early[u] < 0 || s.free(u, s.early[u]) {
			continue
		}
		old := s.early[u]
		e := old + 1
		for e < len(s.p.visits[s.vs[u]].dom) && !s.free(u, e) {
			e++
		}
		if e == len(s.p.visits[s.vs[u]].dom) {
			e = -1
		}
		s.rest = s.rest.sub(s.term(u, old)).add(s.term(u, e))
		s.early[u] = e
		s.trail = append(s.trail, [2]int{u, old})
	}
	return mark
}

func (s *visitSearch) unbook(k, mark int) {
	v := &s.p.visits[s.vs[k]]
	for _, r := range v.rix {
		b := s.p.booked[r]
		s.p.booked[r] = b[:len(b)-1]
	}
	for len(s.trail) > mark {
		t := s.trail[len(s.trail)-1]
		s.trail = s.trail[:len(s.trail)-1]
		s.rest = s.rest.sub(s.term(t[0], s.early[t[0]])).add(s.term(t[0], t[1]))
		s.early[t[0]] = t[1]
	}
}

// run searches; it reports whether the search finished (the best plan is
// then optimal) and whether the best plan's counts meet the bound.
func (s *visitSearch) run(ctx context.Context) (proved, counts bool, err error) {
	var dfs func(k int) bool // false: stop
	dfs = func(k int) bool {
		if k == len(s.vs) {
			if !s.found || s.fixed.less(s.bestSc) {
				s.found, s.bestSc = true, s.fixed
				s.best = slices.Clone(s.at)
			}
			return !(s.bestSc == s.root) // the bound at the root is met
		}
		if s.found && !s.fixed.add(s.rest).less(s.bestSc) {
			return true
		}
		s.nodes++
		if s.nodes%4096 == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		if s.nodes > s.cap && s.found {
			return false
		}
		own := s.term(k, s.early[k])
		s.rest = s.rest.sub(own)
		defer func() { s.rest = s.rest.add(own) }()
		if e := s.early[k]; e >= 0 {
			for i := e; i < len(s.p.visits[s.vs[k]].dom); i++ {
				if !s.free(k, i) {
					continue
				}
				t := s.term(k, i)
				s.at[k] = i
				s.fixed = s.fixed.add(t)
				mark := s.book(k, i)
				ok := dfs(k + 1)
				s.unbook(k, mark)
				s.fixed = s.fixed.sub(t)
				s.at[k] = -2
				if !ok {
					return false
				}
				if s.found && !s.fixed.add(s.rest).less(s.bestSc) {
					return true // the bound without this visit's part meets the best
				}
			}
		}
		t := s.term(k, -1)
		s.at[k] = -1
		s.fixed = s.fixed.add(t)
		ok := dfs(k + 1)
		s.fixed = s.fixed.sub(t)
		s.at[k] = -2
		return ok
	}
	finished := dfs(0)
	if err != nil {
		return false, false, err
	}
	proved = finished || s.bestSc == s.root
	return proved, proved || (s.bestSc[0] == s.root[0] && s.bestSc[1] == s.root[1]), nil
}

// fill adds to the best plan any unscheduled visit that now has a free
// start (possible only when the search stopped at its cap), so that every
// visit left out is blocked by the plan.
func (s *visitSearch) fill() {
	for k, i := range s.best {
		if i >= 0 {
			for _, r := range s.p.visits[s.vs[k]].rix {
				s.p.booked[r] = append(s.p.booked[r], s.p.visits[s.vs[k]].dom[i])
			}
		}
	}
	for k, i := range s.best {
		if i >= 0 {
			continue
		}
		for j := range s.p.visits[s.vs[k]].dom {
			if s.free(k, j) {
				s.best[k] = j
				for _, r := range s.p.visits[s.vs[k]].rix {
					s.p.booked[r] = append(s.p.booked[r], s.p.visits[s.vs[k]].dom[j])
				}
				break
			}
		}
	}
	for _, v := range s.vs {
		for _, r := range s.p.visits[v].rix {
			s.p.booked[r] = s.p.booked[r][:0]
		}
	}
}

// report writes the chosen starts into plan, with the reason for each
// visit left out.
func (p *visitProblem) report(plan *VisitPlan) {
	D := p.rules.Days
	busyAt := map[ReviewerID][]int{} // visits of each reviewer, by index
	for v, s := range p.chosen {
		if s < 0 {
			continue
		}
		vv := &p.visits[v]
		pv := PlannedVisit{School: vv.team.School, Reviewers: slices.Clone(vv.ids), Lead: vv.lead, Lateness: s - vv.lateOf0}
		for k := range D {
			pv.Days = append(pv.Days, weekdayDate(s+k))
		}
		plan.Visits = append(plan.Visits, pv)
		plan.Lateness += pv.Lateness
		if vv.lead {
			plan.LedScheduled++
		}
		for _, r := range vv.ids {
			busyAt[r] = append(busyAt[r], v)
		}
	}
	for v, s := range p.chosen {
		if s >= 0 {
			continue
		}
		vv := &p.visits[v]
		u := UnscheduledReview{School: vv.team.School, Starts: len(vv.window)}
		switch {
		case len(vv.ids) == 0:
			u.Reason = "the team has no reviewers"
		case p.noTerms[v] != "":
			u.Reason = "the school has no school days: " + p.noTerms[v]
		case len(vv.window) == 0:
			u.Reason = fmt.Sprintf("the school's window and terms hold no %d consecutive school days of one week", D)
		default:
			var parts []string
			for _, r := range vv.ids {
				b := Blocked{Reviewer: r}
				seen := map[int]bool{}
				for _, st := range vv.window {
					if p.absentOn(r, st) {
						b.Absent++
					}
					busy := false
					for _, o := range busyAt[r] {
						if os := p.chosen[o]; st-os < p.gap && os-st < p.gap {
							busy = true
							if !seen[o] {
								seen[o] = true
								b.Visits = append(b.Visits, p.visits[o].team.School)
							}
						}
					}
					if busy {
						b.Busy++
					}
				}
				slices.Sort(b.Visits)
				if b.Absent > 0 || b.Busy > 0 {
					u.Blocked = append(u.Blocked, b)
					var why []string
					if b.Absent > 0 {
						why = append(why, fmt.Sprintf("absent on %d", b.Absent))
					}
					if b.Busy > 0 {
						why = append(why, fmt.Sprintf("on another visit (%s, with %d travel days) on %d", urnList(b.Visits), p.rules.TravelDays, b.Busy))
					}
					parts = append(parts, fmt.Sprintf("%s is %s", r, strings.Join(why, " and ")))
				}
			}
			u.Reason = fmt.Sprintf("on each of the %d starts its window and terms allow, some member is absent or on another visit: %s", len(vv.window), strings.Join(parts, "; "))
		}
		plan.Unscheduled = append(plan.Unscheduled, u)
	}
	slices.SortFunc(plan.Visits, func(a, b PlannedVisit) int {
		return cmp.Or(a.Days[0].Compare(b.Days[0]), cmp.Compare(a.School, b.School))
	})
	slices.SortFunc(plan.Unscheduled, func(a, b UnscheduledReview) int { return cmp.Compare(a.School, b.School) })
}

// urnList writes up to five URNs, then how many more.
func urnList(us []partnership.URN) string {
	var parts []string
	for _, u := range us[:min(len(us), 5)] {
		parts = append(parts, u.String())
	}
	if len(us) > 5 {
		parts = append(parts, fmt.Sprintf("%d more", len(us)-5))
	}
	return strings.Join(parts, ", ")
}
