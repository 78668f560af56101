package riskpolicy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// maxPolicySize bounds the size of a policy file; larger files are refused
// before parsing.
const maxPolicySize = 1 << 20

// The syntax tree of a policy file: what the YAML says, with the nodes kept
// for positions. compile.go gives it meaning.

type fileDecl struct {
	name        string
	nameNode    *yaml.Node
	title       string
	description string
	period      string
	history     int
	historyNode *yaml.Node
	combine     string
	combineNode *yaml.Node
	scales      []*scaleDecl
	indicators  []*indicatorDecl
	powers      []*textDecl
	actions     []*textDecl
	levels      []*levelDecl
	rules       []*ruleDecl
	tests       []*testDecl
	columns     []*textDecl // indicator (or indicator.area) -> column header
	missing     string
	missingNode *yaml.Node
}

type textDecl struct {
	name string
	node *yaml.Node // the key
	text string
}

type scaleDecl struct {
	name   string
	node   *yaml.Node
	grades []string
	gnodes []*yaml.Node
}

type indicatorDecl struct {
	name        string
	node        *yaml.Node
	typ         string
	typNode     *yaml.Node
	scale       string
	scaleNode   *yaml.Node
	areas       []string
	areaNodes   []*yaml.Node
	list        bool
	maxItems    int
	maxNode     *yaml.Node
	unit        string
	source      string
	description string
	synthetic   bool
	deflt       *yaml.Node
	missing     string
	missingNode *yaml.Node
}

type condDecl struct {
	expr    string
	node    *yaml.Node // the scalar holding the expression
	for_    int
	forNode *yaml.Node
}

type levelDecl struct {
	name         string
	node         *yaml.Node
	description  string
	inherits     string
	inheritsNode *yaml.Node
	points       *float64
	pointsNode   *yaml.Node
	entry        *condDecl
	exit         *condDecl
	actions      []string
	actionNodes  []*yaml.Node
	review       string
	reviewNode   *yaml.Node
	keeps        []string
	keepNodes    []*yaml.Node
	withdraws    []string
	withdrawNode []*yaml.Node
	hasKeeps     bool
	hasWithdraws bool
	delegNode    *yaml.Node
}

type ruleDecl struct {
	name        string
	node        *yaml.Node
	description string
	when        *condDecl
	near        *condDecl
	level       string
	levelNode   *yaml.Node
	points      *float64
	pointsNode  *yaml.Node
	missing     string
	missingNode *yaml.Node
}

type testDecl struct {
	name       string
	node       *yaml.Node
	at         string
	atNode     *yaml.Node
	indicators *yaml.Node   // mapping
	history    []*yaml.Node // mappings, newest first
	previous   string
	prevNode   *yaml.Node
	expect     string
	expectNode *yaml.Node
	fired      []string
	firedNodes []*yaml.Node
	hasFired   bool
	like       string
	likeNode   *yaml.Node
}

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
var levelNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
var policyNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// parser walks the YAML tree, collecting every problem.
type parser struct {
	file  string
	lines []string
	errs  ErrorList
}

func newParser(file string, src []byte) *parser {
	return &parser{file: file, lines: strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")}
}

func (p *parser) lineText(line int) string {
	if line >= 1 && line <= len(p.lines) {
		return p.lines[line-1]
	}
	return ""
}

func (p *parser) errAt(line, col int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: Pos{File: p.file, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...), Line: p.lineText(line)})
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	if n == nil {
		p.errAt(0, 0, format, args...)
		return
	}
	p.errAt(n.Line, n.Column, format, args...)
}

