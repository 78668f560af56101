// Package brokeragetest is the conformance suite for brokerage.Store
// implementations: every store, Fulcrum's and yours, must pass Run.
//
//	func TestMyStore(t *testing.T) {
//		brokeragetest.Run(t, func(t *testing.T) brokerage.Store { return mystore.New(t.TempDir()) })
//	}
package brokeragetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// Run runs the conformance suite against stores made by newStore, which
// must return a new, empty store each time it is called.
func Run(t *testing.T, newStore func(t *testing.T) brokerage.Store) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	eng := func(id string, need brokerage.NeedID, offer brokerage.OfferID, st brokerage.Status) brokerage.Engagement {
		return brokerage.Engagement{ID: brokerage.EngagementID(id), Need: need, Offer: offer, School: 107654, Area: "maths",
			Days: 4, Status: st, ProposedAt: at, Version: 1,
			Explanation: []brokerage.Contribution{{Scorer: "distance", Value: 12.5}}}
	}

	t.Run("CreateGet", func(t *testing.T) {
		s := newStore(t)
		e := eng("e1", "n1", "o1", brokerage.StatusProposed)
		if err := s.Create(ctx, e); err != nil {
			t.Fatalf("Create: %v", err)
		}
		got, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if d := cmp.Diff(e, got); d != "" {
			t.Errorf("Get (-want +got):\n%s", d)
		}
	})

	t.Run("GetMissing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("Get of a missing engagement: %v, want ErrNotFound", err)
		}
	})

	t.Run("CreateDuplicate", func(t *testing.T) {
		s := newStore(t)
		e := eng("e1", "n1", "o1", brokerage.StatusProposed)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, e); !errors.Is(err, brokerage.ErrConflict) {
			t.Errorf("second Create: %v, want ErrConflict", err)
		}
	})

	t.Run("UpdateVersions", func(t *testing.T) {
		s := newStore(t)
		e := eng("e1", "n1", "o1", brokerage.StatusProposed)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		e.Status, e.Version, e.AcceptedAt = brokerage.StatusAccepted, 2, at.Add(time.Hour)
		if err := s.Update(ctx, e); err != nil {
			t.Fatalf("Update to version 2: %v", err)
		}
		got, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(e, got); d != "" {
			t.Errorf("after Update (-want +got):\n%s", d)
		}
		stale := e
		stale.Version = 2
		if err := s.Update(ctx, stale); !errors.Is(err, brokerage.ErrConflict) {
			t.Errorf("Update from a stale version: %v, want ErrConflict", err)
		}
		missing := eng("zz", "n", "o", brokerage.StatusProposed)
		missing.Version = 2
		if err := s.Update(ctx, missing); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("Update of a missing engagement: %v, want ErrNotFound", err)
		}
	})

	t.Run("ListFiltersAndOrders", func(t *testing.T) {
		s := newStore(t)
		all := []brokerage.Engagement{
			eng("e3", "n3", "o1", brokerage.StatusAgreed),
			eng("e1", "n1", "o1", brokerage.StatusProposed),
			eng("e2", "n2", "o2", brokerage.StatusDeclined),
			eng("e4", "n1", "o2", brokerage.StatusActive),
		}
		for _, e := range all {
			if err := s.Create(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(q brokerage.Query) []brokerage.EngagementID {
			es, err := s.List(ctx, q)
			if err != nil {
				t.Fatalf("List(%+v): %v", q, err)
			}
			out := []brokerage.EngagementID{}
			for _, e := range es {
				out = append(out, e.ID)
			}
			return out
		}
		for _, tc := range []struct {
			q    brokerage.Query
			want []brokerage.EngagementID
		}{
			{brokerage.Query{}, []brokerage.EngagementID{"e1", "e2", "e3", "e4"}},
			{brokerage.Query{Offer: "o1"}, []brokerage.EngagementID{"e1", "e3"}},
			{brokerage.Query{Need: "n1"}, []brokerage.EngagementID{"e1", "e4"}},
			{brokerage.Query{Statuses: []brokerage.Status{brokerage.StatusAgreed, brokerage.StatusActive}}, []brokerage.EngagementID{"e3", "e4"}},
			{brokerage.Query{Offer: "o2", Statuses: []brokerage.Status{brokerage.StatusProposed}}, []brokerage.EngagementID{}},
		} {
			if d := cmp.Diff(tc.want, ids(tc.q)); d != "" {
				t.Errorf("List(%+v) (-want +got):\n%s", tc.q, d)
			}
		}
	})

	t.Run("ResultsAreCopies", func(t *testing.T) {
		s := newStore(t)
		e := eng("e1", "n1", "o1", brokerage.StatusProposed)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		e.Explanation[0].Value = -1 // the caller's slice, after Create
		got, _ := s.Get(ctx, "e1")
		got.Explanation[0].Value = -2
		list, _ := s.List(ctx, brokerage.Query{})
		list[0].Explanation[0].Value = -3
		again, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatal(err)
		}
		if v := again.Explanation[0].Value; v != 12.5 {
			t.Errorf("stored explanation changed through a caller's slice: %v", v)
		}
	})

	t.Run("EngagementsCancelledContext", func(t *testing.T) {
		s := newStore(t)
		e := eng("e1", "n1", "o1", brokerage.StatusProposed)
		if err := s.Create(ctx, e); err != nil {
			t.Fatal(err)
		}
		done, cancel := context.WithCancel(ctx)
		cancel()
		// Each call would succeed with a live context.
		if _, err := s.Get(done, "e1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Get with a cancelled context: %v", err)
		}
		if _, err := s.List(done, brokerage.Query{}); !errors.Is(err, context.Canceled) {
			t.Errorf("List with a cancelled context: %v", err)
		}
		if err := s.Create(done, eng("e2", "n2", "o1", brokerage.StatusProposed)); !errors.Is(err, context.Canceled) {
			t.Errorf("Create with a cancelled context: %v", err)
		}
		e.Version = 2
		if err := s.Update(done, e); !errors.Is(err, context.Canceled) {
			t.Errorf("Update with a cancelled context: %v", err)
		}
		if got, err := s.Get(ctx, "e1"); err != nil || got.Version != 1 {
			t.Errorf("after the cancelled Update: %v, version %d, want 1", err, got.Version)
		}
		if _, err := s.Get(ctx, "e2"); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("after the cancelled Create: %v, want ErrNotFound", err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 8; k++ {
					id := fmt.Sprintf("e%d-%d", w, k)
					if err := s.Create(ctx, eng(id, "n", "o", brokerage.StatusProposed)); err != nil {
						errs <- err
						return
					}
					if _, err := s.List(ctx, brokerage.Query{Offer: "o"}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		// Concurrent updates of one engagement: exactly one wins each
		// version.
		if err := s.Create(ctx, eng("shared", "n", "o", brokerage.StatusProposed)); err != nil {
			t.Fatal(err)
		}
		var won sync.WaitGroup
		wins := make(chan int, 8)
		for w := 0; w < 8; w++ {
			won.Add(1)
			go func() {
				defer won.Done()
				e := eng("shared", "n", "o", brokerage.StatusAccepted)
				e.Version = 2
				if err := s.Update(ctx, e); err == nil {
					wins <- w
				} else if !errors.Is(err, brokerage.ErrConflict) {
					errs <- err
				}
			}()
		}
		wg.Wait()
		won.Wait()
		close(errs)
		close(wins)
		for err := range errs {
			t.Errorf("concurrent use: %v", err)
		}
		if n := len(wins); n != 1 {
			t.Errorf("%d concurrent updates to version 2 succeeded, want 1", n)
		}
		es, err := s.List(ctx, brokerage.Query{Offer: "o"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 65 {
			t.Errorf("List after concurrent creates: %d engagements, want 65", len(es))
		}
	})

	runCatalogue(t, newStore)
	runEdges(t, newStore)
}
