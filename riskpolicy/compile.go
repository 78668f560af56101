package riskpolicy

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// DefaultCostLimit is the default bound on the worst-case cost of one
// condition, in CEL cost units (roughly, one unit per operation and per list
// element visited).
const DefaultCostLimit = 100_000

// defaultMaxItems bounds a list indicator whose policy sets no max_items.
const defaultMaxItems = 20

// maxHistory bounds a policy's history setting.
const maxHistory = 120

// maxRules bounds the number of rules in a policy.
const maxRules = 1000

// Option configures Compile.
type Option func(*config)

type config struct {
	costLimit uint64
	envOpts   []cel.EnvOption
}

// WithCostLimit sets the bound on each condition's worst-case cost (default
// DefaultCostLimit). A condition whose estimated worst case exceeds it is
// rejected when the policy is compiled.
func WithCostLimit(limit uint64) Option { return func(c *config) { c.costLimit = limit } }

// WithFunctions adds CEL declarations, typically custom functions
// (cel.Function), to the environment rules are checked and run in. Their
// cost cannot be bounded in advance, so a policy compiled with any also
// tracks cost at run time and stops a condition that exceeds the limit.
// The functions must be safe for concurrent use.
func WithFunctions(opts ...cel.EnvOption) Option {
	return func(c *config) { c.envOpts = append(c.envOpts, opts...) }
}

// Policy is a compiled policy: checked, with every condition compiled to a
// CEL program. It is immutable and safe for concurrent use; compile it once
// and evaluate it many times.
type Policy struct {
	name, title, description, period string
	file                             string
	history                          int
	combine                          Combine
	scales                           []*Scale
	indicators                       []*Indicator
	byName                           map[string]*Indicator
	powers                           []Power
	actions                          map[string]Action
	levels                           []*Level
	levelIdx                         map[string]int
	rules                            []*rule // in evaluation order: a rule after the rules it reads
	declared                         []*rule // in file order
	tests                            []*testCase
	slots                            map[string]int
	slotNames                        []string
	nowSlot                          int
	trackCost                        bool
	costLimit                        uint64
	hasExit                          bool
	nbase                            int // slots below this come from indicators
	// nind: the slots below it hold indicator and area values, the
	// only ones a period stores; from it to nbase the history.NAME
	// lists, made when read (see evaluator.history).
	nind int
	// slotRank orders slots as declared (each indicator's slot, its
	// areas', its history's, indicator by indicator), the order in
	// which a condition's needs are listed.
	slotRank    []int
	usesHistory map[int]bool // history slots some condition reads
	missing     Missing      // the policy's missing: (never MissingDefault)
	columns     map[string]string
	slotInd     []*Indicator   // indicator of each indicator slot
	presence    map[string]int // has(NAME)'s variable -> the slot it tests
	ruleBySlot  []*rule        // rule of each rules.NAME slot, by slot-nbase
}

type program struct {
	expr  string
	prg   cel.Program
	fn    closure // the fast path, or nil
	needs []int   // slots the expression reads
	loops bool
	pos   Pos
	what  string   // "rule 'x'", "exit condition of level 'y'"
	reads []string // indicators (name or name.area) it reads or tests
}

type cond struct {
	program
	for_ int
}

type rule struct {
	Rule
	idx   int // position in declaration order
	when  *cond
	near  *program
	level int // -1: none
	slot  int // slot of rules.NAME
	deps  []*rule
}

// Name returns the policy's name (its "policy:" key).
func (p *Policy) Name() string { return p.name }

// Title returns the policy's title.
func (p *Policy) Title() string { return p.title }

// Description returns the policy's description.
func (p *Policy) Description() string { return p.description }

// File returns the file name the policy was compiled from.
func (p *Policy) File() string { return p.file }

// Period returns what one period of history is ("term", "year"...).
func (p *Policy) Period() string { return p.period }

// History returns how many periods of history rules can see.
func (p *Policy) History() int { return p.history }

// Combine returns how fired rules combine into a level.
func (p *Policy) Combine() Combine { return p.combine }

// Scales returns copies of the policy's scales: a compiled policy is a
// value shared by every caller, and changing what it returns changes
// nothing in it.
func (p *Policy) Scales() []*Scale {
	return copies(p.scales, func(s *Scale) { s.Grades = slices.Clone(s.Grades) })
}

// Indicators returns copies of the declared indicators in file order.
func (p *Policy) Indicators() []*Indicator {
	return copies(p.indicators, func(i *Indicator) { i.Areas = slices.Clone(i.Areas) })
}

// Levels returns copies of the levels, lowest first.
func (p *Policy) Levels() []*Level { return copies(p.levels, cloneLevel) }

// Level returns a copy of the level with the name, or nil.
func (p *Policy) Level(name string) *Level {
	if l := p.level(name); l != nil {
		c := *l
		cloneLevel(&c)
		return &c
	}
	return nil
}

// level returns the policy's own level with the name, or nil.
func (p *Policy) level(name string) *Level {
	if i, ok := p.levelIdx[name]; ok {
		return p.levels[i]
	}
	return nil
}

func cloneLevel(l *Level) {
	l.Actions, l.Keeps, l.Withdraws = slices.Clone(l.Actions), slices.Clone(l.Keeps), slices.Clone(l.Withdraws)
}

// copies returns a copy of each element of xs, made deep by deep.
func copies[T any](xs []*T, deep func(*T)) []*T {
	out := make([]*T, len(xs))
	for i, x := range xs {
		c := *x
		deep(&c)
		out[i] = &c
	}
	return out
}

// Powers returns the delegated powers the policy declares, a copy.
func (p *Policy) Powers() []Power { return slices.Clone(p.powers) }

// Rules returns the rules in file order.
func (p *Policy) Rules() []Rule {
	out := make([]Rule, len(p.declared))
	for i, r := range p.declared {
		out[i] = r.Rule
	}
	return out
}

var reserved = map[string]bool{
	"now": true, "history": true, "rules": true,
	"true": true, "false": true, "null": true, "in": true, "as": true, "break": true, "const": true, "continue": true,
	"else": true, "for": true, "function": true, "if": true, "import": true, "let": true, "loop": true,
	"package": true, "namespace": true, "return": true, "var": true, "void": true, "while": true,
	"int": true, "uint": true, "double": true, "bool": true, "string": true, "bytes": true, "list": true,
	"map": true, "type": true, "null_type": true, "timestamp": true, "duration": true, "dyn": true,
}

