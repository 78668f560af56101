package review_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/review"
)

// ruleBreaks is violations without the bookkeeping lines (counts of
// unfilled places and shortfalls), which change whenever a team does.
func ruleBreaks(schools []review.Reviewee, revs []review.Reviewer, ru review.Rules, a *review.Allocation) []string {
	var out []string
	for _, v := range violations(schools, revs, ru, a) {
		if !strings.HasPrefix(v, "unfilled ") && !strings.HasPrefix(v, "shortfall ") {
			out = append(out, v)
		}
	}
	return out
}

// TestNoFillablePlaceLeftUnfilled tries to fill every unfilled place with
// every reviewer: each attempt must break a rule, as the independent
// checker sees it; so every shortfall is truly blocked.
func TestNoFillablePlaceLeftUnfilled(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genInstance(t, 8, 14)
		rules.Candidates = rapid.IntRange(0, 4).Draw(t, "candidates")
		rules.SearchNodes = rapid.IntRange(1, 20).Draw(t, "nodes")
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		require.Empty(t, ruleBreaks(schools, revs, rules, a))
		for _, sh := range a.Shortfalls {
			ti := slices.IndexFunc(a.Teams, func(tm review.Team) bool { return tm.School == sh.School })
			require.GreaterOrEqual(t, ti, 0)
			for _, r := range revs {
				if slices.ContainsFunc(a.Teams[ti].Members, func(m review.Member) bool { return m.Reviewer == r.ID }) {
					continue
				}
				try := *a
				try.Teams = slices.Clone(a.Teams)
				tm := try.Teams[ti]
				tm.Members = append(slices.Clone(tm.Members), review.Member{Reviewer: r.ID, Home: r.Home, Lead: sh.Lead})
				try.Teams[ti] = tm
				if len(ruleBreaks(schools, revs, rules, &try)) == 0 {
					t.Fatalf("place (lead %v) at %d left unfilled as %s (%s), but %s can fill it", sh.Lead, sh.School, sh.Constraint, sh.Reason, r.ID)
				}
			}
		}
	})
}

// lexLE reports whether (l1, u1, c1) ≤ (l2, u2, c2) lexicographically.
func lexLE(l1, u1 int, c1 int64, l2, u2 int, c2 int64) bool {
	if l1 != l2 {
		return l1 < l2
	}
	if u1 != u2 {
		return u1 < u2
	}
	return c1 <= c2
}

// TestBoundNeverAboveOptimum: whatever the Candidates setting (small ones
// included), a reported bound is never above the exact optimum found by
// exhaustive search, nor above the allocation returned.
func TestBoundNeverAboveOptimum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genInstance(t, 3, 6)
		rules.Candidates = rapid.IntRange(0, 3).Draw(t, "candidates")
		rules.SearchNodes = rapid.IntRange(1, 8).Draw(t, "nodes")
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		if !a.Bounded {
			return
		}
		l, u, c := exhaustive(schools, revs, rules)
		lb := int64(math.Round(100 * a.LowerBound))
		require.True(t, lexLE(a.BoundLeadsMissing, a.BoundUnfilled, lb, l, u, c),
			"bound (%d, %d, %d) above the optimum (%d, %d, %d)", a.BoundLeadsMissing, a.BoundUnfilled, lb, l, u, c)
		require.True(t, lexLE(a.BoundLeadsMissing, a.BoundUnfilled, lb, a.LeadsMissing, a.Unfilled, int64(math.Round(100*a.Objective))))
		require.True(t, lexLE(l, u, c, a.LeadsMissing, a.Unfilled, int64(math.Round(100*a.Objective))), "nothing beats the optimum")
	})
}

// TestBoundWithFewCandidatesOnTheHub is the case the bound once failed: the
// hub with candidates 5 reported a bound above a known allocation.
func TestBoundWithFewCandidatesOnTheHub(t *testing.T) {
	schools := hub(t, 300)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	rules := hubRules()
	rules.Candidates = 5
	few, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	rules.Candidates = 60
	many, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	for _, b := range []*review.Allocation{few, many} {
		require.True(t, b.Bounded)
		for _, x := range []*review.Allocation{few, many} {
			require.True(t, lexLE(b.BoundLeadsMissing, b.BoundUnfilled, int64(math.Round(100*b.LowerBound)),
				x.LeadsMissing, x.Unfilled, int64(math.Round(100*x.Objective))),
				"bound %.2f (%d/%d) above a feasible %.2f (%d/%d)", b.LowerBound, b.BoundLeadsMissing, b.BoundUnfilled, x.Objective, x.LeadsMissing, x.Unfilled)
		}
	}
	require.Empty(t, violations(schools, revs, rules, few))
}
