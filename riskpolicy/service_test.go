package riskpolicy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

func TestServiceAssessOverrideAndAudit(t *testing.T) {
	ctx := context.Background()
	p := compileSmall(t)
	now := at
	svc := riskpolicy.NewService(riskpolicy.NewMemoryStore(), &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	src := func(attendance float64) riskpolicy.Source {
		return riskpolicy.NewMemorySource(rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(attendance)}))
	}

	a, err := svc.Assess(ctx, p, src(97), 123456)
	require.NoError(t, err)
	assert.Equal(t, "none", a.Level)
	assert.Equal(t, riskpolicy.ChangeNew, a.Change)

	now = now.Add(90 * 24 * time.Hour)
	as, err := svc.AssessAll(ctx, p, src(85))
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, "watch", as[0].Level)
	assert.Equal(t, "none", as[0].Previous)
	assert.Equal(t, riskpolicy.ChangeUp, as[0].Change)

	_, err = svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "nonesuch", By: "CEO", Reason: "x", Expires: now.Add(time.Hour)})
	require.ErrorIs(t, err, riskpolicy.ErrInvalid)
	_, err = svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "at_risk", By: "CEO", Expires: now.Add(time.Hour)})
	require.ErrorIs(t, err, riskpolicy.ErrInvalid, "an override needs a reason")
	ov, err := svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "at_risk", By: "CEO",
		Reason: "Serious safeguarding concern reported", Expires: now.Add(60 * 24 * time.Hour)})
	require.NoError(t, err)
	assert.NotEmpty(t, ov.ID)
	assert.Equal(t, now, ov.At)

	now = now.Add(24 * time.Hour)
	a, err = svc.Assess(ctx, p, src(85), 123456)
	require.NoError(t, err)
	assert.Equal(t, "at_risk", a.Level)
	assert.Equal(t, "watch", a.Computed)
	require.NotNil(t, a.Override)

	require.NoError(t, svc.EndOverride(ctx, p, ov.ID, "CEO", "Concern investigated and closed"))
	require.ErrorIs(t, svc.EndOverride(ctx, p, ov.ID, "CEO", "again"), riskpolicy.ErrConflict)
	require.ErrorIs(t, svc.EndOverride(ctx, p, "nope", "CEO", "x"), riskpolicy.ErrNotFound)
	now = now.Add(24 * time.Hour)
	a, err = svc.Assess(ctx, p, src(85), 123456)
	require.NoError(t, err)
	assert.Equal(t, "watch", a.Level)

	var history []string
	for a, err := range svc.History(ctx, p, 123456) {
		require.NoError(t, err)
		history = append(history, a.Level)
	}
	assert.Equal(t, []string{"watch", "at_risk", "watch", "none"}, history)

	var trail []string
	for e, err := range svc.Audit(ctx) {
		require.NoError(t, err)
		trail = append(trail, e.Action.String()+" "+e.Actor+" "+e.From+">"+e.To)
	}
	assert.Equal(t, []string{
		"level-changed policy:small none>watch",
		"override-set CEO >at_risk",
		"level-changed policy:small watch>at_risk",
		"override-ended CEO at_risk>",
		"level-changed policy:small at_risk>watch",
	}, trail)
}
