package riskpolicy

import (
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// closure is a condition compiled to Go: the fast path for the simple
// conditions most policies are made of (comparisons of indicators with
// constants and presence tests, joined by &&, || and !). It reads the
// indicator slots of one period, a nil slot being a missing value, and
// gives what the CEL program gives under CEL's rules for missing values:
// a comparison that reads a missing value is unknown; a || b is true when
// either side is true, false when both are false, unknown otherwise; a && b
// is false when either side is false, true when both are true, unknown
// otherwise; !unknown is unknown. Comparisons of present numbers, grades
// and booleans cannot fail. A condition outside that subset has no closure
// and runs as a CEL program.
type closure func(v []ref.Val) tri

// tri is a three-valued truth: a condition held, did not, or is unknown.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

type operand struct {
	slot int     // >= 0: an indicator slot
	c    ref.Val // otherwise a constant
}

func (o operand) get(v []ref.Val) ref.Val {
	if o.slot >= 0 {
		return v[o.slot]
	}
	return o.c
}

// buildClosure compiles a checked expression, or returns nil. presence maps
// has()'s variables to the slots they test.
func buildClosure(a *cel.Ast, slots, presence map[string]int, nbase int) closure {
	nat := a.NativeRep()
	refs := nat.ReferenceMap()
	operandOf := func(e ast.Expr) (operand, bool) {
		if r, ok := refs[e.ID()]; ok {
			if r.Value != nil {
				return operand{slot: -1, c: r.Value}, true
			}
			if s, ok := slots[r.Name]; ok && s < nbase && !strings.HasPrefix(r.Name, "history.") {
				// (a history list is made when read: CEL reads it)
				return operand{slot: s}, true
			}
			return operand{}, false
		}
		if e.Kind() == ast.LiteralKind {
			switch v := e.AsLiteral().(type) {
			case types.Double, types.Int, types.Bool:
				return operand{slot: -1, c: v}, true
			}
		}
		return operand{}, false
	}
	var build func(e ast.Expr, depth int) closure
	build = func(e ast.Expr, depth int) closure {
		if depth > 32 {
			return nil
		}
		switch e.Kind() {
		case ast.IdentKind, ast.SelectKind, ast.LiteralKind:
			if !nat.GetType(e.ID()).IsExactType(cel.BoolType) {
				return nil
			}
			if r, ok := refs[e.ID()]; ok {
				if s, isHas := presence[r.Name]; isHas {
					return func(v []ref.Val) tri {
						if v[s] != nil {
							return triTrue
						}
						return triFalse
					}
				}
			}
			op, ok := operandOf(e)
			if !ok {
				return nil
			}
			return func(v []ref.Val) tri {
				switch op.get(v) {
				case types.True:
					return triTrue
				case nil:
					return triUnknown
				}
				return triFalse
			}
		case ast.CallKind:
		default:
			return nil
		}
		call := e.AsCall()
		if call.IsMemberFunction() {
			return nil
		}
		args := call.Args()
		switch fn := call.FunctionName(); fn {
		case operators.LogicalAnd, operators.LogicalOr:
			if len(args) != 2 {
				return nil
			}
			l, r := build(args[0], depth+1), build(args[1], depth+1)
			if l == nil || r == nil {
				return nil
			}
			// decisive is the value that settles the operator whatever the
			// other side is: false for &&, true for ||.
			decisive, other := triFalse, triTrue
			if fn == operators.LogicalOr {
				decisive, other = triTrue, triFalse
			}
			return func(v []ref.Val) tri {
				a := l(v)
				if a == decisive {
					return a
				}
				b := r(v)
				if b == decisive {
					return b
				}
				if a == other && b == other {
					return other
				}
				return triUnknown
			}
		case operators.LogicalNot:
			if len(args) != 1 {
				return nil
			}
			x := build(args[0], depth+1)
			if x == nil {
				return nil
			}
			return func(v []ref.Val) tri {
				switch x(v) {
				case triTrue:
					return triFalse
				case triFalse:
					return triTrue
				}
				return triUnknown
			}
		case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals, operators.Equals, operators.NotEquals:
			if len(args) != 2 {
				return nil
			}
			l, ok1 := operandOf(args[0])
			r, ok2 := operandOf(args[1])
			if !ok1 || !ok2 {
				return nil
			}
			test := comparison(fn)
			if test == nil {
				return nil
			}
			return func(v []ref.Val) tri {
				a, b := l.get(v), r.get(v)
				if a == nil || b == nil {
					return triUnknown
				}
				if test(a, b) {
					return triTrue
				}
				return triFalse
			}
		}
		return nil
	}
	return build(nat.Expr(), 0)
}

// comparison returns a function comparing two values as CEL does for the
// operator: numbers across int and double, grades by position, booleans
// for equality. A pair of kinds it does not handle compares false, which
// the checker has already ruled out.
func comparison(fn string) func(a, b ref.Val) bool {
	var f func(x, y float64) bool
	var i func(x, y int64) bool
	switch fn {
	case operators.Less:
		f, i = func(x, y float64) bool { return x < y }, func(x, y int64) bool { return x < y }
	case operators.LessEquals:
		f, i = func(x, y float64) bool { return x <= y }, func(x, y int64) bool { return x <= y }
	case operators.Greater:
		f, i = func(x, y float64) bool { return x > y }, func(x, y int64) bool { return x > y }
	case operators.GreaterEquals:
		f, i = func(x, y float64) bool { return x >= y }, func(x, y int64) bool { return x >= y }
	case operators.Equals:
		f, i = func(x, y float64) bool { return x == y }, func(x, y int64) bool { return x == y }
	case operators.NotEquals:
		f, i = func(x, y float64) bool { return x != y }, func(x, y int64) bool { return x != y }
	default:
		return nil
	}
	eq := fn == operators.Equals || fn == operators.NotEquals
	return func(a, b ref.Val) bool {
		switch x := a.(type) {
		case types.Double:
			switch y := b.(type) {
			case types.Double:
				return f(float64(x), float64(y))
			case types.Int:
				return f(float64(x), float64(y))
			}
		case types.Int:
			switch y := b.(type) {
			case types.Int:
				return i(int64(x), int64(y))
			case types.Double:
				return f(float64(x), float64(y))
			}
		case *gradeVal:
			if y, ok := b.(*gradeVal); ok && y.sc == x.sc {
				return i(int64(x.rank), int64(y.rank))
			}
		case types.Bool:
			if y, ok := b.(types.Bool); ok && eq {
				return (x == y) == (fn == operators.Equals)
			}
		}
		return false
	}
}
