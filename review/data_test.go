package review_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/review"
)

var (
	englandOnce    sync.Once
	englandSchools []review.Reviewee
	englandSource  string
	englandErr     error
)

// englandSchoolsFor returns every open state-funded school with a location, from
// shared/data/raw beside the module when it exists (all of England) and from
// the embedded Yorkshire and the Humber subset otherwise.
func englandSchoolsFor(tb testing.TB) []review.Reviewee {
	tb.Helper()
	englandOnce.Do(func() {
		ctx := context.Background()
		var res *england.Result
		if dir := rawDir(); dir != "" {
			res, englandErr = england.Load(ctx, dir, nil)
		} else {
			res, englandErr = england.LoadEmbedded(ctx)
		}
		if englandErr == nil {
			englandSchools = review.Reviewees(&res.Dataset, nil)
			englandSource = res.Source
		}
	})
	if englandErr != nil {
		tb.Fatalf("loading England: %v", englandErr)
	}
	return englandSchools
}

// rawDir finds ../shared/data/raw beside the module root, or "".
func rawDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			raw := filepath.Join(d, "..", "shared", "data", "raw")
			if _, err := os.Stat(raw); err == nil {
				return raw
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// leedsCentre is the centre of Leeds; the hub is the 300 state-funded
// schools nearest it (a teaching school hub works with about 300).
var leedsCentre = partnership.Location{Lat: 53.7997, Lon: -1.5492}

func hub(tb testing.TB, n int) []review.Reviewee {
	all := slices.Clone(englandSchoolsFor(tb))
	slices.SortFunc(all, func(a, b review.Reviewee) int {
		return cmp.Or(cmp.Compare(review.DistanceKm(a.Location, leedsCentre), review.DistanceKm(b.Location, leedsCentre)), cmp.Compare(a.URN, b.URN))
	})
	return all[:n]
}

func hubRules() review.Rules {
	r := review.DefaultRules()
	r.MaxTravelKm = 40
	r.MinDistanceKm = 1
	return r
}

// englandRules are the hub rules with a one-node search per area, which
// keeps all of England well inside a minute.
func englandRules() review.Rules {
	r := hubRules()
	r.SearchNodes = 1
	r.Candidates = 30
	return r
}

// requirePhaseSplit checks that an input with no travel limit is solved as
// one problem, split only by the related-phase rule: special schools and
// alternative provision, which only reviewers with that experience may
// review, apart from the rest.
func requirePhaseSplit(t *testing.T, schools []review.Reviewee, a *review.Allocation) {
	t.Helper()
	closed := 0
	for _, s := range schools {
		if s.Phase == partnership.PhaseSpecial || s.Phase == partnership.PhaseAlternativeProvision {
			closed++
		}
	}
	var sizes []int
	for _, ar := range a.Areas {
		sizes = append(sizes, ar.Schools)
	}
	slices.Sort(sizes)
	want := []int{closed, len(schools) - closed}
	if closed == 0 {
		want = want[1:]
	}
	require.Equal(t, want, sizes, "one problem, split only into the phases no reviewer spans")
}

// TestAllocateClosedGroupBradford is Bradford (local authority 380) under
// the default rules. Its seven special schools can only review each other,
// and there the reciprocal and one-per-school rules decide how many places
// can be filled; the flow's search left one school without a lead although
// an allocation leading all seven exists (an integer program found it).
// The exact search of small components finds it and proves it optimal.
func TestAllocateClosedGroupBradford(t *testing.T) {
	var schools []review.Reviewee
	for _, s := range englandSchoolsFor(t) {
		if s.LA == 380 {
			schools = append(schools, s)
		}
	}
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	rules := review.DefaultRules()
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	t.Logf("Bradford: %d schools, %d of %d places filled, %d leads missing, areas %+v", len(schools), a.Places-a.Unfilled, a.Places, a.LeadsMissing, a.Areas)
	requirePhaseSplit(t, schools, a)
	require.Zero(t, a.LeadsMissing, "every team led")
	require.Len(t, a.Areas, 2)
	small := a.Areas[0]
	if a.Areas[1].Schools < small.Schools {
		small = a.Areas[1]
	}
	require.True(t, small.Exact && small.Optimal, "the special schools' component is proved optimal: %+v", small)
	require.Equal(t, small.Unfilled, small.BoundUnfilled)
	require.Empty(t, violations(schools, revs, rules, a))
	for _, sh := range a.Shortfalls {
		require.Contains(t, sh.Reason, "no allocation has more leads or fills more places")
	}
}

func TestAllocateHub(t *testing.T) {
	schools := hub(t, 300)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	rules := hubRules()
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	t.Logf("hub (%s): %d schools, %d synthetic reviewers: objective %.1f, lower bound %.1f, gap %.2f%%, unfilled %d of %d, travel %.0f km",
		englandSource, len(schools), len(revs), a.Objective, a.LowerBound, 100*a.Gap, a.Unfilled, a.Places, a.TotalTravelKm)
	requirePhaseSplit(t, schools, a)
	assert.GreaterOrEqual(t, a.Objective, a.LowerBound-1e-6)
	assert.True(t, a.Optimal || (a.Gap >= 0 && a.Gap < 0.05), "within 5%% of the lower bound, got %v", a.Gap)
	assert.Empty(t, violations(schools, revs, rules, a))
	for _, r := range revs {
		require.True(t, r.Synthetic, "drawn reviewers are labelled synthetic")
	}
}

// TestAllocateRegion runs the allocator, as one problem under the default
// rules, on the 800 schools nearest Leeds (300 under the race detector);
// all of England is the benchmark BenchmarkAllocateEnglandDefaultRules,
// too slow for a test.
func TestAllocateRegion(t *testing.T) {
	n := 800
	if raceEnabled {
		n = 300
	}
	schools := hub(t, n)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	rules := review.DefaultRules()
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	counts := map[review.Constraint]int{}
	for _, s := range a.Shortfalls {
		counts[s.Constraint] += s.Missing
	}
	t.Logf("region (%s): %d schools, %d synthetic reviewers: objective %.0f, bound %.0f (bounded %v), gap %.2f%%, unfilled %d of %d (%v), leads missing %d, travel %.0f km",
		englandSource, len(schools), len(revs), a.Objective, a.LowerBound, a.Bounded, 100*a.Gap, a.Unfilled, a.Places, counts, a.LeadsMissing, a.TotalTravelKm)
	assert.Len(t, a.Teams, len(schools))
	requirePhaseSplit(t, schools, a)
	assert.Empty(t, violations(schools, revs, rules, a))
	assert.True(t, a.Bounded)
	assert.GreaterOrEqual(t, a.Objective, a.LowerBound-1e-6)
}

func BenchmarkAllocateHub(b *testing.B) {
	schools := hub(b, 300)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	var a *review.Allocation
	for b.Loop() {
		var err error
		if a, err = review.Allocate(context.Background(), schools, revs, hubRules()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*a.Gap, "gap%")
	b.ReportMetric(float64(a.Unfilled), "unfilled")
}

// BenchmarkAllocateEngland allocates all of England under the hub rules
// (40 km at most) with a one-node search, as one problem split only into
// components no reviewer joins.
func BenchmarkAllocateEngland(b *testing.B) {
	schools := englandSchoolsFor(b)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	var a *review.Allocation
	for b.Loop() {
		var err error
		if a, err = review.Allocate(context.Background(), schools, revs, englandRules()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(schools)), "schools")
	b.ReportMetric(100*a.Gap, "gap%")
	b.ReportMetric(float64(a.Unfilled), "unfilled")
	b.ReportMetric(float64(a.LeadsMissing), "leads_missing")
	b.ReportMetric(100*float64(a.Unfilled)/float64(a.Places), "unfilled%")
	b.ReportMetric(100*a.Gap, "gap%")
}

// TestAllocatePartitionedIsDeterministic solves a partitioned input twice,
// the second time with schools and reviewers in another order, and in
// parallel areas: the teams must be the same.
func TestAllocatePartitionedIsDeterministic(t *testing.T) {
	schools := hub(t, 400)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 7, Focus: true})
	rules := hubRules()
	rules.Partition = review.PartitionLA
	rules.AreaSize = 80
	a, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	require.Greater(t, len(a.Areas), 2)
	slices.Reverse(schools)
	slices.Reverse(revs)
	b, err := review.Allocate(context.Background(), schools, revs, rules)
	require.NoError(t, err)
	require.Equal(t, a, b)
	assert.Empty(t, violations(schools, revs, rules, a))
}

