package riskpolicy

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Impact is what changing from one policy to another would do over a data
// set: the transition matrix (old level by new level), optionally per
// group of schools (local authority, phase), the number of schools at each
// level before and after, and, where the levels can be compared, the
// schools whose level goes up or down and the rules responsible.
type Impact struct {
	Old     string `json:"old"`
	New     string `json:"new"`
	Schools int    `json:"schools"`
	// Before and After count the schools at each level of the old and the
	// new policy, in level order.
	Before []LevelCount `json:"before"`
	After  []LevelCount `json:"after"`
	// Matrix is the transition matrix over every school.
	Matrix Matrix `json:"matrix"`
	// GroupBy names the attribute the schools were grouped by ("" for
	// none) and Groups holds one matrix per value, sorted by value.
	GroupBy string       `json:"group_by,omitempty"`
	Groups  []GroupShift `json:"groups,omitempty"`
	// Mapping gives, for each old level in order, the new level it
	// compares with (see DiffOptions.Map); empty when the levels cannot be
	// compared, and then there is no Up, Down or Changes.
	Mapping []LevelPair `json:"mapping,omitempty"`
	// MappedBy says how Mapping was made: "map" (given), "names" (the
	// same level names), "order" (the same number of levels, matched by
	// position) or "" (none).
	MappedBy string `json:"mapped_by,omitempty"`
	// Up, Down and Same count the schools whose new level is higher, lower
	// or the same as their old level's counterpart.
	Up   int `json:"up"`
	Down int `json:"down"`
	Same int `json:"same"`
	// Changes lists the schools that go up or down, in URN order.
	Changes []LevelChange `json:"changes"`

	all []LevelChange // every school, for Cell
}

// Matrix is a transition matrix: Counts[i][j] schools are at the old
// policy's level Old[i] and the new policy's level New[j]; Percent is the
// same as a percentage of all the schools it counts.
type Matrix struct {
	Old     []string    `json:"old_levels"`
	New     []string    `json:"new_levels"`
	Counts  [][]int     `json:"counts"`
	Percent [][]float64 `json:"percent"`
	Schools int         `json:"schools"`
}

// GroupShift is the transition matrix of one group of schools.
type GroupShift struct {
	Group  string `json:"group"`
	Matrix Matrix `json:"matrix"`
	Up     int    `json:"up"`
	Down   int    `json:"down"`
}

// LevelPair is an old level and the new level it corresponds to.
type LevelPair struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// LevelCount is the number of schools at a level.
type LevelCount struct {
	Level string `json:"level"`
	Count int    `json:"count"`
}

// LevelChange is one school's levels under the two policies.
type LevelChange struct {
	URN   partnership.URN `json:"urn"`
	Name  string          `json:"name,omitempty"`
	Group string          `json:"group,omitempty"`
	From  string          `json:"from"`
	To    string          `json:"to"`
	// Direction compares To with the level From maps to: ChangeUp (more
	// serious), ChangeDown or ChangeSame; ChangeNew when the levels cannot
	// be compared.
	Direction Change `json:"direction"`
	// OldRules are the rules that placed the school at From under the old
	// policy (the fired rules naming that level, or adding points), and
	// NewRules those that place it at To under the new: the rules
	// responsible for the move.
	OldRules []string `json:"old_rules,omitempty"`
	NewRules []string `json:"new_rules,omitempty"`
	// Gained are the rules that fire under the new policy and did not
	// under the old (by name); Lost the reverse.
	Gained []string `json:"gained,omitempty"`
	Lost   []string `json:"lost,omitempty"`
	// OldScore and Score are the points scores under each policy (zero
	// for policies that combine by highest level).
	OldScore float64 `json:"old_score,omitempty"`
	Score    float64 `json:"score,omitempty"`
	// Held and OldHeld are why the new and the old policy hold the school
	// at its level, if they do (an exit condition not yet met).
	Held    string `json:"held,omitempty"`
	OldHeld string `json:"old_held,omitempty"`
}

// DiffOptions configure Diff and DiffSources. A nil *DiffOptions means the
// zero value.
type DiffOptions struct {
	// Eval applies to both evaluations.
	Eval *EvalOptions
	// Map maps each old level to the new level it corresponds to, for up,
	// down and same ({"A": "1", "B": "2", "C": "3A", "D": "3C"}). Empty:
	// levels with the same names correspond; failing that, two policies
	// with as many levels correspond by position; failing that there is
	// no correspondence and only the matrix is reported.
	Map map[string]string
	// GroupBy names a record attribute (Record.Attrs, such as "la" or
	// "phase") to give one matrix per value of; "" for none.
	GroupBy string
}

