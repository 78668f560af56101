package brokerage_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

var areas = []partnership.ExpertiseID{"maths", "english", "send"}

// randomInstance draws a small instance around Leeds.
func randomInstance(t *rapid.T, maxNeeds, maxOffers int) ([]brokerage.Need, []brokerage.Offer) {
	nn := rapid.IntRange(0, maxNeeds).Draw(t, "needs")
	no := rapid.IntRange(0, maxOffers).Draw(t, "offers")
	loc := func(label string) partnership.Location {
		return partnership.Location{
			Lat: 53.8 + rapid.Float64Range(-0.5, 0.5).Draw(t, label+"lat"),
			Lon: -1.55 + rapid.Float64Range(-0.8, 0.8).Draw(t, label+"lon"),
		}
	}
	needs := make([]brokerage.Need, nn)
	for i := range needs {
		needs[i] = brokerage.Need{
			ID:            brokerage.NeedID(fmt.Sprint("n", i)),
			School:        partnership.URN(100000 + i),
			Area:          rapid.SampledFrom(areas).Draw(t, "area"),
			Phase:         rapid.SampledFrom([]partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary}).Draw(t, "phase"),
			Priority:      rapid.IntRange(1, 5).Draw(t, "priority"),
			Days:          float64(rapid.IntRange(0, 10).Draw(t, "days")),
			Location:      loc("need"),
			FSMPercent:    rapid.Float64Range(0, 60).Draw(t, "fsm"),
			PreferContext: brokerage.ContextPreference(rapid.IntRange(0, 2).Draw(t, "ctx")),
			PreferTrust:   brokerage.TrustPreference(rapid.IntRange(0, 2).Draw(t, "trust")),
			Trust:         rapid.SampledFrom([]string{"", "A", "B"}).Draw(t, "needtrust"),
		}
	}
	offers := make([]brokerage.Offer, no)
	for j := range offers {
		o := brokerage.Offer{
			ID:         brokerage.OfferID(fmt.Sprint("o", j)),
			Provider:   fmt.Sprint("Provider ", j),
			Kind:       brokerage.ProviderSchool,
			School:     partnership.URN(100000 + rapid.IntRange(0, 20).Draw(t, "school")),
			Capacity:   rapid.IntRange(0, 3).Draw(t, "cap"),
			CostPerDay: float64(rapid.IntRange(0, 600).Draw(t, "cost")),
			Location:   loc("offer"),
			FSMPercent: rapid.Float64Range(0, 60).Draw(t, "ofsm"),
			Trust:      rapid.SampledFrom([]string{"", "A", "B"}).Draw(t, "offertrust"),
		}
		for _, a := range areas {
			if rapid.Bool().Draw(t, "has") {
				o.Areas = append(o.Areas, brokerage.AreaEvidence{Area: a, Evidence: brokerage.Evidence(rapid.IntRange(1, 4).Draw(t, "ev"))})
			}
		}
		if len(o.Areas) == 0 {
			o.Areas = []brokerage.AreaEvidence{{Area: areas[0], Evidence: brokerage.EvidenceSelf}}
		}
		if rapid.Bool().Draw(t, "phased") {
			o.Phases = []partnership.Phase{rapid.SampledFrom([]partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary, partnership.PhaseAllThrough}).Draw(t, "ophase")}
		}
		offers[j] = o
	}
	return needs, offers
}

// checkResult checks the invariants every strategy keeps.
func checkResult(t require.TestingT, needs []brokerage.Need, offers []brokerage.Offer, r *brokerage.Result) {
	capOf := map[brokerage.OfferID]int{}
	for _, o := range offers {
		capOf[o.ID] = o.Capacity
	}
	seen := map[brokerage.NeedID]bool{}
	load := map[brokerage.OfferID]int{}
	var total float64
	for _, m := range r.Matches {
		require.False(t, seen[m.Need], "need %s matched twice", m.Need)
		seen[m.Need] = true
		load[m.Offer]++
		require.LessOrEqual(t, load[m.Offer], capOf[m.Offer], "offer %s over capacity", m.Offer)
		var sum float64
		for _, c := range m.Explanation {
			sum += c.Value
		}
		require.InDelta(t, m.Cost, sum, 1e-6, "explanation does not add up")
		total += m.Cost
	}
	for _, u := range r.Unmet {
		require.False(t, seen[u.Need], "need %s both matched and unmet", u.Need)
		seen[u.Need] = true
		require.NotEmpty(t, u.Detail)
	}
	require.Len(t, seen, len(needs), "every need is matched or unmet")
	require.Equal(t, len(r.Matches), r.Met)
	require.InDelta(t, total, r.TotalCost, 1e-6)
}

