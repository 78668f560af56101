package riskpolicy

import (
	"fmt"
	"math"
	"reflect"
	"slices"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/decls"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"

	celcost "cel.dev/cel-go/common/cost"
)

// Scale is a named ordered scale of grades, listed best first, such as
// Ofsted's outstanding, good, requires improvement, inadequate. In rules a
// grade is written scale.grade (ofsted.good) and grades compare by their
// position, as grade numbers do: a worse grade is greater, so
// "rating >= ofsted.requires_improvement" means requires improvement or
// worse.
type Scale struct {
	Name   string
	Grades []string

	typ   *cel.Type
	vals  []*gradeVal
	index map[string]int // folded name -> position (0-based)
}

func newScale(name string, grades []string) *Scale {
	// An object type with the comparer trait: CEL's comparison operators
	// dispatch to gradeVal.Compare.
	s := &Scale{Name: name, Grades: grades, typ: types.NewObjectType(name, traits.ComparerType), index: map[string]int{}}
	for i, g := range grades {
		s.vals = append(s.vals, &gradeVal{sc: s, rank: i + 1})
		s.index[foldName(g)] = i
	}
	return s
}

// grade returns the grade named s (case, spaces and hyphens ignored), or
// the grade numbered s (1 = best).
func (s *Scale) grade(name string) (*gradeVal, bool) {
	if i, ok := s.index[foldName(name)]; ok {
		return s.vals[i], true
	}
	var n int
	if _, err := fmt.Sscanf(name, "%d", &n); err == nil && fmt.Sprint(n) == name && n >= 1 && n <= len(s.vals) {
		return s.vals[n-1], true
	}
	return nil, false
}

// gradeVal is a grade as a CEL value. Each scale allocates its grades once.
type gradeVal struct {
	sc   *Scale
	rank int // 1 = best
}

func (g *gradeVal) String() string { return g.sc.Grades[g.rank-1] }

// ConvertToNative implements ref.Val.
func (g *gradeVal) ConvertToNative(t reflect.Type) (any, error) {
	switch t.Kind() {
	case reflect.String:
		return g.String(), nil
	case reflect.Int, reflect.Int64:
		return reflect.ValueOf(g.rank).Convert(t).Interface(), nil
	}
	return nil, fmt.Errorf("grade cannot be converted to %v", t)
}

// ConvertToType implements ref.Val.
func (g *gradeVal) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.StringType:
		return types.String(g.String())
	case types.IntType:
		return types.Int(g.rank)
	case types.TypeType:
		return g.sc.typ
	}
	if t.TypeName() == g.sc.Name {
		return g
	}
	return types.NewErr("type conversion error from '%s' to '%s'", g.sc.Name, t)
}

// Equal implements ref.Val.
func (g *gradeVal) Equal(o ref.Val) ref.Val {
	og, ok := o.(*gradeVal)
	return types.Bool(ok && og.sc == g.sc && og.rank == g.rank)
}

// Type implements ref.Val.
func (g *gradeVal) Type() ref.Type { return g.sc.typ }

// Value implements ref.Val.
func (g *gradeVal) Value() any { return g.String() }

// Compare implements traits.Comparer: a worse grade is greater.
func (g *gradeVal) Compare(o ref.Val) ref.Val {
	og, ok := o.(*gradeVal)
	if !ok || og.sc != g.sc {
		return types.MaybeNoSuchOverloadErr(o)
	}
	switch {
	case g.rank < og.rank:
		return types.IntNegOne
	case g.rank > og.rank:
		return types.IntOne
	}
	return types.IntZero
}

// scaleDecls declares a scale's type, its grade constants and comparisons.
func scaleDecls(s *Scale) []cel.EnvOption {
	var opts []cel.EnvOption
	for i, g := range s.Grades {
		opts = append(opts, cel.Constant(s.Name+"."+g, s.typ, s.vals[i]))
	}
	T := []*cel.Type{s.typ, s.typ}
	for _, op := range []struct{ fn, id string }{
		{operators.Less, "less"},
		{operators.LessEquals, "less_equals"},
		{operators.Greater, "greater"},
		{operators.GreaterEquals, "greater_equals"},
	} {
		// Declared only: the standard operators dispatch at run time.
		opts = append(opts, cel.Function(op.fn, cel.Overload(op.id+"_"+s.Name, T, cel.BoolType)))
	}
	opts = append(opts, cel.Function("rank", decls.DisableTypeGuards(true), cel.Overload("rank_"+s.Name, []*cel.Type{s.typ}, cel.IntType,
		cel.UnaryBinding(func(v ref.Val) ref.Val {
			if g, ok := v.(*gradeVal); ok {
				return types.Int(g.rank)
			}
			return types.MaybeNoSuchOverloadErr(v)
		}))))
	return opts
}

