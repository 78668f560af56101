package riskpolicy

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// EvalOptions are the inputs of an evaluation besides the indicator values.
// A nil *EvalOptions means all defaults.
type EvalOptions struct {
	// At is the time of the assessment, and the value of "now" in rules;
	// zero means time.Now().
	At time.Time
	// Previous holds each school's last assessment under this policy, for
	// exit conditions and the change since then. A school missing from it
	// whose record has history is replayed: the policy is evaluated on its
	// earlier periods, oldest first, to find the level it would have had.
	Previous map[partnership.URN]*Assessment
	// Overrides are professional-judgement overrides; those for this
	// policy and school in force at At set the level.
	Overrides []Override
	// Brief leaves out the detail of each assessment: the values of fired
	// rules, near misses and skipped rules (the names of fired rules stay).
	// It makes evaluating every school for a dashboard or a diff cheaper.
	Brief bool
}

// Batch is a set of school records converted once for one policy, to be
// evaluated many times (as Diff and benchmarks do). It is read-only and safe
// for concurrent use.
type Batch struct {
	p    *Policy
	recs []boundRecord
}

// Len returns the number of schools in the batch.
func (b *Batch) Len() int { return len(b.recs) }

type boundRecord struct {
	urn     partnership.URN
	name    string
	periods [][]ref.Val // newest first; each holds the indicator slots
	labels  []string
	ats     []time.Time
}

// Bind converts records for evaluation by p. A value that does not fit its
// indicator's kind is an error wrapping ErrInvalid that names the school,
// period and indicator; values of undeclared indicators are ignored.
func (p *Policy) Bind(recs []Record) (*Batch, error) {
	b := &Batch{p: p, recs: make([]boundRecord, len(recs))}
	// Records convert independently: spread them over GOMAXPROCS
	// goroutines, keeping the first errors in record order.
	const chunk = 512
	nchunks := (len(recs) + chunk - 1) / chunk
	errs := make([][]string, nchunks)
	var next atomic.Int64
	work := func() {
		for {
			c := int(next.Add(1)) - 1
			if c >= nchunks {
				return
			}
			for i := c * chunk; i < min((c+1)*chunk, len(recs)); i++ {
				if err := p.bind(&recs[i], &b.recs[i]); err != nil && len(errs[c]) < 20 {
					errs[c] = append(errs[c], err.Error())
				}
			}
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), nchunks); workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
		}
		wg.Wait()
	}
	var all []string
	for _, e := range errs {
		all = append(all, e...)
	}
	if len(all) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(all[:min(len(all), 20)], "; "))
	}
	return b, nil
}

func (p *Policy) bind(rec *Record, out *boundRecord) error {
	n := min(len(rec.Periods), p.history)
	periods := rec.Periods
	if n == 0 {
		// A school with no values at all has one empty period.
		n, periods = 1, []Snapshot{{}}
	}
	out.urn, out.name = rec.URN, rec.Name
	out.periods = make([][]ref.Val, n)
	out.labels = make([]string, n)
	out.ats = make([]time.Time, n)
	if rec.slotsFor == p && periods[0].slots != nil {
		// Read by p.ReadCSV: converted and checked. A period no default applies to is
		// used as it is, shared, never copied: neither the batch nor the
		// source changes it.
		for k := 0; k < n; k++ {
			snap := &periods[k]
			out.labels[k], out.ats[k] = snap.Period, snap.At
			if !p.needsDefaults(snap.slots) {
				out.periods[k] = snap.slots
				continue
			}
			vals := slices.Clone(snap.slots)
			if err := p.applyDefaults(vals); err != nil {
				return fmt.Errorf("school %d, period %q, %v", rec.URN, snap.Period, err)
			}
			out.periods[k] = vals
		}
		return nil
	}
	// One backing array for every period's slots.
	all := make([]ref.Val, n*p.nind)
	for k := 0; k < n; k++ {
		snap := &periods[k]
		vals := all[k*p.nind : (k+1)*p.nind : (k+1)*p.nind]
		out.periods[k] = vals
		out.labels[k], out.ats[k] = snap.Period, snap.At
		for _, ind := range p.indicators {
			v, ok := snap.Values[ind.Name]
			if !ok || v.kind == vMissing {
				if ind.Kind != KindAreas {
					vals[ind.slot] = ind.deflCV
					continue
				}
				v = ind.deflt
			}
			if ind.Kind == KindAreas {
				if err := p.bindAreas(ind, snap, v, vals); err != nil {
					return fmt.Errorf("school %d, period %q, indicator %s: %v", rec.URN, snap.Period, ind.Name, err)
				}
				continue
			}
			cv, err := convert(ind, v)
			if err != nil {
				return fmt.Errorf("school %d, period %q, indicator %s: %v", rec.URN, snap.Period, ind.Name, err)
			}
			vals[ind.slot] = cv
		}
	}
	return nil
}

