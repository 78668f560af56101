package riskpolicy_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// A condition with for: N on a record with fewer than N periods: false
// when it is false in a period there is; otherwise unknown, never false
// (a school whose attendance is low now may have been low for N terms),
// so undetermined unless the policy says missing: skip. The same for a
// level's entry and exit conditions, and rules.NAME of such a rule.
func TestForWithShortHistory(t *testing.T) {
	ctx := context.Background()
	rec := func(xs ...float64) riskpolicy.Record {
		r := riskpolicy.Record{URN: 100001}
		for _, x := range xs {
			r.Periods = append(r.Periods, riskpolicy.Snapshot{Values: map[string]riskpolicy.Value{"x": riskpolicy.Number(x)}})
		}
		return r
	}
	const head = `
policy: p
period: term
indicators:
  x: {type: number, source: t%s}
levels:
  - name: ok
  - name: bad
`
	compile := func(t *testing.T, indicator, rest string) *riskpolicy.Policy {
		t.Helper()
		p, err := riskpolicy.Compile("p.yaml", []byte(sprintf(head, indicator)+rest))
		require.NoError(t, err)
		return p
	}
	rule := func(setting string) string {
		return "rules:\n  - {name: low, when: x < 90.0, for: 3, level: bad" + setting + "}\n"
	}
	eval := func(t *testing.T, p *riskpolicy.Policy, r riskpolicy.Record, prev string) *riskpolicy.Assessment {
		t.Helper()
		o := &riskpolicy.EvalOptions{}
		if prev != "" {
			o.Previous = map[partnership.URN]*riskpolicy.Assessment{r.URN: {Level: prev, Computed: prev}}
		}
		a, err := p.Evaluate(ctx, r, o)
		require.NoError(t, err)
		return a
	}

	p := compile(t, "", rule(""))
	a := eval(t, p, rec(80, 85), "")
	assert.True(t, a.IsUndetermined())
	assert.Equal(t, "ok", a.Level, "the lower bound")
	require.Len(t, a.Undetermined, 1)
	assert.Equal(t, []string{"x in the 1 term before (for: 3; the data has 2 terms)"}, a.Undetermined[0].Missing)
	assert.Equal(t, "rule low", a.Undetermined[0].Condition)

	a = eval(t, p, rec(80, 95), "") // false in a period there is
	assert.False(t, a.IsUndetermined())
	assert.Equal(t, "ok", a.Level)
	a = eval(t, p, rec(80, 85, 70), "")
	assert.Equal(t, "bad", a.Level)
	assert.False(t, a.IsUndetermined())

	// missing: skip, on the rule or on the indicator, passes it over.
	for _, p := range []*riskpolicy.Policy{compile(t, "", rule(", missing: skip")), compile(t, ", missing: skip", rule(""))} {
		a := eval(t, p, rec(80), "")
		assert.False(t, a.IsUndetermined())
		assert.Equal(t, "ok", a.Level)
		require.Len(t, a.Skipped, 1, "still listed as skipped")
		assert.Equal(t, []string{"x in the 2 terms before (for: 3; the data has 1 term)"}, a.Skipped[0].Missing)
	}

	// rules.NAME of such a rule is unknown too.
	p, err := riskpolicy.Compile("r.yaml", []byte(`
policy: p
period: term
indicators:
  x: {type: number, source: t}
levels: [{name: ok}, {name: bad}, {name: worse}]
rules:
  - {name: low, when: x < 90.0, for: 2, level: bad}
  - {name: lower, when: rules.low && x < 85.0, level: worse}
`))
	require.NoError(t, err)
	a = eval(t, p, rec(80), "")
	assert.True(t, a.IsUndetermined())
	require.Len(t, a.Undetermined, 2)
	assert.Equal(t, "rule lower", a.Undetermined[1].Condition)
	assert.Equal(t, []string{"rules.low"}, a.Undetermined[1].Missing)
	a = eval(t, p, rec(86), "") // lower is false whatever low is
	require.Len(t, a.Undetermined, 1)
	assert.False(t, eval(t, p, rec(95), "").IsUndetermined())

	// An entry condition.
	entry := `
policy: p
period: term
indicators:
  x: {type: number, source: t}
levels:
  - name: ok
  - name: bad
    entry: {when: "x < 90.0", for: 2}
rules: []
`
	p, err = riskpolicy.Compile("e.yaml", []byte(entry))
	require.NoError(t, err)
	a = eval(t, p, rec(80), "")
	assert.True(t, a.IsUndetermined())
	assert.Equal(t, "entry condition of level bad", a.Undetermined[0].Condition)
	assert.Equal(t, "bad", eval(t, p, rec(80, 80), "").Level)

	// An exit condition: a school at bad with one good term may have been
	// good for two; with two it leaves, with a bad one it stays.
	exit := `
policy: p
period: term
indicators:
  x: {type: number, source: t}
levels:
  - name: ok
  - name: bad
    exit: {when: "x >= 95.0", for: 2}
rules:
  - {name: low, when: x < 90.0, level: bad}
`
	p, err = riskpolicy.Compile("x.yaml", []byte(exit))
	require.NoError(t, err)
	a = eval(t, p, rec(96), "bad")
	assert.True(t, a.IsUndetermined())
	assert.Equal(t, "bad", a.Level)
	assert.Equal(t, "stays at bad: its exit condition cannot be evaluated", a.Held)
	assert.Equal(t, "ok", eval(t, p, rec(96, 97), "bad").Level)
	a = eval(t, p, rec(92), "bad")
	assert.Equal(t, "bad", a.Level)
	assert.False(t, a.IsUndetermined())
}
