package riskpolicy

import (
	"context"
	"maps"
	"slices"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// testCase is an embedded test: inputs and the expected level.
type testCase struct {
	name     string
	pos      Pos
	rec      Record
	at       time.Time
	previous string
	expect   string
	fired    []string
	hasFired bool
}

// testURN is the URN embedded tests' schools have.
const testURN partnership.URN = 100000

// TestResult is the outcome of one embedded test.
type TestResult struct {
	Name string
	// Pos is where the test is in the policy file.
	Pos Pos
	// Want and Got are the expected and actual levels; Got is
	// "undetermined (at least LEVEL)" when the level could not be decided,
	// and a test passes then only if it expects undetermined.
	Want, Got string
	// WantFired, when the test lists fired rules, are the rules expected
	// to fire; GotFired are those that did.
	WantFired, GotFired []string
	Passed              bool
	// Err is an evaluation failure, if any.
	Err        error
	Assessment *Assessment
}

// Undetermined is what a test expects (expect: undetermined) when the
// school's level cannot be decided from its values (see Missing).
const Undetermined = "undetermined"

// Tests returns the number of embedded tests.
func (p *Policy) Tests() int { return len(p.tests) }

// Test runs the policy's embedded tests. A test without "at" runs at
// 2025-09-01.
func (p *Policy) Test(ctx context.Context) []TestResult {
	out := make([]TestResult, 0, len(p.tests))
	for _, tc := range p.tests {
		res := TestResult{Name: tc.name, Pos: tc.pos, Want: tc.expect, WantFired: tc.fired}
		opts := &EvalOptions{At: tc.at}
		if tc.previous != "" {
			opts.Previous = map[partnership.URN]*Assessment{testURN: {Policy: p.name, URN: testURN, Level: tc.previous, Computed: tc.previous}}
		}
		a, err := p.Evaluate(ctx, tc.rec, opts)
		if err != nil {
			res.Err = err
			out = append(out, res)
			continue
		}
		res.Assessment = a
		res.Got = a.Level
		if a.IsUndetermined() {
			res.Got = Undetermined + " (at least " + a.Level + ")"
			if tc.expect == Undetermined {
				res.Got = Undetermined
			}
		}
		for _, f := range a.Fired {
			res.GotFired = append(res.GotFired, f.Rule)
		}
		res.Passed = res.Got == res.Want
		if tc.hasFired {
			w, g := slices.Clone(tc.fired), slices.Clone(res.GotFired)
			slices.Sort(w)
			slices.Sort(g)
			res.Passed = res.Passed && slices.Equal(w, g)
		}
		out = append(out, res)
	}
	return out
}

func (c *compiler) testCase(td *testDecl) *testCase {
	p := c.p
	tc := &testCase{name: td.name, pos: c.pos(td.node), expect: td.expect, previous: td.previous, fired: td.fired,
		hasFired: td.hasFired, at: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}
	ok := true
	var levelNames []string
	for _, l := range p.levels {
		levelNames = append(levelNames, l.Name)
	}
	if td.expectNode != nil {
		if _, found := p.levelIdx[td.expect]; !found && td.expect != Undetermined {
			c.errorf(td.expectNode, "test '%s' expects unknown level '%s'%s", td.name, td.expect, suggest(td.expect, append(slices.Clone(levelNames), Undetermined)))
			ok = false
		}
	}
	if td.prevNode != nil {
		if _, found := p.levelIdx[td.previous]; !found {
			c.errorf(td.prevNode, "test '%s': unknown previous level '%s'%s", td.name, td.previous, suggest(td.previous, levelNames))
			ok = false
		}
	}
	if td.atNode != nil {
		t, found := parseDate(td.at)
		if !found {
			c.errorf(td.atNode, "test '%s': bad date '%s' (want 2006-01-02)", td.name, td.at)
			ok = false
		}
		tc.at = t
	}
	var ruleNames []string
	for _, r := range c.fd.rules {
		ruleNames = append(ruleNames, r.name)
	}
	for i, f := range td.fired {
		if !slices.Contains(ruleNames, f) {
			c.errorf(td.firedNodes[i], "test '%s': unknown rule '%s'%s", td.name, f, suggest(f, ruleNames))
			ok = false
		}
	}
	// like: NAME starts every period from an earlier test's indicators.
	var base map[string]Value
	if td.likeNode != nil {
		i := slices.IndexFunc(p.tests, func(t *testCase) bool { return t.name == td.like })
		if i < 0 {
			var names []string
			for _, t := range p.tests {
				names = append(names, t.name)
			}
			c.errorf(td.likeNode, "test '%s' is like '%s', which is not an earlier test%s", td.name, td.like, suggest(td.like, names))
			ok = false
		} else {
			base = p.tests[i].rec.Periods[0].Values
		}
	}
	snap := func(n *yaml.Node) Snapshot {
		s := Snapshot{Values: maps.Clone(base)}
		if s.Values == nil {
			s.Values = map[string]Value{}
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return s
		}
		var names []string
		for _, ind := range p.indicators {
			names = append(names, ind.Name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "period" {
				s.Period = v.Value
				continue
			}
			ind := p.byName[k.Value]
			if ind == nil {
				c.errorf(k, "test '%s': unknown indicator '%s'%s", td.name, k.Value, suggest(k.Value, names))
				ok = false
				continue
			}
			val, msg := c.testValue(ind, v)
			if msg != "" {
				c.errorf(v, "test '%s': %s: %s", td.name, k.Value, msg)
				ok = false
				continue
			}
			s.Values[k.Value] = val
		}
		return s
	}
	tc.rec = Record{URN: testURN, Name: td.name, Periods: []Snapshot{snap(td.indicators)}}
	for _, h := range td.history {
		tc.rec.Periods = append(tc.rec.Periods, snap(h))
	}
	if len(tc.rec.Periods) > p.history && len(td.history) > 0 {
		c.errorf(td.history[0], "test '%s' gives %d periods; the policy keeps %d", td.name, len(tc.rec.Periods), p.history)
		ok = false
	}
	if !ok {
		return nil
	}
	return tc
}

// testValue reads a test's value for an indicator.
func (c *compiler) testValue(ind *Indicator, n *yaml.Node) (Value, string) {
	if ind.Kind != KindAreas {
		return c.nodeValue(ind, n)
	}
	if n.Kind != yaml.MappingNode {
		return Value{}, "want a mapping from area to grade"
	}
	m := map[string]Value{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(ind.Areas, k.Value) {
			return Value{}, "unknown area '" + k.Value + "'" + suggest(k.Value, ind.Areas)
		}
		if v.Kind != yaml.ScalarNode {
			return Value{}, "area " + k.Value + ": want a grade"
		}
		if _, err := convertScalar(ind, Text(v.Value)); err != nil {
			return Value{}, "area " + k.Value + ": " + err.Error()
		}
		m[k.Value] = Text(v.Value)
	}
	return Areas(m), ""
}
