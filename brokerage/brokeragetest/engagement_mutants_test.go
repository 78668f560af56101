package brokeragetest_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
	"github.com/fulcrum-edu/fulcrum/internal/mutation"
)

// engagementBugs are deliberately broken engagement readers and writers
// (Get, List, Create, Update) the suite must fail on; bugs covers Reserve
// and the catalogue.
var engagementBugs = []string{
	"get-missing-not-notfound",
	"get-ignores-context",
	"get-shares-slices",
	"create-duplicate-ok",
	"create-keeps-caller-slices",
	"update-ignores-version",
	"update-missing-creates",
	"list-reversed",
	"list-ignores-need",
	"list-ignores-offer",
	"list-ignores-statuses",
}

func TestSuiteCatchesEveryEngagementBug(t *testing.T) {
	mutation.Score(t, "BROKERAGETEST_ENGAGEMENT_BUG", "TestEngagementMutantChild", engagementBugs)
}

// TestEngagementMutantChild runs the suite on the store with the bug named
// in the environment; it does nothing in a normal run.
func TestEngagementMutantChild(t *testing.T) {
	bug := mutation.Bug("BROKERAGETEST_ENGAGEMENT_BUG")
	if bug == "" {
		return
	}
	brokeragetest.Run(t, func(*testing.T) brokerage.Store {
		return &engMutant{MemoryStore: brokerage.NewMemoryStore(), bug: bug, kept: map[brokerage.EngagementID]brokerage.Engagement{}}
	})
}

// engMutant is a MemoryStore with one planted bug.
type engMutant struct {
	*brokerage.MemoryStore
	bug  string
	mu   sync.Mutex
	kept map[brokerage.EngagementID]brokerage.Engagement // held without copying
}

func (m *engMutant) Get(ctx context.Context, id brokerage.EngagementID) (brokerage.Engagement, error) {
	if m.bug == "get-ignores-context" {
		ctx = context.Background()
	}
	m.mu.Lock()
	kept, ok := m.kept[id]
	m.mu.Unlock()
	if ok {
		return kept, nil
	}
	e, err := m.MemoryStore.Get(ctx, id)
	switch {
	case errors.Is(err, brokerage.ErrNotFound) && m.bug == "get-missing-not-notfound":
		return brokerage.Engagement{ID: id}, nil
	case err == nil && m.bug == "get-shares-slices":
		m.mu.Lock()
		m.kept[id] = e
		m.mu.Unlock()
	}
	return e, err
}

func (m *engMutant) Create(ctx context.Context, e brokerage.Engagement) error {
	err := m.MemoryStore.Create(ctx, e)
	switch {
	case errors.Is(err, brokerage.ErrConflict) && m.bug == "create-duplicate-ok":
		return nil
	case err == nil && m.bug == "create-keeps-caller-slices":
		m.mu.Lock()
		m.kept[e.ID] = e
		m.mu.Unlock()
	}
	return err
}

func (m *engMutant) Update(ctx context.Context, e brokerage.Engagement) error {
	m.mu.Lock()
	delete(m.kept, e.ID)
	m.mu.Unlock()
	stored, err := m.MemoryStore.Get(ctx, e.ID)
	switch {
	case errors.Is(err, brokerage.ErrNotFound) && m.bug == "update-missing-creates":
		return m.MemoryStore.Create(ctx, e)
	case err == nil && m.bug == "update-ignores-version":
		e.Version = stored.Version + 1
	}
	return m.MemoryStore.Update(ctx, e)
}

func (m *engMutant) List(ctx context.Context, q brokerage.Query) ([]brokerage.Engagement, error) {
	switch m.bug {
	case "list-ignores-need":
		q.Need = ""
	case "list-ignores-offer":
		q.Offer = ""
	case "list-ignores-statuses":
		q.Statuses = nil
	}
	es, err := m.MemoryStore.List(ctx, q)
	if m.bug == "list-reversed" {
		slices.Reverse(es)
	}
	return es, err
}
