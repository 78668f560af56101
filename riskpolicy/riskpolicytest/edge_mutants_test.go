package riskpolicytest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/mutation"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

// edgeBugs are the mistakes a database store makes that an in-memory one
// does not: ties ordered by accident, "none" reported as not found, text
// cut to a column's width, times compared as wall-clock text or cut to
// the microsecond.
var edgeBugs = []string{
	"overrides-ties-in-insertion-order",
	"overrides-by-id-only",
	"audit-empty-notfound",
	"overrides-none-notfound",
	"reason-cut-to-255-bytes",
	"level-cut-to-255-bytes",
	"latest-by-wall-clock",
	"same-instant-other-zone-stored",
	"times-cut-to-microseconds",
}

func TestSuiteCatchesEveryEdgeBug(t *testing.T) {
	mutation.Score(t, "RISKPOLICYTEST_EDGE_BUG", "TestEdgeMutantChild", edgeBugs)
}

// TestEdgeMutantChild runs the suite on the store with the bug named in
// the environment; it does nothing in a normal run.
func TestEdgeMutantChild(t *testing.T) {
	bug := mutation.Bug("RISKPOLICYTEST_EDGE_BUG")
	if bug == "" {
		return
	}
	riskpolicytest.Run(t, func(*testing.T) riskpolicy.Store {
		return &edgeMutant{MemoryStore: riskpolicy.NewMemoryStore(), bug: bug}
	})
}

// edgeMutant is a MemoryStore with one planted bug.
type edgeMutant struct {
	*riskpolicy.MemoryStore
	bug string
}

func cut(s string, n int) string { return s[:min(len(s), n)] }

func (m *edgeMutant) PutAssessment(ctx context.Context, a *riskpolicy.Assessment) error {
	c := *a
	switch m.bug {
	case "level-cut-to-255-bytes":
		c.Level = cut(c.Level, 255)
	case "times-cut-to-microseconds":
		c.At = c.At.Truncate(time.Microsecond)
	}
	err := m.MemoryStore.PutAssessment(ctx, &c)
	if errors.Is(err, riskpolicy.ErrConflict) && m.bug == "same-instant-other-zone-stored" {
		// A store keyed by the time's text with its zone sees no clash.
		if l, lerr := m.MemoryStore.LatestAssessment(ctx, a.Policy, a.URN); lerr == nil && l.At.Location().String() != a.At.Location().String() {
			return nil
		}
	}
	return err
}

func (m *edgeMutant) LatestAssessment(ctx context.Context, policy string, urn partnership.URN) (*riskpolicy.Assessment, error) {
	if m.bug == "latest-by-wall-clock" {
		as, _, err := m.MemoryStore.Assessments(ctx, policy, urn, "", 10000)
		if err == nil && len(as) > 0 {
			wall := func(a *riskpolicy.Assessment) string { return a.At.Format("2006-01-02T15:04:05.000000000") }
			return slices.MaxFunc(as, func(a, b *riskpolicy.Assessment) int { return strings.Compare(wall(a), wall(b)) }), nil
		}
	}
	return m.MemoryStore.LatestAssessment(ctx, policy, urn)
}

func (m *edgeMutant) PutOverride(ctx context.Context, o riskpolicy.Override) error {
	if m.bug == "reason-cut-to-255-bytes" {
		o.Reason = cut(o.Reason, 255)
	}
	return m.MemoryStore.PutOverride(ctx, o)
}

func (m *edgeMutant) Overrides(ctx context.Context, policy string, urn partnership.URN) ([]riskpolicy.Override, error) {
	os, err := m.MemoryStore.Overrides(ctx, policy, urn)
	switch {
	case err != nil:
	case m.bug == "overrides-by-id-only":
		slices.SortStableFunc(os, func(a, b riskpolicy.Override) int { return strings.Compare(string(a.ID), string(b.ID)) })
	case m.bug == "overrides-ties-in-insertion-order":
		// Sorted by At alone, ties left as the store happens to hold
		// them: here, reversed.
		slices.Reverse(os)
		slices.SortStableFunc(os, func(a, b riskpolicy.Override) int { return a.At.Compare(b.At) })
	case m.bug == "overrides-none-notfound" && len(os) == 0:
		return nil, riskpolicy.ErrNotFound
	}
	return os, err
}

func (m *edgeMutant) Audit(ctx context.Context, cursor string, limit int) ([]riskpolicy.AuditEntry, string, error) {
	es, next, err := m.MemoryStore.Audit(ctx, cursor, limit)
	if err == nil && len(es) == 0 && cursor == "" && m.bug == "audit-empty-notfound" {
		return nil, "", riskpolicy.ErrNotFound
	}
	return es, next, err
}
