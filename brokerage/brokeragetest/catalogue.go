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
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// runCatalogue checks needs, offers and the atomic Reserve.
func runCatalogue(t *testing.T, newStore func(t *testing.T) brokerage.Store) {
	ctx := context.Background()
	at := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	need := func(id string) brokerage.Need {
		return brokerage.Need{ID: brokerage.NeedID(id), School: 107654, Area: "maths", Phase: partnership.PhasePrimary,
			Priority: 3, Days: 4, FSMPercent: -1, Networks: []partnership.NetworkID{"net"}}
	}
	offer := func(id string, capacity int) brokerage.Offer {
		return brokerage.Offer{ID: brokerage.OfferID(id), Provider: "hub", Capacity: capacity, CostPerDay: 300,
			Areas:  []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}},
			Phases: []partnership.Phase{partnership.PhasePrimary}, Formats: []brokerage.Format{brokerage.FormatVisit}}
	}
	build := func(id string) func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error) {
		return func(n brokerage.Need, o brokerage.Offer, _ int) (brokerage.Engagement, error) {
			return brokerage.Engagement{ID: brokerage.EngagementID(id), Need: n.ID, Offer: o.ID, School: n.School, Area: n.Area,
				Days: n.Days, Status: brokerage.StatusProposed, ProposedAt: at, Version: 1}, nil
		}
	}
	setup := func(t *testing.T, capacity int, needs ...string) brokerage.Store {
		s := newStore(t)
		if err := s.PutOffer(ctx, offer("o1", capacity)); err != nil {
			t.Fatalf("PutOffer: %v", err)
		}
		for _, n := range needs {
			if err := s.PutNeed(ctx, need(n)); err != nil {
				t.Fatalf("PutNeed: %v", err)
			}
		}
		return s
	}

	t.Run("CatalogueRoundTripAndCopies", func(t *testing.T) {
		s := setup(t, 2, "n1")
		n, err := s.Need(ctx, "n1")
		if err != nil {
			t.Fatalf("Need: %v", err)
		}
		if d := cmp.Diff(need("n1"), n); d != "" {
			t.Errorf("Need (-want +got):\n%s", d)
		}
		o, err := s.Offer(ctx, "o1")
		if err != nil {
			t.Fatalf("Offer: %v", err)
		}
		if d := cmp.Diff(offer("o1", 2), o); d != "" {
			t.Errorf("Offer (-want +got):\n%s", d)
		}
		n.Networks[0], o.Areas[0].Area, o.Phases[0], o.Formats[0] = "x", "x", partnership.PhaseSecondary, brokerage.FormatCourse
		n2, _ := s.Need(ctx, "n1")
		o2, _ := s.Offer(ctx, "o1")
		if d := cmp.Diff(need("n1"), n2); d != "" {
			t.Errorf("stored need changed through a returned slice (-want +got):\n%s", d)
		}
		if d := cmp.Diff(offer("o1", 2), o2); d != "" {
			t.Errorf("stored offer changed through a returned slice (-want +got):\n%s", d)
		}
		in := offer("o2", 1)
		if err := s.PutOffer(ctx, in); err != nil {
			t.Fatal(err)
		}
		in.Areas[0].Area = "x"
		if o, _ := s.Offer(ctx, "o2"); o.Areas[0].Area != "maths" {
			t.Errorf("stored offer changed through the caller's slice after PutOffer: %v", o.Areas)
		}
		if _, err := s.Need(ctx, "nope"); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("Need of a missing need: %v, want ErrNotFound", err)
		}
		if _, err := s.Offer(ctx, "nope"); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("Offer of a missing offer: %v, want ErrNotFound", err)
		}
	})

	t.Run("ReserveStoresWhatBuildReturns", func(t *testing.T) {
		s := setup(t, 2, "n1")
		var gotN brokerage.Need
		var gotO brokerage.Offer
		gotR := -1
		e, err := s.Reserve(ctx, "n1", "o1", func(n brokerage.Need, o brokerage.Offer, r int) (brokerage.Engagement, error) {
			gotN, gotO, gotR = n, o, r
			return build("e1")(n, o, r)
		})
		if err != nil {
			t.Fatalf("Reserve: %v", err)
		}
		if d := cmp.Diff(need("n1"), gotN); d != "" {
			t.Errorf("build got need (-want +got):\n%s", d)
		}
		if d := cmp.Diff(offer("o1", 2), gotO); d != "" {
			t.Errorf("build got offer (-want +got):\n%s", d)
		}
		if gotR != 0 {
			t.Errorf("build got %d reserved, want 0", gotR)
		}
		stored, err := s.Get(ctx, "e1")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(e, stored); d != "" {
			t.Errorf("Reserve returned and stored differ (-returned +stored):\n%s", d)
		}
	})

	t.Run("ReserveRefuses", func(t *testing.T) {
		boom := errors.New("build says no")
		for _, tc := range []struct {
			name        string
			need, offer brokerage.NeedID
			build       func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error)
			want        error
		}{
			{"MissingNeed", "nope", "", build("e9"), brokerage.ErrNotFound},
			{"MissingOffer", "n3", "nope", build("e9"), brokerage.ErrNotFound},
			{"BuildFails", "n3", "", func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error) {
				return brokerage.Engagement{}, boom
			}, boom},
			{"ForeignNeed", "n3", "", func(n brokerage.Need, o brokerage.Offer, r int) (brokerage.Engagement, error) {
				e, _ := build("e9")(n, o, r)
				e.Need = "n4"
				return e, nil
			}, brokerage.ErrInvalid},
			{"NotReserving", "n3", "", func(n brokerage.Need, o brokerage.Offer, r int) (brokerage.Engagement, error) {
				e, _ := build("e9")(n, o, r)
				e.Status = brokerage.StatusDeclined
				return e, nil
			}, brokerage.ErrInvalid},
			{"NeedOpen", "n1", "o2", build("e9"), brokerage.ErrConflict},
			{"IDTaken", "n3", "o2", build("e1"), brokerage.ErrConflict},
			{"Full", "n3", "", build("e9"), brokerage.ErrCapacity},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := setup(t, 2, "n1", "n2", "n3", "n4")
				if err := s.PutOffer(ctx, offer("o2", 5)); err != nil {
					t.Fatal(err)
				}
				for i, n := range []brokerage.NeedID{"n1", "n2"} {
					if _, err := s.Reserve(ctx, n, "o1", build(fmt.Sprintf("e%d", i+1))); err != nil {
						t.Fatal(err)
					}
				}
				before, _ := s.List(ctx, brokerage.Query{})
				offerID := brokerage.OfferID("o1")
				if tc.offer != "" {
					offerID = brokerage.OfferID(tc.offer)
				}
				_, err := s.Reserve(ctx, tc.need, offerID, tc.build)
				if !errors.Is(err, tc.want) {
					t.Errorf("Reserve: %v, want %v", err, tc.want)
				}
				if tc.want == brokerage.ErrCapacity && !errors.Is(err, brokerage.ErrConflict) {
					t.Errorf("Reserve when full: %v does not wrap ErrConflict", err)
				}
				after, _ := s.List(ctx, brokerage.Query{})
				if d := cmp.Diff(before, after); d != "" {
					t.Errorf("a refused Reserve changed the store (-before +after):\n%s", d)
				}
			})
		}
	})

	t.Run("ReserveReleasedCapacity", func(t *testing.T) {
		s := setup(t, 1, "n1", "n2")
		e, err := s.Reserve(ctx, "n1", "o1", build("e1"))
		if err != nil {
			t.Fatal(err)
		}
		e.Status, e.Version = brokerage.StatusDeclined, 2
		if err := s.Update(ctx, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reserve(ctx, "n2", "o1", build("e2")); err != nil {
			t.Errorf("Reserve after the only reservation was declined: %v", err)
		}
		if _, err := s.Reserve(ctx, "n1", "o1", func(n brokerage.Need, o brokerage.Offer, r int) (brokerage.Engagement, error) {
			if r != 1 {
				t.Errorf("build got %d reserved, want 1 (declined engagements reserve nothing)", r)
			}
			return build("e3")(n, o, r)
		}); !errors.Is(err, brokerage.ErrCapacity) {
			t.Errorf("Reserve of a full offer: %v, want ErrCapacity", err)
		}
	})

	t.Run("PutRefusesWhatBreaksReservations", func(t *testing.T) {
		s := setup(t, 2, "n1", "n2")
		for i, n := range []brokerage.NeedID{"n1", "n2"} {
			if _, err := s.Reserve(ctx, n, "o1", build(fmt.Sprintf("e%d", i+1))); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutOffer(ctx, offer("o1", 1)); !errors.Is(err, brokerage.ErrCapacity) || !errors.Is(err, brokerage.ErrConflict) {
			t.Errorf("PutOffer with capacity 1 below 2 reserved: %v, want ErrCapacity wrapping ErrConflict", err)
		}
		if o, _ := s.Offer(ctx, "o1"); o.Capacity != 2 {
			t.Errorf("a refused PutOffer stored capacity %d", o.Capacity)
		}
		if err := s.PutOffer(ctx, offer("o1", 2)); err != nil {
			t.Errorf("PutOffer keeping capacity at what is reserved: %v", err)
		}
		changed := need("n1")
		changed.Area = "send"
		if err := s.PutNeed(ctx, changed); !errors.Is(err, brokerage.ErrConflict) {
			t.Errorf("PutNeed replacing a need with an open engagement: %v, want ErrConflict", err)
		}
		if n, _ := s.Need(ctx, "n1"); n.Area != "maths" {
			t.Errorf("a refused PutNeed stored area %s", n.Area)
		}
	})

	t.Run("ReserveConcurrentLastPlace", func(t *testing.T) {
		s := setup(t, 3)
		for i := range 10 {
			if err := s.PutNeed(ctx, need(fmt.Sprintf("n%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 {
			if _, err := s.Reserve(ctx, brokerage.NeedID(fmt.Sprintf("n%d", i)), "o1", build(fmt.Sprintf("e%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		won := race(t, brokerage.ErrCapacity, func(w int) error {
			_, err := s.Reserve(ctx, brokerage.NeedID(fmt.Sprintf("n%d", w+2)), "o1", build(fmt.Sprintf("e%d", w+2)))
			return err
		})
		if won != 1 {
			t.Errorf("%d of 8 concurrent Reserves of the last place succeeded, want 1", won)
		}
		es, _ := s.List(ctx, brokerage.Query{Offer: "o1"})
		if len(es) != 3 {
			t.Errorf("%d engagements hold offer o1 of capacity 3", len(es))
		}
	})

	t.Run("ReserveConcurrentSameNeed", func(t *testing.T) {
		s := setup(t, 8, "n1")
		won := race(t, brokerage.ErrConflict, func(w int) error {
			_, err := s.Reserve(ctx, "n1", "o1", build(fmt.Sprintf("e%d", w)))
			return err
		})
		if won != 1 {
			t.Errorf("%d of 8 concurrent Reserves for one need succeeded, want 1", won)
		}
	})

	t.Run("CatalogueCancelledContext", func(t *testing.T) {
		s := setup(t, 2, "n1")
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Reserve(cctx, "n1", "o1", build("e1")); !errors.Is(err, context.Canceled) {
			t.Errorf("Reserve with a cancelled context: %v", err)
		}
		if err := s.PutNeed(cctx, need("n2")); !errors.Is(err, context.Canceled) {
			t.Errorf("PutNeed with a cancelled context: %v", err)
		}
		if es, _ := s.List(ctx, brokerage.Query{}); len(es) != 0 {
			t.Errorf("Reserve with a cancelled context stored %d engagements", len(es))
		}
		if _, err := s.Need(ctx, "n2"); !errors.Is(err, brokerage.ErrNotFound) {
			t.Errorf("PutNeed with a cancelled context stored the need: %v", err)
		}
	})
}

// race runs try in 8 goroutines at once and returns how many succeeded;
// every failure must wrap lose.
func race(t *testing.T, lose error, try func(w int) error) int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = try(w)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, lose):
			t.Errorf("losing Reserve: %v, want %v", err, lose)
		}
	}
	return won
}
