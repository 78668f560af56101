package simulation

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// TestMemoIsExact: evaluating the policy once per distinct declared values
// and previous level gives exactly the levels of evaluating every school
// every term.
func TestMemoIsExact(t *testing.T) {
	concern, err := riskpolicy.Builtin("ofsted-concern")
	if err != nil {
		t.Fatal(err)
	}
	events, err := riskpolicy.Compile("events.yaml", []byte(eventsPolicy))
	if err != nil {
		t.Fatal(err)
	}
	for _, pol := range []*riskpolicy.Policy{concern, events} {
		t.Run(pol.Name(), func(t *testing.T) { memoIsExact(t, pol) })
	}
}

// eventsPolicy reads, besides the report card, every indicator whose
// values change on an event (an inspection, a peer review, a head leaving,
// a falling roll) rather than every term, and neither history nor the
// clock, so the engine memoises it and skips schools no event touched.
const eventsPolicy = `policy: events
history: 1
combine: highest
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
  rc: [exceptional, strong_standard, expected_standard, needs_attention, urgent_improvement]
  sg: [met, not_met]
indicators:
  ofsted_rating: {type: grade, scale: ofsted, source: model}
  ofsted_history: {type: grade, list: true, scale: ofsted, source: model}
  report_card: {type: areas, scale: rc, areas: [inclusion, curriculum_and_teaching, achievement, attendance_and_behaviour, personal_development, leadership_and_governance], source: model}
  peer_review: {type: areas, scale: rc, areas: [inclusion, curriculum_and_teaching, achievement, attendance_and_behaviour, personal_development, leadership_and_governance], source: model}
  safeguarding: {type: grade, scale: sg, source: model}
  pupils: {type: count, source: model}
  head_new: {type: boolean, source: model}
  head_absent: {type: boolean, source: model}
  falling_roll: {type: boolean, source: model}
levels:
  - name: fine
  - name: watch
    exit: {when: "!head_new && !falling_roll"}
  - name: concern
rules:
  - name: weak
    when: ofsted_rating >= ofsted.requires_improvement || report_card.exists(g, g == rc.needs_attention)
    level: watch
  - name: peer_weak
    when: peer_review.exists(g, g >= rc.needs_attention)
    level: watch
  - name: unsettled
    when: head_new || head_absent || falling_roll
    level: watch
  - name: small_and_weak
    when: pupils < 250 && size(ofsted_history) >= 2 && ofsted_history[1] >= ofsted.requires_improvement
    level: concern
  - name: unsafe
    when: safeguarding == sg.not_met
    level: concern
`

func memoIsExact(t *testing.T, pol *riskpolicy.Policy) {
	w := Generate(GenerateOptions{Schools: 400, Seed: 9})
	run := func(memo bool) *Result {
		cfg := Config{World: w, Structure: Alliance(w, StructureOptions{AllianceSize: 40}), Policy: pol, Strategy: brokerage.Optimal{},
			Params: DefaultParams(), Terms: 12, Seed: 4, PerSchool: true}
		e, err := newEngine(&cfg)
		if err != nil {
			t.Fatal(err)
		}
		if e.levelOf == nil {
			t.Fatalf("%s reads no history or clock: the engine should memoise", pol.Name())
		}
		if !memo {
			e.levelOf = nil
		}
		e.record()
		for k := 1; k <= cfg.Terms; k++ {
			if err := e.step(context.Background(), k); err != nil {
				t.Fatal(err)
			}
		}
		return e.res
	}
	a, b := run(true), run(false)
	if slices.Equal(a.Terms[len(a.Terms)-1], a.Terms[1]) {
		t.Fatal("the run did not move")
	}
	for k := range a.Terms {
		for m := range a.Terms[k] {
			x, y := a.Terms[k][m], b.Terms[k][m]
			if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Fatalf("term %d %s: %v with memo, %v without", k, a.Metrics[m], x, y)
			}
		}
		for i := range a.Schools[k] {
			if a.Schools[k][i] != b.Schools[k][i] {
				t.Fatalf("term %d school %d: %+v vs %+v", k, i, a.Schools[k][i], b.Schools[k][i])
			}
		}
	}
}

// TestPercentageScale: a policy that writes percentages 0-1 gets the
// model's attendance on its scale, so its thresholds fire as written.
func TestPercentageScale(t *testing.T) {
	src := `policy: low-attendance
combine: highest
indicators:
  attendance: {type: percentage, scale: 0-1, source: MIS}
levels:
  - name: fine
  - name: concern
rules:
  - name: low
    when: attendance < 0.95
    level: concern
`
	pol, err := riskpolicy.Compile("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w := Generate(GenerateOptions{Schools: 200, Seed: 2})
	res, err := Run(context.Background(), Config{World: w, Policy: pol, Params: DefaultParams(), Terms: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := slices.Index(res.Metrics, "risk_share:concern")
	if c < 0 {
		t.Fatalf("no risk_share:concern in %v", res.Metrics)
	}
	concern := res.Terms[2][c]
	if concern <= 0.2 || concern >= 1 {
		t.Fatalf("share at concern %v: attendance was not put on the 0-1 scale", concern)
	}
}