// needsDefaults reports whether a period's slots, as p.ReadCSV read them,
// lack a value some indicator has a default for.
func (p *Policy) needsDefaults(vals []ref.Val) bool {
	for _, ind := range p.indicators {
		if vals[ind.slot] == nil && !ind.deflt.IsMissing() {
			return true
		}
	}
	return false
}

// applyDefaults gives every indicator with a default and no value in vals
// (slots as p.ReadCSV read them) its default.
func (p *Policy) applyDefaults(vals []ref.Val) error {
	for _, ind := range p.indicators {
		if vals[ind.slot] != nil || ind.deflt.IsMissing() {
			continue
		}
		if ind.Kind == KindAreas {
			if err := p.bindAreas(ind, &Snapshot{}, ind.deflt, vals); err != nil {
				return fmt.Errorf("indicator %s: %v", ind.Name, err)
			}
			continue
		}
		vals[ind.slot] = ind.deflCV
	}
	return nil
}

func (p *Policy) bindAreas(ind *Indicator, snap *Snapshot, v Value, vals []ref.Val) error {
	var m map[string]Value
	switch v.kind {
	case vMissing:
	case vAreas:
		m = v.areas
	case vText:
		m = map[string]Value{}
		for _, part := range strings.FieldsFunc(v.text, func(r rune) bool { return r == ';' || r == '|' }) {
			a, g, ok := strings.Cut(part, "=")
			if !ok {
				return fmt.Errorf("want area=grade;area=grade, got %q", v.text)
			}
			m[strings.TrimSpace(a)] = Text(g)
		}
	default:
		return fmt.Errorf("want per-area grades, got %s", v.describe())
	}
	var graded []ref.Val
	for i, a := range ind.Areas {
		av, ok := m[a]
		if !ok {
			for k, x := range m {
				if foldName(k) == a {
					av, ok = x, true
					break
				}
			}
		}
		if !ok {
			if x, found := snap.Values[ind.Name+"."+a]; found {
				av = x
			}
		}
		cv, err := convertScalar(ind, av)
		if av.kind == vMissing {
			cv, err = nil, nil
		}
		if err != nil {
			return fmt.Errorf("area %s: %v", a, err)
		}
		vals[ind.areaSlots[i]] = cv
		if cv != nil {
			graded = append(graded, cv)
		}
	}
	if len(graded) > 0 {
		vals[ind.slot] = types.NewRefValList(types.DefaultTypeAdapter, graded)
	}
	return nil
}

// Evaluate assesses one school. It is safe for concurrent use.
func (p *Policy) Evaluate(ctx context.Context, rec Record, opts *EvalOptions) (*Assessment, error) {
	b, err := p.Bind([]Record{rec})
	if err != nil {
		return nil, err
	}
	as, err := p.EvaluateBatch(ctx, b, opts)
	if err != nil {
		return nil, err
	}
	return as[0], nil
}

// EvaluateAll assesses every school src holds, in URN order.
func (p *Policy) EvaluateAll(ctx context.Context, src Source, opts *EvalOptions) ([]*Assessment, error) {
	recs, err := p.recordsFor(ctx, src)
	if err != nil {
		return nil, err
	}
	b, err := p.Bind(recs)
	if err != nil {
		return nil, err
	}
	return p.EvaluateBatch(ctx, b, opts)
}

