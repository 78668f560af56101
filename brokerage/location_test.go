package brokerage_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// TestUnknownLocation: a pair whose distance is unknown never passes the
// distance limit by default, is scored as unknown when let through, is
// null in JSON, and the result counts needs and offers without a location.
func TestUnknownLocation(t *testing.T) {
	southwark := partnership.Location{Lat: 51.50, Lon: -0.09}
	lewisham := partnership.Location{Lat: 51.45, Lon: -0.02}
	maths := []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}}
	needs := []brokerage.Need{
		{ID: "known", School: 1, Area: "maths", Priority: 3, Location: southwark, FSMPercent: -1},
		{ID: "nowhere", School: 2, Area: "maths", Priority: 3, FSMPercent: -1},
	}
	offers := []brokerage.Offer{
		{ID: "lost", Provider: "Unlocated Academy", Areas: maths, Capacity: 5, FSMPercent: -1},
		{ID: "near", Provider: "Lewisham Maths", Areas: maths, Capacity: 1, Location: lewisham, FSMPercent: -1},
	}
	ctx := context.Background()
	for _, s := range []brokerage.Strategy{brokerage.Optimal{}, brokerage.Stable{}, brokerage.Greedy{}} {
		t.Run("default/"+s.Name(), func(t *testing.T) {
			r, err := brokerage.NewBroker(brokerage.WithStrategy(s)).Match(ctx, needs, offers)
			require.NoError(t, err)
			assert.Equal(t, 1, r.NeedsWithoutLocation)
			assert.Equal(t, 1, r.OffersWithoutLocation)
			require.Len(t, r.Matches, 1)
			m := r.Matches[0]
			assert.Equal(t, brokerage.NeedID("known"), m.Need)
			assert.Equal(t, brokerage.OfferID("near"), m.Offer, "the unlocated offer does not pass the 50 km limit")
			assert.True(t, m.Distance.Known)
			require.Len(t, r.Unmet, 1)
			u := r.Unmet[0]
			assert.Equal(t, brokerage.UnmetExcluded, u.Reason)
			assert.Contains(t, u.Detail, "distance unknown (the school's location is unknown)")
			assert.NotContains(t, u.Detail, "-1")
		})
	}
	t.Run("allowed", func(t *testing.T) {
		b := brokerage.NewBroker(brokerage.WithConstraints(brokerage.MaxDistance{Km: 50, AllowUnknown: true}))
		r, err := b.Match(ctx, needs, offers)
		require.NoError(t, err)
		require.Len(t, r.Matches, 2)
		var unknown *brokerage.Match
		for i := range r.Matches {
			if !r.Matches[i].Distance.Known {
				unknown = &r.Matches[i]
			}
		}
		require.NotNil(t, unknown, "with AllowUnknown an unknown pair may match")
		assert.Equal(t, "unknown", unknown.Distance.String())
		var dist brokerage.Contribution
		for _, c := range unknown.Explanation {
			if c.Scorer == "distance" {
				dist = c
			}
		}
		assert.True(t, dist.Unknown, "the distance contribution is marked unknown")
		assert.Equal(t, 100.0, dist.Value, "priced at the default scorer's UnknownKm")
		js, err := json.Marshal(unknown)
		require.NoError(t, err)
		assert.Contains(t, string(js), `"distance_km":null`)
		assert.Contains(t, string(js), `"unknown":true`)
	})
}

func TestKmJSON(t *testing.T) {
	for _, d := range []brokerage.Km{{}, {Value: 12.25, Known: true}, {Known: true}} {
		b, err := json.Marshal(d)
		require.NoError(t, err)
		var back brokerage.Km
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, d, back)
	}
	assert.Equal(t, "12.3 km", brokerage.Km{Value: 12.26, Known: true}.String())
}

// TestExcludedNamesNearestEligible: the explanation of an excluded need
// names the nearest provider that only the distance limit excludes, with
// its distance, and the rule excluding each offer nearer than it.
func TestExcludedNamesNearestEligible(t *testing.T) {
	at := func(lat float64) partnership.Location { return partnership.Location{Lat: lat, Lon: -1.5} }
	maths := []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}}
	needs := []brokerage.Need{{ID: "n", School: 1, Area: "maths", Phase: partnership.PhasePrimary, Priority: 3, Location: at(53), FSMPercent: -1}}
	offers := []brokerage.Offer{
		{ID: "far", Provider: "Far Eligible", Areas: maths, Capacity: 1, Location: at(54), FSMPercent: -1},
		{ID: "phase", Provider: "Near Secondary", Areas: maths, Capacity: 1, Location: at(53.01), Phases: []partnership.Phase{partnership.PhaseSecondary}, FSMPercent: -1},
		{ID: "self", Provider: "Itself", School: 1, Areas: maths, Capacity: 1, Location: at(53), FSMPercent: -1},
		{ID: "further", Provider: "Further Eligible", Areas: maths, Capacity: 1, Location: at(55), FSMPercent: -1},
		{ID: "nowhere", Provider: "Unlocated", Areas: maths, Capacity: 1, FSMPercent: -1},
	}
	r, err := brokerage.NewBroker().Match(context.Background(), needs, offers)
	require.NoError(t, err)
	require.Len(t, r.Unmet, 1)
	assert.Equal(t, "5 offers cover maths, all excluded (conflict 1, max-distance 3, phase 1); "+
		"nearest eligible provider: Far Eligible at 111.2 km (max-distance: 111 km away, limit 50 km); "+
		"nearer, excluded: Itself at 0.0 km (conflict: the provider is the school itself), "+
		"Near Secondary at 1.1 km (phase: offer serves [secondary], not primary)", r.Unmet[0].Detail)

	// With no offer eligible but for distance, the nearest are listed with
	// every rule that excludes them.
	offers = offers[1:3]
	r, err = brokerage.NewBroker().Match(context.Background(), needs, offers)
	require.NoError(t, err)
	require.Len(t, r.Unmet, 1)
	assert.Contains(t, r.Unmet[0].Detail, "no provider is eligible even ignoring distance; nearest: Itself at 0.0 km")
}
