package review

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Term is a school term: the days from Start to End inclusive, less a
// half-term break (zero when none).
type Term struct {
	Name          string    `json:"name" yaml:"name"`
	Start         time.Time `json:"start" yaml:"start"`
	End           time.Time `json:"end" yaml:"end"`
	HalfTermStart time.Time `json:"half_term_start,omitzero" yaml:"half_term_start,omitempty"`
	HalfTermEnd   time.Time `json:"half_term_end,omitzero" yaml:"half_term_end,omitempty"`
}

// EnglishTerms returns typical term dates for the English academic year
// that starts in September of year: autumn from the first Wednesday of
// September to the Friday before 21 December with a half term in the last
// week of October; spring from the first Monday after 2 January to the
// Friday before the last week of March, half term in the third week of
// February; summer from the third Monday of April to 22 July, half term in
// the last week of May. Local authorities and trusts set their own dates:
// pass those instead where they differ.
func EnglishTerms(year int) []Term {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	next := func(t time.Time, wd time.Weekday) time.Time {
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	prev := func(t time.Time, wd time.Weekday) time.Time {
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, -1)
		}
		return t
	}
	octHalf := prev(d(year, time.October, 31), time.Monday)
	febHalf := next(d(year+1, time.February, 15), time.Monday)
	mayHalf := prev(d(year+1, time.May, 31), time.Monday)
	return []Term{
		{Name: "autumn", Start: next(d(year, time.September, 1), time.Wednesday), End: prev(d(year, time.December, 20), time.Friday),
			HalfTermStart: octHalf, HalfTermEnd: octHalf.AddDate(0, 0, 4)},
		{Name: "spring", Start: next(d(year+1, time.January, 3), time.Monday), End: prev(d(year+1, time.March, 24), time.Friday),
			HalfTermStart: febHalf, HalfTermEnd: febHalf.AddDate(0, 0, 4)},
		{Name: "summer", Start: next(d(year+1, time.April, 15), time.Monday), End: d(year+1, time.July, 22),
			HalfTermStart: mayHalf, HalfTermEnd: mayHalf.AddDate(0, 0, 4)},
	}
}

// OfferItem is one line of a trust's quality-assurance core offer: so many
// visits of a kind a year for schools of some phases, run by a director.
type OfferItem struct {
	Kind     string               `json:"kind" yaml:"kind"`
	Phases   []partnership.Phase  `json:"phases" yaml:"phases"`
	PerYear  int                  `json:"per_year" yaml:"per_year"`
	Director partnership.PersonID `json:"director" yaml:"director"`
}

// CoreOffer is a trust's quality-assurance core offer, such as three
// monitoring visits a year for primaries and four curriculum deep dives for
// secondaries.
type CoreOffer struct {
	Trust partnership.OrgID `json:"trust" yaml:"trust"`
	Items []OfferItem       `json:"items" yaml:"items"`
}

// Director is a person who runs visits, with their capacity: at most
// PerDay visits a day (0 means 1) and PerWeek a week (0 means 3).
type Director struct {
	ID      partnership.PersonID `json:"id" yaml:"id"`
	PerDay  int                  `json:"per_day" yaml:"per_day"`
	PerWeek int                  `json:"per_week" yaml:"per_week"`
}

// QAVisit is one visit in the calendar.
type QAVisit struct {
	School   partnership.URN      `json:"school"`
	Kind     string               `json:"kind"`
	Seq      int                  `json:"seq"` // 1..PerYear
	Director partnership.PersonID `json:"director"`
	Date     time.Time            `json:"date"`
	Term     string               `json:"term"`
}

// UnscheduledVisit is a visit the calendar could not hold, and why.
type UnscheduledVisit struct {
	School partnership.URN `json:"school"`
	Kind   string          `json:"kind"`
	Seq    int             `json:"seq"`
	// Term is the term the visit's rule asks for.
	Term   string `json:"term"`
	Reason string `json:"reason"`
}

// Schedule is a year's visit calendar.
type Schedule struct {
	Visits      []QAVisit          `json:"visits"`
	Unscheduled []UnscheduledVisit `json:"unscheduled,omitempty"`
}