// EvaluateBatch assesses every school in b, in b's order, spreading the work
// over GOMAXPROCS goroutines. It stops with ctx's error when ctx is done.
func (p *Policy) EvaluateBatch(ctx context.Context, b *Batch, opts *EvalOptions) ([]*Assessment, error) {
	if b.p != p {
		return nil, fmt.Errorf("%w: batch was bound for policy %q, not %q", ErrInvalid, b.p.name, p.name)
	}
	var o EvalOptions
	if opts != nil {
		o = *opts
	}
	if o.At.IsZero() {
		o.At = time.Now()
	}
	var ovr map[partnership.URN][]*Override
	for i := range o.Overrides {
		ov := &o.Overrides[i]
		if ov.Policy != p.name || !ov.ActiveAt(o.At) {
			continue
		}
		if ovr == nil {
			ovr = map[partnership.URN][]*Override{}
		}
		ovr[ov.URN] = append(ovr[ov.URN], ov)
	}
	out := make([]*Assessment, len(b.recs))
	const chunk = 256
	workers := min(runtime.GOMAXPROCS(0), (len(b.recs)+chunk-1)/chunk)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	work := func() {
		ev := p.newEvaluator(ctx)
		for {
			start := int(next.Add(chunk)) - chunk
			if start >= len(b.recs) {
				return
			}
			if err := ctx.Err(); err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
				return
			}
			end := min(start+chunk, len(b.recs))
			buf := make([]Assessment, end-start) // one allocation per chunk
			for i := start; i < end; i++ {
				r := &b.recs[i]
				a, err := ev.assess(&buf[i-start], r, &o, ovr[r.urn])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				out[i] = a
			}
		}
	}
	if workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() { defer wg.Done(); work() }()
		}
		wg.Wait()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// Rule states per period.
const (
	stUnknown uint8 = iota
	stTrue
	stFalse
	stMissing
	stError
	// stShort: a condition with for: N held in every period the record
	// has (none false, none unknown), but the record has fewer than N
	// periods from the one assessed: whether it held for N is unknown.
	stShort
)

// evaluator is one goroutine's scratch space.
type evaluator struct {
	p     *Policy
	ctx   context.Context
	act   activation
	rec   *boundRecord
	extra [][]ref.Val // per period: rule and now slots
	cond  []uint8     // per period × rule
	fired []uint8
	errs  []string // per rule, at period 0
	nper  int
	// lastErr is the error of the last run that gave stError; condErr
	// the last entry or exit condition's.
	lastErr, condErr string
	// the last "now" made, to reuse
	nowAt  time.Time
	nowVal ref.Val
	// histInd[s] is the indicator of history slot s when a condition
	// reads it (nil for every other slot); histv holds the record's
	// history lists made so far, by period and slot (see history).
	histInd []*Indicator
	histv   []ref.Val
	// histL[s] holds the record's values of history slot s's indicator,
	// newest first, and histFrom[s][k] where period k's begin in it:
	// every period's list is a suffix. Their memory is reused from
	// record to record (lists are read only while the record is
	// assessed); histMade[s] says they are the current record's.
	histL    [][]ref.Val
	histFrom [][]int
	histMade []bool
}

func (p *Policy) newEvaluator(ctx context.Context) *evaluator {
	e := &evaluator{p: p, ctx: ctx, act: activation{slots: p.slots, presence: p.presence}}
	e.act.ev = e
	for _, ind := range p.indicators {
		if ind.histSlot >= 0 && p.usesHistory[ind.histSlot] {
			if e.histInd == nil {
				e.histInd = make([]*Indicator, p.nbase)
				e.histL = make([][]ref.Val, p.nbase)
				e.histFrom = make([][]int, p.nbase)
				e.histMade = make([]bool, p.nbase)
			}
			e.histInd[ind.histSlot] = ind
		}
	}
	return e
}