// libraryDecls are the functions every policy may use besides CEL's own.
func libraryDecls() []cel.EnvOption {
	listD := cel.ListType(cel.DoubleType)
	listI := cel.ListType(cel.IntType)
	listB := cel.ListType(cel.BoolType)
	A := cel.TypeParamType("A")
	num := func(v ref.Val) (float64, bool) {
		switch x := v.(type) {
		case types.Double:
			return float64(x), true
		case types.Int:
			return float64(x), true
		}
		return 0, false
	}
	floats := func(v ref.Val) ([]float64, bool) {
		l, ok := v.(traits.Lister)
		if !ok {
			return nil, false
		}
		n, _ := l.Size().(types.Int)
		out := make([]float64, 0, int(n))
		for i := types.Int(0); i < n; i++ {
			f, ok := num(l.Get(i))
			if !ok {
				return nil, false
			}
			out = append(out, f)
		}
		return out, true
	}
	trend := func(v ref.Val) ref.Val {
		// Least-squares slope per period, the list being newest first: a
		// positive trend means the values have been rising.
		ys, ok := floats(v)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		n := float64(len(ys))
		if len(ys) < 2 {
			return types.Double(0)
		}
		var sx, sy, sxx, sxy float64
		for i, y := range ys {
			x := -float64(i)
			sx += x
			sy += y
			sxx += x * x
			sxy += x * y
		}
		return types.Double((n*sxy - sx*sy) / (n*sxx - sx*sx))
	}
	mean := func(v ref.Val) ref.Val {
		ys, ok := floats(v)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		if len(ys) == 0 {
			return types.Double(math.NaN())
		}
		s := 0.0
		for _, y := range ys {
			s += y
		}
		return types.Double(s / float64(len(ys)))
	}
	bools := func(v ref.Val) ([]bool, bool) {
		l, ok := v.(traits.Lister)
		if !ok {
			return nil, false
		}
		n, _ := l.Size().(types.Int)
		out := make([]bool, 0, int(n))
		for i := types.Int(0); i < n; i++ {
			b, ok := l.Get(i).(types.Bool)
			if !ok {
				return nil, false
			}
			out = append(out, bool(b))
		}
		return out, true
	}
	count := func(v ref.Val) ref.Val {
		bs, ok := bools(v)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		c := 0
		for _, b := range bs {
			if b {
				c++
			}
		}
		return types.Int(c)
	}
	streak := func(v ref.Val) ref.Val {
		bs, ok := bools(v)
		if !ok {
			return types.MaybeNoSuchOverloadErr(v)
		}
		c := 0
		for _, b := range bs {
			if !b {
				break
			}
			c++
		}
		return types.Int(c)
	}
	recent := func(l, r ref.Val) ref.Val {
		lst, ok := l.(traits.Lister)
		n, ok2 := r.(types.Int)
		if !ok || !ok2 {
			return types.MaybeNoSuchOverloadErr(r)
		}
		size, _ := lst.Size().(types.Int)
		if n > size {
			n = size
		}
		if n < 0 {
			n = 0
		}
		out := make([]ref.Val, int(n))
		for i := range out {
			out[i] = lst.Get(types.Int(i))
		}
		return types.NewRefValList(types.DefaultTypeAdapter, out)
	}
	years := func(a, b ref.Val) ref.Val {
		ta, ok1 := a.(types.Timestamp)
		tb, ok2 := b.(types.Timestamp)
		if !ok1 || !ok2 {
			return types.MaybeNoSuchOverloadErr(b)
		}
		return types.Double(tb.Time.Sub(ta.Time).Hours() / (24 * 365.25))
	}
	return []cel.EnvOption{
		// Each implementation checks its arguments' types itself (a
		// wrong one gives no-such-overload), so CEL's run-time guards,
		// which walk every list argument's elements, are off.
		cel.Function("trend", decls.DisableTypeGuards(true),
			cel.Overload("trend_list_double", []*cel.Type{listD}, cel.DoubleType, cel.UnaryBinding(trend)),
			cel.Overload("trend_list_int", []*cel.Type{listI}, cel.DoubleType, cel.UnaryBinding(trend))),
		cel.Function("mean", decls.DisableTypeGuards(true),
			cel.Overload("mean_list_double", []*cel.Type{listD}, cel.DoubleType, cel.UnaryBinding(mean)),
			cel.Overload("mean_list_int", []*cel.Type{listI}, cel.DoubleType, cel.UnaryBinding(mean))),
		cel.Function("count", decls.DisableTypeGuards(true), cel.Overload("count_list_bool", []*cel.Type{listB}, cel.IntType, cel.UnaryBinding(count))),
		cel.Function("streak", decls.DisableTypeGuards(true), cel.Overload("streak_list_bool", []*cel.Type{listB}, cel.IntType, cel.UnaryBinding(streak))),
		cel.Function("recent", decls.DisableTypeGuards(true), cel.Overload("recent_list_int", []*cel.Type{cel.ListType(A), cel.IntType}, cel.ListType(A),
			cel.BinaryBinding(recent))),
		cel.Function("years_between", decls.DisableTypeGuards(true), cel.Overload("years_between_timestamp", []*cel.Type{cel.TimestampType, cel.TimestampType},
			cel.DoubleType, cel.BinaryBinding(years))),
	}
}

