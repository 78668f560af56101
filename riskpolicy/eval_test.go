package riskpolicy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const smallPolicy = `
policy: small
period: term
history: 4
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
indicators:
  attendance: {type: percentage, source: MIS}
  complaints: {type: count, source: complaints log}
  rating: {type: grade, scale: ofsted, source: Ofsted}
  last_inspected: {type: date, source: Ofsted}
actions:
  plan: Recovery plan
powers:
  finance: Local financial controls
  lgb: LGB powers
levels:
  - name: none
    review: termly
  - name: watch
    review: half-termly
    actions: [plan]
  - name: at_risk
    inherits: watch
    review: monthly
    delegation: {withdraws: [finance]}
    exit: {when: attendance >= 94.0, for: 2}
rules:
  - name: low_attendance
    description: Attendance below 90%
    when: attendance < 90.0
    near: attendance < 92.0
    level: watch
  - name: complaints_pattern
    when: complaints >= 3
    for: 2
    level: at_risk
  - name: poor_and_low
    when: rating >= ofsted.requires_improvement && rules.low_attendance
    level: at_risk
  - name: overdue
    when: years_between(last_inspected, now) > 5.0
    level: watch
`

func compileSmall(t *testing.T) *riskpolicy.Policy {
	t.Helper()
	p, err := riskpolicy.Compile("small.yaml", []byte(smallPolicy))
	require.NoError(t, err)
	return p
}

func rec(periods ...map[string]riskpolicy.Value) riskpolicy.Record {
	r := riskpolicy.Record{URN: 123456, Name: "Test School"}
	for _, p := range periods {
		r.Periods = append(r.Periods, riskpolicy.Snapshot{Values: p})
	}
	return r
}

var at = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

func TestEvaluateFiredValuesAndResponse(t *testing.T) {
	p := compileSmall(t)
	a, err := p.Evaluate(context.Background(), rec(map[string]riskpolicy.Value{
		"attendance": riskpolicy.Number(88.5), "complaints": riskpolicy.Number(1), "rating": riskpolicy.Text("Requires improvement"),
		"last_inspected": riskpolicy.Date(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)),
	}), &riskpolicy.EvalOptions{At: at})
	require.NoError(t, err)
	assert.Equal(t, "at_risk", a.Level)
	assert.Equal(t, riskpolicy.ChangeNew, a.Change)
	want := []riskpolicy.Firing{
		{Rule: "low_attendance", Description: "Attendance below 90%", Level: "watch",
			Values: []riskpolicy.Observation{{Name: "attendance", Value: "88.5"}}},
		{Rule: "poor_and_low", Level: "at_risk",
			Values: []riskpolicy.Observation{{Name: "rating", Value: "requires_improvement"}, {Name: "rules.low_attendance", Value: "true"}}},
	}
	if d := cmp.Diff(want, a.Fired); d != "" {
		t.Errorf("fired (-want +got):\n%s", d)
	}
	assert.Equal(t, []riskpolicy.Action{{ID: "plan", Text: "Recovery plan"}}, a.Actions)
	assert.Equal(t, riskpolicy.CadenceMonthly, a.Review)
	assert.Equal(t, []string{"lgb"}, a.Keeps)
	assert.Equal(t, []string{"finance"}, a.Withdraws)
}

func TestEvaluateNearMissesAndMissing(t *testing.T) {
	p := compileSmall(t)
	a, err := p.Evaluate(context.Background(), rec(
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(91), "complaints": riskpolicy.Number(4)},
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(95), "complaints": riskpolicy.Number(0)},
	), &riskpolicy.EvalOptions{At: at})
	require.NoError(t, err)
	assert.Equal(t, "none", a.Level)
	require.Len(t, a.NearMisses, 2)
	assert.Equal(t, "low_attendance", a.NearMisses[0].Rule)
	assert.Equal(t, "near: attendance < 92.0", a.NearMisses[0].Reason)
	assert.Equal(t, "complaints_pattern", a.NearMisses[1].Rule)
	assert.Equal(t, "condition held for 1 of the 2 terms it needs", a.NearMisses[1].Reason)
	var skipped []string
	for _, s := range a.Skipped {
		skipped = append(skipped, s.Rule+":"+strings.Join(s.Missing, ","))
	}
	// poor_and_low reads the missing rating, but its other side
	// (rules.low_attendance) is false, so under CEL's rules it is false,
	// not skipped.
	assert.Equal(t, []string{"overdue:last_inspected"}, skipped)
	// overdue could have raised the school to watch: the level is
	// undetermined, "none" being a lower bound.
	require.True(t, a.IsUndetermined())
	assert.Equal(t, []riskpolicy.Skip{{Rule: "overdue", Condition: "rule overdue", Missing: []string{"last_inspected"}}}, a.Undetermined)
}

