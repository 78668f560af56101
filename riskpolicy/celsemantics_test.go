package riskpolicy_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// genCond draws a random boolean expression over x, y (numbers), n, z
// (counts) and b (a boolean): comparisons, presence tests, && || ! and,
// now and then, an integer division that fails when z is 0.
func genCond(t *rapid.T, depth int) string {
	leaf := func() string {
		switch rapid.IntRange(0, 6).Draw(t, "leaf") {
		case 0:
			return "b"
		case 1:
			return fmt.Sprintf("has(%s)", rapid.SampledFrom([]string{"x", "y", "n", "b"}).Draw(t, "has"))
		case 2:
			return fmt.Sprintf("n / z > %d", rapid.IntRange(-2, 2).Draw(t, "k"))
		case 3:
			return fmt.Sprintf("n %s %d", rapid.SampledFrom([]string{"<", "<=", ">", ">=", "==", "!="}).Draw(t, "op"), rapid.IntRange(-2, 2).Draw(t, "k"))
		}
		v := rapid.SampledFrom([]string{"x", "y"}).Draw(t, "var")
		return fmt.Sprintf("%s %s %d.0", v, rapid.SampledFrom([]string{"<", "<=", ">", ">=", "==", "!="}).Draw(t, "op"), rapid.IntRange(-2, 2).Draw(t, "k"))
	}
	if depth <= 0 || rapid.IntRange(0, 2).Draw(t, "kind") == 0 {
		return leaf()
	}
	switch rapid.IntRange(0, 2).Draw(t, "op") {
	case 0:
		return "!(" + genCond(t, depth-1) + ")"
	case 1:
		return "(" + genCond(t, depth-1) + ") && (" + genCond(t, depth-1) + ")"
	}
	return "(" + genCond(t, depth-1) + ") || (" + genCond(t, depth-1) + ")"
}

// TestConditionsFollowCEL checks, on random conditions and random schools
// with missing values and failing divisions, that a rule fires exactly when
// cel-go itself evaluates the condition to true, is skipped exactly when
// cel-go gives an error or unknown, and otherwise does not fire; both on
// the compiled fast path and on the CEL path. cel-go runs on a plain
// environment where a missing value is an absent variable and has(v) is
// written as a variable of its own.
func TestConditionsFollowCEL(t *testing.T) {
	env, err := cel.NewEnv(
		cel.Variable("x", cel.DoubleType), cel.Variable("y", cel.DoubleType),
		cel.Variable("n", cel.IntType), cel.Variable("z", cel.IntType), cel.Variable("b", cel.BoolType),
		cel.Variable("has_x", cel.BoolType), cel.Variable("has_y", cel.BoolType),
		cel.Variable("has_n", cel.BoolType), cel.Variable("has_b", cel.BoolType))
	if err != nil {
		t.Fatal(err)
	}
	fastSeen, celSeen := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		expr := genCond(t, 3)
		src := fmt.Sprintf(`
policy: p
missing: skip
indicators:
  x: {type: number, source: t}
  y: {type: number, source: t}
  n: {type: count, source: t}
  z: {type: count, source: t}
  b: {type: boolean, source: t}
levels: [{name: ok}, {name: bad}]
rules:
  - name: r
    when: %q
    level: bad
`, expr)
		p, err := riskpolicy.Compile("p.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if riskpolicy.FastPath(p, "r") {
			fastSeen++
		} else {
			celSeen++
		}
		vals := map[string]riskpolicy.Value{}
		act := map[string]any{}
		for _, v := range []string{"x", "y", "n", "z", "b"} {
			present := rapid.IntRange(0, 3).Draw(t, "present_"+v) > 0
			if v != "z" {
				act["has_"+v] = present
			}
			if !present {
				continue
			}
			switch v {
			case "b":
				bv := rapid.Bool().Draw(t, v)
				vals[v], act[v] = riskpolicy.Bool(bv), bv
			case "n", "z":
				iv := rapid.IntRange(-2, 2).Draw(t, v)
				vals[v], act[v] = riskpolicy.Number(float64(iv)), int64(iv)
			default:
				fv := float64(rapid.IntRange(-2, 2).Draw(t, v))
				vals[v], act[v] = riskpolicy.Number(fv), fv
			}
		}
		plain := expr
		for _, v := range []string{"x", "y", "n", "b"} {
			plain = strings.ReplaceAll(plain, "has("+v+")", "has_"+v)
		}
		ast, iss := env.Compile(plain)
		if iss.Err() != nil {
			t.Fatalf("%s: %v", plain, iss.Err())
		}
		prg, err := env.Program(ast)
		if err != nil {
			t.Fatal(err)
		}
		want, _, evalErr := prg.Eval(act)
		a, err := p.Evaluate(context.Background(), riskpolicy.Record{URN: partnership.URN(1),
			Periods: []riskpolicy.Snapshot{{Values: vals}}}, &riskpolicy.EvalOptions{At: at})
		if err != nil {
			t.Fatal(err)
		}
		firedR := len(a.Fired) == 1
		skipped := slices.ContainsFunc(a.Skipped, func(s riskpolicy.Skip) bool { return s.Rule == "r" })
		switch {
		case evalErr != nil || types.IsUnknownOrError(want):
			if firedR || !skipped {
				t.Fatalf("%s with %v: CEL gives %v %v; got fired=%v skipped=%v", expr, act, want, evalErr, firedR, skipped)
			}
		case want == types.True:
			if !firedR || skipped {
				t.Fatalf("%s with %v: CEL gives true; got fired=%v skipped=%v", expr, act, firedR, skipped)
			}
		default:
			if firedR || skipped {
				t.Fatalf("%s with %v: CEL gives false; got fired=%v skipped=%v", expr, act, firedR, skipped)
			}
		}
	})
	if fastSeen == 0 || celSeen == 0 {
		t.Errorf("want both paths exercised: %d conditions on the fast path, %d in CEL", fastSeen, celSeen)
	}
}