// libraryFuncs are the names of the functions whose cost grows with the
// length of their list argument.
var libraryFuncs = map[string]bool{"trend": true, "mean": true, "count": true, "streak": true, "recent": true}

// estimator bounds the sizes of lists for cost estimation: every list a
// rule can see has a length the policy declares.
type estimator struct {
	sizes   map[string]uint64 // variable name -> max list length
	maxList uint64
}

func (e *estimator) EstimateSize(n celcost.AstNode) *celcost.SizeEstimate {
	if t := n.Type(); t != nil && t.Kind() == types.StructKind {
		return &celcost.SizeEstimate{Min: 1, Max: 1} // a grade
	}
	if p := n.Path(); len(p) == 1 {
		if s, ok := e.sizes[p[0]]; ok {
			return &celcost.SizeEstimate{Min: 0, Max: s}
		}
	}
	return nil
}

func (e *estimator) EstimateCallCost(function, overloadID string, target *celcost.AstNode, args []celcost.AstNode) *celcost.CallEstimate {
	if libraryFuncs[function] {
		return celcost.NewCallEstimate(celcost.Estimate{Min: 1, Max: e.maxList + 1}, &celcost.SizeEstimate{Min: 0, Max: e.maxList})
	}
	return nil
}

// activation resolves a rule's variables from one period's slots. A
// missing value is not found, which CEL turns into an error value that
// || and && absorb where the other side decides.
type activation struct {
	slots    map[string]int
	presence map[string]int
	base     []ref.Val // indicator slots, from the bound record
	extra    []ref.Val // rule and now slots, from the evaluator
	nbase    int
	// ev makes the history lists of period k when read (see
	// evaluator.history).
	ev *evaluator
	k  int
}

func (a *activation) ResolveName(name string) (any, bool) {
	i, ok := a.slots[name]
	if !ok {
		if s, isHas := a.presence[name]; isHas {
			return types.Bool(a.base[s] != nil), true
		}
		return nil, false
	}
	var v ref.Val
	if i < a.nbase {
		if i < len(a.base) {
			v = a.base[i]
		} else if h := a.ev.histInd; h != nil && h[i] != nil {
			return a.ev.history(h[i], i, a.k), true
		}
	} else {
		v = a.extra[i-a.nbase]
	}
	if v == nil {
		return nil, false
	}
	return v, true
}

func (a *activation) Parent() interpreter.Activation { return nil }

// hasComprehension reports whether the checked expression loops.
func hasComprehension(a *cel.Ast) bool {
	found := false
	ast.PreOrderVisit(a.NativeRep().Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.ComprehensionKind {
			found = true
		}
	}))
	return found
}

// referencedNames returns the declared variables an expression reads.
func referencedNames(a *cel.Ast) []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range a.NativeRep().ReferenceMap() {
		if r.Name != "" && r.Value == nil && len(r.OverloadIDs) == 0 && !seen[r.Name] {
			seen[r.Name] = true
			names = append(names, r.Name)
		}
	}
	return names
}

// presenceName is the variable has(name) reads. It cannot be written in a
// rule: only the has macro produces it.
func presenceName(name string) string { return "@has:" + name }

// presenceMacro replaces CEL's has() macro, which tests a message field,
// with a presence test for indicators and areas: has(attendance) is true
// when the school has an attendance value, has(report_card) when it has
// any graded area, has(report_card.leadership_and_governance) when that
// area is graded.
func presenceMacro(p *Policy) cel.Macro {
	return cel.GlobalMacro("has", 1, func(eh cel.MacroExprFactory, _ ast.Expr, args []ast.Expr) (ast.Expr, *common.Error) {
		name, ok := dottedName(args[0])
		if ok {
			if _, known := p.presence[presenceName(name)]; known {
				return eh.NewIdent(presenceName(name)), nil
			}
		}
		var names []string
		for n := range p.presence {
			names = append(names, n[len("@has:"):])
		}
		slices.Sort(names)
		return nil, eh.NewError(args[0].ID(), fmt.Sprintf("has() tests whether a school has a value: write has(INDICATOR) or has(INDICATOR.AREA)%s",
			suggest(name, names)))
	})
}

// dottedName returns the name an identifier or a chain of field selections
// spells: report_card.leadership_and_governance.
func dottedName(e ast.Expr) (string, bool) {
	switch e.Kind() {
	case ast.IdentKind:
		return e.AsIdent(), true
	case ast.SelectKind:
		s := e.AsSelect()
		if s.IsTestOnly() {
			return "", false
		}
		base, ok := dottedName(s.Operand())
		return base + "." + s.FieldName(), ok
	}
	return "", false
}