// history returns history.NAME, slot s of indicator ind, in period k:
// the values of NAME in period k and the earlier ones the record has,
// newest first, missing ones left out. It is made when a condition first
// reads it, once per record and period, and never kept past the record.
func (e *evaluator) history(ind *Indicator, s, k int) ref.Val {
	i := k*e.p.nbase + s
	if v := e.histv[i]; v != nil {
		return v
	}
	if !e.histMade[s] {
		e.histMade[s] = true
		l, from := e.histL[s][:0], e.histFrom[s][:0]
		for j := 0; j < e.nper; j++ {
			from = append(from, len(l))
			if v := e.rec.periods[j][ind.slot]; v != nil {
				l = append(l, v)
			}
		}
		e.histL[s], e.histFrom[s] = l, from
	}
	l := e.histL[s]
	v := types.NewRefValList(types.DefaultTypeAdapter, l[e.histFrom[s][k]:len(l):len(l)])
	e.histv[i] = v
	return v
}

// timestamp returns t as a CEL value, reusing the last one: most schools
// are assessed at the same time.
func (e *evaluator) timestamp(t time.Time) ref.Val {
	if e.nowVal == nil || !t.Equal(e.nowAt) {
		e.nowAt, e.nowVal = t, types.Timestamp{Time: t.UTC()}
	}
	return e.nowVal
}

func (e *evaluator) reset(r *boundRecord, at time.Time) {
	p := e.p
	e.rec = r
	e.nper = len(r.periods)
	nr := len(p.declared)
	nx := len(p.slotNames) - p.nbase
	for len(e.extra) < e.nper {
		e.extra = append(e.extra, make([]ref.Val, nx))
	}
	for k := 0; k < e.nper; k++ {
		clear(e.extra[k])
		t := r.ats[k]
		if t.IsZero() || k == 0 {
			t = at
		}
		e.extra[k][p.nowSlot-p.nbase] = e.timestamp(t)
	}
	need := e.nper * nr
	if cap(e.cond) < need {
		e.cond = make([]uint8, need)
		e.fired = make([]uint8, need)
	}
	e.cond = e.cond[:need]
	e.fired = e.fired[:need]
	clear(e.cond)
	clear(e.fired)
	if len(e.errs) < nr {
		e.errs = make([]string, nr)
	}
	clear(e.errs)
	if e.histInd != nil {
		if n := e.nper * p.nbase; cap(e.histv) < n {
			e.histv = make([]ref.Val, n)
		} else {
			e.histv = e.histv[:n]
			clear(e.histv)
		}
		clear(e.histMade)
	}
}

func (e *evaluator) value(slot, k int) ref.Val {
	if slot < e.p.nbase {
		if e.nper == 0 {
			return nil
		}
		if slot < e.p.nind {
			return e.rec.periods[k][slot]
		}
		if e.histInd != nil && e.histInd[slot] != nil {
			return e.history(e.histInd[slot], slot, k)
		}
		return nil // a history no condition reads
	}
	return e.extra[k][slot-e.p.nbase]
}