func TestStrategiesKeepInvariants(t *testing.T) {
	for _, s := range []brokerage.Strategy{brokerage.Optimal{}, brokerage.Stable{}, brokerage.Greedy{}} {
		t.Run(s.Name(), func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				needs, offers := randomInstance(rt, 12, 6)
				r, err := brokerage.NewBroker(brokerage.WithStrategy(s)).Match(context.Background(), needs, offers)
				require.NoError(rt, err)
				checkResult(rt, needs, offers, r)
			})
		})
	}
}

// TestOptimalEqualsExhaustive compares the optimal strategy with an
// exhaustive search over every assignment: most needs met, then least cost.
func TestOptimalEqualsExhaustive(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		needs, offers := randomInstance(rt, 6, 4)
		b := brokerage.NewBroker(brokerage.WithStrategy(brokerage.Optimal{Precision: 6, Objective: brokerage.MostNeeds}))
		p, err := b.Problem(context.Background(), needs, offers)
		require.NoError(rt, err)
		left := make([]int, len(offers))
		for j, o := range offers {
			left[j] = o.Capacity
		}
		bestMet, bestCost := -1, math.Inf(1)
		var rec func(i, met int, cost float64)
		rec = func(i, met int, cost float64) {
			if i == len(needs) {
				if met > bestMet || met == bestMet && cost < bestCost-1e-9 {
					bestMet, bestCost = met, cost
				}
				return
			}
			rec(i+1, met, cost)
			for _, c := range p.Candidates[i] {
				if left[c.Offer] > 0 {
					left[c.Offer]--
					rec(i+1, met+1, cost+c.Cost)
					left[c.Offer]++
				}
			}
		}
		rec(0, 0, 0)
		r, err := b.Match(context.Background(), needs, offers)
		require.NoError(rt, err)
		require.Equal(rt, bestMet, r.Met)
		require.InDelta(rt, bestCost, r.TotalCost, 1e-3)
	})
}

// metByPriority returns the number of needs met at each priority, most
// urgent first: the vector UrgentFirst maximises lexicographically.
func metByPriority(needs []brokerage.Need, r *brokerage.Result) [5]int {
	pri := map[brokerage.NeedID]int{}
	for _, n := range needs {
		pri[n.ID] = n.Priority
	}
	var v [5]int
	for _, m := range r.Matches {
		v[5-pri[m.Need]]++
	}
	return v
}

func lexLess(a, b [5]int) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

// TestUrgentFirstEqualsExhaustive compares the default objective with an
// exhaustive search: the most priority-5 needs, then priority 4, ..., then
// the least cost.
func TestUrgentFirstEqualsExhaustive(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		needs, offers := randomInstance(rt, 7, 3)
		b := brokerage.NewBroker(brokerage.WithStrategy(brokerage.Optimal{Precision: 6}))
		p, err := b.Problem(context.Background(), needs, offers)
		require.NoError(rt, err)
		left := make([]int, len(offers))
		for j, o := range offers {
			left[j] = o.Capacity
		}
		var best, met [5]int
		bestCost, found := math.Inf(1), false
		var rec func(i int, cost float64)
		rec = func(i int, cost float64) {
			if i == len(needs) {
				if !found || lexLess(best, met) || best == met && cost < bestCost-1e-9 {
					best, bestCost, found = met, cost, true
				}
				return
			}
			rec(i+1, cost)
			for _, c := range p.Candidates[i] {
				if left[c.Offer] > 0 {
					left[c.Offer]--
					met[5-needs[i].Priority]++
					rec(i+1, cost+c.Cost)
					met[5-needs[i].Priority]--
					left[c.Offer]++
				}
			}
		}
		rec(0, 0)
		r, err := b.Match(context.Background(), needs, offers)
		require.NoError(rt, err)
		require.Equal(rt, best, metByPriority(needs, r), "needs met by priority, most urgent first")
		require.InDelta(rt, bestCost, r.TotalCost, 1e-3)
	})
}

// TestUrgentFirstScenario: two needs compete for one slot; the routine one
// is cheaper (nearer), the urgent one is served anyway, unlike MostNeeds
// with a small priority weight.
func TestUrgentFirstScenario(t *testing.T) {
	at := func(lat float64) partnership.Location { return partnership.Location{Lat: lat, Lon: -1.5} }
	needs := []brokerage.Need{
		{ID: "routine", School: 1, Area: "maths", Priority: 1, Location: at(53.001), FSMPercent: -1},
		{ID: "urgent", School: 2, Area: "maths", Priority: 5, Location: at(53.3), FSMPercent: -1},
		{ID: "routine2", School: 3, Area: "english", Priority: 1, Location: at(53.001), FSMPercent: -1},
	}
	offers := []brokerage.Offer{
		{ID: "o", Provider: "P", Areas: []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}, {Area: "english", Evidence: brokerage.EvidenceAccredited}}, Capacity: 2, Location: at(53), FSMPercent: -1},
	}
	ctx := context.Background()
	scorers := brokerage.WithScorers(brokerage.Distance{PerKm: 1}, brokerage.PriorityWeight{Weight: 1})
	r, err := brokerage.NewBroker(scorers).Match(ctx, needs, offers)
	require.NoError(t, err)
	assert.Equal(t, [5]int{1, 0, 0, 0, 1}, metByPriority(needs, r), "the urgent need is met")
	r, err = brokerage.NewBroker(scorers, brokerage.WithStrategy(brokerage.Optimal{Objective: brokerage.MostNeeds})).Match(ctx, needs, offers)
	require.NoError(t, err)
	assert.Equal(t, [5]int{0, 0, 0, 0, 2}, metByPriority(needs, r), "most needs, then cost: the two near routine needs")
}

