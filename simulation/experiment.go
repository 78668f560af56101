package simulation

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// MaxExperimentSize is the largest experiment file ParseExperiment reads.
const MaxExperimentSize = 1 << 20

//go:embed experiment.schema.json
var schema []byte

// Schema returns the JSON Schema of experiment files.
func Schema() []byte { return slices.Clone(schema) }

// Pos is a position in an experiment file: 1-based line and column.
type Pos struct {
	File      string
	Line, Col int
}

// String returns "file:line:col".
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one mistake in an experiment file.
type Error struct {
	Pos Pos
	Msg string
}

// Error returns the position and the message.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

// ErrorList is every mistake found in an experiment file, sorted by
// position. Its Err is nil when it is empty.
type ErrorList []*Error

// Error returns every mistake, one a line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, so errors.Is(l, ErrInvalid) holds.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l
}

// The largest terms and replicates an experiment file may ask for (the
// schema's maxima); a program that overrides a parsed Experiment's Terms or
// Replicates should refuse values outside 1 to these.
const (
	MaxTerms      = 300
	MaxReplicates = 100000
)

// Experiment is a parsed experiment file: the world to run on, the
// variants (structure × policy × strategy × parameters) and how many
// replicates of each.
type Experiment struct {
	Name, Title string
	// Data is "embedded", "generated" or a directory of published extracts
	// (relative paths are resolved against the file's directory by the
	// caller; see DataDir).
	Data     string
	Generate GenerateOptions
	Start    time.Time
	Terms    int
	// Replicates per variant, and the Seed every replicate's streams are
	// derived from.
	Replicates int
	Seed       uint64
	PerSchool  bool
	Structure  StructureOptions
	Variants   []Variant
	// Sensitivity configures `sim sensitivity`; nil when the file has no
	// sensitivity section.
	Sensitivity *Sensitivity
	// Source is the file's bytes, for the output's record of what ran.
	Source []byte
}

// Variant is one combination the experiment compares.
type Variant struct {
	Name      string
	Structure string
	// PolicyName is the policy as written in the file (a built-in name or
	// a path); Policy the compiled policy, nil for "none".
	PolicyName string
	Policy     *riskpolicy.Policy
	Strategy   string
	Params     Params
}

// Sensitivity configures a Morris elementary-effects screening.
type Sensitivity struct {
	Variant      string
	Metric       string
	Trajectories int
	Levels       int
	Ranges       []Range
}

// Range is a parameter's range in a screening.
type Range struct {
	Param    string
	Min, Max float64
}

// Strategies lists the brokerage strategies a variant may name.
func Strategies() []string { return []string{"none", "optimal", "greedy", "stable"} }

// NewStrategy returns the named brokerage strategy, nil for "none".
func NewStrategy(name string) (brokerage.Strategy, error) {
	switch name {
	case "none":
		return nil, nil
	case "optimal":
		return brokerage.Optimal{}, nil
	case "greedy":
		return brokerage.Greedy{}, nil
	case "stable":
		return brokerage.Stable{}, nil
	}
	return nil, fmt.Errorf("%w: strategy %q%s", ErrNotFound, name, suggest(name, Strategies()))
}

