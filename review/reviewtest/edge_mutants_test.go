package reviewtest_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/mutation"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
)

// edgeBugs are the mistakes a database store makes that an in-memory one
// does not: ties put in an order of their own, "none" reported as not
// found, empty lists stored as something else, text cut to a column's
// width, times cut to the microsecond.
var edgeBugs = []string{
	"audit-ties-by-reader",
	"consent-ties-by-id",
	"list-empty-notfound",
	"audit-empty-notfound",
	"empty-team-becomes-one",
	"hypotheses-cut-to-255-bytes",
	"notes-cut-to-64k",
	"times-cut-to-microseconds",
}

func TestSuiteCatchesEveryEdgeBug(t *testing.T) {
	mutation.Score(t, "REVIEWTEST_EDGE_BUG", "TestEdgeMutantChild", edgeBugs)
}

// TestEdgeMutantChild runs the suite on the store with the bug named in
// the environment; it does nothing in a normal run.
func TestEdgeMutantChild(t *testing.T) {
	bug := mutation.Bug("REVIEWTEST_EDGE_BUG")
	if bug == "" {
		return
	}
	reviewtest.Run(t, func(*testing.T) review.Store { return &edgeMutant{MemoryStore: review.NewMemoryStore(), bug: bug} })
}

// edgeMutant is a MemoryStore with one planted bug.
type edgeMutant struct {
	*review.MemoryStore
	bug string
}

func (m *edgeMutant) CreateReview(ctx context.Context, r review.Review) error {
	switch m.bug {
	case "empty-team-becomes-one":
		if r.Team != nil && len(r.Team) == 0 {
			r.Team = []review.TeamMember{{}}
		}
	case "hypotheses-cut-to-255-bytes":
		r.Plan.Hypotheses = slices.Clone(r.Plan.Hypotheses)
		for i, h := range r.Plan.Hypotheses {
			r.Plan.Hypotheses[i] = h[:min(len(h), 255)]
		}
	case "notes-cut-to-64k":
		r.FollowUp.Notes = r.FollowUp.Notes[:min(len(r.FollowUp.Notes), 65535)]
	case "times-cut-to-microseconds":
		r.Issued, r.Visit.Date = r.Issued.Truncate(time.Microsecond), r.Visit.Date.Truncate(time.Microsecond)
	}
	return m.MemoryStore.CreateReview(ctx, r)
}

func (m *edgeMutant) ListReviews(ctx context.Context, q review.ReviewQuery, cursor string, limit int) ([]review.Review, string, error) {
	rs, next, err := m.MemoryStore.ListReviews(ctx, q, cursor, limit)
	if err == nil && len(rs) == 0 && m.bug == "list-empty-notfound" {
		return nil, "", review.ErrNotFound
	}
	return rs, next, err
}

func (m *edgeMutant) Audit(ctx context.Context, school partnership.URN, cursor string, limit int) ([]review.AuditEntry, string, error) {
	es, next, err := m.MemoryStore.Audit(ctx, school, cursor, limit)
	switch {
	case err != nil:
	case len(es) == 0 && m.bug == "audit-empty-notfound":
		return nil, "", review.ErrNotFound
	case m.bug == "audit-ties-by-reader":
		slices.SortStableFunc(es, func(a, b review.AuditEntry) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Reader.Org, b.Reader.Org))
		})
	}
	return es, next, err
}

func (m *edgeMutant) Consents(ctx context.Context, school partnership.URN) ([]review.Consent, error) {
	cs, err := m.MemoryStore.Consents(ctx, school)
	if err == nil && m.bug == "consent-ties-by-id" {
		slices.SortStableFunc(cs, func(a, b review.Consent) int {
			return cmp.Or(a.RecordedAt.Compare(b.RecordedAt), cmp.Compare(a.ID, b.ID))
		})
	}
	return cs, err
}