func TestEvaluateExitConditionHoldsLevel(t *testing.T) {
	p := compileSmall(t)
	prev := map[partnership.URN]*riskpolicy.Assessment{123456: {Policy: "small", URN: 123456, Level: "at_risk", Computed: "at_risk"}}
	// Attendance recovered this term only: the school stays at risk.
	a, err := p.Evaluate(context.Background(), rec(
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(95), "complaints": riskpolicy.Number(0)},
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(91), "complaints": riskpolicy.Number(0)},
	), &riskpolicy.EvalOptions{At: at, Previous: prev})
	require.NoError(t, err)
	assert.Equal(t, "at_risk", a.Level)
	assert.Equal(t, "at_risk", a.Computed)
	assert.Equal(t, riskpolicy.ChangeSame, a.Change)
	assert.Equal(t, "stays at at_risk until its exit condition holds for 2 terms", a.Held)

	// Two terms of recovery: it leaves.
	a, err = p.Evaluate(context.Background(), rec(
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(95), "complaints": riskpolicy.Number(0)},
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(94.5), "complaints": riskpolicy.Number(0)},
	), &riskpolicy.EvalOptions{At: at, Previous: prev})
	require.NoError(t, err)
	assert.Equal(t, "none", a.Level)
	assert.Equal(t, riskpolicy.ChangeDown, a.Change)
	assert.Empty(t, a.Held)
}

func TestEvaluateOverride(t *testing.T) {
	p := compileSmall(t)
	ov := riskpolicy.Override{ID: "o1", Policy: "small", URN: 123456, Level: "at_risk", By: "Director of Education",
		Reason: "Headteacher resigned", At: at.Add(-24 * time.Hour), Expires: at.Add(90 * 24 * time.Hour)}
	expired := ov
	expired.ID, expired.Level, expired.Expires = "o0", "watch", at.Add(-time.Hour)
	a, err := p.Evaluate(context.Background(), rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(97)}),
		&riskpolicy.EvalOptions{At: at, Overrides: []riskpolicy.Override{expired, ov}})
	require.NoError(t, err)
	assert.Equal(t, "at_risk", a.Level)
	assert.Equal(t, "none", a.Computed)
	require.NotNil(t, a.Override)
	assert.Equal(t, riskpolicy.OverrideID("o1"), a.Override.ID)
}

func TestEvaluateBadValue(t *testing.T) {
	p := compileSmall(t)
	_, err := p.Evaluate(context.Background(), rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Text("ninety")}), nil)
	require.ErrorIs(t, err, riskpolicy.ErrInvalid)
	assert.Contains(t, err.Error(), `school 123456, period "", indicator attendance: want a finite number, got "ninety"`)
}

func TestEvaluateDeadline(t *testing.T) {
	src := `
policy: slow
indicators:
  xs: {type: number, list: true, max_items: 60, source: test}
levels: [{name: none}, {name: hit}]
rules:
  - name: triple
    when: xs.exists(a, xs.exists(b, xs.exists(c, a + b + c < -1.0)))
    level: hit
`
	p, err := riskpolicy.Compile("slow.yaml", []byte(src), riskpolicy.WithCostLimit(10_000_000))
	require.NoError(t, err)
	var xs []riskpolicy.Value
	for range 60 {
		xs = append(xs, riskpolicy.Number(1))
	}
	var recs []riskpolicy.Record
	for i := range 2000 {
		recs = append(recs, riskpolicy.Record{URN: partnership.URN(i + 1), Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{"xs": riskpolicy.List(xs...)}}}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.EvaluateAll(ctx, riskpolicy.NewMemorySource(recs...), nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "interrupt"), err.Error())
	assert.Less(t, time.Since(start), 2*time.Second)

	// The same rule is refused under the default cost limit.
	_, err = riskpolicy.Compile("slow.yaml", []byte(src))
	require.ErrorContains(t, err, "exceeds the limit 100000")
}