// BenchmarkAllocateEnglandDefaultRules allocates all of England under
// DefaultRules (no distance limit, eight search nodes per area), as
// "fulcrum review allocate --data DIR" does.
func BenchmarkAllocateEnglandDefaultRules(b *testing.B) {
	benchDefaultRules(b, englandSchoolsFor(b))
}

// BenchmarkAllocateRegionDefaultRules allocates the n schools nearest
// Leeds as one problem under DefaultRules, a step towards all of England
// that runs in seconds.
func BenchmarkAllocateRegionDefaultRules(b *testing.B) {
	for _, n := range []int{2000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			if len(englandSchoolsFor(b)) < n {
				b.Skipf("%d schools in %s", len(englandSchoolsFor(b)), englandSource)
			}
			benchDefaultRules(b, hub(b, n))
		})
	}
}

// benchDefaultRules allocates schools under DefaultRules with synthetic
// reviewers and reports the lexicographic objective's terms.
func benchDefaultRules(b *testing.B, schools []review.Reviewee) {
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	var a *review.Allocation
	for b.Loop() {
		var err error
		if a, err = review.Allocate(context.Background(), schools, revs, review.DefaultRules()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(a.Unfilled), "unfilled")
	b.ReportMetric(float64(a.LeadsMissing), "leads_missing")
	b.ReportMetric(100*float64(a.Unfilled)/float64(a.Places), "unfilled%")
	b.ReportMetric(100*a.Gap, "gap%")
}
