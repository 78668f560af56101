package review_test

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/internal/englandraw"
)

var (
	englandOnce    sync.Once
	englandSchools []review.Reviewee
	englandErr     error
)

// england loads every open state-funded school from shared/data/raw, or
// fails the test when the data is not beside the repository.
func england(tb testing.TB) []review.Reviewee {
	tb.Helper()
	englandOnce.Do(func() {
		dir := englandraw.Dir()
		if dir == "" {
			englandErr = errNoData
			return
		}
		englandSchools, englandErr = englandraw.Load(dir)
	})
	if englandErr != nil {
		tb.Fatalf("loading England: %v", englandErr)
	}
	return englandSchools
}

type noData struct{}

func (noData) Error() string { return "shared/data/raw not found (set FULCRUM_DATA)" }

var errNoData error = noData{}

// leedsCentre is the centre of Leeds; the hub is the 300 state-funded
// schools nearest it (a teaching school hub works with about 300).
var leedsCentre = partnership.Location{Lat: 53.7997, Lon: -1.5492}

func hub(tb testing.TB, n int) []review.Reviewee {
	all := slices.Clone(england(tb))
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

func TestAllocateHubTiming(t *testing.T) {
	schools := hub(t, 300)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	start := time.Now()
	a, err := review.Allocate(context.Background(), schools, revs, hubRules())
	t.Log("allocate took", time.Since(start))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("obj %.1f lb %.1f gap %.4f optimal %v unfilled %d/%d travel %.0f areas %+v", a.Objective, a.LowerBound, a.Gap, a.Optimal, a.Unfilled, a.Places, a.TotalTravelKm, a.Areas)
	for _, s := range a.Shortfalls[:min(5, len(a.Shortfalls))] {
		t.Log(s.Reason)
	}
}

func TestAllocateEnglandTiming(t *testing.T) {
	schools := england(t)
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true})
	start := time.Now()
	a, err := review.Allocate(context.Background(), schools, revs, hubRules())
	if err != nil {
		t.Fatal(err)
	}
	t.Log("allocate took", time.Since(start))
	opt := 0
	for _, ar := range a.Areas {
		if ar.Optimal {
			opt++
		}
	}
	t.Logf("schools %d reviewers %d areas %d optimal %d obj %.1f lb %.1f gap %.4f unfilled %d/%d travel %.0f", len(schools), len(revs), len(a.Areas), opt, a.Objective, a.LowerBound, a.Gap, a.Unfilled, a.Places, a.TotalTravelKm)
	counts := map[review.Constraint]int{}
	for _, s := range a.Shortfalls {
		counts[s.Constraint] += s.Missing
	}
	t.Log(counts)
}
