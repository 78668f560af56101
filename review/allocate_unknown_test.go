package review_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// A school with no location gets reviewers whose distance is unknown: the
// place says so, and the travel totals leave it out and count it, rather
// than report 0 km.
func TestAllocateUnknownTravelIsNotZero(t *testing.T) {
	here := partnership.Location{Lat: 52.48, Lon: -1.90}
	schools := []review.Reviewee{
		{URN: 100, Phase: partnership.PhasePrimary, Location: here},
		{URN: 101, Phase: partnership.PhasePrimary}, // no location
	}
	var revs []review.Reviewer
	for i, u := range []partnership.URN{200, 201, 202, 203, 204, 205} {
		revs = append(revs, review.Reviewer{ID: review.ReviewerID(rune('a' + i)), Home: u, Phases: []partnership.Phase{partnership.PhasePrimary},
			TrainedLead: true, Capacity: 1, Location: partnership.Location{Lat: 52.5 + float64(i)/100, Lon: -1.9}})
	}
	rules := review.DefaultRules()
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	tm, ok := a.Team(101)
	require.True(t, ok)
	require.NotEmpty(t, tm.Members)
	for _, m := range tm.Members {
		assert.True(t, m.TravelUnknown, "reviewer %s", m.Reviewer)
	}
	assert.Equal(t, len(tm.Members), a.UnknownTravel)
	known, ok := a.Team(100)
	require.True(t, ok)
	for _, m := range known.Members {
		assert.False(t, m.TravelUnknown)
		assert.Positive(t, m.TravelKm)
	}
	assert.InDelta(t, known.TravelKm, a.TotalTravelKm, 1e-9)
}
