package simulation

import (
	"context"
	"math"
	"os"
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
	events, err := CompileFile("testdata/policies/events.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A policy reading a school's context: the FSM share is constant per
	// school but differs between schools, so it must be part of the memo
	// key (it was not: schools with the same grades took one level).
	fsm, err := riskpolicy.Compile("fsm.yaml", []byte(`policy: fsm-and-rating
missing: skip
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
indicators:
  ofsted_rating: {type: grade, scale: ofsted, source: model}
  fsm_percent: {type: percentage, source: model}
levels:
  - name: fine
  - name: concern
rules:
  - name: disadvantaged_and_weak
    when: fsm_percent > 25.0 && ofsted_rating >= ofsted.good
    level: concern
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, pol := range []*riskpolicy.Policy{concern, events, fsm} {
		t.Run(pol.Name(), func(t *testing.T) { memoIsExact(t, pol) })
	}
}

// CompileFile compiles the policy file name (for the tests of both
// packages).
func CompileFile(name string) (*riskpolicy.Policy, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return riskpolicy.Compile(name, src)
}

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
