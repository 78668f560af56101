package reviewtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// runEdges checks the contracts a database store must keep that the
// in-memory one keeps without trying: ties kept in the order appended,
// empty results and empty lists, long and non-ASCII text, and instants to
// the nanosecond in any zone.
func runEdges(t *testing.T, newStore func(t *testing.T) review.Store) {
	t.Run("AuditTiesInOrderAppended", func(t *testing.T) { testAuditTies(t, newStore(t)) })
	t.Run("EmptyResults", func(t *testing.T) { testEmpty(t, newStore(t)) })
	t.Run("LongText", func(t *testing.T) { testLongText(t, newStore(t)) })
	t.Run("Nanoseconds", func(t *testing.T) { testNanoseconds(t, newStore(t)) })
}

// testAuditTies: entries with the same At, and consents recorded at the same
// time, come back in the order appended, not sorted by anything else.
func testAuditTies(t *testing.T, s review.Store) {
	ctx := context.Background()
	orgs := []string{"zeta", "alpha", "mu", "beta", "omega", "alpha"}
	for i, o := range orgs {
		require.NoError(t, s.AppendAudit(ctx, review.AuditEntry{At: day, Reader: review.Reader{Org: partnership.OrgID(o)},
			Review: review.ReviewID(strings.Repeat("r", 6-i)), School: 1, Method: "Report", Allowed: i%2 == 0}))
	}
	page, next, err := s.Audit(ctx, 1, "", 100)
	require.NoError(t, err)
	assert.Equal(t, "", next)
	var got []string
	for _, e := range page {
		got = append(got, string(e.Reader.Org))
	}
	assert.Equal(t, orgs, got, "entries with the same At in the order appended")
	for _, id := range []review.ConsentID{"c9", "c1", "c5"} {
		require.NoError(t, s.AddConsent(ctx, review.Consent{ID: id, School: 2, Grantee: "urn:3", RecordedAt: day}))
	}
	cs, err := s.Consents(ctx, 2)
	require.NoError(t, err)
	var ids []review.ConsentID
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []review.ConsentID{"c9", "c1", "c5"}, ids, "consents recorded at the same time in the order added")
}

// testEmpty: no reviews, no audit entries and empty lists in a review are
// empty results (nil or empty alike) and no error.
func testEmpty(t *testing.T, s review.Store) {
	ctx := context.Background()
	rs, next, err := s.ListReviews(ctx, review.ReviewQuery{}, "", 10)
	require.NoError(t, err, "ListReviews of an empty store")
	assert.Empty(t, rs)
	assert.Equal(t, "", next)
	es, next, err := s.Audit(ctx, 1, "", 10)
	require.NoError(t, err, "Audit of a school without entries")
	assert.Empty(t, es)
	assert.Equal(t, "", next)
	r := FullReview("empty")
	r.Team, r.Plan.Focus, r.Plan.Hypotheses, r.Findings.Strengths = []review.TeamMember{}, []partnership.ExpertiseID{}, nil, []string{}
	require.NoError(t, s.CreateReview(ctx, r))
	got, err := s.Review(ctx, "empty")
	require.NoError(t, err)
	assert.Empty(t, got.Team)
	assert.Empty(t, got.Plan.Focus)
	assert.Empty(t, got.Plan.Hypotheses)
	assert.Empty(t, got.Findings.Strengths)
	rs, _, err = s.ListReviews(ctx, review.ReviewQuery{School: 999999}, "", 10)
	require.NoError(t, err, "ListReviews matching nothing")
	assert.Empty(t, rs)
}

// testLongText: text of any length and script is kept byte for byte.
func testLongText(t *testing.T, s review.Store) {
	ctx := context.Background()
	id := review.ReviewID(strings.Repeat("ß", 300))
	r := FullReview(id)
	r.Plan.Hypotheses = []string{strings.Repeat("Les élèves lisent avec aisance — ✓ ", 2000)}
	r.FollowUp.Notes = strings.Repeat("n", 70000)
	require.NoError(t, s.CreateReview(ctx, r))
	got, err := s.Review(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, r.Plan.Hypotheses, got.Plan.Hypotheses)
	assert.Equal(t, len(r.FollowUp.Notes), len(got.FollowUp.Notes))
	assert.Equal(t, r.FollowUp.Notes, got.FollowUp.Notes)
}

// testNanoseconds: instants are kept to the nanosecond, in whatever zone
// they were given.
func testNanoseconds(t *testing.T, s review.Store) {
	ctx := context.Background()
	east := time.FixedZone("UTC+05:30", 5*3600+1800)
	r := FullReview("ns")
	r.Issued = time.Date(2025, 12, 31, 23, 59, 59, 999999999, east)
	r.Visit.Date = time.Date(2025, 11, 1, 0, 0, 0, 1, time.UTC)
	require.NoError(t, s.CreateReview(ctx, r))
	got, err := s.Review(ctx, "ns")
	require.NoError(t, err)
	assert.True(t, got.Issued.Equal(r.Issued), "Issued %v, want %v", got.Issued, r.Issued)
	assert.True(t, got.Visit.Date.Equal(r.Visit.Date), "Visit %v, want %v", got.Visit.Date, r.Visit.Date)
}