// parseFile parses src into a fileDecl, returning nil when the YAML itself
// cannot be read.
func (p *parser) parseFile(src []byte) *fileDecl {
	if len(src) > maxPolicySize {
		p.errAt(1, 1, "policy file is %d bytes; the limit is %d", len(src), maxPolicySize)
		return nil
	}
	if len(strings.TrimSpace(string(src))) == 0 {
		p.errAt(1, 1, "policy file is empty")
		return nil
	}
	if !utf8.Valid(src) {
		p.errAt(1, 1, "policy file is not valid UTF-8")
		return nil
	}
	var doc yaml.Node
	if err := yaml.Load(src, &doc, yaml.WithUniqueKeys(false)); err != nil {
		var le *yaml.LoadError
		if errors.As(err, &le) {
			line, col := le.Mark.Line, le.Mark.Column
			if line == 0 {
				line, col = 1, 1
			}
			p.errAt(line, col, "%s", yamlMsg(le.Message))
		} else {
			p.errAt(1, 1, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.errAt(1, 1, "policy file is empty")
		return nil
	}
	root := doc.Content[0]
	if !p.checkNoAliases(root, 0) {
		return nil
	}
	f := &fileDecl{history: 6, combine: "highest"}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a policy must be a mapping of keys (policy, indicators, levels, rules ...), not %s", kindName(root))
		return nil
	}
	p.mapping(root, "policy", map[string]func(k, v *yaml.Node){
		"policy":      func(k, v *yaml.Node) { f.name, f.nameNode = p.str(v), v },
		"title":       func(k, v *yaml.Node) { f.title = p.str(v) },
		"description": func(k, v *yaml.Node) { f.description = p.str(v) },
		"period":      func(k, v *yaml.Node) { f.period = p.str(v) },
		"history":     func(k, v *yaml.Node) { f.history, f.historyNode = p.int(v), v },
		"combine":     func(k, v *yaml.Node) { f.combine, f.combineNode = p.str(v), v },
		"missing":     func(k, v *yaml.Node) { f.missing, f.missingNode = p.str(v), v },
		"columns": func(k, v *yaml.Node) {
			p.namedMapping(v, "columns", func(k, v *yaml.Node) { f.columns = append(f.columns, &textDecl{k.Value, k, p.str(v)}) })
		},
		"scales": func(k, v *yaml.Node) {
			p.namedMapping(v, "scales", func(k, v *yaml.Node) {
				s := &scaleDecl{name: k.Value, node: k}
				s.grades, s.gnodes = p.strList(v)
				f.scales = append(f.scales, s)
			})
		},
		"indicators": func(k, v *yaml.Node) {
			p.namedMapping(v, "indicators", func(k, v *yaml.Node) { f.indicators = append(f.indicators, p.indicator(k, v)) })
		},
		"powers": func(k, v *yaml.Node) {
			p.namedMapping(v, "powers", func(k, v *yaml.Node) { f.powers = append(f.powers, &textDecl{k.Value, k, p.str(v)}) })
		},
		"actions": func(k, v *yaml.Node) {
			p.namedMapping(v, "actions", func(k, v *yaml.Node) { f.actions = append(f.actions, &textDecl{k.Value, k, p.str(v)}) })
		},
		"levels": func(k, v *yaml.Node) {
			for _, it := range p.seq(v) {
				if l := p.level(it); l != nil {
					f.levels = append(f.levels, l)
				}
			}
		},
		"rules": func(k, v *yaml.Node) {
			for _, it := range p.seq(v) {
				if r := p.rule(it); r != nil {
					f.rules = append(f.rules, r)
				}
			}
		},
		"tests": func(k, v *yaml.Node) {
			for _, it := range p.seq(v) {
				if t := p.test(it); t != nil {
					f.tests = append(f.tests, t)
				}
			}
		},
	}, "policy")
	return f
}

// yamlMsg tidies a parser message for users.
func yamlMsg(s string) string {
	s = strings.TrimPrefix(s, "yaml: ")
	if s == "" {
		return "invalid YAML"
	}
	return "invalid YAML: " + s
}

// checkNoAliases refuses anchors, aliases and merge keys: a policy is plain
// data, and aliases allow documents that expand exponentially.
func (p *parser) checkNoAliases(n *yaml.Node, depth int) bool {
	if depth > 64 {
		p.errorf(n, "policy nests more than 64 levels deep")
		return false
	}
	if n.Tag != "" && strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		p.errorf(n, "YAML reads '%s' as a tag: quote an expression that starts with '!'", n.Tag)
		return false
	}
	if n.Kind == yaml.AliasNode {
		p.errorf(n, "aliases are not allowed in a policy file")
		return false
	}
	if n.Anchor != "" {
		p.errorf(n, "anchors are not allowed in a policy file")
		return false
	}
	ok := true
	for _, c := range n.Content {
		if !p.checkNoAliases(c, depth+1) {
			ok = false
		}
	}
	return ok
}

