package brokerage_test

import (
	"context"
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
	needs := []brokerage.Need{{ID: "n1", Area: "maths", Priority: 3}, {ID: "n2", Area: "maths", Priority: 3}, {ID: "n3", Area: "maths", Priority: 3}}

	_, err := l.Propose(ctx, "e1", needs[0], offer, nil)
	require.NoError(t, err)
	_, err = l.Propose(ctx, "e2", needs[1], offer, nil)
	require.NoError(t, err)
	_, err = l.Propose(ctx, "e3", needs[2], offer, nil)
	require.ErrorIs(t, err, brokerage.ErrCapacity, "capacity 2 is reserved")
	_, err = l.Propose(ctx, "e1b", needs[0], brokerage.Offer{ID: "o2", Capacity: 1}, nil)
	require.ErrorIs(t, err, brokerage.ErrConflict, "n1 already has an open engagement")

	_, err = l.Decline(ctx, "e2", "timing")
	require.NoError(t, err)
	n, err := l.Reserved(ctx, "o1")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "declining releases capacity")
	_, err = l.Propose(ctx, "e3", needs[2], offer, nil)
	require.NoError(t, err, "released capacity can be reserved again")

	_, err = l.Start(ctx, "e1")
	require.ErrorIs(t, err, brokerage.ErrTransition, "proposed cannot start")
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