type parser struct {
	file   string
	fsys   fs.FS
	errs   ErrorList
	policy map[string]*riskpolicy.Policy
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	pos := Pos{File: p.file}
	if n != nil {
		pos.Line, pos.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// ParseExperiment parses and checks an experiment file. Policy files named
// by path are read from fsys (relative to the experiment file's
// directory; nil means built-in policies only). Every mistake is reported
// at once, as an ErrorList of *Error with file, line and column: YAML
// syntax, an unknown or duplicate key (with a suggestion), a value of the
// wrong type or out of range, an unknown structure, policy, strategy,
// parameter or metric, duplicate variant names, a policy that does not
// compile (its own errors, in its own file) or that reads an indicator the
// model does not produce. Anchors and aliases are refused, as are files
// over MaxExperimentSize.
func ParseExperiment(file string, src []byte, fsys fs.FS) (*Experiment, error) {
	p := &parser{file: file, fsys: fsys, policy: map[string]*riskpolicy.Policy{}}
	if len(src) > MaxExperimentSize {
		p.errorf(nil, "file is %d bytes, over the limit of %d", len(src), MaxExperimentSize)
		return nil, p.errs.Err()
	}
	if !utf8.Valid(src) {
		p.errs = append(p.errs, &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "file is not valid UTF-8"})
		return nil, p.errs.Err()
	}
	var doc yaml.Node
	if err := yaml.Load(src, &doc, yaml.WithUniqueKeys(false)); err != nil {
		line, col, msg := 1, 1, strings.TrimPrefix(err.Error(), "yaml: ")
		var le *yaml.LoadError
		if errors.As(err, &le) {
			if le.Mark.Line > 0 {
				line, col = le.Mark.Line, le.Mark.Column
			}
			msg = le.Message
		}
		p.errs = append(p.errs, &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: "YAML: " + msg})
		return nil, p.errs.Err()
	}
	if len(doc.Content) == 0 {
		p.errs = append(p.errs, &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "empty file"})
		return nil, p.errs.Err()
	}
	x := &Experiment{Data: "embedded", Start: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC), Terms: 30, Replicates: 10, Seed: 1,
		Source: slices.Clone(src)}
	root := doc.Content[0]
	if p.noAliases(root); len(p.errs) > 0 {
		return nil, p.errs.Err()
	}
	base := DefaultParams()
	var variantsNode, factorsNode, sensNode *yaml.Node
	p.mapping(root, "experiment", map[string]func(k, v *yaml.Node){
		"experiment": func(_, v *yaml.Node) { x.Name = p.str(v) },
		"title":      func(_, v *yaml.Node) { x.Title = p.str(v) },
		"data":       func(_, v *yaml.Node) { x.Data = p.str(v) },
		"generate": func(_, v *yaml.Node) {
			p.mapping(v, "generate", map[string]func(k, v *yaml.Node){
				"schools":     func(_, v *yaml.Node) { x.Generate.Schools = p.intIn(v, 3, 200000) },
				"size_km":     func(_, v *yaml.Node) { x.Generate.SizeKm = p.floatIn(v, 1, 2000) },
				"trust_share": func(_, v *yaml.Node) { x.Generate.TrustShare = p.floatIn(v, 0, 1) },
				"seed":        func(_, v *yaml.Node) { x.Generate.Seed = uint64(p.intIn(v, 0, math.MaxInt64)) },
			})
		},
		"start": func(_, v *yaml.Node) {
			t, err := time.Parse(time.DateOnly, p.str(v))
			if err != nil && v.Kind == yaml.ScalarNode {
				p.errorf(v, "start %q is not a date (YYYY-MM-DD)", v.Value)
			}
			x.Start = t
		},
		"terms":      func(_, v *yaml.Node) { x.Terms = p.intIn(v, 1, MaxTerms) },
		"replicates": func(_, v *yaml.Node) { x.Replicates = p.intIn(v, 1, MaxReplicates) },
		"seed":       func(_, v *yaml.Node) { x.Seed = uint64(p.intIn(v, 0, math.MaxInt64)) },
		"per_school": func(_, v *yaml.Node) { x.PerSchool = p.boolean(v) },
		"structure_options": func(_, v *yaml.Node) {
			p.mapping(v, "structure_options", map[string]func(k, v *yaml.Node){
				"communities":       func(_, v *yaml.Node) { x.Structure.Communities = p.intIn(v, 1, 100000) },
				"spokes":            func(_, v *yaml.Node) { x.Structure.Spokes = p.intIn(v, 1, 1000) },
				"hub_km":            func(_, v *yaml.Node) { x.Structure.HubKm = p.floatIn(v, 0.1, 1000) },
				"themes":            func(_, v *yaml.Node) { x.Structure.Themes = p.intIn(v, 1, len(themes)) },
				"themes_per_school": func(_, v *yaml.Node) { x.Structure.ThemesPerSchool = p.intIn(v, 1, len(themes)) },
				"alliance_size":     func(_, v *yaml.Node) { x.Structure.AllianceSize = p.intIn(v, 2, 100000) },
			})
		},
		"parameters":  func(_, v *yaml.Node) { p.params(v, &base) },
		"variants":    func(_, v *yaml.Node) { variantsNode = v },
		"factors":     func(_, v *yaml.Node) { factorsNode = v },
		"sensitivity": func(_, v *yaml.Node) { sensNode = v },
	})
	if x.Name == "" {
		p.errorf(root, "the experiment has no name (key 'experiment')")
	}
	x.Structure.Seed = x.Seed
	seen := map[string]*yaml.Node{}
	add := func(n *yaml.Node, v Variant) {
		if prev, dup := seen[v.Name]; dup {
			p.errorf(n, "variant %q is defined twice (first at line %d)", v.Name, prev.Line)
			return
		}
		seen[v.Name] = n
		x.Variants = append(x.Variants, v)
	}
	if variantsNode != nil {
		if variantsNode.Kind != yaml.SequenceNode {
			p.errorf(variantsNode, "variants must be a list")
		} else {
			for _, vn := range variantsNode.Content {
				v := Variant{Structure: "none", PolicyName: "none", Strategy: "none", Params: base}
				var nameNode *yaml.Node
				p.mapping(vn, "variant", map[string]func(k, v *yaml.Node){
					"name":       func(_, n *yaml.Node) { v.Name, nameNode = p.str(n), n },
					"structure":  func(_, n *yaml.Node) { v.Structure = p.structure(n) },
					"policy":     func(_, n *yaml.Node) { v.PolicyName, v.Policy = p.policyRef(n) },
					"strategy":   func(_, n *yaml.Node) { v.Strategy = p.strategy(n) },
					"parameters": func(_, n *yaml.Node) { p.params(n, &v.Params) },
				})
				if v.Name == "" && vn.Kind == yaml.MappingNode {
					p.errorf(vn, "variant has no name")
					continue
				}
				if nameNode == nil {
					nameNode = vn
				}
				p.checkParams(vn, &v.Params)
				add(nameNode, v)
			}
		}
	}
	if factorsNode != nil {
		var structures, policies, strategies []*yaml.Node
		p.mapping(factorsNode, "factors", map[string]func(k, v *yaml.Node){
			"structure": func(_, n *yaml.Node) { structures = p.list(n) },
			"policy":    func(_, n *yaml.Node) { policies = p.list(n) },
			"strategy":  func(_, n *yaml.Node) { strategies = p.list(n) },
		})
		def := func(l []*yaml.Node) []*yaml.Node {
			if len(l) == 0 {
				return []*yaml.Node{{Kind: yaml.ScalarNode, Value: "none", Line: factorsNode.Line, Column: factorsNode.Column}}
			}
			return l
		}
		for _, sn := range def(structures) {
			for _, pn := range def(policies) {
				for _, gn := range def(strategies) {
					v := Variant{Structure: p.structure(sn), Strategy: p.strategy(gn), Params: base}
					v.PolicyName, v.Policy = p.policyRef(pn)
					v.Name = v.Structure + "/" + path.Base(strings.TrimSuffix(v.PolicyName, ".yaml")) + "/" + v.Strategy
					add(sn, v)
				}
			}
		}
	}
	if len(x.Variants) == 0 && len(p.errs) == 0 {
		p.errorf(root, "the experiment has no variants (give 'variants' or 'factors')")
	}
	for _, v := range x.Variants {
		if v.Strategy != "none" && v.Policy == nil && len(p.errs) == 0 {
			p.errorf(seen[v.Name], "variant %q brokers support (strategy %s) but has no policy to raise needs", v.Name, v.Strategy)
		}
	}
	p.checkParams(root, &base)
	if sensNode != nil {
		x.Sensitivity = p.sensitivity(sensNode, x)
	}
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return x, nil
}

