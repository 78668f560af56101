package review_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// visitCase is a ScheduleVisits input, checked here without the package's
// code: school days are walked date by date from the terms, travel days
// counted as weekdays between two visits.
type visitCase struct {
	teams    []review.Team
	cals     review.Calendars
	windows  map[partnership.URN]review.Window
	absences []review.Absence
	rules    review.VisitRules
}

func isWeekday(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

// schoolDay reports whether d is a school day of school u.
func (c *visitCase) schoolDay(u partnership.URN, d time.Time) bool {
	if !isWeekday(d) {
		return false
	}
	if _, hol := c.cals.Holidays.Holiday(d); hol {
		return false
	}
	for _, t := range c.cals.Of(u).Terms {
		if !d.Before(t.Start) && !d.After(t.End) && (t.HalfTermStart.IsZero() || d.Before(t.HalfTermStart) || d.After(t.HalfTermEnd)) {
			return true
		}
	}
	return false
}

// starts lists the first days of the visits school u's window and terms
// allow, in date order.
func (c *visitCase) starts(u partnership.URN) []time.Time {
	var lo, hi time.Time
	for _, cal := range []review.Calendar{c.cals.Of(u)} {
		for _, t := range cal.Terms {
			if lo.IsZero() || t.Start.Before(lo) {
				lo = t.Start
			}
			if t.End.After(hi) {
				hi = t.End
			}
		}
	}
	var out []time.Time
	w := c.windows[u]
	for d := lo; !d.After(hi); d = d.AddDate(0, 0, 1) {
		ok := true
		for k := range c.rules.Days {
			dk := d.AddDate(0, 0, k)
			_, w0 := d.ISOWeek()
			_, wk := dk.ISOWeek()
			ok = ok && w0 == wk && c.schoolDay(u, dk) && (w.From.IsZero() || !dk.Before(w.From)) && (w.To.IsZero() || !dk.After(w.To))
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

func (c *visitCase) absent(r review.ReviewerID, start time.Time) bool {
	for _, a := range c.absences {
		end := start.AddDate(0, 0, c.rules.Days-1)
		if a.Reviewer == r && !end.Before(a.From) && !start.After(a.To) {
			return true
		}
	}
	return false
}

// clash reports whether one reviewer cannot make visits starting a and b:
// they overlap, or fewer than TravelDays weekdays lie between them.
func (c *visitCase) clash(a, b time.Time) bool {
	if b.Before(a) {
		a, b = b, a
	}
	end := a.AddDate(0, 0, c.rules.Days-1)
	if !b.After(end) {
		return true
	}
	n := 0
	for d := end.AddDate(0, 0, 1); d.Before(b); d = d.AddDate(0, 0, 1) {
		if isWeekday(d) {
			n++
		}
	}
	return n < c.rules.TravelDays
}

func weekdaysBetween(a, b time.Time) int {
	n := 0
	for d := a; d.Before(b); d = d.AddDate(0, 0, 1) {
		if isWeekday(d) {
			n++
		}
	}
	return n
}

func members(t review.Team) []review.ReviewerID {
	var ids []review.ReviewerID
	for _, m := range t.Members {
		ids = append(ids, m.Reviewer)
	}
	return ids
}

// score is the stated objective, to minimise: led visits unscheduled,
// visits unscheduled, total lateness in weekdays.
type score [3]int

func less(a, b score) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// check verifies the plan without the package's code and returns its
// score: every visit on Days school days of one week in its window, no
// member absent, no reviewer on two visits closer than the travel days,
// every team visited or unscheduled with a reason that is true of the plan
// (on each start its window allows, some member is absent or busy, with
// the counts it gives).
func (c *visitCase) check(t require.TestingT, plan *review.VisitPlan) score {
	var sc score
	byURN := map[partnership.URN]review.Team{}
	for _, tm := range c.teams {
		byURN[tm.School] = tm
		if _, led := tm.Lead(); led {
			sc[0]++
		}
	}
	sc[1] = len(c.teams)
	require.Equal(t, len(c.teams), len(plan.Visits)+len(plan.Unscheduled), "every team visited or explained")
	start := map[partnership.URN]time.Time{}
	busy := map[review.ReviewerID][]partnership.URN{}
	led, late := 0, 0
	for _, v := range plan.Visits {
		tm, ok := byURN[v.School]
		require.True(t, ok)
		require.Len(t, v.Days, c.rules.Days)
		require.True(t, slices.ContainsFunc(c.starts(v.School), v.Days[0].Equal), "visit to %d on %s: not a start its window and terms allow", v.School, v.Days[0].Format(time.DateOnly))
		for k, d := range v.Days {
			require.True(t, d.Equal(v.Days[0].AddDate(0, 0, k)))
		}
		require.ElementsMatch(t, members(tm), v.Reviewers)
		require.NotEmpty(t, v.Reviewers, "a team with no reviewers is visited")
		for _, r := range v.Reviewers {
			require.False(t, c.absent(r, v.Days[0]), "%s visits %d while absent", r, v.School)
			busy[r] = append(busy[r], v.School)
		}
		start[v.School] = v.Days[0]
		_, l := tm.Lead()
		require.Equal(t, l, v.Lead)
		if l {
			sc[0]--
			led++
		}
		sc[1]--
		lt := weekdaysBetween(c.starts(v.School)[0], v.Days[0])
		require.Equal(t, lt, v.Lateness)
		sc[2] += lt
		late += lt
	}
	require.Equal(t, led, plan.LedScheduled)
	require.Equal(t, late, plan.Lateness)
	for r, us := range busy {
		for i := range us {
			for j := i + 1; j < len(us); j++ {
				require.False(t, c.clash(start[us[i]], start[us[j]]), "%s on visits to %d and %d too close (travel %d)", r, us[i], us[j], c.rules.TravelDays)
			}
		}
	}
	for _, u := range plan.Unscheduled {
		require.NotEmpty(t, u.Reason)
		tm := byURN[u.School]
		ss := c.starts(u.School)
		require.Equal(t, len(ss), u.Starts, "starts of %d", u.School)
		if len(tm.Members) == 0 || len(ss) == 0 {
			require.Empty(t, u.Blocked)
			continue
		}
		var want []review.Blocked
		for _, r := range members(tm) {
			b := review.Blocked{Reviewer: r}
			seen := map[partnership.URN]bool{}
			for _, s := range ss {
				if c.absent(r, s) {
					b.Absent++
				}
				hit := false
				for _, o := range busy[r] {
					if c.clash(s, start[o]) {
						hit = true
						if !seen[o] {
							seen[o] = true
							b.Visits = append(b.Visits, o)
						}
					}
				}
				if hit {
					b.Busy++
				}
			}
			slices.Sort(b.Visits)
			if b.Absent > 0 || b.Busy > 0 {
				want = append(want, b)
			}
		}
		require.Equal(t, want, u.Blocked, "the reason of %d: %s", u.School, u.Reason)
		for _, s := range ss {
			blocked := false
			for _, r := range members(tm) {
				blocked = blocked || c.absent(r, s)
				for _, o := range busy[r] {
					blocked = blocked || c.clash(s, start[o])
				}
			}
			require.True(t, blocked, "%d is unscheduled but could start on %s: %s", u.School, s.Format(time.DateOnly), u.Reason)
		}
	}
	return sc
}

// optimum is the best score over every plan, by exhaustive search.
func (c *visitCase) optimum() score {
	type opt struct {
		starts []time.Time
		ids    []review.ReviewerID
		lead   bool
		first  time.Time
	}
	var vs []opt
	for _, tm := range c.teams {
		o := opt{ids: members(tm)}
		_, o.lead = tm.Lead()
		ss := c.starts(tm.School)
		if len(ss) > 0 {
			o.first = ss[0]
		}
		if len(o.ids) > 0 {
			for _, s := range ss {
				free := true
				for _, r := range o.ids {
					free = free && !c.absent(r, s)
				}
				if free {
					o.starts = append(o.starts, s)
				}
			}
		}
		vs = append(vs, o)
	}
	best := score{1 << 30}
	chosen := make([]time.Time, len(vs))
	var rec func(i int, sc score)
	rec = func(i int, sc score) {
		if i == len(vs) {
			if less(sc, best) {
				best = sc
			}
			return
		}
		for _, s := range vs[i].starts {
			ok := true
			for j := range i {
				if chosen[j].IsZero() {
					continue
				}
				for _, r := range vs[i].ids {
					ok = ok && !(slices.Contains(vs[j].ids, r) && c.clash(s, chosen[j]))
				}
			}
			if ok {
				chosen[i] = s
				rec(i+1, score{sc[0], sc[1], sc[2] + weekdaysBetween(vs[i].first, s)})
			}
		}
		chosen[i] = time.Time{}
		un := score{sc[0], sc[1] + 1, sc[2]}
		if vs[i].lead {
			un[0]++
		}
		rec(i+1, un)
	}
	rec(0, score{})
	return best
}

// smallCalendars: three weeks of summer term 2026 (with the 4 May bank
// holiday) for authority 1, the same with a half term on 27 to 29 April for
// authority 2, and a default that starts a week later.
func smallCalendars() review.Calendars {
	return review.Calendars{
		Holidays: review.BankHolidays(),
		Default:  []review.Term{{Name: "summer", Start: date(2026, 4, 27), End: date(2026, 5, 15)}},
		ByLA: map[int][]review.Term{
			1: {{Name: "summer", Start: date(2026, 4, 20), End: date(2026, 5, 8)}},
			2: {{Name: "summer", Start: date(2026, 4, 20), End: date(2026, 5, 8), HalfTermStart: date(2026, 4, 27), HalfTermEnd: date(2026, 4, 29)}},
		},
		LA: map[partnership.URN]int{},
	}
}

func drawVisitCase(t *rapid.T, maxTeams, maxRevs int, cals review.Calendars, span []time.Time) *visitCase {
	nr := rapid.IntRange(1, maxRevs).Draw(t, "reviewers")
	nt := rapid.IntRange(1, maxTeams).Draw(t, "teams")
	rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 3))
	c := &visitCase{cals: cals, windows: map[partnership.URN]review.Window{},
		rules: review.VisitRules{Days: rapid.IntRange(2, 3).Draw(t, "days"), TravelDays: rapid.IntRange(0, 2).Draw(t, "travel")}}
	for s := range nt {
		tm := review.Team{School: partnership.URN(100 + s)}
		size := rng.IntN(min(3, nr) + 1) // 0 to 3 members
		if rng.IntN(8) != 0 {
			size = max(size, 1)
		}
		for k, r := range rng.Perm(nr)[:size] {
			tm.Members = append(tm.Members, review.Member{Reviewer: review.ReviewerID(fmt.Sprint("r", r)), Lead: k == 0 && rng.IntN(4) != 0})
		}
		c.teams = append(c.teams, tm)
		c.cals.LA[tm.School] = rng.IntN(4) // 0 and 3 fall back to the default
		if rng.IntN(3) != 0 {
			var w review.Window
			if rng.IntN(4) != 0 {
				w.From = span[rng.IntN(len(span))]
			}
			if rng.IntN(4) != 0 {
				w.To = span[rng.IntN(len(span))].AddDate(0, 0, rng.IntN(10))
				if w.To.Before(w.From) {
					w.From, w.To = w.To, w.From
				}
			}
			c.windows[tm.School] = w
		}
	}
	for range rng.IntN(4) {
		from := span[rng.IntN(len(span))]
		c.absences = append(c.absences, review.Absence{Reviewer: review.ReviewerID(fmt.Sprint("r", rng.IntN(nr))), From: from, To: from.AddDate(0, 0, rng.IntN(6))})
	}
	return c
}

func spanDays(from, to time.Time) []time.Time {
	var out []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// TestScheduleVisitsOptimal: on small cases (up to 6 visits, 3 reviewers,
// 4 weeks, three calendars) the plan is valid, every reason is true of it,
// it is proved optimal, and its score equals the best over every plan
// found by exhaustive search. Cut to a few search nodes, it is still valid
// with true reasons, and what it claims (Optimal, MostVisits) is true.
func TestScheduleVisitsOptimal(t *testing.T) {
	span := spanDays(date(2026, 4, 18), date(2026, 5, 16))
	rapid.Check(t, func(t *rapid.T) {
		c := drawVisitCase(t, 6, 3, smallCalendars(), span)
		plan, err := review.ScheduleVisits(context.Background(), c.teams, c.cals, c.windows, c.absences, c.rules)
		require.NoError(t, err)
		got := c.check(t, plan)
		require.True(t, plan.Optimal, "small cases finish")
		best := c.optimum()
		require.Equal(t, best, got, "plan %+v", plan)
		require.True(t, plan.MostVisits)

		// cut short, the search still claims only what is true
		c.rules.SearchNodes = rapid.IntRange(1, 3).Draw(t, "nodes")
		plan, err = review.ScheduleVisits(context.Background(), c.teams, c.cals, c.windows, c.absences, c.rules)
		require.NoError(t, err)
		got = c.check(t, plan)
		if plan.Optimal {
			require.Equal(t, best, got)
		}
		if plan.MostVisits {
			require.Equal(t, best[:2], got[:2])
		}
	})
}

// TestScheduleVisitsCapped: with the search cut to one node and many teams
// over a year, the plan is still valid and every visit left out is truly
// blocked by it.
func TestScheduleVisitsCapped(t *testing.T) {
	cals := review.Calendars{Holidays: review.BankHolidays(), Default: review.EnglishTerms(2025),
		ByLA: map[int][]review.Term{1: review.EnglishTerms(2025)[1:]}, LA: map[partnership.URN]int{}}
	span := spanDays(date(2025, 9, 1), date(2026, 7, 22))
	rapid.Check(t, func(t *rapid.T) {
		c := drawVisitCase(t, 30, 6, cals, span)
		for u, w := range c.windows {
			if !w.From.IsZero() && !w.To.IsZero() {
				c.windows[u] = review.Window{From: w.From, To: w.From.AddDate(0, 0, rapid.IntRange(0, 12).Draw(t, "width"))}
			}
		}
		c.rules.SearchNodes = rapid.SampledFrom([]int{1, 50, 5000}).Draw(t, "nodes")
		plan, err := review.ScheduleVisits(context.Background(), c.teams, c.cals, c.windows, c.absences, c.rules)
		require.NoError(t, err)
		c.check(t, plan)
		require.Equal(t, plan.Unproven == 0, plan.Optimal)
	})
}

// Schools of different authorities follow their own terms in one plan: a
// school whose authority is on half term is not visited that week, and the
// 4 May 2026 bank holiday is nobody's visit day.
func TestScheduleVisitsMixedAuthorities(t *testing.T) {
	cals := smallCalendars()
	cals.LA = map[partnership.URN]int{100: 1, 200: 2, 300: 9}
	team := func(u partnership.URN, r review.ReviewerID) review.Team {
		return review.Team{School: u, Members: []review.Member{{Reviewer: r, Lead: true}}}
	}
	to := date(2026, 5, 15)
	plan, err := review.ScheduleVisits(context.Background(), []review.Team{team(100, "a"), team(200, "b"), team(300, "c")}, cals,
		map[partnership.URN]review.Window{100: {From: date(2026, 5, 4), To: to}, 200: {From: date(2026, 4, 27), To: to}, 300: {From: date(2026, 4, 20), To: to}},
		nil, review.VisitRules{Days: 3})
	require.NoError(t, err)
	require.True(t, plan.Optimal)
	got := map[partnership.URN]string{}
	for _, v := range plan.Visits {
		got[v.School] = v.Days[0].Format(time.DateOnly)
	}
	assert.Equal(t, map[partnership.URN]string{
		100: "2026-05-05", // authority 1: Tuesday, the Monday a bank holiday
		200: "2026-05-05", // authority 2: half term to Wednesday 29 April, then the bank holiday
		300: "2026-04-27", // authority 9 has no terms of its own: the default's start, a week after authority 1's
	}, got)
}

// The lead's visits come first: two teams share their only reviewer and
// one week; the led one is scheduled, the other explained.
func TestScheduleVisitsLeadFirst(t *testing.T) {
	cals := smallCalendars()
	win := review.Window{From: date(2026, 5, 11), To: date(2026, 5, 15)}
	teams := []review.Team{
		{School: 100, Members: []review.Member{{Reviewer: "a"}}},
		{School: 200, Members: []review.Member{{Reviewer: "a", Lead: true}}},
	}
	plan, err := review.ScheduleVisits(context.Background(), teams, cals, map[partnership.URN]review.Window{100: win, 200: win}, nil, review.VisitRules{Days: 3, TravelDays: 1})
	require.NoError(t, err)
	require.Len(t, plan.Visits, 1)
	assert.Equal(t, partnership.URN(200), plan.Visits[0].School)
	require.Len(t, plan.Unscheduled, 1)
	assert.Equal(t, review.UnscheduledReview{School: 100, Starts: 3,
		Blocked: []review.Blocked{{Reviewer: "a", Busy: 3, Visits: []partnership.URN{200}}},
		Reason:  "on each of the 3 starts its window and terms allow, some member is absent or on another visit: a is on another visit (200, with 1 travel days) on 3",
	}, plan.Unscheduled[0])
}

func TestScheduleVisitsRefuses(t *testing.T) {
	cals := smallCalendars()
	teams := []review.Team{{School: 100, Members: []review.Member{{Reviewer: "a"}}}}
	for _, tc := range []struct {
		name     string
		cals     review.Calendars
		windows  map[partnership.URN]review.Window
		absences []review.Absence
		rules    review.VisitRules
	}{
		{"days", cals, nil, nil, review.VisitRules{Days: 4}},
		{"travel", cals, nil, nil, review.VisitRules{TravelDays: -1}},
		{"absence backwards", cals, nil, []review.Absence{{Reviewer: "a", From: date(2026, 5, 2), To: date(2026, 5, 1)}}, review.VisitRules{}},
		{"absence nobody", cals, nil, []review.Absence{{From: date(2026, 5, 1), To: date(2026, 5, 1)}}, review.VisitRules{}},
		{"window backwards", cals, map[partnership.URN]review.Window{100: {From: date(2026, 5, 2), To: date(2026, 5, 1)}}, nil, review.VisitRules{}},
		{"no holidays", review.Calendars{Default: cals.Default}, nil, nil, review.VisitRules{}},
		{"uncovered year", review.Calendars{Holidays: cals.Holidays, Default: review.EnglishTerms(2030)}, nil, nil, review.VisitRules{}},
	} {
		_, err := review.ScheduleVisits(context.Background(), teams, tc.cals, tc.windows, tc.absences, tc.rules)
		assert.ErrorIs(t, err, review.ErrInvalid, tc.name)
	}
}