func TestCustomFunctionsTrackCost(t *testing.T) {
	double := cel.Function("twice", cel.Overload("twice_double", []*cel.Type{cel.DoubleType}, cel.DoubleType,
		cel.UnaryBinding(func(v ref.Val) ref.Val { return v.(types.Double) * 2 })))
	p, err := riskpolicy.Compile("custom.yaml", []byte(`
policy: custom
indicators:
  attendance: {type: percentage, source: MIS}
levels: [{name: none}, {name: low}]
rules:
  - {name: low, when: twice(attendance) < 180.0, level: low}
`), riskpolicy.WithFunctions(double))
	require.NoError(t, err)
	a, err := p.Evaluate(context.Background(), rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(85)}), nil)
	require.NoError(t, err)
	assert.Equal(t, "low", a.Level)
}

func TestPointsAndAreas(t *testing.T) {
	p, err := riskpolicy.Builtin("ofsted-concern")
	require.NoError(t, err)
	a, err := p.Evaluate(context.Background(), riskpolicy.Record{URN: 1, Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{
		"report_card.leadership_and_governance": riskpolicy.Text("urgent improvement"),
		"report_card":                           riskpolicy.Areas(map[string]riskpolicy.Value{"achievement": riskpolicy.Text("urgent-improvement")}),
		"safeguarding":                          riskpolicy.Text("met"),
	}}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "special_measures", a.Level)

	la, err := riskpolicy.Builtin("la-categories")
	require.NoError(t, err)
	a, err = la.Evaluate(context.Background(), riskpolicy.Record{URN: 1, Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{
		"ofsted_rating": riskpolicy.Text("3"), "attainment": riskpolicy.Number(48), "attendance": riskpolicy.Number(95), "fsm_percent": riskpolicy.Number(40),
	}}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "C", a.Level)
	assert.Equal(t, 5.0, a.Score)
}

const csvPolicy = `
policy: csv
scales:
  g: [good, bad]
indicators:
  attendance: {type: percentage, source: census}
  card: {type: areas, scale: g, areas: [leadership], source: inspection, missing: skip}
levels: [{name: ok}, {name: low}]
rules:
  - {name: low, when: attendance < 90.0 || card.leadership == g.bad, level: low}
`

func TestReadCSV(t *testing.T) {
	p, err := riskpolicy.Compile("csv.yaml", []byte(csvPolicy))
	require.NoError(t, err)
	cur := "# a comment\nurn,name,period,attendance,card.leadership\n2,Two,2025 T3,91.5,good\n1,One,2025 T3,88,\n"
	hist := "urn,period,attendance,card.leadership\n1,2025 T2,89,\n1,2025 T1,90,\n"
	d, err := p.ReadCSV("cur.csv", strings.NewReader(cur), "hist.csv", strings.NewReader(hist), nil)
	require.NoError(t, err)
	src := d.Source
	require.Equal(t, 2, src.Len())
	r, err := src.Record(context.Background(), 1)
	require.NoError(t, err)
	var periods []string
	for _, s := range r.Periods {
		periods = append(periods, s.Period+"="+s.Values["attendance"].String())
	}
	assert.Equal(t, []string{"2025 T3=88", "2025 T2=89", "2025 T1=90"}, periods)
	r, err = src.Record(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, "leadership=good", r.Periods[0].Values["card"].String())
	_, err = src.Record(context.Background(), 3)
	require.ErrorIs(t, err, riskpolicy.ErrNotFound)

	_, err = p.ReadCSV("bad.csv", strings.NewReader("urn,attendance,card.leadership\n1,2\nabc,1,good\n"), "", nil, nil)
	var list riskpolicy.ErrorList
	require.ErrorAs(t, err, &list)
	assert.Equal(t, "bad.csv:2: wrong number of fields: the row has 2, the header 3\nbad.csv:3:1: URN \"abc\" is not a whole positive number", list.Error())
}