func (p *parser) noAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.errorf(n, "YAML anchors and aliases are not allowed")
		return
	}
	for _, c := range n.Content {
		p.noAliases(c)
	}
}

// mapping walks a mapping node, calling the handler of each key; unknown
// and duplicate keys are errors.
func (p *parser) mapping(n *yaml.Node, what string, keys map[string]func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping of keys to values", what)
		return
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, what, line)
			continue
		}
		seen[k.Value] = k.Line
		h, ok := keys[k.Value]
		if !ok {
			p.errorf(k, "unknown key %q in %s%s (keys: %s)", k.Value, what, suggest(k.Value, names), strings.Join(names, ", "))
			continue
		}
		h(k, v)
	}
}

func (p *parser) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "want a string")
		return ""
	}
	return n.Value
}

func (p *parser) list(n *yaml.Node) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "want a list")
		return nil
	}
	return n.Content
}

func (p *parser) boolean(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, "want true or false, got %q", n.Value)
		return false
	}
	return n.Value == "true"
}

func (p *parser) number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		p.errorf(n, "want a number, got %q", n.Value)
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.errorf(n, "want a finite number, got %q", n.Value)
		return 0, false
	}
	return f, true
}

func (p *parser) floatIn(n *yaml.Node, lo, hi float64) float64 {
	f, ok := p.number(n)
	if ok && (f < lo || f > hi) {
		p.errorf(n, "%v is outside %v..%v", f, lo, hi)
	}
	return f
}

