package riskpolicy_test

import (
	"context"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types/ref"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// celOnly compiles src with a custom function declared, which makes the
// policy run every condition as a CEL program with run-time cost tracking:
// the reference the compiled fast path must agree with.
func celOnly(t *rapid.T, name, src string) *riskpolicy.Policy {
	noop := cel.Function("noop_for_test", cel.Overload("noop_for_test_int", []*cel.Type{cel.IntType}, cel.IntType,
		cel.UnaryBinding(func(v ref.Val) ref.Val { return v })))
	p, err := riskpolicy.Compile(name, []byte(src), riskpolicy.WithFunctions(noop))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFastPathAgreesWithCEL checks, on random schools, that conditions
// compiled to Go give the same levels and fired rules as CEL itself.
func TestFastPathAgreesWithCEL(t *testing.T) {
	fast, err := riskpolicy.Compile("bench.yaml", []byte(benchPolicy()))
	if err != nil {
		t.Fatal(err)
	}
	small, err := riskpolicy.Compile("small.yaml", []byte(smallPolicy))
	if err != nil {
		t.Fatal(err)
	}
	grades := []string{"outstanding", "good", "requires improvement", "inadequate"}
	rapid.Check(t, func(t *rapid.T) {
		ref := map[*riskpolicy.Policy]*riskpolicy.Policy{fast: celOnly(t, "bench.yaml", benchPolicy()), small: celOnly(t, "small.yaml", smallPolicy)}
		num := func(name string, lo, hi float64) riskpolicy.Value {
			return riskpolicy.Number(rapid.Float64Range(lo, hi).Draw(t, name))
		}
		cnt := func(name string, hi int) riskpolicy.Value {
			return riskpolicy.Number(float64(rapid.IntRange(0, hi).Draw(t, name)))
		}
		vals := map[string]riskpolicy.Value{
			"attendance": num("attendance", 80, 100), "fsm": num("fsm", 0, 60), "attainment": num("attainment", 20, 95),
			"parent_conf": num("parent_conf", 20, 100), "staff_conf": num("staff_conf", 20, 100), "deficit": num("deficit", 0, 15),
			"staff_turnover": num("staff_turnover", 0, 50), "persistent_absence": num("persistent_absence", 0, 40),
			"send_percent": num("send_percent", 0, 40), "complaints": cnt("complaints", 12), "exclusions": cnt("exclusions", 25),
			"pupils": cnt("pupils", 1500), "scorecard_red": cnt("scorecard_red", 7),
			"rating":      riskpolicy.Text(rapid.SampledFrom(grades).Draw(t, "rating")),
			"head_absent": riskpolicy.Bool(rapid.Bool().Draw(t, "head_absent")), "safeguarding": riskpolicy.Bool(rapid.Bool().Draw(t, "sg")),
			"governance_concern": riskpolicy.Bool(rapid.Bool().Draw(t, "gov")),
		}
		// Leave some values out: missing values must be skipped alike.
		for _, k := range rapid.SliceOfN(rapid.SampledFrom([]string{"attendance", "rating", "complaints", "head_absent"}), 0, 2).Draw(t, "drop") {
			delete(vals, k)
		}
		rec := riskpolicy.Record{URN: partnership.URN(1), Periods: []riskpolicy.Snapshot{{Values: vals}, {Values: vals}}}
		for p, r := range ref {
			a, err := p.Evaluate(context.Background(), rec, &riskpolicy.EvalOptions{At: at})
			if err != nil {
				t.Fatal(err)
			}
			b, err := r.Evaluate(context.Background(), rec, &riskpolicy.EvalOptions{At: at})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(b, a, cmp.AllowUnexported(riskpolicy.Assessment{})); d != "" {
				t.Fatalf("%s: fast path and CEL differ (-cel +fast):\n%s", p.Name(), d)
			}
		}
	})
}