// PlanSchedule generates the year's calendar of a core offer across a
// trust's schools. Each school of an item's phases gets PerYear visits,
// shared among the terms (visit k in term k·T/PerYear: three visits are
// one a term, four are two in autumn and one in each other term), spaced
// evenly through each term's school days (weekdays outside the half-term
// break that are not bank holidays of England and Wales, BankHolidays) and
// staggered across the director's schools so visits do not bunch; each
// visit takes the school day of its own term nearest its target on which
// the director is within capacity for the day and the week. A visit never
// moves to another term: when its term is full it is listed as unscheduled
// with the reason. Terms reaching a year the bank holidays do not cover are
// refused (ErrInvalid). The result depends only on the input.
func PlanSchedule(ctx context.Context, offer CoreOffer, schools []Reviewee, terms []Term, directors []Director) (*Schedule, error) {
	days, termOf, err := Calendar{Terms: terms, Holidays: BankHolidays()}.SchoolDays()
	if err != nil {
		return nil, fmt.Errorf("plan schedule: %w", err)
	}
	termStart := make([]int, len(terms)+1)
	for i := range termStart {
		termStart[i] = len(days)
	}
	for i := len(days) - 1; i >= 0; i-- {
		termStart[termOf[i]] = i
	}
	for i := len(terms) - 1; i >= 0; i-- {
		termStart[i] = min(termStart[i], termStart[i+1])
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("plan schedule: %w: the terms contain no school days", ErrInvalid)
	}
	caps := map[partnership.PersonID]Director{}
	for _, d := range directors {
		if d.PerDay == 0 {
			d.PerDay = 1
		}
		if d.PerWeek == 0 {
			d.PerWeek = 3
		}
		if d.PerDay < 0 || d.PerWeek < 0 {
			return nil, fmt.Errorf("plan schedule: %w: director %s has negative capacity", ErrInvalid, d.ID)
		}
		caps[d.ID] = d
	}
	var errs []error
	for i, it := range offer.Items {
		if _, ok := caps[it.Director]; !ok {
			errs = append(errs, fmt.Errorf("%w: item %d (%s): unknown director %q", ErrInvalid, i+1, it.Kind, it.Director))
		}
		if it.PerYear <= 0 || it.PerYear > len(days) {
			errs = append(errs, fmt.Errorf("%w: item %d (%s): per_year %d", ErrInvalid, i+1, it.Kind, it.PerYear))
		}
	}
	if err := joinErrs(errs); err != nil {
		return nil, fmt.Errorf("plan schedule: %w", err)
	}
	ss := slices.Clone(schools)
	slices.SortFunc(ss, func(a, b Reviewee) int { return cmp.Compare(a.URN, b.URN) })
	type job struct {
		school partnership.URN
		item   int
		seq    int
		target float64
	}
	var jobs []job
	for ii, it := range offer.Items {
		var mine []partnership.URN
		for _, s := range ss {
			if slices.Contains(it.Phases, s.Phase) {
				mine = append(mine, s.URN)
			}
		}
		// Visit k goes to term k·T/n; within its term, visits are spaced
		// evenly and staggered across the director's schools.
		T := len(terms)
		inTerm := make([]int, T)
		for k := 0; k < it.PerYear; k++ {
			inTerm[k*T/it.PerYear]++
		}
		for si, u := range mine {
			seen := make([]int, T)
			for k := 0; k < it.PerYear; k++ {
				tk := k * T / it.PerYear
				frac := (float64(seen[tk]) + (float64(si)+0.5)/float64(len(mine))) / float64(inTerm[tk])
				seen[tk]++
				target := float64(termStart[tk]) + frac*float64(termStart[tk+1]-termStart[tk])
				jobs = append(jobs, job{u, ii, k + 1, target})
			}
		}
	}
	slices.SortStableFunc(jobs, func(a, b job) int {
		return cmp.Or(cmp.Compare(a.target, b.target), cmp.Compare(a.school, b.school), cmp.Compare(a.item, b.item))
	})
	perDay := map[partnership.PersonID]map[int]int{}
	perWeek := map[partnership.PersonID]map[int]int{}
	schoolDay := map[partnership.URN]map[int]bool{}
	out := &Schedule{}
	for n, j := range jobs {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("plan schedule: %w", err)
			}
		}
		it := offer.Items[j.item]
		d := caps[it.Director]
		if perDay[d.ID] == nil {
			perDay[d.ID], perWeek[d.ID] = map[int]int{}, map[int]int{}
		}
		if schoolDay[j.school] == nil {
			schoolDay[j.school] = map[int]bool{}
		}
		tk := (j.seq - 1) * len(terms) / it.PerYear
		lo, hi := termStart[tk], termStart[tk+1] // the visit's own term
		t := min(max(int(j.target), lo), hi-1)
		placed := false
		for off := 0; off < hi-lo && !placed; off++ {
			for _, i := range []int{t + off, t - off} {
				if i < lo || i >= hi || (off == 0 && i != t) {
					continue
				}
				week := weekIndex(days[i])
				if perDay[d.ID][i] >= d.PerDay || perWeek[d.ID][week] >= d.PerWeek || schoolDay[j.school][i] {
					continue
				}
				perDay[d.ID][i]++
				perWeek[d.ID][week]++
				schoolDay[j.school][i] = true
				out.Visits = append(out.Visits, QAVisit{School: j.school, Kind: it.Kind, Seq: j.seq, Director: d.ID, Date: days[i], Term: terms[termOf[i]].Name})
				placed = true
				break
			}
		}
		if !placed {
			reason := fmt.Sprintf("director %s is at capacity (%d a day, %d a week) on every school day of the %s term", d.ID, d.PerDay, d.PerWeek, terms[tk].Name)
			if lo == hi {
				reason = fmt.Sprintf("the %s term has no school days", terms[tk].Name)
			}
			out.Unscheduled = append(out.Unscheduled, UnscheduledVisit{School: j.school, Kind: it.Kind, Seq: j.seq, Term: terms[tk].Name, Reason: reason})
		}
	}
	slices.SortFunc(out.Visits, func(a, b QAVisit) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Director, b.Director), cmp.Compare(a.School, b.School))
	})
	return out, nil
}

// weekIndex numbers ISO weeks across years.
func weekIndex(t time.Time) int {
	y, w := t.ISOWeek()
	return y*60 + w
}
