package riskpolicy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

func trail(t *testing.T, svc *riskpolicy.Service) []string {
	t.Helper()
	var out []string
	for e, err := range svc.Audit(context.Background()) {
		require.NoError(t, err)
		out = append(out, strings.TrimSpace(strings.Join([]string{e.Action.String(), e.Actor, "author=" + e.Author,
			string(e.Override), "related=" + string(e.Related), e.From + ">" + e.To}, " ")))
	}
	return out
}

// A second judgement while one is in force is a decision: refused unless
// it says which override it supersedes; the audit keeps both authors, and
// the assessment names the override that applied.
func TestOverrideConflictsAreDecisions(t *testing.T) {
	ctx := context.Background()
	p := compileSmall(t)
	now := at
	svc := riskpolicy.NewService(riskpolicy.NewMemoryStore(), &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	src := riskpolicy.NewMemorySource(rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(97)}))

	ceo, err := svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "at_risk", By: "CEO",
		Reason: "Safeguarding concern", Expires: now.Add(60 * 24 * time.Hour)})
	require.NoError(t, err)
	now = now.Add(24 * time.Hour)
	_, err = svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "none", By: "Director", Reason: "Universal support",
		Expires: now.Add(30 * 24 * time.Hour)})
	require.ErrorIs(t, err, riskpolicy.ErrConflict, "an overlapping override that supersedes nothing")
	assert.Contains(t, err.Error(), string(ceo.ID), "the error names the override in force")
	_, err = svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "none", By: "Director", Reason: "Universal support",
		Expires: now.Add(30 * 24 * time.Hour), Supersedes: "nope"})
	require.ErrorIs(t, err, riskpolicy.ErrNotFound)

	a, err := svc.Assess(ctx, p, src, 123456)
	require.NoError(t, err)
	assert.Equal(t, "at_risk", a.Level, "the chief executive's override still applies")
	require.NotNil(t, a.Override)
	assert.Equal(t, ceo.ID, a.Override.ID, "the assessment names the override that applied")

	now = now.Add(24 * time.Hour)
	dir, err := svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "watch", By: "Director", Reason: "Concern resolved; monitoring",
		Expires: now.Add(30 * 24 * time.Hour), Supersedes: ceo.ID})
	require.NoError(t, err)
	now = now.Add(time.Hour)
	a, err = svc.Assess(ctx, p, src, 123456)
	require.NoError(t, err)
	assert.Equal(t, "watch", a.Level)
	require.NotNil(t, a.Override)
	assert.Equal(t, dir.ID, a.Override.ID, "the superseding override applies, and is named")

	err = svc.EndOverride(ctx, p, ceo.ID, "CEO", "withdrawn")
	require.ErrorIs(t, err, riskpolicy.ErrConflict, "a superseded override cannot be withdrawn")
	assert.Contains(t, err.Error(), "superseded")

	assert.Equal(t, []string{
		"override-set CEO author= " + string(ceo.ID) + " related= >at_risk",
		"override-superseded Director author=CEO " + string(ceo.ID) + " related=" + string(dir.ID) + " at_risk>watch",
		"override-set Director author= " + string(dir.ID) + " related=" + string(ceo.ID) + " >watch",
		"level-changed policy:small author=  related= >",
	}, trailActions(trail(t, svc)))
}

// trailActions blanks the levels of level-changed entries, which the
// override tests do not concern.
func trailActions(tr []string) []string {
	for i, e := range tr {
		if strings.HasPrefix(e, "level-changed") {
			tr[i] = "level-changed policy:small author=  related= >"
		}
	}
	return tr
}

// Expiry reaches the audit trail, once, at the expiry; an expired
// override cannot be "withdrawn early".
func TestOverrideExpiryIsAudited(t *testing.T) {
	ctx := context.Background()
	p := compileSmall(t)
	now := at
	store := riskpolicy.NewMemoryStore()
	svc := riskpolicy.NewService(store, &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	other := riskpolicy.NewService(store, &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	ov, err := svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "watch", By: "CEO", Reason: "Monitoring",
		Expires: now.Add(10 * 24 * time.Hour)})
	require.NoError(t, err)

	now = now.Add(11 * 24 * time.Hour)
	err = svc.EndOverride(ctx, p, ov.ID, "CEO", "no longer needed")
	require.ErrorIs(t, err, riskpolicy.ErrConflict, "ending an expired override")
	assert.Contains(t, err.Error(), "expired")
	n, err := other.RecordExpiries(ctx, p)
	require.NoError(t, err)
	assert.Zero(t, n, "the expiry is recorded once, whichever Service notices it")

	tr := trail(t, svc)
	require.Len(t, tr, 2)
	assert.Equal(t, "override-expired expiry author=CEO "+string(ov.ID)+" related= watch>", tr[1])
	var last riskpolicy.AuditEntry
	for e, err := range svc.Audit(ctx) {
		require.NoError(t, err)
		last = e
	}
	assert.Equal(t, ov.Expires, last.At, "the expiry is stamped when it happened")
	for _, e := range tr {
		assert.NotContains(t, e, "override-ended", "an expired override is never logged as withdrawn")
	}
	ovs, err := store.Overrides(ctx, "small", 123456)
	require.NoError(t, err)
	require.Len(t, ovs, 1)
	assert.Equal(t, riskpolicy.EndExpired, ovs[0].EndedHow)

	// A new override after the expiry does not conflict.
	_, err = svc.Override(ctx, p, riskpolicy.Override{URN: 123456, Level: "at_risk", By: "CEO", Reason: "New concern",
		Expires: now.Add(10 * 24 * time.Hour)})
	require.NoError(t, err)
}

func TestReadOverridesCSVConflicts(t *testing.T) {
	src := `id,policy,urn,level,by,reason,at,expires,supersedes
a,small,123456,at_risk,CEO,concern,2025-09-01,2025-12-01,
b,small,123456,none,Director,universal,2025-10-01,2025-11-01,
c,small,123456,watch,Director,resolved,2025-10-15,2025-12-15,a
d,small,123456,watch,Director,resolved,2025-10-15,2025-12-15,zz
e,small,654321,watch,Director,fine,2025-10-15,2025-12-15,
`
	_, err := riskpolicy.ReadOverridesCSV("ovr.csv", strings.NewReader(src))
	var list riskpolicy.ErrorList
	require.ErrorAs(t, err, &list)
	assert.Equal(t, `ovr.csv:3: override b overlaps override a (line 2) for school 123456 under small; say which it supersedes
ovr.csv:5: override d overlaps override c (line 4) for school 123456 under small; say which it supersedes
ovr.csv:5:9: supersedes: no earlier override zz for school 123456 under small`, err.Error())

	ok := `id,policy,urn,level,by,reason,at,expires,supersedes
a,small,123456,at_risk,CEO,concern,2025-09-01,2025-12-01,
c,small,123456,watch,Director,resolved,2025-10-15,2025-12-15,a
`
	ovs, err := riskpolicy.ReadOverridesCSV("ovr.csv", strings.NewReader(ok))
	require.NoError(t, err)
	require.Len(t, ovs, 2)
	assert.Equal(t, riskpolicy.EndSuperseded, ovs[0].EndedHow)
	assert.Equal(t, ovs[1].At, ovs[0].Ended)
	assert.Equal(t, riskpolicy.OverrideID("a"), ovs[1].Supersedes)
}
