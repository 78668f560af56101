package brokeragetest

import (
	"context"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/internal/lies"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// liesFixture is a Ledger over a store holding four needs, three offers
// and two engagements that fill offer "full".
type liesFixture struct {
	ledger *brokerage.Ledger
	store  brokerage.Store
}

var (
	liesNeeds  = []brokerage.NeedID{"maths-1", "maths-2", "maths-3", "send-sec"}
	liesOffers = []brokerage.OfferID{"full", "open", "send"}
)

// RunLies tells a brokerage Ledger over stores made by newStore every kind
// of lie a caller can tell (an inflated or stale capacity, a foreign ID, a
// duplicate, an out-of-range value, a conflicting instruction) and checks
// that each is refused with its typed error and leaves the store as it
// was, one at a time and all at once.
func RunLies(t *testing.T, newStore func(t *testing.T) brokerage.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	maths := []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}}
	primary := []partnership.Phase{partnership.PhasePrimary}
	need := func(id brokerage.NeedID) brokerage.Need {
		return brokerage.Need{ID: id, School: 100001, Area: "maths", Phase: partnership.PhasePrimary, Priority: 3, Days: 4}
	}
	setup := func(t *testing.T) *liesFixture {
		s := newStore(t)
		l := brokerage.NewLedger(s, &brokerage.LedgerOptions{Now: func() time.Time { return now }})
		sendSec := need("send-sec")
		sendSec.Area, sendSec.Phase = "send", partnership.PhaseSecondary
		if err := l.PutNeeds(ctx, need("maths-1"), need("maths-2"), need("maths-3"), sendSec); err != nil {
			t.Fatalf("PutNeeds: %v", err)
		}
		if err := l.PutOffers(ctx,
			brokerage.Offer{ID: "full", Provider: "hub", Capacity: 2, Areas: maths, Phases: primary},
			brokerage.Offer{ID: "open", Provider: "sle", Capacity: 5, Areas: maths, Phases: primary},
			brokerage.Offer{ID: "send", Provider: "senco", Capacity: 1, Areas: []brokerage.AreaEvidence{{Area: "send"}}, Phases: primary},
		); err != nil {
			t.Fatalf("PutOffers: %v", err)
		}
		for _, p := range []struct {
			id   brokerage.EngagementID
			need brokerage.NeedID
		}{{"e1", "maths-1"}, {"e2", "maths-2"}} {
			if _, err := l.Propose(ctx, p.id, p.need, "full", nil); err != nil {
				t.Fatalf("Propose %s: %v", p.id, err)
			}
		}
		if _, err := l.Accept(ctx, "e1"); err != nil {
			t.Fatalf("Accept: %v", err)
		}
		return &liesFixture{ledger: l, store: s}
	}
	snapshot := func(t *testing.T, f *liesFixture) any {
		es, err := f.store.List(ctx, brokerage.Query{})
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		var ns []brokerage.Need
		for _, id := range liesNeeds {
			n, err := f.store.Need(ctx, id)
			if err != nil {
				t.Fatalf("Need %s: %v", id, err)
			}
			ns = append(ns, n)
		}
		var os []brokerage.Offer
		for _, id := range liesOffers {
			o, err := f.store.Offer(ctx, id)
			if err != nil {
				t.Fatalf("Offer %s: %v", id, err)
			}
			os = append(os, o)
		}
		return []any{es, ns, os}
	}
	type F = *liesFixture
	propose := func(id brokerage.EngagementID, n brokerage.NeedID, o brokerage.OfferID, m *brokerage.Match) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.ledger.Propose(ctx, id, n, o, m); return err }
	}
	lies.Run(t, setup, snapshot, []lies.Case[F]{
		lies.New(lies.Capacity, "propose on a full offer", propose("x", "maths-3", "full", nil), brokerage.ErrCapacity),
		lies.New(lies.Capacity, "propose on a full offer is a conflict", propose("x", "maths-3", "full", nil), brokerage.ErrConflict),
		lies.New(lies.Capacity, "capacity below what is reserved", func(ctx context.Context, f F) error {
			return f.ledger.PutOffers(ctx, brokerage.Offer{ID: "full", Provider: "hub", Capacity: 1, Areas: maths, Phases: primary})
		}, brokerage.ErrCapacity),
		lies.New(lies.ForeignID, "unknown need", propose("x", "nope", "open", nil), brokerage.ErrNotFound),
		lies.New(lies.ForeignID, "unknown offer", propose("x", "maths-3", "nope", nil), brokerage.ErrNotFound),
		lies.New(lies.ForeignID, "a match of another need", propose("x", "maths-3", "open", &brokerage.Match{Need: "maths-1", Offer: "open"}), brokerage.ErrInvalid),
		lies.New(lies.ForeignID, "accept an unknown engagement", func(ctx context.Context, f F) error { _, err := f.ledger.Accept(ctx, "nope"); return err }, brokerage.ErrNotFound),
		lies.New(lies.ForeignID, "reserved on an unknown offer", func(ctx context.Context, f F) error { _, err := f.ledger.Reserved(ctx, "nope"); return err }, brokerage.ErrNotFound),
		lies.New(lies.Duplicate, "engagement ID taken", propose("e1", "maths-3", "open", nil), brokerage.ErrConflict),
		lies.New(lies.Duplicate, "need already has an open engagement", propose("x", "maths-1", "open", nil), brokerage.ErrConflict),
		lies.New(lies.Duplicate, "two needs with one ID", func(ctx context.Context, f F) error {
			return f.ledger.PutNeeds(ctx, need("new"), need("new"))
		}, brokerage.ErrInvalid),
		lies.New(lies.OutOfRange, "priority 9", func(ctx context.Context, f F) error {
			n := need("new")
			n.Priority = 9
			return f.ledger.PutNeeds(ctx, n)
		}, brokerage.ErrInvalid),
		lies.New(lies.OutOfRange, "negative days", func(ctx context.Context, f F) error {
			n := need("new")
			n.Days = -2
			return f.ledger.PutNeeds(ctx, n)
		}, brokerage.ErrInvalid),
		lies.New(lies.OutOfRange, "negative capacity", func(ctx context.Context, f F) error {
			return f.ledger.PutOffers(ctx, brokerage.Offer{ID: "new", Capacity: -1, Areas: maths})
		}, brokerage.ErrInvalid),
		lies.New(lies.OutOfRange, "empty engagement ID", propose("", "maths-3", "open", nil), brokerage.ErrInvalid),
		lies.New(lies.Conflicting, "a SEND secondary need on a maths primary offer", propose("x", "send-sec", "open", nil), brokerage.ErrInvalid),
		lies.New(lies.Conflicting, "a secondary need on a primary offer of its area", propose("x", "send-sec", "send", nil), brokerage.ErrInvalid),
		lies.New(lies.Conflicting, "replace a need with an open engagement", func(ctx context.Context, f F) error {
			n := need("maths-1")
			n.Area = "send"
			return f.ledger.PutNeeds(ctx, n)
		}, brokerage.ErrConflict),
		lies.New(lies.Conflicting, "decline an accepted engagement", func(ctx context.Context, f F) error {
			_, err := f.ledger.Decline(ctx, "e1", "changed our minds")
			return err
		}, brokerage.ErrTransition),
		lies.New(lies.Conflicting, "decline without a reason", func(ctx context.Context, f F) error { _, err := f.ledger.Decline(ctx, "e2", ""); return err }, brokerage.ErrInvalid),
		lies.New(lies.Conflicting, "complete a proposal", func(ctx context.Context, f F) error { _, err := f.ledger.Complete(ctx, "e2"); return err }, brokerage.ErrTransition),
		lies.New(lies.Conflicting, "agree without objectives", func(ctx context.Context, f F) error {
			_, err := f.ledger.Agree(ctx, "e1", "", "impact")
			return err
		}, brokerage.ErrInvalid),
	})
}