// run evaluates a program on period k: stTrue, stFalse, stMissing (the
// outcome depends on a value the school lacks) or stError (evaluating it
// failed with every value present; the error is kept in e.lastErr).
func (e *evaluator) run(pr *program, k int) uint8 {
	e.lastErr = ""
	if e.nper == 0 {
		return stMissing
	}
	p := e.p
	missing := false
	for _, s := range pr.needs {
		if s >= p.nbase {
			if r := p.ruleBySlot[s-p.nbase]; r != nil {
				// rules.NAME: whether the rule fired; unknown when it
				// could not be evaluated.
				var v ref.Val
				switch st := e.firedAt(r, k); st {
				case stTrue:
					v = types.True
				case stFalse:
					v = types.False
				default:
					// A rule the policy says to skip did not fire.
					if e.missingMode(unresolved{rule: r, st: st, k: k}) == MissingSkip {
						v = types.False
					} else {
						missing = true
					}
				}
				e.extra[k][s-p.nbase] = v
			}
			continue
		}
		if s < p.nind && e.rec.periods[k][s] == nil {
			missing = true // (a history list, made when read, never is)
		}
	}
	if pr.fn != nil {
		switch pr.fn(e.rec.periods[k]) {
		case triTrue:
			return stTrue
		case triFalse:
			return stFalse
		}
		return stMissing
	}
	e.act.base = e.rec.periods[k]
	e.act.k = k
	e.act.extra = e.extra[k]
	e.act.nbase = p.nbase
	var v ref.Val
	var err error
	if pr.loops || p.trackCost {
		v, _, err = pr.prg.ContextEval(e.ctx, &e.act)
	} else {
		v, _, err = pr.prg.Eval(&e.act)
	}
	switch {
	case v == types.True && err == nil:
		return stTrue
	case v == types.False && err == nil:
		return stFalse
	case missing:
		return stMissing
	}
	if err != nil {
		e.lastErr = err.Error()
	} else {
		e.lastErr = fmt.Sprintf("condition gave %v, not true or false", v)
	}
	return stError
}

func (e *evaluator) condAt(r *rule, k int) uint8 {
	i := k*len(e.p.declared) + r.idx
	if st := e.cond[i]; st != stUnknown {
		return st
	}
	st := stMissing
	if r.when != nil {
		st = e.run(&r.when.program, k)
		if st == stError && k == 0 {
			e.errs[r.idx] = e.lastErr
		}
	}
	e.cond[i] = st
	return st
}

// firedAt: the rule's condition held at k and the For-1 periods before.
// It is stFalse when any of those periods is false, stMissing or stError
// when none is false but one is unknown, and stShort when it held in every
// period the record has but the record lacks some of the For.
func (e *evaluator) firedAt(r *rule, k int) uint8 {
	i := k*len(e.p.declared) + r.idx
	if st := e.fired[i]; st != stUnknown {
		return st
	}
	st := stTrue
	if r.when == nil {
		st = stMissing
	} else {
		for j := k; j < k+r.when.for_; j++ {
			if j >= e.nper {
				if st == stTrue {
					st = stShort
				}
				break
			}
			c := e.condAt(r, j)
			if c == stFalse {
				st = stFalse
				break
			}
			if c != stTrue && st == stTrue {
				st = c
			}
		}
	}
	e.fired[i] = st
	return st
}

// holds evaluates a level's entry or exit condition at k over its periods,
// with firedAt's three outcomes.
func (e *evaluator) holds(c *cond, k int) uint8 {
	st := stTrue
	for j := k; j < k+c.for_; j++ {
		if j >= e.nper {
			if st == stTrue {
				st = stShort
			}
			return st
		}
		switch r := e.run(&c.program, j); r {
		case stFalse:
			return stFalse
		case stMissing, stError:
			if st == stTrue {
				st = r
				e.condErr = e.lastErr
			}
		}
	}
	return st
}

// unresolved is a condition that could not be evaluated and that could
// have decided a school's level.
type unresolved struct {
	rule  *rule  // the rule, or nil for an entry or exit condition
	level *Level // the level whose entry or exit condition it is
	exit  bool
	st    uint8
	err   string
	k     int // the period
}

