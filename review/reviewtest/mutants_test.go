package reviewtest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/mutation"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
)

// storeBugs are deliberately broken stores the suite must fail on, one
// planted bug each, over a MemoryStore.
var storeBugs = []string{
	"review-missing-not-notfound",
	"cycle-missing-not-notfound",
	"create-duplicate-ok",
	"programme-duplicate-ok",
	"update-ignores-version",
	"update-missing-creates",
	"create-keeps-caller-slices",
	"review-shares-slices",
	"list-reversed",
	"list-ignores-school",
	"list-drops-next",
	"list-ignores-limit",
	"list-collated",
	"times-truncated-to-seconds",
	"consents-reversed",
	"revoke-unknown-ok",
	"revoke-ignored",
	"audit-reversed",
	"audit-drops-next",
	"review-ignores-context",
}

// Each broken store fails the suite, run in a child process (this test
// binary, selecting the bug by environment); the same store without a bug
// passes.
func TestSuiteCatchesEveryStoreBug(t *testing.T) {
	mutation.Score(t, "REVIEWTEST_BUG", "TestStoreMutantChild", storeBugs)
}

// TestStoreMutantChild runs the suite on the store with the bug named in
// the environment; it does nothing in a normal run.
func TestStoreMutantChild(t *testing.T) {
	bug := mutation.Bug("REVIEWTEST_BUG")
	if bug == "" {
		return
	}
	reviewtest.Run(t, func(*testing.T) review.Store {
		return &mutant{MemoryStore: review.NewMemoryStore(), bug: bug, kept: map[review.ReviewID]review.Review{}}
	})
}

// mutant is a MemoryStore with one planted bug.
type mutant struct {
	*review.MemoryStore
	bug  string
	mu   sync.Mutex
	kept map[review.ReviewID]review.Review // reviews handed out or taken without copying
}

func (m *mutant) Review(ctx context.Context, id review.ReviewID) (review.Review, error) {
	if m.bug == "review-ignores-context" {
		ctx = context.Background()
	}
	m.mu.Lock()
	kept, ok := m.kept[id]
	m.mu.Unlock()
	if ok {
		return kept, nil
	}
	r, err := m.MemoryStore.Review(ctx, id)
	if m.bug == "times-truncated-to-seconds" {
		r.Issued = r.Issued.Truncate(time.Second)
	}
	switch {
	case errors.Is(err, review.ErrNotFound) && m.bug == "review-missing-not-notfound":
		return review.Review{ID: id}, nil
	case err == nil && m.bug == "review-shares-slices":
		m.mu.Lock()
		m.kept[id] = r
		m.mu.Unlock()
	}
	return r, err
}

func (m *mutant) Cycle(ctx context.Context, id review.CycleID) (review.Cycle, error) {
	c, err := m.MemoryStore.Cycle(ctx, id)
	if errors.Is(err, review.ErrNotFound) && m.bug == "cycle-missing-not-notfound" {
		return review.Cycle{ID: id}, nil
	}
	return c, err
}

func (m *mutant) CreateReview(ctx context.Context, r review.Review) error {
	err := m.MemoryStore.CreateReview(ctx, r)
	switch {
	case errors.Is(err, review.ErrConflict) && m.bug == "create-duplicate-ok":
		return nil
	case err == nil && m.bug == "create-keeps-caller-slices":
		m.mu.Lock()
		m.kept[r.ID] = r
		m.mu.Unlock()
	}
	return err
}

func (m *mutant) PutProgramme(ctx context.Context, p review.Programme) error {
	err := m.MemoryStore.PutProgramme(ctx, p)
	if errors.Is(err, review.ErrConflict) && m.bug == "programme-duplicate-ok" {
		return nil
	}
	return err
}

func (m *mutant) UpdateReview(ctx context.Context, r review.Review) error {
	m.mu.Lock()
	delete(m.kept, r.ID)
	m.mu.Unlock()
	stored, err := m.MemoryStore.Review(ctx, r.ID)
	switch {
	case errors.Is(err, review.ErrNotFound) && m.bug == "update-missing-creates":
		r.Version++
		return m.MemoryStore.CreateReview(ctx, r)
	case err == nil && m.bug == "update-ignores-version":
		r.Version = stored.Version
	}
	return m.MemoryStore.UpdateReview(ctx, r)
}

func (m *mutant) ListReviews(ctx context.Context, q review.ReviewQuery, cursor string, limit int) ([]review.Review, string, error) {
	switch m.bug {
	case "list-ignores-school":
		q.School = 0
	case "list-ignores-limit":
		limit = 0
	}
	rs, next, err := m.MemoryStore.ListReviews(ctx, q, cursor, limit)
	switch m.bug {
	case "list-collated":
		// As a SQL store ordering by a locale's collation: letters
		// before case, accents beside their letter.
		slices.SortStableFunc(rs, func(a, b review.Review) int {
			return strings.Compare(strings.ToLower(string(a.ID)), strings.ToLower(string(b.ID)))
		})
	case "list-reversed":
		slices.Reverse(rs)
	case "list-drops-next":
		next = ""
	}
	return rs, next, err
}

func (m *mutant) Consents(ctx context.Context, school partnership.URN) ([]review.Consent, error) {
	cs, err := m.MemoryStore.Consents(ctx, school)
	if m.bug == "consents-reversed" {
		slices.Reverse(cs)
	}
	return cs, err
}

func (m *mutant) RevokeConsent(ctx context.Context, c review.Consent) error {
	if m.bug == "revoke-ignored" {
		return ctx.Err()
	}
	err := m.MemoryStore.RevokeConsent(ctx, c)
	if errors.Is(err, review.ErrNotFound) && m.bug == "revoke-unknown-ok" {
		return nil
	}
	return err
}

func (m *mutant) Audit(ctx context.Context, school partnership.URN, cursor string, limit int) ([]review.AuditEntry, string, error) {
	es, next, err := m.MemoryStore.Audit(ctx, school, cursor, limit)
	switch m.bug {
	case "audit-reversed":
		slices.Reverse(es)
	case "audit-drops-next":
		next = ""
	}
	return es, next, err
}
