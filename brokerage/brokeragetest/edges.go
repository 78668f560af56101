package brokeragetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// runEdges checks the contracts a database store must keep that the
// in-memory one keeps without trying: IDs ordered by their bytes (not a
// collation), empty and nil alike, long and non-ASCII text, and instants
// given in other zones and to the nanosecond.
func runEdges(t *testing.T, newStore func(t *testing.T) brokerage.Store) {
	ctx := context.Background()
	east := time.FixedZone("UTC+05:30", 5*3600+1800)
	base := func(id string) brokerage.Engagement {
		return brokerage.Engagement{ID: brokerage.EngagementID(id), Need: brokerage.NeedID("n-" + id), Offer: "o1", School: 107654,
			Area: "maths", Days: 4, Status: brokerage.StatusProposed, ProposedAt: time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC), Version: 1}
	}
	list := func(t *testing.T, s brokerage.Store, q brokerage.Query) []string {
		t.Helper()
		es, err := s.List(ctx, q)
		if err != nil {
			t.Fatalf("List(%+v): %v", q, err)
		}
		out := []string{}
		for _, e := range es {
			out = append(out, string(e.ID))
		}
		return out
	}

	t.Run("ListByteOrder", func(t *testing.T) {
		s := newStore(t)
		for _, id := range []string{"é3", "e2", "E2", "e10", "e1", "Z"} {
			if err := s.Create(ctx, base(id)); err != nil {
				t.Fatal(err)
			}
		}
		// Go's string order: upper case before lower, "e10" before "e2",
		// "é" (0xC3 0xA9) after every ASCII letter.
		if d := cmp.Diff([]string{"E2", "Z", "e1", "e10", "e2", "é3"}, list(t, s, brokerage.Query{})); d != "" {
			t.Errorf("List order is by ID's bytes (-want +got):\n%s", d)
		}
	})

	t.Run("EmptyAndNil", func(t *testing.T) {
		s := newStore(t)
		if got := list(t, s, brokerage.Query{}); len(got) != 0 {
			t.Fatalf("List of an empty store = %v", got)
		}
		e := base("e1")
		e.Explanation = []brokerage.Contribution{} // empty, not nil
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Explanation) != 0 {
			t.Errorf("an empty explanation came back as %v", got.Explanation)
		}
		// Statuses empty but not nil is "no status filter", as nil is.
		if d := cmp.Diff([]string{"e1"}, list(t, s, brokerage.Query{Statuses: []brokerage.Status{}})); d != "" {
			t.Errorf("List with empty Statuses (-want +got):\n%s", d)
		}
		if got := list(t, s, brokerage.Query{Need: "none"}); len(got) != 0 {
			t.Errorf("List of an unknown need = %v", got)
		}
	})

	t.Run("LongText", func(t *testing.T) {
		s := newStore(t)
		e := base(strings.Repeat("ü", 200))
		e.Objectives = strings.Repeat("Raise KS2 reasoning — écoles ✓ ", 2000)
		e.ExpectedImpact = strings.Repeat("Ōtautahi ", 500)
		e.Note = strings.Repeat("n", 70000)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Objectives != e.Objectives || got.ExpectedImpact != e.ExpectedImpact || got.Note != e.Note {
			t.Errorf("long text not kept: objectives %d bytes (want %d), note %d (want %d)",
				len(got.Objectives), len(e.Objectives), len(got.Note), len(e.Note))
		}
	})

	t.Run("InstantsAcrossZones", func(t *testing.T) {
		s := newStore(t)
		e := base("e1")
		e.ProposedAt = time.Date(2025, 9, 1, 23, 30, 0, 123456789, east)
		e.AcceptedAt = time.Date(2025, 9, 2, 0, 0, 0, 1, time.UTC)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatal(err)
		}
		if !got.ProposedAt.Equal(e.ProposedAt) || !got.AcceptedAt.Equal(e.AcceptedAt) {
			t.Errorf("times not kept as instants to the nanosecond: proposed %v (want %v), accepted %v (want %v)",
				got.ProposedAt, e.ProposedAt, got.AcceptedAt, e.AcceptedAt)
		}
	})
}