// mapping walks a mapping with the given keys, reporting unknown and
// duplicate keys and required ones that are missing.
func (p *parser) mapping(n *yaml.Node, what string, fields map[string]func(k, v *yaml.Node), required ...string) bool {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return false
	}
	seen := map[string]*yaml.Node{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: keys must be plain names", what)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, "duplicate key '%s' in %s (first at line %d)", k.Value, what, first.Line)
			continue
		}
		seen[k.Value] = k
		fn, ok := fields[k.Value]
		if !ok {
			p.errorf(k, "unknown key '%s' in %s%s", k.Value, what, suggest(k.Value, keys))
			continue
		}
		fn(k, v)
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			p.errorf(n, "%s has no '%s'", what, r)
		}
	}
	return true
}

// namedMapping walks a mapping from names to values, reporting duplicate
// names; fn gets each key and value.
func (p *parser) namedMapping(n *yaml.Node, what string, fn func(k, v *yaml.Node)) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: keys must be plain names", what)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, "duplicate name '%s' in %s (first at line %d)", k.Value, what, first.Line)
			continue
		}
		seen[k.Value] = k
		fn(k, v)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("'%s'", n.Value)
	}
	return "something else"
}

func (p *parser) seq(n *yaml.Node) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "expected a list, not %s", kindName(n))
		return nil
	}
	return n.Content
}

func (p *parser) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "expected text, not %s", kindName(n))
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

func (p *parser) int(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		p.errorf(n, "expected a whole number, not %s", kindName(n))
		return 0
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		p.errorf(n, "expected a whole number, not %s", kindName(n))
	}
	return v
}

func (p *parser) float(n *yaml.Node) *float64 {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		p.errorf(n, "expected a number, not %s", kindName(n))
		return nil
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		p.errorf(n, "expected a number, not %s", kindName(n))
		return nil
	}
	return &v
}

func (p *parser) bool(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, "expected true or false, not %s", kindName(n))
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

func (p *parser) strList(n *yaml.Node) ([]string, []*yaml.Node) {
	var ss []string
	var ns []*yaml.Node
	for _, it := range p.seq(n) {
		if it.Kind != yaml.ScalarNode {
			p.errorf(it, "expected a name, not %s", kindName(it))
			continue
		}
		ss = append(ss, it.Value)
		ns = append(ns, it)
	}
	return ss, ns
}

func (p *parser) indicator(k, v *yaml.Node) *indicatorDecl {
	d := &indicatorDecl{name: k.Value, node: k}
	p.mapping(v, "indicator '"+k.Value+"'", map[string]func(k, v *yaml.Node){
		"type":        func(k, v *yaml.Node) { d.typ, d.typNode = p.str(v), v },
		"scale":       func(k, v *yaml.Node) { d.scale, d.scaleNode = p.str(v), v },
		"areas":       func(k, v *yaml.Node) { d.areas, d.areaNodes = p.strList(v) },
		"list":        func(k, v *yaml.Node) { d.list = p.bool(v) },
		"max_items":   func(k, v *yaml.Node) { d.maxItems, d.maxNode = p.int(v), v },
		"unit":        func(k, v *yaml.Node) { d.unit = p.str(v) },
		"source":      func(k, v *yaml.Node) { d.source = p.str(v) },
		"description": func(k, v *yaml.Node) { d.description = p.str(v) },
		"synthetic":   func(k, v *yaml.Node) { d.synthetic = p.bool(v) },
		"default":     func(k, v *yaml.Node) { d.deflt = v },
		"missing":     func(k, v *yaml.Node) { d.missing, d.missingNode = p.str(v), v },
	}, "type", "source")
	if d.typNode == nil {
		d.typNode = k
	}
	return d
}