// TestStableHasNoBlockingPair checks stability against the preferences the
// Stable strategy documents.
func TestStableHasNoBlockingPair(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		needs, offers := randomInstance(rt, 12, 5)
		b := brokerage.NewBroker(brokerage.WithStrategy(brokerage.Stable{}))
		p, err := b.Problem(context.Background(), needs, offers)
		require.NoError(rt, err)
		choice, err := brokerage.Stable{}.Match(context.Background(), p)
		require.NoError(rt, err)
		held := make([][]int, len(offers))
		for i, k := range choice {
			if k >= 0 {
				held[p.Candidates[i][k].Offer] = append(held[p.Candidates[i][k].Offer], i)
			}
		}
		costWith := func(i, j int) float64 {
			for _, c := range p.Candidates[i] {
				if c.Offer == j {
					return c.Cost
				}
			}
			panic("not a candidate")
		}
		prefers := func(j, i, i2 int) bool { // offer j prefers need i to i2
			a, b := needs[i].Priority, needs[i2].Priority
			if a != b {
				return a > b
			}
			if c1, c2 := costWith(i, j), costWith(i2, j); c1 != c2 {
				return c1 < c2
			}
			return i < i2
		}
		for i, cs := range p.Candidates {
			for k, c := range cs {
				if choice[i] >= 0 && k >= choice[i] {
					break // i does not prefer this one to its match
				}
				j := c.Offer
				if len(held[j]) < offers[j].Capacity {
					rt.Fatalf("blocking pair: need %d and offer %d with a free slot", i, j)
				}
				for _, w := range held[j] {
					if prefers(j, i, w) {
						rt.Fatalf("blocking pair: need %d and offer %d (prefers it to need %d)", i, j, w)
					}
				}
			}
		}
	})
}

func TestUnmetReasons(t *testing.T) {
	leeds := partnership.Location{Lat: 53.8, Lon: -1.55}
	london := partnership.Location{Lat: 51.5, Lon: -0.12}
	needs := []brokerage.Need{
		{ID: "a", School: 1, Area: "maths", Priority: 5, Location: leeds, FSMPercent: -1},
		{ID: "b", School: 2, Area: "maths", Priority: 2, Location: leeds, FSMPercent: -1},
		{ID: "c", School: 3, Area: "science", Priority: 3, Location: leeds, FSMPercent: -1},
		{ID: "d", School: 4, Area: "send", Priority: 3, Location: leeds, FSMPercent: -1},
	}
	offers := []brokerage.Offer{
		{ID: "x", Provider: "Leeds Maths", Areas: []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidencePeerReview}}, Capacity: 1, Location: leeds, FSMPercent: -1},
		{ID: "y", Provider: "London SEND", Areas: []brokerage.AreaEvidence{{Area: "send", Evidence: brokerage.EvidenceAccredited}}, Capacity: 3, Location: london, FSMPercent: -1},
	}
	for _, s := range []brokerage.Strategy{brokerage.Optimal{}, brokerage.Stable{}, brokerage.Greedy{}} {
		t.Run(s.Name(), func(t *testing.T) {
			r, err := brokerage.NewBroker(brokerage.WithStrategy(s)).Match(context.Background(), needs, offers)
			require.NoError(t, err)
			require.Len(t, r.Matches, 1)
			assert.Equal(t, brokerage.NeedID("a"), r.Matches[0].Need, "the urgent need gets the only slot")
			got := map[brokerage.NeedID]brokerage.UnmetReason{}
			for _, u := range r.Unmet {
				got[u.Need] = u.Reason
			}
			assert.Equal(t, map[brokerage.NeedID]brokerage.UnmetReason{
				"b": brokerage.UnmetCapacity, "c": brokerage.UnmetNoProvider, "d": brokerage.UnmetExcluded,
			}, got)
			for _, u := range r.Unmet {
				if u.Need == "d" {
					assert.Contains(t, u.Detail, "max-distance")
					assert.Contains(t, u.Detail, "London SEND")
				}
			}
			g := brokerage.Gaps(needs, offers, r)
			require.Len(t, g.ByRegion, 1)
			assert.Equal(t, 3, g.ByRegion[0].Unmet)
		})
	}
}

