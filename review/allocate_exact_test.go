package review_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// genClosedGroup draws a group of special schools that only their own
// reviewers may review, under the reciprocal and one-per-school rules: the
// shape where those rules, not the flow, decide how many places can be
// filled (a pair of schools fills places in one direction at most).
func genClosedGroup(t *rapid.T) ([]review.Reviewee, []review.Reviewer, review.Rules) {
	return genClosedGroupOf(t, 2, 4, 7)
}

// genClosedGroupOf is genClosedGroup with minS to maxS schools and up to
// maxR reviewers (at least one per school).
func genClosedGroupOf(t *rapid.T, minS, maxS, maxR int) ([]review.Reviewee, []review.Reviewer, review.Rules) {
	ns := rapid.IntRange(minS, maxS).Draw(t, "schools")
	var schools []review.Reviewee
	for i := range ns {
		schools = append(schools, review.Reviewee{URN: partnership.URN(200 + i), Phase: partnership.PhaseSpecial,
			Trust:    partnership.OrgID(fmt.Sprintf("trust:%d", rapid.IntRange(0, 3).Draw(t, "trust"))),
			Location: partnership.Location{Lat: 53.7 + rapid.Float64Range(0, 0.3).Draw(t, "lat"), Lon: -1.9 + rapid.Float64Range(0, 0.4).Draw(t, "lon")}})
	}
	var revs []review.Reviewer
	for i := range rapid.IntRange(ns, max(ns, maxR)).Draw(t, "reviewers") {
		h := schools[rapid.IntRange(0, ns-1).Draw(t, "home")]
		revs = append(revs, review.Reviewer{ID: review.ReviewerID(fmt.Sprintf("r%02d", i)), Home: h.URN, Location: h.Location,
			Capacity: rapid.IntRange(1, 2).Draw(t, "cap"), TrainedLead: rapid.IntRange(0, 2).Draw(t, "lead") > 0,
			Reviews: rapid.IntRange(0, 3).Draw(t, "reviews")})
	}
	rules := review.DefaultRules()
	rules.Peers = rapid.IntRange(1, 2).Draw(t, "peers")
	rules.MinExperiencedPeers = rapid.IntRange(0, 1).Draw(t, "minexp")
	rules.ExcludeSameTrust = rapid.Bool().Draw(t, "sametrust")
	rules.SearchNodes = 1 // the flow's search cannot close it: the exact search must
	rules.Candidates = rapid.IntRange(0, 3).Draw(t, "candidates")
	return schools, revs, rules
}

// TestExactSearchMatchesExhaustiveSearch checks small components against
// the test's own exhaustive search on closed groups: the most leads and
// places, proved by the bound; the least cost among them when the
// allocation says it is optimal; no rule broken; and a bound never above
// the optimum.
func TestExactSearchMatchesExhaustiveSearch(t *testing.T) {
	exact, runs := 0, 0
	defer func() {
		t.Logf("the exact search ran in %d of %d allocations", exact, runs)
		require.Positive(t, exact, "the exact search was exercised")
	}()
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genClosedGroup(t)
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		runs++
		for _, ar := range a.Areas {
			if ar.Exact {
				exact++
			}
		}
		require.Empty(t, violations(schools, revs, rules, a))
		l, u, c := exhaustive(schools, revs, rules)
		require.Equal(t, l, a.LeadsMissing, "leads missing")
		require.Equal(t, u, a.Unfilled, "unfilled places")
		if a.Optimal {
			requireExhaustiveOptimum(t, schools, revs, rules, a)
		}
		require.True(t, a.BoundLeadsMissing == l && a.BoundUnfilled == u, "leads and places proved optimal: bound %d, %d", a.BoundLeadsMissing, a.BoundUnfilled)
		require.True(t, lexLE(a.BoundLeadsMissing, a.BoundUnfilled, int64(math.Round(a.LowerBound*100)), l, u, c), "bound above the optimum")
	})
}

// TestLocalSearchKeepsEveryRule draws closed groups too large for the exact
// search, where the search around each short team runs: no rule is broken,
// the bound still holds, and the result is deterministic.
func TestLocalSearchKeepsEveryRule(t *testing.T) {
	local, runs := 0, 0
	defer func() {
		t.Logf("the local search ran in %d of %d allocations", local, runs)
		require.Positive(t, local, "the local search was exercised")
	}()
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genClosedGroupOf(t, 13, 18, 30)
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		runs++
		for _, ar := range a.Areas {
			if ar.SearchNodes > 2 { // more than the flow's one-node search
				local++
			}
		}
		require.Empty(t, violations(schools, revs, rules, a))
		require.True(t, lexLE(a.BoundLeadsMissing, a.BoundUnfilled, 0, a.LeadsMissing, a.Unfilled, 0), "bound above the allocation")
		b, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		require.Equal(t, a, b)
	})
}
