// Package reviewtest is the conformance suite for review.Store
// implementations: a trust's own store, the SQL store and the in-memory one
// must all pass it. Call Run from a test:
//
//	func TestStore(t *testing.T) {
//		reviewtest.Run(t, func(t *testing.T) review.Store { return mystore.New(t.TempDir()) })
//	}
//
// It uses only the exported API of package review.
package reviewtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// Run runs the suite against stores made by newStore, a fresh empty store
// for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) review.Store) {
	t.Run("ProgrammesAndCycles", func(t *testing.T) { testProgrammes(t, newStore(t)) })
	t.Run("ReviewRoundTrip", func(t *testing.T) { testRoundTrip(t, newStore(t)) })
	t.Run("ReviewVersions", func(t *testing.T) { testVersions(t, newStore(t)) })
	t.Run("ListReviewsPages", func(t *testing.T) { testPages(t, newStore(t)) })
	t.Run("UnicodeOrderAndTimes", func(t *testing.T) { testUnicodeAndTimes(t, newStore(t)) })
	t.Run("Consents", func(t *testing.T) { testConsents(t, newStore(t)) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, newStore(t)) })
	t.Run("Cancelled", func(t *testing.T) { testCancelled(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newStore(t)) })
	runEdges(t, newStore)
}

var day = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

// FullReview returns a review with every field set, for round trips.
func FullReview(id review.ReviewID) review.Review {
	return review.Review{
		ID: id, Cycle: "2025", Programme: "alliance", Framework: review.FrameworkPeerReview, School: 107000,
		Trust: "gias:1234", Stage: review.StageReport,
		Team:           []review.TeamMember{{Reviewer: "lead", Home: 108000, Lead: true}, {Reviewer: "peer", Home: 109000}},
		Deadlines:      []review.Deadline{{Stage: review.StageVisit, Due: day.AddDate(0, 2, 0)}},
		Visit:          review.Visit{Date: day.AddDate(0, 1, 0), Days: 2},
		Issued:         day.AddDate(0, 1, 7),
		SelfEvaluation: []review.Estimate{{Area: "leadership-at-all-levels", Grade: "effective", Evidence: "score card"}},
		Plan:           review.Plan{Focus: []partnership.ExpertiseID{"maths"}, Hypotheses: []string{"KS2 maths is secure"}},
		Findings: review.Findings{
			Estimates:           []review.Estimate{{Area: "leadership-at-all-levels", Grade: "leading", Evidence: "notes"}},
			Strengths:           []string{"reading"},
			AreasForDevelopment: []review.Development{{Expertise: "send", Description: "SEND transitions"}},
		},
		Excellence:  []review.AreaOfExcellence{{Expertise: "early-reading", Description: "phonics", Status: review.ExcellenceValidated, ValidatedBy: "lead", Evidence: "observed"}},
		Improvement: review.Improvement{Workshop: day.AddDate(0, 2, 0), Actions: []string{"visit a leading school"}},
		FollowUp:    review.FollowUp{Date: day.AddDate(0, 6, 0), Notes: "on track"},
	}
}

func testProgrammes(t *testing.T, s review.Store) {
	ctx := context.Background()
	p := review.Programme{ID: "alliance", Name: "Alliance peer review", Lead: "alliance:rk", Framework: review.FrameworkPeerReview, DaysPerVisit: 1.5}
	require.NoError(t, s.PutProgramme(ctx, p))
	assert.ErrorIs(t, s.PutProgramme(ctx, p), review.ErrConflict)
	got, err := s.Programme(ctx, "alliance")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(p, got))
	_, err = s.Programme(ctx, "none")
	assert.ErrorIs(t, err, review.ErrNotFound)

	c := review.Cycle{ID: "2025", Programme: "alliance", Name: "2025/26", Period: partnership.Period{From: day, To: day.AddDate(1, 0, 0)}}
	require.NoError(t, s.PutCycle(ctx, c))
	assert.ErrorIs(t, s.PutCycle(ctx, c), review.ErrConflict)
	gc, err := s.Cycle(ctx, "2025")
	require.NoError(t, err)
	assert.True(t, gc.Period.From.Equal(c.Period.From) && gc.Period.To.Equal(c.Period.To))
	gc.Period = c.Period
	assert.Empty(t, cmp.Diff(c, gc))
	_, err = s.Cycle(ctx, "none")
	assert.ErrorIs(t, err, review.ErrNotFound)
}