func TestMemorySourcePages(t *testing.T) {
	var recs []riskpolicy.Record
	for _, u := range []partnership.URN{5, 3, 9, 1, 7} {
		recs = append(recs, riskpolicy.Record{URN: u})
	}
	src := riskpolicy.NewMemorySource(recs...)
	var got []partnership.URN
	cursor := ""
	for {
		page, next, err := src.Records(context.Background(), cursor, 2)
		require.NoError(t, err)
		for _, r := range page {
			got = append(got, r.URN)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, []partnership.URN{1, 3, 5, 7, 9}, got)
}

func TestDiff(t *testing.T) {
	old := compileSmall(t)
	stricter, err := riskpolicy.Compile("strict.yaml", []byte(strings.Replace(smallPolicy, "when: attendance < 90.0", "when: attendance < 93.0", 1)))
	require.NoError(t, err)
	src := riskpolicy.NewMemorySource(
		rec(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(91)}),
		riskpolicy.Record{URN: 2, Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{"attendance": riskpolicy.Number(97)}}}},
	)
	im, err := riskpolicy.Diff(context.Background(), old, stricter, src, &riskpolicy.DiffOptions{Eval: &riskpolicy.EvalOptions{At: at}})
	require.NoError(t, err)
	assert.Equal(t, 2, im.Schools)
	require.Len(t, im.Changes, 1)
	c := im.Changes[0]
	assert.Equal(t, partnership.URN(123456), c.URN)
	assert.Equal(t, "none", c.From)
	assert.Equal(t, "watch", c.To)
	assert.Equal(t, riskpolicy.ChangeUp, c.Direction)
	assert.Equal(t, []string{"low_attendance"}, c.Gained)
	assert.Equal(t, []riskpolicy.LevelCount{{"none", 2}, {"watch", 0}, {"at_risk", 0}}, im.Before)
	assert.Equal(t, []riskpolicy.LevelCount{{"none", 1}, {"watch", 1}, {"at_risk", 0}}, im.After)
}

func TestEntryConditionAndForBeforeWhen(t *testing.T) {
	p, err := riskpolicy.Compile("entry.yaml", []byte(`
policy: entry
period: term
indicators:
  attendance: {type: percentage, source: MIS}
  last_inspected: {type: date, source: Ofsted}
levels:
  - name: none
  - name: watch
    entry: {when: "attendance < 93.0", for: 2}
  - name: overdue
rules:
  - name: not_inspected
    for: 1
    when: years_between(last_inspected, now) > 5.0
    level: overdue
`))
	require.NoError(t, err)
	require.Equal(t, 1, p.Rules()[0].For)
	eval := func(periods ...map[string]riskpolicy.Value) *riskpolicy.Assessment {
		a, err := p.Evaluate(context.Background(), rec(periods...), &riskpolicy.EvalOptions{At: at})
		require.NoError(t, err)
		return a
	}
	assert.Equal(t, "none", eval(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(92)},
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(95)}).Level)
	assert.Equal(t, "watch", eval(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(92)},
		map[string]riskpolicy.Value{"attendance": riskpolicy.Number(91)}).Level)
	a := eval(map[string]riskpolicy.Value{"attendance": riskpolicy.Number(97), "last_inspected": riskpolicy.Text("2019-06-30")})
	assert.Equal(t, "overdue", a.Level)
	assert.Equal(t, []riskpolicy.Observation{{Name: "last_inspected", Value: "2019-06-30"}}, a.Fired[0].Values)
}

func TestEvaluateRecordWithoutValues(t *testing.T) {
	for _, n := range riskpolicy.Builtins() {
		p, err := riskpolicy.Builtin(n)
		require.NoError(t, err)
		for _, r := range []riskpolicy.Record{{URN: 5}, {URN: 6, Periods: []riskpolicy.Snapshot{{}, {}}}} {
			a, err := p.Evaluate(context.Background(), r, nil)
			require.NoError(t, err, n)
			assert.Equal(t, p.Levels()[0].Name, a.Level, n)
			assert.Empty(t, a.Fired, n)
		}
	}
}
