package riskpolicy_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const missingPolicy = `
policy: missing
period: term
history: 3
scales:
  rc: [exceptional, strong_standard, expected_standard, needs_attention, urgent_improvement]
indicators:
  a: {type: number, source: test}
  b: {type: number, source: test}
  c: {type: number, source: test, missing: skip}
  flag: {type: boolean, source: test}
  report_card: {type: areas, scale: rc, areas: [leadership, inclusion], source: test}
levels:
  - name: ok
  - name: watch
  - name: bad
    exit: {when: "a < 1.0 && !rules.high_b", for: 1}
rules:
  - name: either
    when: a > 10.0 || b > 10.0
    level: watch
  - name: either_cel
    when: "[a].exists(x, x > 20.0) || b > 20.0"
    level: watch
  - name: both
    when: a > 30.0 && b > 30.0
    level: bad
  - name: high_b
    when: b > 50.0
    level: bad
  - name: optional
    when: c > 5.0
    level: bad
  - name: leadership
    when: has(report_card.leadership) && report_card.leadership >= rc.needs_attention
    level: watch
  - name: no_report_card
    when: "!has(report_card) && flag"
    level: watch
`

func evalMissing(t *testing.T, prev string, vals map[string]riskpolicy.Value) *riskpolicy.Assessment {
	t.Helper()
	p, err := riskpolicy.Compile("missing.yaml", []byte(missingPolicy))
	require.NoError(t, err)
	opts := &riskpolicy.EvalOptions{At: at}
	if prev != "" {
		opts.Previous = map[partnership.URN]*riskpolicy.Assessment{123456: {Level: prev, Computed: prev}}
	}
	a, err := p.Evaluate(context.Background(), rec(vals), opts)
	require.NoError(t, err)
	return a
}

func fired(a *riskpolicy.Assessment) []string {
	var out []string
	for _, f := range a.Fired {
		out = append(out, f.Rule)
	}
	return out
}

func TestMissingFollowsCEL(t *testing.T) {
	n := riskpolicy.Number
	t.Run("or with a true side fires whatever the other", func(t *testing.T) {
		a := evalMissing(t, "", map[string]riskpolicy.Value{"a": n(35), "c": n(0), "flag": riskpolicy.Bool(false)})
		assert.Equal(t, []string{"either", "either_cel"}, fired(a))
		assert.Equal(t, "watch", a.Level)
		// both and high_b read the missing b and could raise the school
		// to bad: undetermined.
		require.True(t, a.IsUndetermined())
		var conds []string
		for _, u := range a.Undetermined {
			conds = append(conds, u.Condition)
			assert.Equal(t, []string{"b"}, u.Missing)
		}
		assert.Equal(t, []string{"rule both", "rule high_b"}, conds)
	})
	t.Run("and with a false side is false whatever the other", func(t *testing.T) {
		a := evalMissing(t, "", map[string]riskpolicy.Value{"a": n(1), "c": n(0), "b": n(1), "flag": riskpolicy.Bool(false)})
		assert.Empty(t, fired(a))
		assert.False(t, a.IsUndetermined(), "%+v", a.Undetermined)
		assert.Equal(t, "ok", a.Level)
	})
	t.Run("has tests areas and whole indicators", func(t *testing.T) {
		a := evalMissing(t, "", map[string]riskpolicy.Value{"a": n(1), "b": n(1), "c": n(0), "flag": riskpolicy.Bool(true),
			"report_card": riskpolicy.Areas(map[string]riskpolicy.Value{"inclusion": riskpolicy.Text("strong standard")})})
		assert.Empty(t, fired(a), "a report card without leadership: neither leadership nor no_report_card fires")
		assert.False(t, a.IsUndetermined(), "%+v", a.Undetermined)
		a = evalMissing(t, "", map[string]riskpolicy.Value{"a": n(1), "b": n(1), "c": n(0), "flag": riskpolicy.Bool(true)})
		assert.Equal(t, []string{"no_report_card"}, fired(a))
	})
	t.Run("an indicator that says missing: skip does not make the level undetermined", func(t *testing.T) {
		a := evalMissing(t, "", map[string]riskpolicy.Value{"a": n(1), "b": n(1), "flag": riskpolicy.Bool(false)})
		assert.False(t, a.IsUndetermined(), "%+v", a.Undetermined)
		require.Len(t, a.Skipped, 1)
		assert.Equal(t, riskpolicy.Skip{Rule: "optional", Condition: "rule optional", Missing: []string{"c"}}, a.Skipped[0])
	})
	t.Run("rules.NAME in an exit condition", func(t *testing.T) {
		a := evalMissing(t, "bad", map[string]riskpolicy.Value{"a": n(0), "b": n(1), "c": n(0), "flag": riskpolicy.Bool(false)})
		assert.Equal(t, "ok", a.Level, "held: %s", a.Held)
		a = evalMissing(t, "bad", map[string]riskpolicy.Value{"a": n(0), "b": n(60), "c": n(0), "flag": riskpolicy.Bool(false)})
		assert.Equal(t, "bad", a.Level)
	})
	t.Run("an exit condition that cannot be evaluated is reported", func(t *testing.T) {
		a := evalMissing(t, "bad", map[string]riskpolicy.Value{"b": n(1), "c": n(0), "flag": riskpolicy.Bool(false)})
		assert.Equal(t, "bad", a.Level)
		require.True(t, a.IsUndetermined())
		assert.Contains(t, a.Undetermined, riskpolicy.Skip{Condition: "exit condition of level bad", Missing: []string{"a"}})
		assert.Contains(t, a.Held, "cannot be evaluated")
	})
}

// The minimal case of the issue: rules.NAME in an exit condition compiled
// but never held.
func TestRulesInExitCondition(t *testing.T) {
	src := `
policy: exit
indicators:
  x: {type: number, source: test}
levels:
  - name: ok
  - name: bad
    exit: {when: "!rules.high", for: 1}
rules:
  - name: high
    when: x > 10.0
    level: bad
tests:
  - name: leaves bad once the rule no longer fires
    indicators: {x: 1}
    previous: bad
    expect: ok
  - name: stays while it fires
    indicators: {x: 11}
    previous: bad
    expect: bad
`
	p, err := riskpolicy.Compile("exit.yaml", []byte(src))
	require.NoError(t, err)
	for _, r := range p.Test(context.Background()) {
		assert.True(t, r.Passed, "%s: want %s, got %s", r.Name, r.Want, r.Got)
	}
}

func TestMissingSettings(t *testing.T) {
	base := `
policy: m
%s
indicators:
  x: {type: number, source: test}
levels:
  - name: ok
  - name: bad
rules:
  - name: high
    when: x > 10.0
    level: bad
%s
tests:
  - name: no value
    indicators: {}
    expect: %s
`
	for _, tc := range []struct{ name, policy, rule, expect string }{
		{"default is undetermined", "", "", "undetermined"},
		{"policy skips", "missing: skip", "", "ok"},
		{"rule skips", "", "    missing: skip", "ok"},
		{"rule overrides the policy", "missing: skip", "    missing: undetermined", "undetermined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := sprintf(base, tc.policy, tc.rule, tc.expect)
			p, err := riskpolicy.Compile("m.yaml", []byte(src))
			require.NoError(t, err)
			for _, r := range p.Test(context.Background()) {
				assert.True(t, r.Passed, "%s: want %s, got %s", r.Name, r.Want, r.Got)
			}
		})
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