// levelAt computes the level at period k given the previous level (-1 for
// none): the rules' level, then the hysteresis of exit conditions. With
// track set it also returns the conditions that could not be evaluated
// and could have placed the school higher, where the policy says missing
// means undetermined, and those the policy says to skip.
func (e *evaluator) levelAt(k, prev int, track bool) (level, computed int, score float64, held string, unknown, skipped []unresolved) {
	p := e.p
	lvl := 0
	var pending []unresolved // unknown rules and entries, judged once the level is known
	for _, r := range p.rules {
		switch st := e.firedAt(r, k); st {
		case stTrue:
			score += r.Points
			if r.level > lvl {
				lvl = r.level
			}
		case stMissing, stError, stShort:
			if track && r.when != nil {
				pending = append(pending, unresolved{rule: r, st: st, err: e.errs[r.idx], k: k})
			}
		}
	}
	if p.combine == CombinePoints {
		for _, l := range p.levels[1:] {
			if l.Points <= score && l.Points > 0 && l.Index > lvl {
				lvl = l.Index
			}
		}
	}
	for _, l := range p.levels {
		if l.entry == nil || l.Index <= lvl {
			continue
		}
		switch st := e.holds(l.entry, k); st {
		case stTrue:
			lvl = l.Index
		case stMissing, stError, stShort:
			if track {
				pending = append(pending, unresolved{level: l, st: st, err: e.condErr, k: k})
			}
		}
	}
	if track && len(pending) > 0 {
		// The most points the unknown rules could add.
		potential := score
		for _, u := range pending {
			if u.rule != nil && u.rule.Points > 0 && e.missingMode(u) == MissingUndetermined {
				potential += u.rule.Points
			}
		}
		for _, u := range pending {
			raises := false
			switch {
			case u.level != nil:
				raises = u.level.Index > lvl
			default:
				raises = u.rule.level > lvl
				if p.combine == CombinePoints && u.rule.Points > 0 {
					for _, l := range p.levels[lvl+1:] {
						if l.Points > 0 && l.Points <= potential {
							raises = true
						}
					}
				}
			}
			switch {
			case !raises:
			case e.missingMode(u) == MissingSkip:
				skipped = append(skipped, u)
			default:
				unknown = append(unknown, u)
			}
		}
	}
	computed = lvl
	if prev > lvl {
		if x := p.levels[prev].exit; x != nil {
			st := e.holds(x, k)
			if st != stTrue {
				held = fmt.Sprintf("stays at %s until its exit condition holds", p.levels[prev].Name)
				if x.for_ > 1 {
					held += fmt.Sprintf(" for %d %ss", x.for_, p.period)
				}
				if st != stFalse && track {
					u := unresolved{level: p.levels[prev], exit: true, st: st, err: e.condErr, k: k}
					if e.missingMode(u) == MissingSkip {
						skipped = append(skipped, u)
					} else {
						unknown = append(unknown, u)
						held = fmt.Sprintf("stays at %s: its exit condition cannot be evaluated", p.levels[prev].Name)
					}
				}
				return prev, lvl, score, held, unknown, skipped
			}
		}
	}
	return lvl, lvl, score, "", unknown, skipped
}

// program returns the condition an unresolved entry names.
func (u *unresolved) program() *program {
	switch {
	case u.rule != nil:
		return &u.rule.when.program
	case u.exit:
		return &u.level.exit.program
	}
	return &u.level.entry.program
}

// condition describes an unresolved condition for people: rule NAME,
// entry condition of level NAME, exit condition of level NAME.
func (u *unresolved) condition() string {
	switch {
	case u.rule != nil:
		return "rule " + u.rule.Name
	case u.exit:
		return "exit condition of level " + u.level.Name
	}
	return "entry condition of level " + u.level.Name
}

// missingMode is what the policy says an unresolved condition means: the
// rule's own setting; else, for missing values, skip when every missing
// value's indicator says skip and undetermined when any says so; else the
// policy's.
func (e *evaluator) missingMode(u unresolved) Missing {
	if u.rule != nil && u.rule.Missing != MissingDefault {
		return u.rule.Missing
	}
	if u.rule != nil && u.rule.when == nil {
		return e.p.missing
	}
	if u.st == stMissing || u.st == stShort {
		// The indicators whose values are missing: in the period, or
		// (short) in the earlier periods the record lacks.
		skip, any := true, false
		for _, s := range u.program().needs {
			ind := e.indicatorOf(s)
			if ind == nil || (u.st == stMissing && e.value(s, u.k) != nil) {
				continue
			}
			any = true
			switch ind.Missing {
			case MissingUndetermined:
				return MissingUndetermined
			case MissingDefault:
				skip = false
			}
		}
		if any && skip {
			return MissingSkip
		}
	}
	return e.p.missing
}

