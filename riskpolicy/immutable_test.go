package riskpolicy_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// A compiled policy is shared by every caller: changing what its
// accessors return changes nothing in it.
func TestPolicyAccessorsReturnCopies(t *testing.T) {
	for _, name := range riskpolicy.Builtins() {
		t.Run(name, func(t *testing.T) {
			p, err := riskpolicy.Builtin(name)
			require.NoError(t, err)
			fresh, err := riskpolicy.Builtin(name) // compiled apart: shares nothing with p
			require.NoError(t, err)
			first := fresh.Levels()[0].Name
			for _, l := range p.Levels() {
				l.Name = "changed"
				if len(l.Actions) > 0 {
					l.Actions[0].Text = "changed"
				}
				if len(l.Keeps) > 0 {
					l.Keeps[0] = "changed"
				}
				if len(l.Withdraws) > 0 {
					l.Withdraws[0] = "changed"
				}
			}
			if l := p.Level(first); assert.NotNil(t, l) {
				l.Description = "changed"
				l.Actions = append(l.Actions[:0], riskpolicy.Action{ID: "x"})
			}
			for _, s := range p.Scales() {
				s.Name = "changed"
				if len(s.Grades) > 0 {
					s.Grades[0] = "changed"
				}
			}
			for _, i := range p.Indicators() {
				i.Name = "changed"
				if len(i.Areas) > 0 {
					i.Areas[0] = "changed"
				}
			}
			if pw := p.Powers(); len(pw) > 0 {
				pw[0].Text = "changed"
			}
			exported := cmpopts.IgnoreUnexported(riskpolicy.Level{}, riskpolicy.Indicator{}, riskpolicy.Scale{})
			for what, pair := range map[string][2]any{
				"levels":     {fresh.Levels(), p.Levels()},
				"level":      {fresh.Level(first), p.Level(first)},
				"indicators": {fresh.Indicators(), p.Indicators()},
				"powers":     {fresh.Powers(), p.Powers()},
				"scales":     {fresh.Scales(), p.Scales()},
			} {
				if d := cmp.Diff(pair[0], pair[1], exported); d != "" {
					t.Errorf("%s changed through what an accessor returned (-want +got):\n%s", what, d)
				}
			}
		})
	}
}

// An assessment from the Service is the caller's: changing its actions or
// powers changes neither the policy nor the next assessment.
func TestServiceAssessmentsAreCopies(t *testing.T) {
	ctx := context.Background()
	p := compileSmall(t)
	now := at
	svc := riskpolicy.NewService(riskpolicy.NewMemoryStore(), &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	src := riskpolicy.NewMemorySource(rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(85)}))
	a, err := svc.Assess(ctx, p, src, 123456)
	require.NoError(t, err)
	require.Equal(t, "watch", a.Level)
	require.NotEmpty(t, a.Actions)
	want := a.Clone()
	a.Actions[0].Text = "changed"
	if len(a.Keeps) > 0 {
		a.Keeps[0] = "changed"
	}
	now = now.Add(time.Hour)
	as, err := svc.AssessAll(ctx, p, src)
	require.NoError(t, err)
	assert.Equal(t, want.Actions, as[0].Actions)
	assert.Equal(t, want.Keeps, as[0].Keeps)
	assert.Equal(t, want.Actions, p.Level("watch").Actions)
}