// cond reads a condition: an expression, or a mapping {when, for}.
func (p *parser) cond(v *yaml.Node, what string) *condDecl {
	c := &condDecl{for_: 1}
	if v.Kind == yaml.MappingNode {
		p.mapping(v, what, map[string]func(k, v *yaml.Node){
			"when": func(k, v *yaml.Node) { c.expr, c.node = p.exprText(v), v },
			"for":  func(k, v *yaml.Node) { c.for_, c.forNode = p.int(v), v },
		}, "when")
		if c.node == nil {
			return nil
		}
		return c
	}
	c.expr, c.node = p.exprText(v), v
	return c
}

func (p *parser) exprText(v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errorf(v, "expected an expression, not %s", kindName(v))
		return ""
	}
	return v.Value
}

func (p *parser) level(n *yaml.Node) *levelDecl {
	l := &levelDecl{node: n}
	var nameNode *yaml.Node
	ok := p.mapping(n, "level", map[string]func(k, v *yaml.Node){
		"name":        func(k, v *yaml.Node) { l.name, nameNode = p.str(v), v },
		"description": func(k, v *yaml.Node) { l.description = p.str(v) },
		"inherits":    func(k, v *yaml.Node) { l.inherits, l.inheritsNode = p.str(v), v },
		"points":      func(k, v *yaml.Node) { l.points, l.pointsNode = p.float(v), v },
		"entry":       func(k, v *yaml.Node) { l.entry = p.cond(v, "entry") },
		"exit":        func(k, v *yaml.Node) { l.exit = p.cond(v, "exit") },
		"actions":     func(k, v *yaml.Node) { l.actions, l.actionNodes = p.strList(v) },
		"review":      func(k, v *yaml.Node) { l.review, l.reviewNode = p.str(v), v },
		"delegation": func(k, v *yaml.Node) {
			l.delegNode = k
			p.mapping(v, "delegation", map[string]func(k, v *yaml.Node){
				"keeps":     func(k, v *yaml.Node) { l.keeps, l.keepNodes = p.strList(v); l.hasKeeps = true },
				"withdraws": func(k, v *yaml.Node) { l.withdraws, l.withdrawNode = p.strList(v); l.hasWithdraws = true },
			})
		},
	}, "name")
	if !ok {
		return nil
	}
	if nameNode != nil {
		l.node = nameNode
	}
	return l
}

func (p *parser) rule(n *yaml.Node) *ruleDecl {
	r := &ruleDecl{node: n}
	var nameNode *yaml.Node
	ok := p.mapping(n, "rule", map[string]func(k, v *yaml.Node){
		"name":        func(k, v *yaml.Node) { r.name, nameNode = p.str(v), v },
		"description": func(k, v *yaml.Node) { r.description = p.str(v) },
		"when": func(k, v *yaml.Node) {
			if r.when == nil {
				r.when = &condDecl{for_: 1}
			}
			r.when.expr, r.when.node = p.exprText(v), v
		},
		"for": func(k, v *yaml.Node) {
			if r.when == nil {
				r.when = &condDecl{for_: 1}
			}
			r.when.for_, r.when.forNode = p.int(v), v
		},
		"near":    func(k, v *yaml.Node) { r.near = &condDecl{expr: p.exprText(v), node: v, for_: 1} },
		"level":   func(k, v *yaml.Node) { r.level, r.levelNode = p.str(v), v },
		"points":  func(k, v *yaml.Node) { r.points, r.pointsNode = p.float(v), v },
		"missing": func(k, v *yaml.Node) { r.missing, r.missingNode = p.str(v), v },
	}, "name", "when")
	if !ok {
		return nil
	}
	if nameNode != nil {
		r.node = nameNode
	}
	if r.when != nil && r.when.node == nil {
		r.when = nil
	}
	return r
}