// indicatorOf returns the indicator a slot holds a value of, or nil for
// rule and now slots.
func (e *evaluator) indicatorOf(s int) *Indicator {
	if s < e.p.nbase {
		return e.p.slotInd[s]
	}
	return nil
}

// skip reports an unresolved condition in an assessment.
func (e *evaluator) skip(u unresolved) Skip {
	sk := Skip{Condition: u.condition()}
	if u.rule != nil {
		sk.Rule = u.rule.Name
	}
	switch u.st {
	case stError:
		sk.Err = u.err
		return sk
	case stShort:
		sk.Missing = []string{e.shortOf(u)}
		return sk
	}
	sk.Missing = e.missingNames(u.program().needs)
	return sk
}

// shortOf says what a condition that held in every period a record has,
// but needs more (for: N), misses: "attendance in the 1 term before
// (for: 2; the data has 1 term)".
func (e *evaluator) shortOf(u unresolved) string {
	pr := u.program()
	var names []string
	for _, s := range pr.needs {
		if s < e.p.nbase || e.p.ruleBySlot[s-e.p.nbase] != nil {
			names = append(names, e.p.slotNames[s])
		}
	}
	if len(names) == 0 {
		names = []string{"its values"}
	}
	var n int
	switch {
	case u.rule != nil:
		n = u.rule.when.for_
	case u.exit:
		n = u.level.exit.for_
	default:
		n = u.level.entry.for_
	}
	have := e.nper - u.k
	return fmt.Sprintf("%s in the %s before (for: %d; the data has %s)", strings.Join(names, ", "),
		plural(n-have, e.p.period), n, plural(have, e.p.period))
}

// plural writes a count of things: "1 term", "2 terms".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (e *evaluator) assess(a *Assessment, r *boundRecord, o *EvalOptions, ovr []*Override) (*Assessment, error) {
	p := e.p
	e.reset(r, o.At)
	// a is freshly zeroed: set fields one by one rather than copying a
	// whole struct, which costs write barriers while the GC runs.
	a.Policy, a.URN, a.Name, a.At = p.name, r.urn, r.name, o.At
	if len(r.labels) > 0 {
		a.Period = r.labels[0]
	}
	prev := -1
	if pa := o.Previous[r.urn]; pa != nil {
		name := pa.Computed
		if name == "" {
			name = pa.Level
		}
		if i, ok := p.levelIdx[name]; ok {
			prev = i
		}
		a.Previous = pa.Level
	} else if e.nper > 1 {
		for k := e.nper - 1; k >= 1; k-- {
			prev, _, _, _, _, _ = e.levelAt(k, prev, false)
		}
		a.Previous = p.levels[prev].Name
	}
	lvl, _, score, held, unknown, skippedConds := e.levelAt(0, prev, true)
	a.Score, a.Held = score, held
	a.Computed = p.levels[lvl].Name
	for _, u := range unknown {
		a.Undetermined = append(a.Undetermined, e.skip(u))
	}
	if len(ovr) > 0 {
		best := ovr[0]
		for _, ov := range ovr[1:] {
			if ov.At.After(best.At) {
				best = ov
			}
		}
		if i, ok := p.levelIdx[best.Level]; ok {
			lvl = i
			cp := *best
			a.Override = &cp
		}
	}
	l := p.levels[lvl]
	a.Level, a.levelIdx = l.Name, lvl
	a.Actions, a.Review, a.Keeps, a.Withdraws = l.Actions, l.Review, l.Keeps, l.Withdraws
	switch {
	case a.Previous == "":
		a.Change = ChangeNew
	default:
		pi, ok := p.levelIdx[a.Previous]
		switch {
		case !ok || pi == lvl:
			a.Change = ChangeSame
			if !ok && a.Previous != a.Level {
				a.Change = ChangeUp
			}
		case pi < lvl:
			a.Change = ChangeUp
		default:
			a.Change = ChangeDown
		}
	}
	nfired, nobs := 0, 0
	for _, ru := range p.declared {
		if e.firedAt(ru, 0) == stTrue {
			nfired++
			nobs += len(ru.when.needs)
		}
	}
	if nfired > 0 {
		a.Fired = make([]Firing, 0, nfired)
	}
	var obs []Observation // one backing array for every firing's values
	if !o.Brief && nobs > 0 {
		obs = make([]Observation, 0, nobs)
	}
	for _, ru := range p.declared {
		switch e.firedAt(ru, 0) {
		case stTrue:
			f := Firing{Rule: ru.Name, Description: ru.Description, Level: ru.Level, Points: ru.Points}
			if !o.Brief {
				start := len(obs)
				obs = e.observe(obs, ru.when.needs)
				f.Values = obs[start:len(obs):len(obs)]
			}
			a.Fired = append(a.Fired, f)
			continue
		}
		if o.Brief {
			continue
		}
		switch st := e.firedAt(ru, 0); st {
		case stMissing, stError, stShort:
			if ru.when != nil {
				a.Skipped = append(a.Skipped, e.skip(unresolved{rule: ru, st: st, err: e.errs[ru.idx]}))
			}
		case stFalse:
			if nm, ok := e.nearMiss(ru); ok {
				a.NearMisses = append(a.NearMisses, nm)
			}
		}
	}
	if !o.Brief {
		for _, u := range append(unknown, skippedConds...) {
			if u.rule == nil {
				a.Skipped = append(a.Skipped, e.skip(u))
			}
		}
	}
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

