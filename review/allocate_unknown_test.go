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

// An unknown distance never satisfies a distance rule (maximum travel or
// minimum distance): the place is left unfilled with ConstraintLocation,
// and the independent checker agrees.
func TestAllocateUnknownDistanceFailsDistanceRules(t *testing.T) {
	here := partnership.Location{Lat: 52.48, Lon: -1.90}
	schools := []review.Reviewee{{URN: 100, Phase: partnership.PhasePrimary}} // no location
	revs := []review.Reviewer{
		{ID: "near", Home: 200, Phases: []partnership.Phase{partnership.PhasePrimary}, TrainedLead: true, Capacity: 1, Location: here},
	}
	rules := review.DefaultRules()
	rules.Peers, rules.MinExperiencedPeers = 0, 0
	for _, set := range []func(*review.Rules){
		func(r *review.Rules) { r.MaxTravelKm = 40 },
		func(r *review.Rules) { r.MinDistanceKm = 1 },
	} {
		ru := rules
		set(&ru)
		a, err := review.Allocate(context.Background(), schools, revs, ru)
		require.NoError(t, err)
		require.Equal(t, 1, a.LeadsMissing, "an unknown distance satisfies no distance rule")
		require.Len(t, a.Shortfalls, 1)
		assert.Equal(t, review.ConstraintLocation, a.Shortfalls[0].Constraint)
		assert.Empty(t, violations(schools, revs, ru, a))
	}
	// Without a distance rule the pair is eligible.
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	require.Zero(t, a.LeadsMissing)
	assert.Empty(t, violations(schools, revs, rules, a))
}

// An unknown distance is priced at the span of the input's known
// locations, never as 0 km: a known reviewer 100 km away is preferred to
// one whose distance is unknown, and the unknown one, alone, is priced at
// the span of what is then known (here the school alone: 1 km), which the
// independent checker recomputes.
func TestAllocateUnknownDistanceIsNeverTheCheapest(t *testing.T) {
	here := partnership.Location{Lat: 52.48, Lon: -1.90}
	far := partnership.Location{Lat: 52.48 + 100/111.19, Lon: -1.90} // about 100 km north
	schools := []review.Reviewee{{URN: 100, Phase: partnership.PhasePrimary, Location: here}}
	revs := []review.Reviewer{
		{ID: "far", Home: 200, Phases: []partnership.Phase{partnership.PhasePrimary}, TrainedLead: true, Capacity: 1, Location: far},
		{ID: "nowhere", Home: 201, Phases: []partnership.Phase{partnership.PhasePrimary}, TrainedLead: true, Capacity: 1},
	}
	rules := review.DefaultRules()
	rules.Peers, rules.MinExperiencedPeers = 0, 0

	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	lead, ok := a.Teams[0].Lead()
	require.True(t, ok)
	assert.Equal(t, review.ReviewerID("far"), lead.Reviewer, "a known 100 km beats an unknown distance")
	assert.Empty(t, violations(schools, revs, rules, a))

	a, err = review.Allocate(context.Background(), schools, revs[1:], rules)
	require.NoError(t, err)
	lead, ok = a.Teams[0].Lead()
	require.True(t, ok)
	assert.True(t, lead.TravelUnknown)
	assert.Zero(t, lead.TravelKm)
	assert.InDelta(t, 1.0, lead.Cost, 1e-9, "one known point: a span of 1 km")
	assert.Empty(t, violations(schools, revs[1:], rules, a))
}