func (p *parser) intIn(n *yaml.Node, lo, hi int) int {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		p.errorf(n, "want a whole number, got %q", n.Value)
		return 0
	}
	i, err := strconv.Atoi(strings.ReplaceAll(n.Value, "_", ""))
	if err != nil || i < lo || i > hi {
		p.errorf(n, "%s is outside %d..%d", n.Value, lo, hi)
	}
	return i
}

func (p *parser) structure(n *yaml.Node) string {
	s := p.str(n)
	if s != "" && !slices.Contains(Structures(), s) {
		p.errorf(n, "unknown structure %q%s (structures: %s)", s, suggest(s, Structures()), strings.Join(Structures(), ", "))
	}
	return s
}

func (p *parser) strategy(n *yaml.Node) string {
	s := p.str(n)
	if _, err := NewStrategy(s); s != "" && err != nil {
		p.errorf(n, "unknown strategy %q%s (strategies: %s)", s, suggest(s, Strategies()), strings.Join(Strategies(), ", "))
	}
	return s
}

// policyRef resolves a policy: "none", a built-in name, or a path to a
// policy file (ending .yaml or .yml).
func (p *parser) policyRef(n *yaml.Node) (string, *riskpolicy.Policy) {
	s := p.str(n)
	if s == "" || s == "none" {
		return s, nil
	}
	if pol, ok := p.policy[s]; ok {
		return s, pol
	}
	var pol *riskpolicy.Policy
	if strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") {
		if p.fsys == nil {
			p.errorf(n, "policy file %q: no directory to read it from", s)
			return s, nil
		}
		src, err := fs.ReadFile(p.fsys, path.Clean(s))
		if err != nil {
			p.errorf(n, "policy file %q cannot be read: %v", s, unwrapPath(err))
			return s, nil
		}
		pol, err = riskpolicy.Compile(s, src)
		if err != nil {
			var el riskpolicy.ErrorList
			if errors.As(err, &el) {
				for _, e := range el {
					p.errs = append(p.errs, &Error{Pos: Pos{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col}, Msg: e.Msg})
				}
			} else {
				p.errorf(n, "policy file %q: %v", s, err)
			}
			p.errorf(n, "policy file %q does not compile (errors above)", s)
			return s, nil
		}
	} else {
		var err error
		pol, err = riskpolicy.Builtin(s)
		if err != nil {
			p.errorf(n, "unknown policy %q%s (built-in policies: %s; or give a .yaml file)", s, suggest(s, riskpolicy.Builtins()), strings.Join(riskpolicy.Builtins(), ", "))
			return s, nil
		}
	}
	if err := CheckPolicy(pol); err != nil {
		p.errorf(n, "policy %q cannot be simulated: %v", s, strings.TrimPrefix(err.Error(), "simulation: "))
		return s, nil
	}
	p.policy[s] = pol
	return s, pol
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (p *parser) params(n *yaml.Node, into *Params) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "parameters must be a mapping of parameter names to numbers")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p.errorf(k, "duplicate parameter %q", k.Value)
			continue
		}
		seen[k.Value] = true
		if paramIndex(k.Value) < 0 {
			p.errorf(k, "unknown parameter %q%s (see `fulcrum sim describe`)", k.Value, suggest(k.Value, ParamNames()))
			continue
		}
		f, ok := p.number(v)
		if !ok {
			continue
		}
		if err := into.Set(k.Value, f); err != nil {
			p.errorf(v, "%s", strings.TrimPrefix(err.Error(), "invalid: "))
		}
	}
}

