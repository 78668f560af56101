package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// rkltOffer is the core offer in the trust strategy among the source
// documents: three monitoring visits a year for primaries and four
// curriculum deep dives for secondaries.
var rkltOffer = review.CoreOffer{Trust: "gias:rklt", Items: []review.OfferItem{
	{Kind: "monitoring visit", Phases: []partnership.Phase{partnership.PhasePrimary}, PerYear: 3, Director: "doe-primary"},
	{Kind: "curriculum deep dive", Phases: []partnership.Phase{partnership.PhaseSecondary, partnership.PhaseAllThrough}, PerYear: 4, Director: "doe-secondary"},
}}

func TestPlanScheduleCoreOffer(t *testing.T) {
	schools := hub(t, 40)
	terms := review.EnglishTerms(2025)
	dirs := []review.Director{{ID: "doe-primary", PerDay: 1, PerWeek: 4}, {ID: "doe-secondary", PerDay: 1, PerWeek: 4}}
	s, err := review.PlanSchedule(context.Background(), rkltOffer, schools, terms, dirs)
	require.NoError(t, err)
	require.Empty(t, s.Unscheduled)
	want := 0
	for _, sc := range schools {
		switch sc.Phase {
		case partnership.PhasePrimary:
			want += 3
		case partnership.PhaseSecondary, partnership.PhaseAllThrough:
			want += 4
		}
	}
	require.Len(t, s.Visits, want)
	perDay := map[string]int{}
	perWeek := map[string]int{}
	terms3 := map[partnership.URN]map[string]int{}
	for _, v := range s.Visits {
		assert.NotEqual(t, time.Saturday, v.Date.Weekday())
		assert.NotEqual(t, time.Sunday, v.Date.Weekday())
		inTerm := false
		for _, tm := range terms {
			if !v.Date.Before(tm.Start) && !v.Date.After(tm.End) && (v.Date.Before(tm.HalfTermStart) || v.Date.After(tm.HalfTermEnd)) {
				inTerm = tm.Name == v.Term
			}
		}
		assert.True(t, inTerm, "visit on %s is in term %s and not in half term", v.Date.Format(time.DateOnly), v.Term)
		perDay[string(v.Director)+v.Date.Format(time.DateOnly)]++
		y, w := v.Date.ISOWeek()
		perWeek[string(v.Director)+time.Date(y, 1, w, 0, 0, 0, 0, time.UTC).String()]++
		if v.Kind == "monitoring visit" {
			if terms3[v.School] == nil {
				terms3[v.School] = map[string]int{}
			}
			terms3[v.School][v.Term]++
		}
	}
	for k, n := range perDay {
		assert.LessOrEqual(t, n, 1, k)
	}
	for k, n := range perWeek {
		assert.LessOrEqual(t, n, 4, k)
	}
	for u, m := range terms3 {
		assert.Equal(t, map[string]int{"autumn": 1, "spring": 1, "summer": 1}, m, "primary %d: one monitoring visit a term", u)
	}
}

func TestPlanScheduleOverCapacity(t *testing.T) {
	schools := hub(t, 300)
	terms := review.EnglishTerms(2025)
	s, err := review.PlanSchedule(context.Background(), rkltOffer, schools, terms,
		[]review.Director{{ID: "doe-primary", PerDay: 1, PerWeek: 1}, {ID: "doe-secondary"}})
	require.NoError(t, err)
	require.NotEmpty(t, s.Unscheduled, "one visit a week cannot cover hundreds of primaries three times")
	assert.Contains(t, s.Unscheduled[0].Reason, "doe-primary is at capacity")
	_, err = review.PlanSchedule(context.Background(), rkltOffer, schools, terms, nil)
	assert.ErrorIs(t, err, review.ErrInvalid)
}
