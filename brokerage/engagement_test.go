package brokerage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestLedgerLifecycle(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)}
	var seen []string
	l := brokerage.NewLedger(brokerage.NewMemoryStore(), &brokerage.LedgerOptions{
		Now: clock.now, AgreementTarget: 90 * 24 * time.Hour,
		OnChange: func(before, after brokerage.Engagement) {
			seen = append(seen, before.Status.String()+">"+after.Status.String())
		},
	})
	offer := brokerage.Offer{ID: "o1", Provider: "Maths Hub", Capacity: 2, Areas: []brokerage.AreaEvidence{{Area: "maths"}}}
	needs := []brokerage.Need{{ID: "n1", Area: "maths", Priority: 3, Days: 2}, {ID: "n2", Area: "maths", Priority: 3, Days: 2},
		{ID: "n3", Area: "maths", Priority: 3, Days: 2}}
	require.NoError(t, l.PutNeeds(ctx, needs...))
	require.NoError(t, l.PutOffers(ctx, offer, brokerage.Offer{ID: "o2", Capacity: 1, Areas: []brokerage.AreaEvidence{{Area: "maths"}}}))

	_, err := l.Propose(ctx, "e1", "n1", "o1", nil)
	require.NoError(t, err)
	_, err = l.Propose(ctx, "e2", "n2", "o1", nil)
	require.NoError(t, err)
	_, err = l.Propose(ctx, "e3", "n3", "o1", nil)
	require.ErrorIs(t, err, brokerage.ErrCapacity, "capacity 2 is reserved")
	require.ErrorIs(t, err, brokerage.ErrConflict, "ErrCapacity is a conflict")
	_, err = l.Propose(ctx, "e1b", "n1", "o2", nil)
	require.ErrorIs(t, err, brokerage.ErrConflict, "n1 already has an open engagement")

	_, err = l.Decline(ctx, "e2", "")
	require.ErrorIs(t, err, brokerage.ErrInvalid, "a decline needs a reason")
	_, err = l.Decline(ctx, "e2", "timing")
	require.NoError(t, err)
	n, err := l.Reserved(ctx, "o1")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "declining releases capacity")
	_, err = l.Propose(ctx, "e3", "n3", "o1", nil)
	require.NoError(t, err, "released capacity can be reserved again")

	_, err = l.Start(ctx, "e1")
	require.ErrorIs(t, err, brokerage.ErrTransition, "proposed cannot start")
	assert.EqualError(t, err, "start e1: invalid status transition: proposed to active", "the message names both statuses, once each, with no package prefix")
	clock.t = clock.t.Add(24 * time.Hour)
	_, err = l.Accept(ctx, "e1")
	require.NoError(t, err)
	_, err = l.Agree(ctx, "e1", "", "")
	require.ErrorIs(t, err, brokerage.ErrInvalid)
	clock.t = clock.t.Add(20 * 24 * time.Hour)
	_, err = l.Agree(ctx, "e1", "Maths mastery in KS2", "Reasoning scores up")
	require.NoError(t, err)
	_, err = l.Start(ctx, "e1")
	require.NoError(t, err)
	_, err = l.Complete(ctx, "e1")
	require.NoError(t, err)
	n, _ = l.Reserved(ctx, "o1")
	assert.Equal(t, 1, n, "completion releases capacity; e3 still holds one")
	e, err := l.ReviewImpact(ctx, "e1", "Reasoning up 8 points")
	require.NoError(t, err)
	assert.Equal(t, brokerage.StatusImpactReviewed, e.Status)
	assert.Equal(t, 6, e.Version)
	_, err = l.Cancel(ctx, "e1", "too late")
	require.ErrorIs(t, err, brokerage.ErrTransition)
	_, err = l.Accept(ctx, "missing")
	require.ErrorIs(t, err, brokerage.ErrNotFound)

	clock.t = clock.t.Add(100 * 24 * time.Hour)
	rep, err := l.Agreement(ctx)
	require.NoError(t, err)
	want := brokerage.AgreementReport{Target: 90 * 24 * time.Hour, Agreed: 1, WithinTarget: 1, MedianDays: 21,
		Overdue: []brokerage.EngagementID{"e3"}}
	if d := cmp.Diff(want, rep); d != "" {
		t.Errorf("agreement report (-want +got):\n%s", d)
	}
	assert.Equal(t, []string{">proposed", ">proposed", "proposed>declined", ">proposed", "proposed>accepted",
		"accepted>agreed", "agreed>active", "active>completed", "completed>impact-reviewed"}, seen)
}

func TestStatusTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to brokerage.Status
		ok       bool
	}{
		{brokerage.StatusProposed, brokerage.StatusAccepted, true},
		{brokerage.StatusProposed, brokerage.StatusAgreed, false},
		{brokerage.StatusAccepted, brokerage.StatusDeclined, false},
		{brokerage.StatusActive, brokerage.StatusCancelled, true},
		{brokerage.StatusImpactReviewed, brokerage.StatusActive, false},
		{brokerage.StatusDeclined, brokerage.StatusAccepted, false},
	} {
		t.Run(tc.from.String()+">"+tc.to.String(), func(t *testing.T) {
			assert.Equal(t, tc.ok, tc.from.CanMove(tc.to))
		})
	}
}

func TestLedgerCancelProposal(t *testing.T) {
	ctx := context.Background()
	l := brokerage.NewLedger(brokerage.NewMemoryStore(), nil)
	require.NoError(t, l.PutNeeds(ctx, brokerage.Need{ID: "n1", Area: "maths", Priority: 2, Days: 1}))
	require.NoError(t, l.PutOffers(ctx, brokerage.Offer{ID: "o1", Capacity: 1, Areas: []brokerage.AreaEvidence{{Area: "maths"}}}))
	_, err := l.Propose(ctx, "e1", "n1", "o1", nil)
	require.NoError(t, err)
	_, err = l.Cancel(ctx, "e1", " ")
	require.ErrorIs(t, err, brokerage.ErrInvalid, "a cancellation needs a reason")
	e, err := l.Cancel(ctx, "e1", "the school joined a trust with its own hub")
	require.NoError(t, err)
	assert.Equal(t, brokerage.StatusCancelled, e.Status)
	assert.Equal(t, "the school joined a trust with its own hub", e.Note)
	assert.False(t, e.ClosedAt.IsZero())
	n, err := l.Reserved(ctx, "o1")
	require.NoError(t, err)
	assert.Zero(t, n, "cancelling a proposal releases its capacity")
}

// Eight goroutines on two Ledgers sharing one store race for the last
// place of an offer: exactly one wins, the others get ErrCapacity.
func TestLedgerRaceForLastPlace(t *testing.T) {
	ctx := context.Background()
	store := brokerage.NewMemoryStore()
	ledgers := []*brokerage.Ledger{brokerage.NewLedger(store, nil), brokerage.NewLedger(store, nil)}
	offer := brokerage.Offer{ID: "o1", Capacity: 3, Areas: []brokerage.AreaEvidence{{Area: "maths"}}}
	require.NoError(t, ledgers[0].PutOffers(ctx, offer))
	for i := range 10 {
		require.NoError(t, ledgers[0].PutNeeds(ctx, brokerage.Need{ID: brokerage.NeedID(fmt.Sprintf("n%d", i)), Area: "maths", Priority: 3, Days: 1}))
	}
	for i := range 2 {
		_, err := ledgers[0].Propose(ctx, brokerage.EngagementID(fmt.Sprintf("e%d", i)), brokerage.NeedID(fmt.Sprintf("n%d", i)), "o1", nil)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[w] = ledgers[w%2].Propose(ctx, brokerage.EngagementID(fmt.Sprintf("e%d", w+2)), brokerage.NeedID(fmt.Sprintf("n%d", w+2)), "o1", nil)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		assert.ErrorIs(t, err, brokerage.ErrCapacity)
	}
	assert.Equal(t, 1, won, "exactly one goroutine gets the last place")
	n, err := ledgers[1].Reserved(ctx, "o1")
	require.NoError(t, err)
	assert.Equal(t, 3, n, "never more reserved than the capacity")
}