// Diff evaluates both policies over every school in src and reports the
// difference.
func Diff(ctx context.Context, old, new *Policy, src Source, opts *DiffOptions) (*Impact, error) {
	return DiffSources(ctx, old, new, src, src, opts)
}

// DiffSources is Diff where each policy reads its own source: the same
// schools read once against each policy's data contract (see
// Policy.ReadCSV). Both sources must hold the same schools; a school in
// one only, or a Map naming a level a policy lacks, is an error wrapping
// ErrInvalid.
func DiffSources(ctx context.Context, old, new *Policy, oldSrc, newSrc Source, opts *DiffOptions) (*Impact, error) {
	var o DiffOptions
	if opts != nil {
		o = *opts
	}
	mapping, by, err := levelMapping(old, new, o.Map)
	if err != nil {
		return nil, err
	}
	var groups []string
	evaluate := func(p *Policy, src Source, keepGroups bool) ([]*Assessment, error) {
		recs, err := p.recordsFor(ctx, src)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if keepGroups && o.GroupBy != "" {
				g, ok := r.Attrs[o.GroupBy]
				if !ok {
					return nil, fmt.Errorf("%w: school %d has no %q to group by", ErrInvalid, r.URN, o.GroupBy)
				}
				groups = append(groups, g)
			}
		}
		b, err := p.Bind(recs)
		if err != nil {
			return nil, err
		}
		return p.EvaluateBatch(ctx, b, o.Eval)
	}
	ao, err := evaluate(old, oldSrc, true)
	if err != nil {
		return nil, err
	}
	an, err := evaluate(new, newSrc, false)
	if err != nil {
		return nil, err
	}
	if len(ao) != len(an) {
		return nil, fmt.Errorf("%w: the sources hold %d and %d schools", ErrInvalid, len(ao), len(an))
	}
	for i := range ao {
		if ao[i].URN != an[i].URN {
			return nil, fmt.Errorf("%w: school %d is in one source only", ErrInvalid, min(ao[i].URN, an[i].URN))
		}
	}
	im := compare(old, new, ao, an, mapping, groups)
	im.MappedBy, im.GroupBy = by, o.GroupBy
	return im, nil
}