// equalTimes compares times by instant, so stores may change locations.
var equalTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func testRoundTrip(t *testing.T, s review.Store) {
	ctx := context.Background()
	r := FullReview("2025/107000")
	require.NoError(t, s.CreateReview(ctx, r))
	assert.ErrorIs(t, s.CreateReview(ctx, r), review.ErrConflict)
	got, err := s.Review(ctx, r.ID)
	require.NoError(t, err)
	if d := cmp.Diff(r, got, equalTimes); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	// The caller may change what it got without changing the store.
	got.Team[0].Reviewer = "changed"
	got.Findings.Strengths[0] = "changed"
	again, err := s.Review(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, review.ReviewerID("lead"), again.Team[0].Reviewer)
	assert.Equal(t, "reading", again.Findings.Strengths[0])
	_, err = s.Review(ctx, "none")
	assert.ErrorIs(t, err, review.ErrNotFound)
}

func testVersions(t *testing.T, s review.Store) {
	ctx := context.Background()
	r := FullReview("v")
	require.NoError(t, s.CreateReview(ctx, r))
	got, err := s.Review(ctx, "v")
	require.NoError(t, err)
	got.Stage = review.StageImprovement
	require.NoError(t, s.UpdateReview(ctx, got))
	assert.ErrorIs(t, s.UpdateReview(ctx, got), review.ErrConflict, "a stale version is refused")
	now, err := s.Review(ctx, "v")
	require.NoError(t, err)
	assert.Equal(t, r.Version+1, now.Version)
	assert.Equal(t, review.StageImprovement, now.Stage)
	missing := FullReview("missing")
	assert.ErrorIs(t, s.UpdateReview(ctx, missing), review.ErrNotFound)
}

func testPages(t *testing.T, s review.Store) {
	ctx := context.Background()
	var want []review.ReviewID
	for i := range 25 {
		r := FullReview(review.ReviewID(fmt.Sprintf("c/%03d", i)))
		r.School = partnership.URN(100000 + i%5)
		if i%2 == 1 {
			r.Cycle = "other"
		} else {
			r.Cycle = "c"
			want = append(want, r.ID)
		}
		require.NoError(t, s.CreateReview(ctx, r))
	}
	var got []review.ReviewID
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20, "pagination must end")
		page, next, err := s.ListReviews(ctx, review.ReviewQuery{Cycle: "c"}, cursor, 4)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), 4)
		for _, r := range page {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, want, got, "every match once, in ID order")
	page, _, err := s.ListReviews(ctx, review.ReviewQuery{School: 100002}, "", 0)
	require.NoError(t, err)
	assert.Len(t, page, 5)
	none, next, err := s.ListReviews(ctx, review.ReviewQuery{Cycle: "nothing"}, "", 10)
	require.NoError(t, err)
	assert.Empty(t, none)
	assert.Equal(t, "", next)
}

