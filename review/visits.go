package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// VisitRules shape ScheduleVisits.
type VisitRules struct {
	// Days is the length of a review visit in school days, 2 or 3 (0
	// means 2). The days of a visit are consecutive dates of one week.
	Days int `json:"days" yaml:"days"`
	// TravelDays is how many school days a reviewer needs between two
	// visits (0: a reviewer may go from one visit to the next the next
	// school day).
	TravelDays int `json:"travel_days" yaml:"travel_days"`
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
}

// PlannedVisit is a team's review visit in time: the school, its days and
// the reviewers.
type PlannedVisit struct {
	School    partnership.URN `json:"school"`
	Days      []time.Time     `json:"days"`
	Reviewers []ReviewerID    `json:"reviewers"`
}

// UnscheduledReview is a team whose visit found no days, and why.
type UnscheduledReview struct {
	School partnership.URN `json:"school"`
	Reason string          `json:"reason"`
}

// VisitPlan is the cycle's visits in time.
type VisitPlan struct {
	Visits      []PlannedVisit      `json:"visits"`
	Unscheduled []UnscheduledReview `json:"unscheduled,omitempty"`
}

// ScheduleVisits puts the teams' visits in time: each visit takes
// rules.Days consecutive school days of one week (the calendar's terms less
// weekends, half terms and bank holidays) inside the school's window, on
// which every member of the team is free: not absent, not on another visit,
// and with rules.TravelDays school days between two of their visits, so no
// reviewer is ever in two places at once. Schools with the fewest possible
// starts are placed first, each on its earliest possible start; a visit
// that fits nowhere is listed with the reason (the window has no such days,
// or which reviewer is busy or absent on every start). The result depends
// only on the input.
func ScheduleVisits(ctx context.Context, teams []Team, cal Calendar, windows map[partnership.URN]Window, absences []Absence, rules VisitRules) (*VisitPlan, error) {
	if rules.Days == 0 {
		rules.Days = 2
	}
	if rules.Days < 2 || rules.Days > 3 || rules.TravelDays < 0 || rules.TravelDays > 10 {
		return nil, fmt.Errorf("schedule visits: %w: days %d (want 2 or 3), travel days %d (want 0 to 10)", ErrInvalid, rules.Days, rules.TravelDays)
	}
	days, _, err := cal.SchoolDays()
	if err != nil {
		return nil, fmt.Errorf("schedule visits: %w", err)
	}
	for _, a := range absences {
		if a.Reviewer == "" || a.To.Before(a.From) {
			return nil, fmt.Errorf("schedule visits: %w: absence of %q from %s to %s", ErrInvalid, a.Reviewer, a.From.Format(time.DateOnly), a.To.Format(time.DateOnly))
		}
	}
	// starts[i] reports whether a visit may start on days[i].
	D := rules.Days
	starts := make([]bool, len(days))
	for i := 0; i+D <= len(days); i++ {
		ok := true
		for k := 1; k < D; k++ {
			_, w0 := days[i].ISOWeek()
			_, wk := days[i+k].ISOWeek()
			ok = ok && days[i+k].Equal(days[i].AddDate(0, 0, k)) && w0 == wk
		}
		starts[i] = ok
	}
	absent := map[ReviewerID][]Absence{}
	for _, a := range absences {
		absent[a.Reviewer] = append(absent[a.Reviewer], a)
	}
	type job struct {
		team   Team
		starts []int
	}
	jobs := make([]job, 0, len(teams))
	for _, t := range teams {
		w := windows[t.School]
		var ss []int
		for i, ok := range starts {
			if ok && (w.From.IsZero() || !days[i].Before(day(w.From))) && (w.To.IsZero() || !days[i+D-1].After(day(w.To))) {
				ss = append(ss, i)
			}
		}
		jobs = append(jobs, job{t, ss})
	}
	slices.SortStableFunc(jobs, func(a, b job) int {
		return cmp.Or(cmp.Compare(len(a.starts), len(b.starts)), cmp.Compare(a.team.School, b.team.School))
	})
	booked := map[ReviewerID][]int{} // start indices of a reviewer's visits
	free := func(r ReviewerID, s int) bool {
		for _, b := range booked[r] {
			if s < b+D+rules.TravelDays && b < s+D+rules.TravelDays {
				return false
			}
		}
		for _, a := range absent[r] {
			if !days[s+D-1].Before(day(a.From)) && !days[s].After(day(a.To)) {
				return false
			}
		}
		return true
	}
	plan := &VisitPlan{}
	for n, j := range jobs {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("schedule visits: %w", err)
			}
		}
		var ids []ReviewerID
		for _, m := range j.team.Members {
			ids = append(ids, m.Reviewer)
		}
		chosen := -1
		blocks := make([]int, len(ids))
		for _, s := range j.starts {
			ok := true
			for k, r := range ids {
				if !free(r, s) {
					blocks[k]++
					ok = false
				}
			}
			if ok {
				chosen = s
				break
			}
		}
		if chosen < 0 {
			reason := fmt.Sprintf("the window has no %d consecutive school days of one week", D)
			if len(j.starts) > 0 {
				k := 0
				for i := range blocks {
					if blocks[i] > blocks[k] {
						k = i
					}
				}
				reason = fmt.Sprintf("no start of the %d in the window has every member free: reviewer %s is on another visit (with %d travel days) or absent on %d of them",
					len(j.starts), ids[k], rules.TravelDays, blocks[k])
			}
			plan.Unscheduled = append(plan.Unscheduled, UnscheduledReview{School: j.team.School, Reason: reason})
			continue
		}
		v := PlannedVisit{School: j.team.School, Reviewers: ids, Days: slices.Clone(days[chosen : chosen+D])}
		for _, r := range ids {
			booked[r] = append(booked[r], chosen)
		}
		plan.Visits = append(plan.Visits, v)
	}
	slices.SortFunc(plan.Visits, func(a, b PlannedVisit) int {
		return cmp.Or(a.Days[0].Compare(b.Days[0]), cmp.Compare(a.School, b.School))
	})
	slices.SortFunc(plan.Unscheduled, func(a, b UnscheduledReview) int { return cmp.Compare(a.School, b.School) })
	return plan, nil
}
