package partnershiptest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// edgeBugs are the mistakes a database store makes that an in-memory one
// does not: keys ordered by a collation or by insertion, text cut to a
// column's width, an empty list stored as something else, an empty
// listing reported as not found.
var edgeBugs = []string{
	"orgs-case-insensitive-order",
	"enrolments-insertion-order",
	"org-name-cut-to-255-bytes",
	"school-name-cut-to-64k",
	"empty-predecessors-become-one",
	"empty-listing-notfound",
}

// TestSuiteCatchesEveryEdgeMutant: the suite fails on each, and passes the
// harness without a bug.
func TestSuiteCatchesEveryEdgeMutant(t *testing.T) {
	if by, msg := runChecks(func() p.Store { return newEdgeMutant("") }); by != "" {
		t.Fatalf("the edge harness without a bug fails %s: %s", by, msg)
	}
	caught := 0
	for _, bug := range edgeBugs {
		by, msg := runChecks(func() p.Store { return newEdgeMutant(bug) })
		if by == "" {
			t.Errorf("the suite passes a store with bug %q", bug)
			continue
		}
		caught++
		t.Logf("%-30s caught by %s: %.160s", bug, by, msg)
	}
	t.Logf("mutation score: %d of %d planted edge bugs caught", caught, len(edgeBugs))
}

// edgeMutant is a MemoryStore with one planted bug ("" for none).
type edgeMutant struct {
	*p.MemoryStore
	bug   string
	mu    sync.Mutex
	order map[p.ProgrammeID][]p.PersonID // enrolments in the order inserted
}

func newEdgeMutant(bug string) *edgeMutant {
	return &edgeMutant{MemoryStore: p.NewMemoryStore(), bug: bug, order: map[p.ProgrammeID][]p.PersonID{}}
}

func (m *edgeMutant) InsertOrganisation(ctx context.Context, o p.Organisation) error {
	if m.bug == "org-name-cut-to-255-bytes" {
		o.Name = o.Name[:min(len(o.Name), 255)]
	}
	return m.MemoryStore.InsertOrganisation(ctx, o)
}

func (m *edgeMutant) InsertSchool(ctx context.Context, s p.School) error {
	switch {
	case m.bug == "school-name-cut-to-64k":
		s.Name = s.Name[:min(len(s.Name), 65535)]
	case m.bug == "empty-predecessors-become-one" && s.Predecessors != nil && len(s.Predecessors) == 0:
		s.Predecessors = []p.URN{0}
	}
	return m.MemoryStore.InsertSchool(ctx, s)
}

func (m *edgeMutant) ListSchools(ctx context.Context, q p.SchoolQuery, r p.PageRequest) (p.Page[p.School], error) {
	pg, err := m.MemoryStore.ListSchools(ctx, q, r)
	if err == nil && len(pg.Items) == 0 && m.bug == "empty-listing-notfound" {
		return pg, p.ErrNotFound
	}
	return pg, err
}

// ListOrganisations with "orgs-case-insensitive-order" is a SQL store
// whose column has a case-insensitive collation: keyset paging in that
// order.
func (m *edgeMutant) ListOrganisations(ctx context.Context, q p.OrgQuery, r p.PageRequest) (p.Page[p.Organisation], error) {
	if m.bug != "orgs-case-insensitive-order" {
		return m.MemoryStore.ListOrganisations(ctx, q, r)
	}
	var all []p.Organisation
	for after := p.Cursor(""); ; {
		pg, err := m.MemoryStore.ListOrganisations(ctx, q, p.PageRequest{After: after})
		if err != nil {
			return pg, err
		}
		all = append(all, pg.Items...)
		if pg.Next == "" {
			break
		}
		after = pg.Next
	}
	key := func(o p.Organisation) string { return strings.ToLower(string(o.ID)) + "\x00" + string(o.ID) }
	slices.SortFunc(all, func(a, b p.Organisation) int { return strings.Compare(key(a), key(b)) })
	limit := r.Limit
	if limit <= 0 {
		limit = 100
	}
	var out p.Page[p.Organisation]
	for _, o := range all {
		if r.After != "" && key(o) <= string(r.After) {
			continue
		}
		if len(out.Items) == limit {
			out.Next = p.Cursor(key(out.Items[len(out.Items)-1]))
			break
		}
		out.Items = append(out.Items, o)
	}
	return out, nil
}

func (m *edgeMutant) InsertEnrolment(ctx context.Context, e p.Enrolment) error {
	err := m.MemoryStore.InsertEnrolment(ctx, e)
	if err == nil {
		m.mu.Lock()
		m.order[e.Programme] = append(m.order[e.Programme], e.Person)
		m.mu.Unlock()
	}
	return err
}

func (m *edgeMutant) Enrolments(ctx context.Context, programme p.ProgrammeID) ([]p.Enrolment, error) {
	es, err := m.MemoryStore.Enrolments(ctx, programme)
	if err == nil && m.bug == "enrolments-insertion-order" {
		m.mu.Lock()
		order := slices.Clone(m.order[programme])
		m.mu.Unlock()
		slices.SortStableFunc(es, func(a, b p.Enrolment) int {
			return slices.Index(order, a.Person) - slices.Index(order, b.Person)
		})
	}
	return es, err
}