func (p *parser) checkParams(n *yaml.Node, ps *Params) {
	if !(ps.CutInadequate < ps.CutGood && ps.CutGood < ps.CutOutstanding) {
		p.errorf(n, "cut points must rise: cut_inadequate %v < cut_good %v < cut_outstanding %v", ps.CutInadequate, ps.CutGood, ps.CutOutstanding)
	}
}

func (p *parser) sensitivity(n *yaml.Node, x *Experiment) *Sensitivity {
	s := &Sensitivity{Trajectories: 10, Levels: 4}
	var variantNode, metricNode *yaml.Node
	p.mapping(n, "sensitivity", map[string]func(k, v *yaml.Node){
		"variant":      func(_, v *yaml.Node) { s.Variant, variantNode = p.str(v), v },
		"metric":       func(_, v *yaml.Node) { s.Metric, metricNode = p.str(v), v },
		"trajectories": func(_, v *yaml.Node) { s.Trajectories = p.intIn(v, 1, 10000) },
		"levels":       func(_, v *yaml.Node) { s.Levels = p.intIn(v, 2, 100) },
		"parameters": func(_, v *yaml.Node) {
			if v.Kind != yaml.MappingNode {
				p.errorf(v, "sensitivity parameters must map names to [min, max]")
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, r := v.Content[i], v.Content[i+1]
				j := paramIndex(k.Value)
				if j < 0 {
					p.errorf(k, "unknown parameter %q%s", k.Value, suggest(k.Value, ParamNames()))
					continue
				}
				if r.Kind != yaml.SequenceNode || len(r.Content) != 2 {
					p.errorf(r, "the range of %s must be [min, max]", k.Value)
					continue
				}
				lo, ok1 := p.number(r.Content[0])
				hi, ok2 := p.number(r.Content[1])
				if !ok1 || !ok2 {
					continue
				}
				if !(lo < hi) || lo < specs[j].min || hi > specs[j].max {
					p.errorf(r, "the range of %s must have min < max within %v..%v", k.Value, specs[j].min, specs[j].max)
					continue
				}
				s.Ranges = append(s.Ranges, Range{Param: k.Value, Min: lo, Max: hi})
			}
		},
	})
	if variantNode == nil {
		p.errorf(n, "sensitivity has no variant")
	} else if !slices.ContainsFunc(x.Variants, func(v Variant) bool { return v.Name == s.Variant }) {
		var names []string
		for _, v := range x.Variants {
			names = append(names, v.Name)
		}
		p.errorf(variantNode, "unknown variant %q%s", s.Variant, suggest(s.Variant, names))
	}
	if metricNode == nil {
		p.errorf(n, "sensitivity has no metric")
	} else if !validMetric(s.Metric) {
		p.errorf(metricNode, "unknown metric %q%s", s.Metric, suggest(s.Metric, baseMetrics()))
	}
	if len(s.Ranges) == 0 {
		p.errorf(n, "sensitivity has no parameters to screen")
	}
	return s
}

func baseMetrics() []string {
	e := &engine{}
	return e.metricNames()
}

func validMetric(m string) bool {
	if slices.Contains(baseMetrics(), m) {
		return true
	}
	return strings.HasPrefix(m, "risk_share:") || strings.HasPrefix(m, "time_to_leave:")
}
