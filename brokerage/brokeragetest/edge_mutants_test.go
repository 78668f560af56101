package brokeragetest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
	"github.com/fulcrum-edu/fulcrum/internal/mutation"
)

// edgeBugs are the mistakes a database store makes that an in-memory one
// does not: IDs ordered by a collation, an empty status filter taken as
// "none", empty lists stored as something else, text cut to a column's
// width, times cut to the microsecond or stored as wall-clock time.
var edgeBugs = []string{
	"list-case-insensitive-order",
	"list-empty-statuses-match-none",
	"empty-explanation-becomes-one",
	"objectives-cut-to-255-bytes",
	"note-cut-to-64k",
	"times-cut-to-microseconds",
	"times-as-wall-clock-utc",
}

func TestSuiteCatchesEveryEdgeBug(t *testing.T) {
	mutation.Score(t, "BROKERAGETEST_EDGE_BUG", "TestEdgeMutantChild", edgeBugs)
}

// TestEdgeMutantChild runs the suite on the store with the bug named in
// the environment; it does nothing in a normal run.
func TestEdgeMutantChild(t *testing.T) {
	bug := mutation.Bug("BROKERAGETEST_EDGE_BUG")
	if bug == "" {
		return
	}
	brokeragetest.Run(t, func(*testing.T) brokerage.Store {
		return &edgeMutant{MemoryStore: brokerage.NewMemoryStore(), bug: bug}
	})
}

// edgeMutant is a MemoryStore with one planted bug.
type edgeMutant struct {
	*brokerage.MemoryStore
	bug string
}

func (m *edgeMutant) Create(ctx context.Context, e brokerage.Engagement) error {
	switch m.bug {
	case "empty-explanation-becomes-one":
		if e.Explanation != nil && len(e.Explanation) == 0 {
			e.Explanation = []brokerage.Contribution{{}}
		}
	case "objectives-cut-to-255-bytes":
		e.Objectives = e.Objectives[:min(len(e.Objectives), 255)]
	case "note-cut-to-64k":
		e.Note = e.Note[:min(len(e.Note), 65535)]
	case "times-cut-to-microseconds":
		e.ProposedAt, e.AcceptedAt = e.ProposedAt.Truncate(time.Microsecond), e.AcceptedAt.Truncate(time.Microsecond)
	case "times-as-wall-clock-utc":
		wall := func(t time.Time) time.Time {
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		}
		e.ProposedAt, e.AcceptedAt = wall(e.ProposedAt), wall(e.AcceptedAt)
	}
	return m.MemoryStore.Create(ctx, e)
}

func (m *edgeMutant) List(ctx context.Context, q brokerage.Query) ([]brokerage.Engagement, error) {
	if m.bug == "list-empty-statuses-match-none" && q.Statuses != nil && len(q.Statuses) == 0 {
		return nil, ctx.Err()
	}
	es, err := m.MemoryStore.List(ctx, q)
	if err == nil && m.bug == "list-case-insensitive-order" {
		slices.SortStableFunc(es, func(a, b brokerage.Engagement) int {
			return strings.Compare(strings.ToLower(string(a.ID)), strings.ToLower(string(b.ID)))
		})
	}
	return es, err
}