// Compile parses and checks a policy file. file names it in errors; src is
// its content. Every problem is reported at once, as an ErrorList sorted by
// position: YAML syntax, unknown or duplicate keys and names, references to
// undeclared indicators, levels, actions or powers (with a suggestion),
// type errors in rules, cycles among rules and among levels, conditions
// whose cost cannot be bounded, and embedded tests whose values do not fit
// their indicators.
func Compile(file string, src []byte, opts ...Option) (*Policy, error) {
	cfg := config{costLimit: DefaultCostLimit}
	for _, o := range opts {
		o(&cfg)
	}
	ps := newParser(file, src)
	fd := ps.parseFile(src)
	if fd == nil {
		return nil, ps.errs.sortDedup()
	}
	c := &compiler{parser: ps, cfg: cfg, fd: fd}
	p := c.compile()
	if len(c.errs) > 0 {
		return nil, c.errs.sortDedup()
	}
	return p, nil
}

type compiler struct {
	*parser
	cfg config
	fd  *fileDecl
	p   *Policy
	env *cel.Env
	est *estimator
}

func (c *compiler) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: c.file}
	}
	return Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func (c *compiler) compile() *Policy {
	fd := c.fd
	p := &Policy{name: fd.name, title: fd.title, description: fd.description, period: fd.period, file: c.file,
		history: fd.history, byName: map[string]*Indicator{}, actions: map[string]Action{}, levelIdx: map[string]int{},
		slots: map[string]int{}, presence: map[string]int{}, usesHistory: map[int]bool{}, costLimit: c.cfg.costLimit, trackCost: len(c.cfg.envOpts) > 0}
	c.p = p
	if p.period == "" {
		p.period = "period"
	}
	if fd.nameNode == nil {
		c.errAt(1, 1, "policy has no 'policy' name")
	} else if !policyNameRE.MatchString(fd.name) {
		c.errorf(fd.nameNode, "policy name '%s' must be lower-case letters, digits, '-' and '_'", fd.name)
	}
	if fd.historyNode != nil && (fd.history < 1 || fd.history > maxHistory) {
		c.errorf(fd.historyNode, "history must be from 1 to %d periods", maxHistory)
		p.history = 6
	}
	p.missing = MissingUndetermined
	if fd.missingNode != nil {
		m, ok := parseMissing(fd.missing)
		if !ok {
			c.errorf(fd.missingNode, "unknown missing setting '%s'%s (want undetermined or skip)", fd.missing, suggest(fd.missing, missingNames[1:]))
		} else {
			p.missing = m
		}
	}
	switch fd.combine {
	case "highest":
		p.combine = CombineHighest
	case "points":
		p.combine = CombinePoints
	default:
		c.errorf(fd.combineNode, "unknown combine mode '%s'%s (want highest or points)", fd.combine,
			suggest(fd.combine, []string{"highest", "points"}))
		p.combine = CombineHighest
	}

	// Scales.
	scaleByName := map[string]*Scale{}
	for _, sd := range fd.scales {
		if !identRE.MatchString(sd.name) || reserved[sd.name] {
			c.errorf(sd.node, "scale name '%s' must be a lower-case identifier and not a reserved word", sd.name)
			continue
		}
		if len(sd.grades) < 2 {
			c.errorf(sd.node, "scale '%s' needs at least two grades", sd.name)
			continue
		}
		seen := map[string]bool{}
		ok := true
		for i, g := range sd.grades {
			if !regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`).MatchString(g) {
				c.errorf(sd.gnodes[i], "grade '%s' must be an identifier (letters, digits, '_')", g)
				ok = false
			}
			if seen[foldName(g)] {
				c.errorf(sd.gnodes[i], "duplicate grade '%s' in scale '%s'", g, sd.name)
				ok = false
			}
			seen[foldName(g)] = true
		}
		if ok {
			s := newScale(sd.name, sd.grades)
			scaleByName[sd.name] = s
			p.scales = append(p.scales, s)
		}
	}
	scaleNames := func() []string {
		var n []string
		for _, s := range fd.scales {
			n = append(n, s.name)
		}
		return n
	}

	// Indicators.
	for _, d := range fd.indicators {
		ind := &Indicator{Name: d.name, Unit: d.unit, Source: d.source, Description: d.description, List: d.list,
			Synthetic: d.synthetic, Pos: c.pos(d.node), histSlot: -1}
		ok := true
		if !identRE.MatchString(d.name) || reserved[d.name] {
			c.errorf(d.node, "indicator name '%s' must be a lower-case identifier (a-z, 0-9, _) and not a reserved word", d.name)
			ok = false
		}
		if _, clash := scaleByName[d.name]; clash {
			c.errorf(d.node, "indicator '%s' has the same name as a scale", d.name)
			ok = false
		}
		k, known := parseKind(d.typ)
		if d.typ != "" && !known {
			c.errorf(d.typNode, "unknown indicator type '%s'%s (want number, percentage, count, boolean, date, grade or areas)",
				d.typ, suggest(d.typ, kindNames[1:]))
			ok = false
		}
		ind.Kind = k
		if k == KindGrade || k == KindAreas {
			if d.scaleNode == nil {
				c.errorf(d.node, "indicator '%s' of type %s needs a scale", d.name, k)
				ok = false
			} else if s, found := scaleByName[d.scale]; !found {
				c.errorf(d.scaleNode, "unknown scale '%s'%s", d.scale, suggest(d.scale, scaleNames()))
				ok = false
			} else {
				ind.scale, ind.Scale = s, s.Name
			}
		} else if k == KindPercentage {
			ind.Max = 100
			switch {
			case d.scaleNode == nil:
			case d.scale == "0-100":
			case d.scale == "0-1":
				ind.Max = 1
			default:
				c.errorf(d.scaleNode, "percentage '%s' has scale '%s': want 0-100 (values like 93.5) or 0-1 (values like 0.935)", d.name, d.scale)
			}
		} else if d.scaleNode != nil && known {
			c.errorf(d.scaleNode, "indicator '%s' of type %s takes no scale", d.name, k)
		}
		if d.missingNode != nil {
			if m, ok := parseMissing(d.missing); ok {
				ind.Missing = m
			} else {
				c.errorf(d.missingNode, "unknown missing setting '%s'%s (want undetermined or skip)", d.missing, suggest(d.missing, missingNames[1:]))
			}
		}
		if k == KindAreas {
			if len(d.areas) == 0 {
				c.errorf(d.node, "areas indicator '%s' needs a list of areas", d.name)
				ok = false
			}
			seen := map[string]bool{}
			for i, a := range d.areas {
				if !identRE.MatchString(a) {
					c.errorf(d.areaNodes[i], "area '%s' must be a lower-case identifier", a)
					ok = false
				} else if seen[a] {
					c.errorf(d.areaNodes[i], "duplicate area '%s'", a)
					ok = false
				}
				seen[a] = true
			}
			ind.Areas = d.areas
			if d.list {
				c.errorf(d.node, "an areas indicator cannot be a list")
				ok = false
			}
		} else if len(d.areaNodes) > 0 && known {
			c.errorf(d.areaNodes[0], "only an areas indicator has areas")
		}
		ind.MaxItems = d.maxItems
		if d.maxNode != nil {
			if !d.list {
				c.errorf(d.maxNode, "max_items applies only to a list indicator")
			} else if d.maxItems < 1 || d.maxItems > 1000 {
				c.errorf(d.maxNode, "max_items must be from 1 to 1000")
				ok = false
			}
		} else if d.list {
			ind.MaxItems = defaultMaxItems
		}
		if _, dup := p.byName[d.name]; dup {
			c.errorf(d.node, "duplicate indicator '%s'", d.name)
			ok = false
		}
		if !ok {
			continue
		}
		if d.deflt != nil {
			v, err := c.nodeValue(ind, d.deflt)
			if err != "" {
				c.errorf(d.deflt, "default of '%s': %s", d.name, err)
			} else {
				ind.deflt = v
				if ind.Kind != KindAreas {
					ind.deflCV, _ = convert(ind, v)
				}
			}
		}
		p.byName[d.name] = ind
		p.indicators = append(p.indicators, ind)
	}

	// Column mapping.
	p.columns = map[string]string{}
	byHeader := map[string]string{}
	for _, cd := range fd.columns {
		if !p.knownColumnKey(cd.name) {
			c.errorf(cd.node, "columns: no indicator or area '%s'%s", cd.name, suggest(cd.name, p.columnKeys()))
			continue
		}
		if strings.TrimSpace(cd.text) == "" {
			c.errorf(cd.node, "columns: '%s' maps to an empty header", cd.name)
			continue
		}
		if other, dup := byHeader[csvx.Key(cd.text)]; dup {
			c.errorf(cd.node, "columns: '%s' and '%s' both map to the header '%s'", other, cd.name, cd.text)
			continue
		}
		byHeader[csvx.Key(cd.text)] = cd.name
		p.columns[cd.name] = cd.text
	}

	// Powers and actions.
	powerSet := map[string]bool{}
	for _, pw := range fd.powers {
		if !identRE.MatchString(pw.name) {
			c.errorf(pw.node, "power name '%s' must be a lower-case identifier", pw.name)
		}
		powerSet[pw.name] = true
		p.powers = append(p.powers, Power{ID: pw.name, Text: pw.text})
	}
	var actionIDs []string
	for _, a := range fd.actions {
		if !identRE.MatchString(a.name) {
			c.errorf(a.node, "action name '%s' must be a lower-case identifier", a.name)
		}
		p.actions[a.name] = Action{ID: a.name, Text: a.text}
		actionIDs = append(actionIDs, a.name)
	}
	var powerIDs []string
	for _, pw := range p.powers {
		powerIDs = append(powerIDs, pw.ID)
	}

	// Levels (names first, so rules and inherits can refer to any).
	if len(fd.levels) == 0 {
		c.errAt(1, 1, "policy has no levels")
	}
	if len(fd.rules) > maxRules {
		c.errorf(fd.rules[maxRules].node, "policy has %d rules; the limit is %d", len(fd.rules), maxRules)
		fd.rules = fd.rules[:maxRules]
	}
	for _, ld := range fd.levels {
		if ld.name == "" {
			continue
		}
		if !levelNameRE.MatchString(ld.name) {
			c.errorf(ld.node, "level name '%s' must be letters, digits, '-' and '_'", ld.name)
		}
		if ld.name == Undetermined {
			c.errorf(ld.node, "a level cannot be called '%s': it is what a school whose level cannot be decided is reported as", Undetermined)
		}
		if _, dup := p.levelIdx[ld.name]; dup {
			c.errorf(ld.node, "duplicate level '%s'", ld.name)
			continue
		}
		l := &Level{Name: ld.name, Description: ld.description, Index: len(p.levels), Inherits: ld.inherits, Pos: c.pos(ld.node)}
		p.levelIdx[ld.name] = l.Index
		p.levels = append(p.levels, l)
	}
	levelNames := func() []string {
		var n []string
		for _, l := range p.levels {
			n = append(n, l.Name)
		}
		return n
	}
	declByName := map[string]*levelDecl{}
	for _, ld := range fd.levels {
		if _, ok := declByName[ld.name]; !ok {
			declByName[ld.name] = ld
		}
	}
	for _, l := range p.levels {
		ld := declByName[l.Name]
		if ld.inheritsNode != nil {
			if _, ok := p.levelIdx[ld.inherits]; !ok {
				c.errorf(ld.inheritsNode, "level '%s' inherits from unknown level '%s'%s", l.Name, ld.inherits,
					suggest(ld.inherits, levelNames()))
				l.Inherits = ""
			}
		}
		if ld.reviewNode != nil {
			cad, ok := parseCadence(ld.review)
			if !ok || cad == CadenceNone {
				c.errorf(ld.reviewNode, "unknown review cadence '%s'%s (want weekly, fortnightly, monthly, half-termly, termly or annually)",
					ld.review, suggest(ld.review, cadenceNames[1:]))
			}
			l.Review = cad
		}
		for i, a := range ld.actions {
			if _, ok := p.actions[a]; !ok {
				c.errorf(ld.actionNodes[i], "unknown action '%s'%s", a, suggest(a, actionIDs))
			}
		}
		if ld.hasKeeps && ld.hasWithdraws {
			c.errorf(ld.delegNode, "level '%s' gives both keeps and withdraws; give one", l.Name)
		}
		for i, pw := range ld.keeps {
			if !powerSet[pw] {
				c.errorf(ld.keepNodes[i], "unknown delegated power '%s'%s", pw, suggest(pw, powerIDs))
			}
		}
		for i, pw := range ld.withdraws {
			if !powerSet[pw] {
				c.errorf(ld.withdrawNode[i], "unknown delegated power '%s'%s", pw, suggest(pw, powerIDs))
			}
		}
		if ld.pointsNode != nil && ld.points != nil {
			if p.combine != CombinePoints {
				c.errorf(ld.pointsNode, "level '%s' has points but the policy combines by '%s'", l.Name, p.combine)
			}
			l.Points = *ld.points
		}
	}
	c.checkLevelCycles(declByName)
	if p.combine == CombinePoints {
		prev := -1.0
		for i, l := range p.levels {
			ld := declByName[l.Name]
			if i == 0 {
				if ld.pointsNode != nil && l.Points != 0 {
					c.errorf(ld.pointsNode, "the first level is the baseline and takes no points threshold")
				}
				continue
			}
			if ld.pointsNode == nil && ld.entry == nil {
				c.errorf(ld.node, "level '%s' needs a points threshold when the policy combines by points", l.Name)
				continue
			}
			if ld.pointsNode != nil {
				if l.Points <= 0 {
					c.errorf(ld.pointsNode, "level '%s' threshold must be above 0", l.Name)
				} else if l.Points <= prev {
					c.errorf(ld.pointsNode, "level '%s' threshold %g must be above the previous level's %g", l.Name, l.Points, prev)
				}
				prev = l.Points
			}
		}
	}

	// The CEL environment.
	c.env = c.buildEnv()

	// Rules.
	ruleByName := map[string]*rule{}
	for i, rd := range fd.rules {
		r := &rule{Rule: Rule{Name: rd.name, Description: rd.description, Pos: c.pos(rd.node), For: 1}, idx: i, level: -1}
		if rd.name != "" && (!identRE.MatchString(rd.name) || reserved[rd.name]) {
			c.errorf(rd.node, "rule name '%s' must be a lower-case identifier (a-z, 0-9, _)", rd.name)
		}
		if _, dup := ruleByName[rd.name]; dup && rd.name != "" {
			c.errorf(rd.node, "duplicate rule '%s'", rd.name)
			continue
		}
		if rd.levelNode != nil {
			if li, ok := p.levelIdx[rd.level]; ok {
				r.level, r.Level = li, rd.level
			} else {
				c.errorf(rd.levelNode, "rule '%s' names unknown level '%s'%s", rd.name, rd.level, suggest(rd.level, levelNames()))
			}
		}
		if rd.pointsNode != nil && rd.points != nil {
			if p.combine != CombinePoints {
				c.errorf(rd.pointsNode, "rule '%s' has points but the policy combines by '%s'", rd.name, p.combine)
			}
			r.Points = *rd.points
		}
		if rd.levelNode == nil && rd.pointsNode == nil && rd.when != nil {
			if p.combine == CombinePoints {
				c.errorf(rd.node, "rule '%s' needs points or a level", rd.name)
			} else {
				c.errorf(rd.node, "rule '%s' needs a level", rd.name)
			}
		}
		if rd.missingNode != nil {
			if m, ok := parseMissing(rd.missing); ok {
				r.Missing = m
			} else {
				c.errorf(rd.missingNode, "unknown missing setting '%s'%s (want undetermined or skip)", rd.missing, suggest(rd.missing, missingNames[1:]))
			}
		}
		if rd.when != nil {
			r.when = c.cond(rd.when, "rule '"+rd.name+"'")
			r.When, r.For = rd.when.expr, rd.when.for_
		}
		if rd.near != nil {
			r.Near = rd.near.expr
			if pr := c.program(rd.near.expr, rd.near.node, "near condition of rule '"+rd.name+"'"); pr != nil {
				r.near = pr
			}
		}
		r.slot = p.slots["rules."+rd.name]
		ruleByName[rd.name] = r
		p.declared = append(p.declared, r)
	}
	for _, r := range p.declared {
		for _, pr := range []*program{condProg(r.when), r.near} {
			if pr == nil {
				continue
			}
			for _, s := range pr.needs {
				if n := p.slotNames[s]; strings.HasPrefix(n, "rules.") {
					if d := ruleByName[strings.TrimPrefix(n, "rules.")]; d != nil && !slices.Contains(r.deps, d) {
						r.deps = append(r.deps, d)
					}
				}
			}
		}
	}
	p.rules = c.orderRules(p.declared)
	p.ruleBySlot = make([]*rule, len(p.slotNames)-p.nbase)
	for _, r := range p.declared {
		if r.Name != "" && p.slots["rules."+r.Name] >= p.nbase {
			p.ruleBySlot[r.slot-p.nbase] = r
		}
	}

	// Level conditions and responses.
	for _, l := range p.levels {
		ld := declByName[l.Name]
		if ld.entry != nil {
			l.entry = c.cond(ld.entry, "entry condition of level '"+l.Name+"'")
			l.Entry, l.EntryFor = ld.entry.expr, ld.entry.for_
		}
		if ld.exit != nil {
			l.exit = c.cond(ld.exit, "exit condition of level '"+l.Name+"'")
			l.Exit, l.ExitFor = ld.exit.expr, ld.exit.for_
			p.hasExit = true
			if l.Index == 0 {
				c.errorf(ld.exit.node, "the first level is the baseline and cannot have an exit condition")
			}
		}
		if ld.entry != nil && l.Index == 0 {
			c.errorf(ld.entry.node, "the first level is the baseline and cannot have an entry condition")
		}
	}
	c.resolveResponses(declByName)

	// Tests.
	for _, td := range fd.tests {
		if tc := c.testCase(td); tc != nil {
			p.tests = append(p.tests, tc)
		}
	}
	return p
}

func condProg(c *cond) *program {
	if c == nil {
		return nil
	}
	return &c.program
}

// buildEnv declares every variable rules can read and assigns slots.
func (c *compiler) buildEnv() *cel.Env {
	p := c.p
	slot := func(name string) int {
		p.slots[name] = len(p.slotNames)
		p.slotNames = append(p.slotNames, name)
		return p.slots[name]
	}
	opts := []cel.EnvOption{
		cel.CrossTypeNumericComparisons(true),
		cel.ParserRecursionLimit(64),
		cel.ParserExpressionSizeLimit(8192),
		cel.DefaultUTCTimeZone(true),
	}
	opts = append(opts, libraryDecls()...)
	opts = append(opts, cel.ClearMacros(), cel.Macros(presenceMacro(p)))
	for _, m := range cel.StandardMacros {
		if m.Function() != "has" {
			opts = append(opts, cel.Macros(m))
		}
	}
	for _, s := range p.scales {
		opts = append(opts, scaleDecls(s)...)
	}
	sizes := map[string]uint64{}
	var declared []string // slot names in declaration order
	var hist []*Indicator // numbered after every indicator and area slot
	for _, ind := range p.indicators {
		t := ind.celType()
		ind.slot = slot(ind.Name)
		declared = append(declared, ind.Name)
		p.presence[presenceName(ind.Name)] = ind.slot
		opts = append(opts, cel.Variable(presenceName(ind.Name), cel.BoolType))
		switch {
		case ind.Kind == KindAreas:
			opts = append(opts, cel.Variable(ind.Name, cel.ListType(t)))
			sizes[ind.Name] = uint64(len(ind.Areas))
			for _, a := range ind.Areas {
				s := slot(ind.Name + "." + a)
				declared = append(declared, ind.Name+"."+a)
				ind.areaSlots = append(ind.areaSlots, s)
				opts = append(opts, cel.Variable(ind.Name+"."+a, t))
				p.presence[presenceName(ind.Name+"."+a)] = s
				opts = append(opts, cel.Variable(presenceName(ind.Name+"."+a), cel.BoolType))
			}
		case ind.List:
			opts = append(opts, cel.Variable(ind.Name, cel.ListType(t)))
			sizes[ind.Name] = uint64(ind.MaxItems)
		default:
			opts = append(opts, cel.Variable(ind.Name, t))
			declared = append(declared, "history."+ind.Name)
			hist = append(hist, ind)
			opts = append(opts, cel.Variable("history."+ind.Name, cel.ListType(t)))
			sizes["history."+ind.Name] = uint64(p.history)
		}
	}
	p.nind = len(p.slotNames)
	for _, ind := range hist {
		ind.histSlot = slot("history." + ind.Name)
	}
	p.nbase = len(p.slotNames)
	p.slotRank = make([]int, p.nbase)
	for i, n := range declared {
		p.slotRank[p.slots[n]] = i
	}
	p.slotInd = make([]*Indicator, p.nbase)
	for _, ind := range p.indicators {
		p.slotInd[ind.slot] = ind
		for _, s := range ind.areaSlots {
			p.slotInd[s] = ind
		}
		if ind.histSlot >= 0 {
			p.slotInd[ind.histSlot] = ind
		}
	}
	for _, rd := range c.fd.rules {
		if rd.name == "" || !identRE.MatchString(rd.name) {
			continue
		}
		if _, dup := p.slots["rules."+rd.name]; dup {
			continue
		}
		slot("rules." + rd.name)
		opts = append(opts, cel.Variable("rules."+rd.name, cel.BoolType))
	}
	p.nowSlot = slot("now")
	opts = append(opts, cel.Variable("now", cel.TimestampType))
	opts = append(opts, c.cfg.envOpts...)
	env, err := cel.NewEnv(opts...)
	if err != nil {
		c.errAt(1, 1, "cannot build the rule environment: %v", err)
		env, _ = cel.NewEnv()
	}
	maxList := uint64(p.history)
	for _, s := range sizes {
		maxList = max(maxList, s)
	}
	c.est = &estimator{sizes: sizes, maxList: maxList}
	return env
}

// scaleText is a percentage's scale as a policy writes it: 0-100 or 0-1.
func (ind *Indicator) scaleText() string {
	if ind.Max == 1 {
		return "0-1"
	}
	return "0-100"
}

func (ind *Indicator) celType() *cel.Type {
	switch ind.Kind {
	case KindNumber, KindPercentage:
		return cel.DoubleType
	case KindCount:
		return cel.IntType
	case KindBoolean:
		return cel.BoolType
	case KindDate:
		return cel.TimestampType
	case KindGrade, KindAreas:
		return ind.scale.typ
	}
	return cel.DynType
}

func (c *compiler) cond(d *condDecl, what string) *cond {
	if d == nil || d.node == nil {
		return nil
	}
	if d.forNode != nil && (d.for_ < 1 || d.for_ > c.p.history) {
		c.errorf(d.forNode, "%s: for must be from 1 to the policy's history (%d periods)", what, c.p.history)
		d.for_ = 1
	}
	pr := c.program(d.expr, d.node, what)
	if pr == nil {
		return nil
	}
	return &cond{program: *pr, for_: d.for_}
}

var areaSelectRE = regexp.MustCompile(`\b([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)`)
var listMethods = map[string]bool{"all": true, "exists": true, "exists_one": true, "map": true, "filter": true, "size": true}

// program type-checks one expression and compiles it; it reports problems
// at their place in the file and returns nil.
func (c *compiler) program(expr string, node *yaml.Node, what string) *program {
	p := c.p
	if strings.TrimSpace(expr) == "" {
		c.errorf(node, "%s: empty expression", what)
		return nil
	}
	// Areas and history selections the checker would report obscurely.
	own := 0
	for _, m := range areaSelectRE.FindAllStringSubmatchIndex(expr, -1) {
		base, field := expr[m[2]:m[3]], expr[m[4]:m[5]]
		if m[2] > 0 && expr[m[2]-1] == '.' {
			continue
		}
		col := len([]rune(expr[:m[4]]))
		line := 1 + strings.Count(expr[:m[4]], "\n")
		if line > 1 {
			col = len([]rune(expr[strings.LastIndex(expr[:m[4]], "\n")+1 : m[4]]))
		}
		if ind := p.byName[base]; ind != nil && ind.Kind == KindAreas && !listMethods[field] && !slices.Contains(ind.Areas, field) {
			l, cl := c.exprPos(node, line, col)
			c.errAt(l, cl, "%s: indicator '%s' has no area '%s'%s", what, base, field, suggest(field, ind.Areas))
			own++
		}
		if base == "history" {
			if _, ok := p.slots["history."+field]; !ok {
				var hist []string
				for _, ind := range p.indicators {
					if ind.histSlot >= 0 {
						hist = append(hist, ind.Name)
					}
				}
				l, cl := c.exprPos(node, line, col)
				if ind := p.byName[field]; ind != nil {
					c.errAt(l, cl, "%s: indicator '%s' has no history (lists and areas keep none)", what, field)
				} else {
					c.errAt(l, cl, "%s: no history for undeclared indicator '%s'%s", what, field, suggest(field, hist))
				}
				own++
			}
		}
		if base == "rules" {
			if _, ok := p.slots["rules."+field]; !ok {
				var names []string
				for _, rd := range c.fd.rules {
					names = append(names, rd.name)
				}
				l, cl := c.exprPos(node, line, col)
				c.errAt(l, cl, "%s: unknown rule '%s'%s", what, field, suggest(field, names))
				own++
			}
		}
	}
	ast, iss := c.env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		if own > 0 {
			return nil
		}
		for _, e := range iss.Errors() {
			l, cl := c.exprPos(node, e.Location.Line(), e.Location.Column())
			msg := e.Message
			if strings.HasPrefix(msg, "undeclared reference to '") && !strings.Contains(msg, "did you mean") {
				name := strings.TrimSuffix(strings.TrimPrefix(msg, "undeclared reference to '"), "'")
				if i := strings.Index(name, "' (in container"); i >= 0 {
					name = name[:i]
				}
				msg = fmt.Sprintf("undeclared reference to '%s'%s", name, suggest(name, c.declaredNames()))
			}
			msg = strings.ReplaceAll(msg, " (in container '')", "")
			if rest, ok := strings.CutPrefix(msg, "Syntax error: "); ok {
				msg = "syntax error: " + syntaxInWords(rest)
			}
			msg = c.overloadInWords(msg)
			c.errAt(l, cl, "%s: %s", what, msg)
		}
		return nil
	}
	if own > 0 {
		return nil
	}
	if c.checkPercentages(ast, node, what) {
		return nil
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		c.errorf(node, "%s: expression is %s, not bool", what, ast.OutputType())
		return nil
	}
	est, err := c.env.EstimateCost(ast, c.est)
	if err != nil {
		c.errorf(node, "%s: cannot bound the cost: %v", what, err)
		return nil
	}
	if est.Max > c.cfg.costLimit {
		c.errorf(node, "%s: worst-case cost %s exceeds the limit %d (nest fewer loops or bound the lists with max_items and history)",
			what, costString(est.Max), c.cfg.costLimit)
		return nil
	}
	popts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	// A condition with loops is run so that a deadline interrupts them
	// when its worst case is long; a short one (the history-bound loops of
	// the built-ins) runs without, its context checked between schools:
	// cel-go's interruptible evaluation costs a cancellable context a run.
	loops := hasComprehension(ast) && est.Max > interruptibleCost
	if loops {
		popts = append(popts, cel.InterruptCheckFrequency(64))
	}
	if p.trackCost {
		popts = append(popts, cel.CostLimit(c.cfg.costLimit))
	}
	prg, err := c.env.Program(ast, popts...)
	if err != nil {
		c.errorf(node, "%s: %v", what, err)
		return nil
	}
	pr := &program{expr: expr, prg: prg, loops: loops, pos: c.pos(node)}
	if !p.trackCost {
		pr.fn = buildClosure(ast, p.slots, p.presence, p.nind)
	}
	pr.what = what
	for _, n := range referencedNames(ast) {
		if name, isHas := strings.CutPrefix(n, "@has:"); isHas {
			pr.reads = append(pr.reads, name)
		} else if s, ok := p.slots[n]; ok && s < p.nbase {
			pr.reads = append(pr.reads, strings.TrimPrefix(n, "history."))
		}
		if s, ok := p.slots[n]; ok && s != p.nowSlot {
			pr.needs = append(pr.needs, s)
			if strings.HasPrefix(n, "history.") {
				p.usesHistory[s] = true
			}
		}
	}
	slices.SortFunc(pr.needs, func(a, b int) int { return cmp.Compare(p.rank(a), p.rank(b)) })
	return pr
}

// interruptibleCost is the worst-case cost above which a condition's
// loops check the evaluation's context as they run.
const interruptibleCost = 10_000

func costString(n uint64) string {
	if n == ^uint64(0) {
		return "unbounded"
	}
	return fmt.Sprintf("%d", n)
}

// rank returns where slot s is in declaration order (see slotRank).
func (p *Policy) rank(s int) int {
	if s < p.nbase {
		return p.slotRank[s]
	}
	return s
}

func (c *compiler) declaredNames() []string {
	out := slices.Clone(c.p.slotNames) // in declaration order
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(c.p.rank(c.p.slots[a]), c.p.rank(c.p.slots[b])) })
	for _, s := range c.p.scales {
		for _, g := range s.Grades {
			out = append(out, s.Name+"."+g)
		}
	}
	return out
}

// checkLevelCycles reports levels that inherit from themselves.
func (c *compiler) checkLevelCycles(decls map[string]*levelDecl) {
	reported := map[string]bool{}
	for _, l := range c.p.levels {
		path := []string{l.Name}
		cur := l
		for cur.Inherits != "" {
			next := c.p.level(cur.Inherits)
			if next == nil {
				break
			}
			if i := slices.Index(path, next.Name); i >= 0 {
				cycle := append(slices.Clone(path[i:]), next.Name)
				if !reported[next.Name] && next.Name == l.Name {
					for _, n := range cycle {
						reported[n] = true
					}
					c.errorf(decls[l.Name].inheritsNode, "level '%s' inherits from itself: %s", l.Name, strings.Join(cycle, " → "))
				}
				// break the cycle so later passes terminate
				if next.Name == l.Name {
					l.Inherits = ""
				}
				break
			}
			path = append(path, next.Name)
			cur = next
		}
	}
}

// orderRules sorts rules so that each comes after the rules it reads,
// reporting cycles.
func (c *compiler) orderRules(rs []*rule) []*rule {
	const (
		white = iota
		grey
		black
	)
	color := map[*rule]int{}
	var out []*rule
	var stack []*rule
	var visit func(r *rule)
	visit = func(r *rule) {
		color[r] = grey
		stack = append(stack, r)
		for _, d := range r.deps {
			switch color[d] {
			case white:
				visit(d)
			case grey:
				i := slices.Index(stack, d)
				var names []string
				for _, s := range stack[i:] {
					names = append(names, s.Name)
				}
				names = append(names, d.Name)
				c.errAt(d.Pos.Line, d.Pos.Col, "rule '%s' depends on itself: %s", d.Name, strings.Join(names, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		color[r] = black
		out = append(out, r)
	}
	for _, r := range rs {
		if color[r] == white {
			visit(r)
		}
	}
	return out
}

// resolveResponses computes each level's actions, cadence and delegation,
// following inherits.
func (c *compiler) resolveResponses(decls map[string]*levelDecl) {
	p := c.p
	all := make([]string, len(p.powers))
	for i, pw := range p.powers {
		all[i] = pw.ID
	}
	done := map[string]bool{}
	var resolve func(l *Level, depth int)
	resolve = func(l *Level, depth int) {
		if done[l.Name] || depth > len(p.levels) {
			return
		}
		done[l.Name] = true
		ld := decls[l.Name]
		keeps := slices.Clone(all)
		var actions []Action
		if base := p.level(l.Inherits); base != nil && base != l {
			resolve(base, depth+1)
			keeps = slices.Clone(base.Keeps)
			actions = slices.Clone(base.Actions)
			if l.Review == CadenceNone {
				l.Review = base.Review
			}
		}
		for _, a := range ld.actions {
			if act, ok := p.actions[a]; ok && !slices.ContainsFunc(actions, func(x Action) bool { return x.ID == a }) {
				actions = append(actions, act)
			}
		}
		if ld.hasKeeps {
			keeps = nil
			for _, k := range all {
				if slices.Contains(ld.keeps, k) {
					keeps = append(keeps, k)
				}
			}
		}
		if ld.hasWithdraws {
			keeps = slices.DeleteFunc(keeps, func(k string) bool { return slices.Contains(ld.withdraws, k) })
		}
		l.Actions, l.Keeps = actions, keeps
		l.Withdraws = nil
		for _, k := range all {
			if !slices.Contains(keeps, k) {
				l.Withdraws = append(l.Withdraws, k)
			}
		}
	}
	for _, l := range p.levels {
		resolve(l, 0)
	}
}

// nodeValue reads a value for ind from a YAML node in the policy (a default
// or a test input), returning an error message on failure.
func (c *compiler) nodeValue(ind *Indicator, n *yaml.Node) (Value, string) {
	var v Value
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return Value{}, ""
		}
		v = Text(n.Value)
	case yaml.SequenceNode:
		var items []Value
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				return Value{}, "list items must be plain values"
			}
			items = append(items, Text(it.Value))
		}
		v = List(items...)
	case yaml.MappingNode:
		m := map[string]Value{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = Text(n.Content[i+1].Value)
		}
		v = Areas(m)
	default:
		return Value{}, "unsupported value"
	}
	if _, err := convert(ind, v); err != nil {
		return Value{}, err.Error()
	}
	return v, ""
}

// convert turns a source value into the CEL value of the indicator's kind.
// A nil result with a nil error means "missing".
func convert(ind *Indicator, v Value) (ref.Val, error) {
	if v.kind == vMissing {
		return nil, nil
	}
	if v.cv != nil && v.cvFor == ind {
		return v.cv, nil
	}
	if ind.Kind == KindAreas {
		return nil, fmt.Errorf("an areas indicator has one value per area")
	}
	if ind.List {
		var items []Value
		switch v.kind {
		case vList:
			items = v.list
		case vText:
			for _, s := range strings.FieldsFunc(v.text, func(r rune) bool { return r == ';' || r == '|' }) {
				items = append(items, Text(s))
			}
		default:
			return nil, fmt.Errorf("want a list, got %s", v.describe())
		}
		if len(items) > ind.MaxItems {
			items = items[:ind.MaxItems]
		}
		out := make([]ref.Val, 0, len(items))
		for _, it := range items {
			e, err := convertScalar(ind, it)
			if err != nil {
				return nil, err
			}
			if e != nil {
				out = append(out, e)
			}
		}
		return types.NewRefValList(types.DefaultTypeAdapter, out), nil
	}
	return convertScalar(ind, v)
}

func (v Value) describe() string {
	switch v.kind {
	case vNumber:
		return "number " + v.String()
	case vBool:
		return "boolean " + v.String()
	case vDate:
		return "date " + v.String()
	case vText:
		return fmt.Sprintf("%q", v.text)
	case vList:
		return "a list"
	case vAreas:
		return "per-area values"
	}
	return "nothing"
}

func convertScalar(ind *Indicator, v Value) (ref.Val, error) {
	if v.cv != nil && v.cvFor == ind {
		return v.cv, nil
	}
	switch ind.Kind {
	case KindNumber, KindPercentage:
		f, ok := 0.0, false
		switch v.kind {
		case vNumber:
			f, ok = v.num, !math.IsNaN(v.num) && !math.IsInf(v.num, 0)
		case vText:
			f, ok = parseNumber(v.text)
			if t := strings.TrimSpace(v.text); !ok && strings.HasSuffix(t, "%") {
				return nil, fmt.Errorf("%q: write the number without '%%' (%s on this indicator's %s scale)", v.text,
					strings.TrimSpace(strings.TrimSuffix(t, "%")), ind.scaleText())
			}
		}
		if !ok {
			return nil, fmt.Errorf("want a finite number, got %s", v.describe())
		}
		if ind.Kind == KindPercentage && (f < 0 || f > ind.Max) {
			return nil, fmt.Errorf("percentage %s is outside the indicator's scale %s", strconv.FormatFloat(f, 'g', -1, 64), ind.scaleText())
		}
		return types.Double(f), nil
	case KindCount:
		switch v.kind {
		case vNumber:
			if v.num == float64(int64(v.num)) {
				return types.Int(int64(v.num)), nil
			}
		case vText:
			if f, ok := parseNumber(v.text); ok && f == float64(int64(f)) && math.Abs(f) < 1<<53 {
				return types.Int(int64(f)), nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %s", v.describe())
	case KindBoolean:
		switch v.kind {
		case vBool:
			return types.Bool(v.num != 0), nil
		case vText:
			if b, ok := parseBool(v.text); ok {
				return types.Bool(b), nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %s", v.describe())
	case KindDate:
		switch v.kind {
		case vDate:
			return types.Timestamp{Time: v.t.UTC()}, nil
		case vText:
			if t, ok := parseDate(v.text); ok {
				return types.Timestamp{Time: t}, nil
			}
		}
		return nil, fmt.Errorf("want a date (2006-01-02), got %s", v.describe())
	case KindGrade, KindAreas:
		var s string
		switch v.kind {
		case vText:
			s = v.text
		case vNumber:
			s = v.String()
		default:
			return nil, fmt.Errorf("want a grade on scale '%s', got %s", ind.scale.Name, v.describe())
		}
		if g, ok := ind.scale.grade(s); ok {
			return g, nil
		}
		return nil, fmt.Errorf("'%s' is not a grade on scale '%s'%s", s, ind.scale.Name, suggest(foldName(s), ind.scale.Grades))
	}
	return nil, fmt.Errorf("indicator of unknown kind")
}

// checkPercentages reports comparisons of a percentage with a constant
// off its scale: attendance < 0.90 against a 0-100 percentage (0.9%, a
// fraction written on the wrong scale), or a constant below 0 or above the
// top. It sees a percentage indicator, its history's items (through
// mean(), recent(), indexing and the variable of all(), exists(),
// filter()...) and reports each at the constant. It returns whether it
// reported any.
func (c *compiler) checkPercentages(a *cel.Ast, node *yaml.Node, what string) bool {
	nat := a.NativeRep()
	refs := nat.ReferenceMap()
	loopVars := map[string]*Indicator{}
	var pct func(e ast.Expr) *Indicator
	pct = func(e ast.Expr) *Indicator {
		switch e.Kind() {
		case ast.IdentKind, ast.SelectKind:
			if r, ok := refs[e.ID()]; ok && r.Value == nil {
				name := strings.TrimPrefix(r.Name, "history.")
				if ind := c.p.byName[name]; ind != nil && ind.Kind == KindPercentage {
					return ind
				}
			}
			if e.Kind() == ast.IdentKind {
				return loopVars[e.AsIdent()]
			}
		case ast.CallKind:
			call := e.AsCall()
			switch call.FunctionName() {
			case "mean", "recent", operators.Index:
				if args := call.Args(); len(args) > 0 {
					return pct(args[0])
				}
			}
		}
		return nil
	}
	constant := func(e ast.Expr) (float64, bool) {
		if e.Kind() != ast.LiteralKind {
			return 0, false
		}
		switch v := e.AsLiteral().(type) {
		case types.Double:
			return float64(v), true
		case types.Int:
			return float64(v), true
		}
		return 0, false
	}
	found := false
	ast.PreOrderVisit(nat.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.ComprehensionKind {
			cp := e.AsComprehension()
			if ind := pct(cp.IterRange()); ind != nil {
				loopVars[cp.IterVar()] = ind
			}
			return
		}
		if e.Kind() != ast.CallKind {
			return
		}
		call := e.AsCall()
		switch call.FunctionName() {
		case operators.Less, operators.LessEquals, operators.Greater, operators.GreaterEquals, operators.Equals, operators.NotEquals:
		default:
			return
		}
		args := call.Args()
		if len(args) != 2 {
			return
		}
		for i := range 2 {
			ind := pct(args[i])
			k, ok := constant(args[1-i])
			if ind == nil || !ok {
				continue
			}
			loc := nat.SourceInfo().GetStartLocation(args[1-i].ID())
			l, col := c.exprPos(node, loc.Line(), loc.Column())
			num := strconv.FormatFloat(k, 'g', -1, 64)
			switch {
			case ind.Max == 100 && k > 0 && k < 1:
				c.errAt(l, col, "%s: %s is a percentage on the scale 0-100, so %s means %s%%: write %s (or declare scale: 0-1 on the indicator)",
					what, ind.Name, num, num, strconv.FormatFloat(k*100, 'f', 1, 64))
				found = true
			case k < 0 || k > ind.Max:
				c.errAt(l, col, "%s: %s is a percentage on the scale %s, never %s: this comparison is always true or always false",
					what, ind.Name, ind.scaleText(), num)
				found = true
			}
		}
	}))
	return found
}

var (
	expectingRE = regexp.MustCompile(`\s*expecting (\{[^}]*\}|\S+)`)
	overloadRE  = regexp.MustCompile(`^found no matching overload for '([^']*)' applied to '\(([^,]*), ([^)]*)\)'`)
)