func (e *evaluator) nearMiss(r *rule) (NearMiss, bool) {
	if r.when == nil {
		return NearMiss{}, false
	}
	if e.condAt(r, 0) == stTrue && r.when.for_ > 1 {
		n := 1
		for j := 1; j < e.nper && e.condAt(r, j) == stTrue; j++ {
			n++
		}
		return NearMiss{Rule: r.Name, Reason: fmt.Sprintf("condition held for %d of the %d %ss it needs", n, r.when.for_, e.p.period),
			Values: e.observe(nil, r.when.needs)}, true
	}
	if r.near != nil && e.run(r.near, 0) == stTrue {
		return NearMiss{Rule: r.Name, Reason: "near: " + strings.Join(strings.Fields(r.Near), " "), Values: e.observe(nil, r.near.needs)}, true
	}
	return NearMiss{}, false
}

// missingNames names the values among slots the school lacks in the
// current period (rules.NAME for a rule that could not be evaluated).
func (e *evaluator) missingNames(slots []int) []string {
	var out []string
	for _, s := range slots {
		if s == e.p.nowSlot {
			continue
		}
		if s >= e.p.nbase {
			if r := e.p.ruleBySlot[s-e.p.nbase]; r != nil {
				if st := e.firedAt(r, 0); st == stMissing || st == stError || st == stShort {
					out = append(out, e.p.slotNames[s])
				}
			}
			continue
		}
		if e.value(s, 0) == nil {
			out = append(out, e.p.slotNames[s])
		}
	}
	return out
}

func (e *evaluator) observe(out []Observation, slots []int) []Observation {
	for _, s := range slots {
		out = append(out, Observation{Name: e.p.slotNames[s], Value: formatVal(e.value(s, 0))})
	}
	return out
}

// formatVal writes a CEL value for people.
func formatVal(v ref.Val) string {
	switch x := v.(type) {
	case nil:
		return ""
	case types.Double:
		return strconv.FormatFloat(float64(x), 'g', 6, 64)
	case types.Int:
		return strconv.FormatInt(int64(x), 10)
	case types.Bool:
		return strconv.FormatBool(bool(x))
	case types.Timestamp:
		return x.Time.Format(time.DateOnly)
	case *gradeVal:
		return x.String()
	case traits.Lister:
		n, _ := x.Size().(types.Int)
		parts := make([]string, 0, int(n))
		for i := types.Int(0); i < n; i++ {
			parts = append(parts, formatVal(x.Get(i)))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v.Value())
}