// levelMapping decides which new level each old level compares with.
func levelMapping(old, new *Policy, given map[string]string) (map[string]string, string, error) {
	names := func(p *Policy) []string {
		out := make([]string, len(p.levels))
		for i, l := range p.levels {
			out[i] = l.Name
		}
		return out
	}
	if len(given) > 0 {
		var bad []string
		for _, l := range old.levels {
			to, ok := given[l.Name]
			switch {
			case !ok:
				bad = append(bad, fmt.Sprintf("old level %s is not mapped", l.Name))
			case new.Level(to) == nil:
				bad = append(bad, fmt.Sprintf("%s maps to %s, which is not a level of %s (levels: %s)", l.Name, to, new.name, strings.Join(names(new), ", ")))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(given)) {
			if old.Level(k) == nil {
				bad = append(bad, fmt.Sprintf("%s is not a level of %s (levels: %s)", k, old.name, strings.Join(names(old), ", ")))
			}
		}
		if len(bad) > 0 {
			return nil, "", fmt.Errorf("%w: level mapping: %s", ErrInvalid, strings.Join(bad, "; "))
		}
		return maps.Clone(given), "map", nil
	}
	m := map[string]string{}
	same := true
	for _, l := range old.levels {
		if new.Level(l.Name) == nil {
			same = false
			break
		}
		m[l.Name] = l.Name
	}
	if same {
		return m, "names", nil
	}
	if len(old.levels) == len(new.levels) {
		clear(m)
		for i, l := range old.levels {
			m[l.Name] = new.levels[i].Name
		}
		return m, "order", nil
	}
	return nil, "", nil
}

func newMatrix(old, new *Policy) Matrix {
	m := Matrix{Counts: make([][]int, len(old.levels))}
	for i, l := range old.levels {
		m.Old = append(m.Old, l.Name)
		m.Counts[i] = make([]int, len(new.levels))
	}
	for _, l := range new.levels {
		m.New = append(m.New, l.Name)
	}
	return m
}

func (m *Matrix) finish() {
	m.Percent = make([][]float64, len(m.Counts))
	for i, row := range m.Counts {
		m.Percent[i] = make([]float64, len(row))
		for j, n := range row {
			if m.Schools > 0 {
				m.Percent[i][j] = float64(n) * 100 / float64(m.Schools)
			}
		}
	}
}

func compare(old, new *Policy, ao, an []*Assessment, mapping map[string]string, groups []string) *Impact {
	im := &Impact{Old: old.name, New: new.name, Schools: len(ao), Matrix: newMatrix(old, new), Changes: []LevelChange{}}
	for _, l := range old.levels {
		if to, ok := mapping[l.Name]; ok {
			im.Mapping = append(im.Mapping, LevelPair{Old: l.Name, New: to})
		}
	}
	counts := func(p *Policy, as []*Assessment) []LevelCount {
		out := make([]LevelCount, len(p.levels))
		for i, l := range p.levels {
			out[i].Level = l.Name
		}
		for _, a := range as {
			out[a.levelIdx].Count++
		}
		return out
	}
	im.Before, im.After = counts(old, ao), counts(new, an)
	byGroup := map[string]*GroupShift{}
	for i := range ao {
		a, b := ao[i], an[i]
		ch := LevelChange{URN: a.URN, Name: a.Name, From: a.Level, To: b.Level, Direction: ChangeNew,
			OldScore: a.Score, Score: b.Score, Held: b.Held, OldHeld: a.Held, OldRules: decisive(old, a), NewRules: decisive(new, b)}
		if groups != nil {
			ch.Group = groups[i]
		}
		if to, ok := mapping[a.Level]; ok {
			j := new.levelIdx[to]
			switch {
			case b.levelIdx > j:
				ch.Direction = ChangeUp
				im.Up++
			case b.levelIdx < j:
				ch.Direction = ChangeDown
				im.Down++
			default:
				ch.Direction = ChangeSame
				im.Same++
			}
		}
		fa, fb := firedNames(a), firedNames(b)
		for _, n := range fb {
			if !slices.Contains(fa, n) {
				ch.Gained = append(ch.Gained, n)
			}
		}
		for _, n := range fa {
			if !slices.Contains(fb, n) {
				ch.Lost = append(ch.Lost, n)
			}
		}
		im.Matrix.Counts[a.levelIdx][b.levelIdx]++
		im.Matrix.Schools++
		if groups != nil {
			g := byGroup[ch.Group]
			if g == nil {
				g = &GroupShift{Group: ch.Group, Matrix: newMatrix(old, new)}
				byGroup[ch.Group] = g
			}
			g.Matrix.Counts[a.levelIdx][b.levelIdx]++
			g.Matrix.Schools++
			switch ch.Direction {
			case ChangeUp:
				g.Up++
			case ChangeDown:
				g.Down++
			}
		}
		if ch.Direction == ChangeUp || ch.Direction == ChangeDown {
			im.Changes = append(im.Changes, ch)
		}
		im.all = append(im.all, ch)
	}
	im.Matrix.finish()
	for _, k := range slices.SortedFunc(maps.Keys(byGroup), func(a, b string) int { return cmpGroup(a, b) }) {
		g := byGroup[k]
		g.Matrix.finish()
		im.Groups = append(im.Groups, *g)
	}
	return im
}

// cmpGroup orders group values as numbers when both are (LA codes), else
// as text.
func cmpGroup(a, b string) int {
	var x, y int
	if _, err := fmt.Sscanf(a, "%d", &x); err == nil {
		if _, err := fmt.Sscanf(b, "%d", &y); err == nil && fmt.Sprint(x) == a && fmt.Sprint(y) == b {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(a, b)
}

// decisive returns the fired rules that place a school at its level: with
// combine: highest, those naming the level; with points, those adding
// points or naming the level.
func decisive(p *Policy, a *Assessment) []string {
	var out []string
	for _, f := range a.Fired {
		if f.Level == a.Computed || (p.combine == CombinePoints && f.Points > 0) {
			out = append(out, f.Rule)
		}
	}
	return out
}

// Cell returns the schools at old level from and new level to, in URN
// order, with the rules responsible: the drill-down of one cell of the
// matrix.
func (im *Impact) Cell(from, to string) []LevelChange {
	out := []LevelChange{}
	for _, c := range im.all {
		if c.From == from && c.To == to {
			out = append(out, c)
		}
	}
	return out
}

func firedNames(a *Assessment) []string {
	out := make([]string, len(a.Fired))
	for i, f := range a.Fired {
		out[i] = f.Rule
	}
	return out
}
