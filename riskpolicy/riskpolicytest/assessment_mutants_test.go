package riskpolicytest_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/internal/mutation"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

// assessmentBugs are deliberately broken assessment stores and audit logs
// the suite must fail on (overrideBugs covers the overrides).
var assessmentBugs = []string{
	"latest-is-oldest",
	"latest-missing-not-notfound",
	"latest-ignores-context",
	"put-duplicate-ok",
	"put-keeps-caller-pointer",
	"latest-shares-pointer",
	"assessments-oldest-first",
	"assessments-drops-next",
	"assessments-ignores-limit",
	"audit-no-seq",
	"audit-reversed",
	"audit-drops-next",
}

func TestSuiteCatchesEveryAssessmentBug(t *testing.T) {
	mutation.Score(t, "RISKPOLICYTEST_ASSESSMENT_BUG", "TestAssessmentMutantChild", assessmentBugs)
}

// TestAssessmentMutantChild runs the suite on the store with the bug named
// in the environment; it does nothing in a normal run.
func TestAssessmentMutantChild(t *testing.T) {
	bug := mutation.Bug("RISKPOLICYTEST_ASSESSMENT_BUG")
	if bug == "" {
		return
	}
	riskpolicytest.Run(t, func(*testing.T) riskpolicy.Store {
		return &assessMutant{MemoryStore: riskpolicy.NewMemoryStore(), bug: bug, kept: map[string]*riskpolicy.Assessment{}}
	})
}

// assessMutant is a MemoryStore with one planted bug.
type assessMutant struct {
	*riskpolicy.MemoryStore
	bug  string
	mu   sync.Mutex
	kept map[string]*riskpolicy.Assessment // latest assessments held without copying, by policy and school
}

func key(policy string, urn partnership.URN) string { return policy + "/" + urn.String() }

func (m *assessMutant) PutAssessment(ctx context.Context, a *riskpolicy.Assessment) error {
	err := m.MemoryStore.PutAssessment(ctx, a)
	switch {
	case errors.Is(err, riskpolicy.ErrConflict) && m.bug == "put-duplicate-ok":
		return nil
	case err == nil && m.bug == "put-keeps-caller-pointer":
		m.mu.Lock()
		m.kept[key(a.Policy, a.URN)] = a
		m.mu.Unlock()
	}
	return err
}

func (m *assessMutant) LatestAssessment(ctx context.Context, policy string, urn partnership.URN) (*riskpolicy.Assessment, error) {
	if m.bug == "latest-ignores-context" {
		ctx = context.Background()
	}
	m.mu.Lock()
	kept := m.kept[key(policy, urn)]
	m.mu.Unlock()
	if kept != nil {
		return kept, nil
	}
	if m.bug == "latest-is-oldest" {
		as, _, err := m.MemoryStore.Assessments(ctx, policy, urn, "", 10000)
		if err == nil && len(as) > 0 {
			return as[len(as)-1], nil
		}
	}
	a, err := m.MemoryStore.LatestAssessment(ctx, policy, urn)
	switch {
	case errors.Is(err, riskpolicy.ErrNotFound) && m.bug == "latest-missing-not-notfound":
		return &riskpolicy.Assessment{Policy: policy, URN: urn}, nil
	case err == nil && m.bug == "latest-shares-pointer":
		m.mu.Lock()
		m.kept[key(policy, urn)] = a
		m.mu.Unlock()
	}
	return a, err
}

func (m *assessMutant) Assessments(ctx context.Context, policy string, urn partnership.URN, cursor string, limit int) ([]*riskpolicy.Assessment, string, error) {
	if m.bug == "assessments-ignores-limit" {
		limit = 0
	}
	as, next, err := m.MemoryStore.Assessments(ctx, policy, urn, cursor, limit)
	switch m.bug {
	case "assessments-oldest-first":
		slices.Reverse(as)
	case "assessments-drops-next":
		next = ""
	}
	return as, next, err
}

func (m *assessMutant) Audit(ctx context.Context, cursor string, limit int) ([]riskpolicy.AuditEntry, string, error) {
	es, next, err := m.MemoryStore.Audit(ctx, cursor, limit)
	switch m.bug {
	case "audit-no-seq":
		for i := range es {
			es[i].Seq = 0
		}
	case "audit-reversed":
		slices.Reverse(es)
	case "audit-drops-next":
		next = ""
	}
	return es, next, err
}