func (p *parser) test(n *yaml.Node) *testDecl {
	t := &testDecl{node: n}
	var nameNode *yaml.Node
	ok := p.mapping(n, "test", map[string]func(k, v *yaml.Node){
		"name": func(k, v *yaml.Node) { t.name, nameNode = p.str(v), v },
		"at":   func(k, v *yaml.Node) { t.at, t.atNode = p.str(v), v },
		"indicators": func(k, v *yaml.Node) {
			if v.Kind != yaml.MappingNode && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
				p.errorf(v, "indicators must be a mapping, not %s", kindName(v))
				return
			}
			t.indicators = v
		},
		"history": func(k, v *yaml.Node) {
			for _, it := range p.seq(v) {
				if it.Kind != yaml.MappingNode {
					p.errorf(it, "each period of history must be a mapping, not %s", kindName(it))
					continue
				}
				t.history = append(t.history, it)
			}
		},
		"previous": func(k, v *yaml.Node) { t.previous, t.prevNode = p.str(v), v },
		"like":     func(k, v *yaml.Node) { t.like, t.likeNode = p.str(v), v },
		"expect":   func(k, v *yaml.Node) { t.expect, t.expectNode = p.str(v), v },
		"fired":    func(k, v *yaml.Node) { t.fired, t.firedNodes = p.strList(v); t.hasFired = true },
	}, "name", "expect")
	if !ok {
		return nil
	}
	if nameNode != nil {
		t.node = nameNode
	}
	return t
}

// exprPos maps an offset in an expression (in code points, as CEL counts)
// to its position in the file, by walking the scalar's source text.
func (p *parser) exprPos(n *yaml.Node, line, col int) (int, int) {
	// CEL reports 1-based lines and 0-based columns within the expression.
	exprLines := strings.Split(n.Value, "\n")
	off := 0
	for i := 0; i < line-1 && i < len(exprLines); i++ {
		off += utf8.RuneCountInString(exprLines[i]) + 1
	}
	off += col
	return p.scalarOffset(n, off)
}

// scalarOffset finds the file position of the rune at offset off of the
// scalar n's value, aligning the value with the raw source: it handles
// plain, quoted, literal and folded scalars; where escapes make the value
// differ from the source, it falls back to the scalar's start.
func (p *parser) scalarOffset(n *yaml.Node, off int) (int, int) {
	val := []rune(n.Value)
	line, col := n.Line, n.Column // 1-based; col counts runes
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line++
		col = 0 // found below, after indentation
	}
	src := func(l int) []rune { return []rune(p.lineText(l)) }
	block := col == 0
	indent := 0 // a block scalar's indentation
	if block {
		for l := line; l <= len(p.lines); l++ {
			t := src(l)
			i := 0
			for i < len(t) && t[i] == ' ' {
				i++
			}
			if i < len(t) {
				indent = i
				line = l
				break
			}
		}
	}
	cur := src(line)
	c := col - 1 // 0-based index into cur
	if block {
		c = indent
	}
	for i := 0; i < len(val) && i < off; i++ {
		r := val[i]
		if c < len(cur) && cur[c] == r {
			c++
			continue
		}
		if r == ' ' || r == '\n' || r == '\t' {
			// A folded line break or one the scalar's indentation hides:
			// move to the next line's first non-blank character.
			if c >= len(cur) || r == '\n' {
				for {
					line++
					if line > len(p.lines) {
						return n.Line, n.Column
					}
					cur = src(line)
					c = 0
					if block {
						c = min(indent, len(cur))
					} else {
						for c < len(cur) && (cur[c] == ' ' || cur[c] == '\t') {
							c++
						}
					}
					if c < len(cur) || r == '\n' {
						break
					}
				}
				continue
			}
		}
		return n.Line, n.Column
	}
	return line, c + 1
}