// syntaxInWords rewrites the CEL parser's messages (ANTLR's) in words an
// analyst reads, without token lists.
func syntaxInWords(m string) string {
	m = expectingRE.ReplaceAllString(m, "")
	tok := func(prefix string) (string, bool) {
		rest, ok := strings.CutPrefix(m, prefix)
		if !ok {
			return "", false
		}
		return strings.Trim(strings.TrimSpace(rest), "'"), true
	}
	if t, ok := tok("mismatched input "); ok {
		if t == "<EOF>" {
			return "the expression ends too soon: a value, a closing bracket or the rest of a comparison is missing"
		}
		return fmt.Sprintf("'%s' was not expected here", t)
	}
	if t, ok := tok("extraneous input "); ok {
		if t == "<EOF>" {
			return "the expression ends too soon"
		}
		return fmt.Sprintf("'%s' was not expected here", t)
	}
	if t, ok := tok("token recognition error at: "); ok {
		if strings.HasPrefix(t, "=") {
			return "a single '=' is not a comparison: write == (equal) or != (not equal)"
		}
		return fmt.Sprintf("'%s' is not part of the rule language", t)
	}
	if t, ok := tok("no viable alternative at input "); ok {
		return fmt.Sprintf("cannot read the expression at '%s'", t)
	}
	if rest, ok := strings.CutPrefix(m, "missing "); ok {
		if what, at, found := strings.Cut(rest, " at "); found {
			if at == "'<EOF>'" {
				return fmt.Sprintf("%s is missing at the end", what)
			}
			return fmt.Sprintf("%s is missing before %s", what, at)
		}
	}
	return m
}

// overloadInWords rewrites "found no matching overload" for a grade
// compared with a number or text: it says how a grade is written.
func (c *compiler) overloadInWords(m string) string {
	g := overloadRE.FindStringSubmatch(m)
	if g == nil {
		return m
	}
	var sc *Scale
	other := ""
	for _, s := range c.p.scales {
		switch s.Name {
		case g[2]:
			sc, other = s, g[3]
		case g[3]:
			sc, other = s, g[2]
		}
	}
	if sc == nil || other == sc.Name {
		return m
	}
	what := map[string]string{"int": "a number", "double": "a number", "string": "text", "bool": "true or false"}[other]
	if what == "" {
		return m
	}
	return fmt.Sprintf("a grade on the scale '%s' cannot be compared with %s: write the grade as %s.%s (the grades, best first: %s)",
		sc.Name, what, sc.Name, sc.Grades[len(sc.Grades)/2], strings.Join(sc.Grades, ", "))
}
