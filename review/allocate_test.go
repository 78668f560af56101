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

// TestEachConstraintBlocks gives one school a single candidate that one rule
// excludes, and checks the shortfall names that rule.
func TestEachConstraintBlocks(t *testing.T) {
	leeds := partnership.Location{Lat: 53.80, Lon: -1.55}
	near := partnership.Location{Lat: 53.805, Lon: -1.55} // about 0.6 km
	far := partnership.Location{Lat: 54.80, Lon: -1.55}   // about 111 km
	school := review.Reviewee{URN: 100, Phase: partnership.PhasePrimary, Trust: "t1", Location: leeds}
	other := review.Reviewee{URN: 200, Phase: partnership.PhasePrimary, Trust: "t2", Location: near}
	lead := review.Reviewer{ID: "lead", Home: 200, Trust: "t2", TrainedLead: true, Capacity: 1, Location: near,
		Phases: []partnership.Phase{partnership.PhasePrimary}, Reviews: 5}
	base := review.Rules{Cycle: 5, ExperiencedAfter: 2, Weights: review.Weights{Travel: 1}}
	tests := []struct {
		name    string
		schools []review.Reviewee
		revs    []review.Reviewer
		rules   func(*review.Rules)
		edit    func(*review.Reviewer)
		lead    bool
		want    review.Constraint
	}{
		{name: "own school", edit: func(r *review.Reviewer) { r.Home = 100 }, lead: true, want: review.ConstraintOwnSchool},
		{name: "trained lead", edit: func(r *review.Reviewer) { r.TrainedLead = false }, lead: true, want: review.ConstraintTrainedLead},
		{name: "external lead required", rules: func(r *review.Rules) { r.ExternalLeads = review.ExternalLeadsRequired }, lead: true, want: review.ConstraintExternalLead},
		{name: "external lead forbidden", edit: func(r *review.Reviewer) { r.External, r.Home, r.Trust = true, 0, "" },
			rules: func(r *review.Rules) { r.ExternalLeads = review.ExternalLeadsForbidden }, lead: true, want: review.ConstraintExternalLead},
		{name: "same trust", edit: func(r *review.Reviewer) { r.Trust = "t1" }, rules: func(r *review.Rules) { r.ExcludeSameTrust = true }, lead: true, want: review.ConstraintSameTrust},
		{name: "phase", edit: func(r *review.Reviewer) { r.Phases = []partnership.Phase{partnership.PhaseSecondary} }, lead: true, want: review.ConstraintPhase},
		{name: "repeat", rules: func(r *review.Rules) {
			r.RepeatWithin = 2
			r.History = []review.PastReview{{Cycle: 4, Reviewer: "lead", Home: 200, School: 100}}
		}, lead: true, want: review.ConstraintRepeat},
		{name: "max travel", edit: func(r *review.Reviewer) { r.Location = far }, rules: func(r *review.Rules) { r.MaxTravelKm = 50 }, lead: true, want: review.ConstraintMaxTravel},
		{name: "professional distance", rules: func(r *review.Rules) { r.MinDistanceKm = 5 }, lead: true, want: review.ConstraintProfessionalDistance},
		{name: "location unknown", edit: func(r *review.Reviewer) { r.Location = partnership.Location{} }, rules: func(r *review.Rules) { r.MaxTravelKm = 50 }, lead: true, want: review.ConstraintLocation},
		{name: "reciprocal in the cycle", rules: func(r *review.Rules) {
			r.ExcludeReciprocal = true
			r.History = []review.PastReview{{Cycle: 5, Reviewer: "x", Home: 100, School: 200}}
		}, lead: true, want: review.ConstraintReciprocal},
		{name: "same trust from the home school when the column is blank", edit: func(r *review.Reviewer) { r.Trust = "" },
			schools: []review.Reviewee{school, {URN: 200, Phase: partnership.PhasePrimary, Trust: "t1", Location: near}},
			rules:   func(r *review.Rules) { r.ExcludeSameTrust = true }, lead: true, want: review.ConstraintSameTrust},
		{name: "repeat recorded by reviewer only", rules: func(r *review.Rules) {
			r.RepeatWithin = 2
			r.History = []review.PastReview{{Cycle: 4, Reviewer: "lead", School: 100}}
		}, lead: true, want: review.ConstraintRepeat},
		{name: "declared conflict", rules: func(r *review.Rules) {
			r.Conflicts = []review.Conflict{{Reviewer: "lead", School: 100, Kind: review.ConflictFamily}}
		}, lead: true, want: review.ConstraintConflict},
		{name: "accreditation expired", edit: func(r *review.Reviewer) { r.AccreditedUntil = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC) },
			rules: func(r *review.Rules) {
				r.RequireAccreditation, r.AccreditedOn = true, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
			}, lead: true, want: review.ConstraintAccreditation},
		{name: "one reviewer per school", rules: func(r *review.Rules) { r.Peers, r.MaxPerSchool = 1, 1 },
			revs: []review.Reviewer{lead, {ID: "peer", Home: 200, Capacity: 1, Location: near, Phases: []partnership.Phase{partnership.PhasePrimary}, Reviews: 5}},
			want: review.ConstraintSameSchool},
		{name: "giving balance", rules: func(r *review.Rules) { r.BalanceGiving = true }, lead: true, want: review.ConstraintGiving},
		{name: "capacity", schools: []review.Reviewee{school, {URN: 300, Phase: partnership.PhasePrimary, Location: leeds}}, lead: true, want: review.ConstraintCapacity},
		{name: "experience mix", rules: func(r *review.Rules) { r.Peers, r.MinExperiencedPeers = 1, 1 },
			revs: []review.Reviewer{lead, {ID: "new", Home: 200, Capacity: 1, Location: near, Phases: []partnership.Phase{partnership.PhasePrimary}}},
			want: review.ConstraintExperienceMix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lead
			if tt.edit != nil {
				tt.edit(&r)
			}
			revs := []review.Reviewer{r}
			if tt.revs != nil {
				revs = tt.revs
			}
			schools := []review.Reviewee{school}
			if tt.schools != nil {
				schools = tt.schools
			}
			rules := base
			if tt.rules != nil {
				tt.rules(&rules)
			}
			a, err := review.Allocate(context.Background(), schools, revs, rules)
			require.NoError(t, err)
			var got []review.Constraint
			for _, s := range a.Shortfalls {
				if s.Lead == tt.lead {
					got = append(got, s.Constraint)
				}
			}
			require.NotEmpty(t, got, "a shortfall")
			assert.Equal(t, tt.want, got[0], "%+v", a.Shortfalls)
			assert.Empty(t, violations(schools, revs, rules, a))
		})
	}
	_ = other
}

func TestAllocateRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s := []review.Reviewee{{URN: 1, Phase: partnership.PhasePrimary}, {URN: 1}}
	r := []review.Reviewer{{ID: "a", Capacity: -1}, {ID: "a"}}
	_, err := review.Allocate(ctx, s, r, review.DefaultRules())
	require.ErrorIs(t, err, review.ErrInvalid)
	assert.Contains(t, err.Error(), "school 1 appears twice")
	assert.Contains(t, err.Error(), "reviewer a: capacity -1")
	bad := review.DefaultRules()
	bad.Peers = -1
	_, err = review.Allocate(ctx, nil, nil, bad)
	assert.ErrorIs(t, err, review.ErrInvalid)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = review.Allocate(cctx, []review.Reviewee{{URN: 1}}, nil, review.DefaultRules())
	assert.ErrorIs(t, err, context.Canceled)
}

// TestPhaseRelatedIsWhatTheDocsSay checks PhaseRelated against its
// documentation, pair by pair: the documented pairs both ways, nothing else.
func TestPhaseRelatedIsWhatTheDocsSay(t *testing.T) {
	P := partnership.PhasePrimary
	S := partnership.PhaseSecondary
	documented := map[[2]partnership.Phase]bool{
		{P, partnership.PhaseNursery}: true, {P, partnership.PhaseMiddle}: true, {P, partnership.PhaseAllThrough}: true,
		{S, partnership.PhaseMiddle}: true, {S, partnership.PhaseAllThrough}: true, {S, partnership.Phase16Plus}: true,
		{partnership.PhaseSpecial, partnership.PhaseAlternativeProvision}: true,
	}
	phases := []partnership.Phase{partnership.PhaseNursery, P, partnership.PhaseMiddle, S, partnership.PhaseAllThrough,
		partnership.Phase16Plus, partnership.PhaseSpecial, partnership.PhaseAlternativeProvision}
	for _, want := range phases {
		for _, has := range phases {
			exp := want == has || documented[[2]partnership.Phase{want, has}] || documented[[2]partnership.Phase{has, want}]
			assert.Equal(t, exp, review.PhaseCompatible(review.PhaseRelated, want, []partnership.Phase{has}), "%s reviewer on a %s school", has, want)
		}
	}
	assert.False(t, review.PhaseCompatible(review.PhaseRelated, partnership.Phase16Plus, []partnership.Phase{partnership.PhaseAllThrough}))
	assert.False(t, review.PhaseCompatible(review.PhaseRelated, partnership.PhaseMiddle, []partnership.Phase{partnership.PhaseAllThrough}))
}