func TestValidate(t *testing.T) {
	err := brokerage.Validate(
		[]brokerage.Need{{ID: "a", Area: "maths", Priority: 9}, {ID: "a", Area: "maths", Priority: 1}},
		[]brokerage.Offer{{ID: "", Capacity: -1}})
	require.ErrorIs(t, err, brokerage.ErrInvalid)
	for _, want := range []string{"priority 9 outside 1-5", "need a: duplicate ID", "offer 1: empty ID", "negative capacity", "no areas"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestConstraints(t *testing.T) {
	need := &brokerage.Need{School: 7, Phase: partnership.PhasePrimary, Format: brokerage.FormatCoaching,
		Networks: []partnership.NetworkID{"alliance"}}
	for _, tc := range []struct {
		name  string
		c     brokerage.Constraint
		offer brokerage.Offer
		km    float64 // negative: unknown
		ok    bool
	}{
		{"near", brokerage.MaxDistance{Km: 40}, brokerage.Offer{}, 39, true},
		{"far", brokerage.MaxDistance{Km: 40}, brokerage.Offer{}, 41, false},
		{"unknown distance", brokerage.MaxDistance{Km: 40}, brokerage.Offer{}, -1, false},
		{"unknown distance allowed", brokerage.MaxDistance{Km: 40, AllowUnknown: true}, brokerage.Offer{}, -1, true},
		{"phase any", brokerage.PhaseCompatible{}, brokerage.Offer{}, 0, true},
		{"phase all-through", brokerage.PhaseCompatible{}, brokerage.Offer{Phases: []partnership.Phase{partnership.PhaseAllThrough}}, 0, true},
		{"phase wrong", brokerage.PhaseCompatible{}, brokerage.Offer{Phases: []partnership.Phase{partnership.PhaseSecondary}}, 0, false},
		{"self", brokerage.ConflictOfInterest{}, brokerage.Offer{School: 7}, 0, false},
		{"declared", brokerage.ConflictOfInterest{Declared: []brokerage.Conflict{{School: 7, Provider: "P"}}}, brokerage.Offer{Provider: "P"}, 0, false},
		{"open", brokerage.Eligible{}, brokerage.Offer{}, 0, true},
		{"member", brokerage.Eligible{}, brokerage.Offer{Networks: []partnership.NetworkID{"alliance"}}, 0, true},
		{"not member", brokerage.Eligible{}, brokerage.Offer{Networks: []partnership.NetworkID{"hub"}}, 0, false},
		{"format listed", brokerage.FormatCompatible{}, brokerage.Offer{Formats: []brokerage.Format{brokerage.FormatCoaching}}, 0, true},
		{"format missing", brokerage.FormatCompatible{}, brokerage.Offer{Formats: []brokerage.Format{brokerage.FormatCourse}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := brokerage.Km{Value: tc.km, Known: tc.km >= 0}
			ok, why := tc.c.Allow(brokerage.Pair{Need: need, Offer: &tc.offer, Distance: d})
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, !tc.ok, why != "", "a reason exactly when excluded")
		})
	}
}

// plainLimit is a MaxDistance the Broker does not recognise as one, so it
// computes every pair's distance and asks the constraint. (The explanation
// of an excluded need does not know it for a distance rule either, so only
// the exclusion counts of the details are compared.)
type plainLimit struct{ brokerage.MaxDistance }

// TestLatitudePrefilter: a Broker whose first constraint is a MaxDistance
// skips pairs too far apart in latitude without computing their distance;
// the matches, the unmet needs, their reasons and exclusion counts are the
// same as when every pair is computed and asked.
func TestLatitudePrefilter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		needs, offers := randomInstance(t, 12, 10)
		km := rapid.Float64Range(0, 80).Draw(t, "km")
		rest := brokerage.DefaultConstraints()[1:]
		fast := brokerage.NewBroker(brokerage.WithConstraints(append([]brokerage.Constraint{brokerage.MaxDistance{Km: km}}, rest...)...))
		slow := brokerage.NewBroker(brokerage.WithConstraints(append([]brokerage.Constraint{plainLimit{brokerage.MaxDistance{Km: km}}}, rest...)...))
		a, err := fast.Match(context.Background(), needs, offers)
		require.NoError(t, err)
		b, err := slow.Match(context.Background(), needs, offers)
		require.NoError(t, err)
		for _, r := range []*brokerage.Result{a, b} {
			for k := range r.Unmet {
				r.Unmet[k].Detail, _, _ = strings.Cut(r.Unmet[k].Detail, ";")
			}
		}
		require.Equal(t, b, a)
	})
}