// testUnicodeAndTimes checks what a SQL store can get wrong: IDs order
// byte by byte as Go compares strings (not by a locale's collation, which
// puts "a" before "Z" and "Ä" beside "A"), Unicode text round-trips, and
// times keep their instant to the microsecond whatever their zone.
func testUnicodeAndTimes(t *testing.T, s review.Store) {
	ctx := context.Background()
	zone := time.FixedZone("BST", 3600)
	issued := time.Date(2025, 10, 26, 1, 30, 0, 123456000, zone)
	ids := []review.ReviewID{"日本", "a", "é", "Z", "Ä", "z", "A"}
	for _, id := range ids {
		r := FullReview(id)
		r.Trust = "Académie ☃ 日本 trust"
		r.Issued = issued
		require.NoError(t, s.CreateReview(ctx, r))
	}
	want := slices.Sorted(slices.Values(ids))
	all, next, err := s.ListReviews(ctx, review.ReviewQuery{}, "", 100)
	require.NoError(t, err)
	assert.Equal(t, "", next)
	var got []review.ReviewID
	for _, r := range all {
		got = append(got, r.ID)
	}
	assert.Equal(t, want, got, "IDs in byte order, as Go compares strings")
	got = nil
	for cursor, pages := "", 0; ; pages++ {
		require.Less(t, pages, 10, "pagination must end")
		page, next, err := s.ListReviews(ctx, review.ReviewQuery{}, cursor, 2)
		require.NoError(t, err)
		for _, r := range page {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, want, got, "pages of two, in byte order")
	r, err := s.Review(ctx, "é")
	require.NoError(t, err)
	assert.Equal(t, "Académie ☃ 日本 trust", string(r.Trust))
	assert.True(t, r.Issued.Equal(issued), "Issued %v, want the instant %v", r.Issued, issued)
}

func testConsents(t *testing.T, s review.Store) {
	ctx := context.Background()
	empty, err := s.Consents(ctx, 1)
	require.NoError(t, err)
	assert.NotNil(t, empty)
	assert.Empty(t, empty)
	c1 := review.Consent{ID: "1", School: 1, Grantee: "urn:2", Parts: []review.Part{review.PartStrengths}, RecordedAt: day, RecordedBy: review.Reader{Org: "urn:1"}}
	c2 := review.Consent{ID: "2", School: 1, Review: "c/1", Grantee: "ofsted", Until: day.AddDate(1, 0, 0), RecordedAt: day, RecordedBy: review.Reader{Org: "urn:1"}}
	c3 := review.Consent{ID: "3", School: 9, Grantee: "urn:2", RecordedAt: day}
	for _, c := range []review.Consent{c1, c2, c3} {
		require.NoError(t, s.AddConsent(ctx, c))
	}
	assert.ErrorIs(t, s.AddConsent(ctx, c1), review.ErrConflict)
	got, err := s.Consents(ctx, 1)
	require.NoError(t, err)
	if d := cmp.Diff([]review.Consent{c1, c2}, got, equalTimes); d != "" {
		t.Errorf("consents in order added (-want +got):\n%s", d)
	}
	rev := c1
	rev.RevokedAt = day.AddDate(0, 1, 0)
	require.NoError(t, s.RevokeConsent(ctx, rev))
	got, err = s.Consents(ctx, 1)
	require.NoError(t, err)
	assert.True(t, got[0].RevokedAt.Equal(rev.RevokedAt))
	assert.ErrorIs(t, s.RevokeConsent(ctx, review.Consent{ID: "nope"}), review.ErrNotFound)
}

func testAudit(t *testing.T, s review.Store) {
	ctx := context.Background()
	for i := range 7 {
		e := review.AuditEntry{At: day.Add(time.Duration(i) * time.Minute), Reader: review.Reader{Org: partnership.OrgID(fmt.Sprint("org", i))},
			Review: "c/1", School: partnership.URN(1 + i%2), Method: "Report", Allowed: i%3 == 0, Basis: review.BasisSchool, Parts: []review.Part{review.PartPlan}}
		require.NoError(t, s.AppendAudit(ctx, e))
	}
	var got []review.AuditEntry
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, next, err := s.Audit(ctx, 1, cursor, 2)
		require.NoError(t, err)
		got = append(got, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	require.Len(t, got, 4)
	for i, e := range got {
		assert.Equal(t, partnership.OrgID(fmt.Sprint("org", 2*i)), e.Reader.Org, "in the order appended")
		assert.Equal(t, partnership.URN(1), e.School)
	}
}

func testCancelled(t *testing.T, s review.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	check := func(name string, err error) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: got %v, want context.Canceled", name, err)
		}
	}
	check("PutProgramme", s.PutProgramme(ctx, review.Programme{ID: "p"}))
	_, err := s.Programme(ctx, "p")
	check("Programme", err)
	check("CreateReview", s.CreateReview(ctx, FullReview("x")))
	_, err = s.Review(ctx, "x")
	check("Review", err)
	_, _, err = s.ListReviews(ctx, review.ReviewQuery{}, "", 0)
	check("ListReviews", err)
	_, err = s.Consents(ctx, 1)
	check("Consents", err)
	check("AppendAudit", s.AppendAudit(ctx, review.AuditEntry{}))
}

func testConcurrent(t *testing.T, s review.Store) {
	ctx := context.Background()
	require.NoError(t, s.CreateReview(ctx, FullReview("shared")))
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, s.CreateReview(ctx, FullReview(review.ReviewID(fmt.Sprint("g", i)))))
			r, err := s.Review(ctx, "shared")
			if err != nil {
				t.Error(err)
				return
			}
			r.Findings.Strengths = append(r.Findings.Strengths, fmt.Sprint(i))
			if err := s.UpdateReview(ctx, r); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, review.ErrConflict) {
				t.Error(err)
			}
			_ = s.AppendAudit(ctx, review.AuditEntry{School: 5})
			_, _, _ = s.ListReviews(ctx, review.ReviewQuery{}, "", 3)
		}()
	}
	wg.Wait()
	r, err := s.Review(ctx, "shared")
	require.NoError(t, err)
	assert.Equal(t, wins, r.Version, "every successful update is counted once")
	all, _, err := s.Audit(ctx, 5, "", 100)
	require.NoError(t, err)
	assert.Len(t, all, 8)
}
