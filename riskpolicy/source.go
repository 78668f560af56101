package riskpolicy

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Record is what a Source knows about one school: its indicator values
// period by period.
type Record struct {
	URN  partnership.URN
	Name string
	// Periods holds one snapshot per period, newest first: Periods[0] is
	// the period being assessed, the rest its history.
	Periods []Snapshot
	// Attrs holds facts about the school that are not indicators, such as
	// its local authority ("la") or phase, to group schools by (see
	// DiffOptions.GroupBy); nil when there are none.
	Attrs map[string]string

	// slotsFor is the policy whose slots the Periods carry instead of
	// Values (records Policy.ReadCSV read; they never leave the package:
	// MemorySource hands out copies with Values filled in).
	slotsFor *Policy
}

// Snapshot is one period's indicator values for one school.
type Snapshot struct {
	// Period labels the period, e.g. "2024-25 autumn"; it may be empty.
	Period string
	// At is when the period ends; zero when unknown (rules then see the
	// assessment's time as now).
	At time.Time
	// Values holds the values by indicator name. An areas indicator's
	// value is an Areas value; a key "name.area" is read as that area's
	// grade too. Names a policy does not declare are ignored, so one
	// source can feed several policies.
	Values map[string]Value

	// slots holds the values converted for the Record's slotsFor, by
	// indicator slot, nil where missing (defaults not applied).
	slots []ref.Val
}

// Source supplies indicator values: a trust's information system, an
// inspection feed, a complaints log, a CSV export.
//
// Implementations must be safe for concurrent use. Records returned may be
// kept by the caller and must not be changed by the source afterwards.
type Source interface {
	// Record returns what the source knows about one school, or an error
	// wrapping ErrNotFound when it knows nothing of it.
	Record(ctx context.Context, urn partnership.URN) (Record, error)
	// Records returns up to limit records in ascending URN order, starting
	// after the position the opaque cursor marks ("" for the start), and
	// the cursor of the next page, "" after the last. limit <= 0 means a
	// source-chosen page size.
	Records(ctx context.Context, cursor string, limit int) (recs []Record, next string, err error)
}

// All returns every record of src in URN order, fetching page by page.
func All(ctx context.Context, src Source) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		cursor := ""
		for {
			recs, next, err := src.Records(ctx, cursor, 1000)
			if err != nil {
				yield(Record{}, err)
				return
			}
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
			if next == "" || next == cursor {
				return
			}
			cursor = next
		}
	}
}

// MemorySource is a Source over records held in memory: the zero-setup
// source for tests, examples and data built in code. It is safe for
// concurrent use.
type MemorySource struct {
	recs []Record // sorted by URN
	// bound is the policy the records' slots were converted for when
	// Policy.ReadCSV made the source (nil otherwise): recs then carry
	// slots, not Values, and Record and Records fill Values in.
	bound *Policy
}

var _ Source = (*MemorySource)(nil)

// NewMemorySource returns a source holding recs. A later record for the
// same URN replaces an earlier one. The source keeps recs' contents.
func NewMemorySource(recs ...Record) *MemorySource {
	byURN := map[partnership.URN]int{}
	var out []Record
	for _, r := range recs {
		if i, ok := byURN[r.URN]; ok {
			out[i] = r
			continue
		}
		byURN[r.URN] = len(out)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a.URN, b.URN) })
	return &MemorySource{recs: out}
}

// Len returns the number of schools in the source.
func (m *MemorySource) Len() int { return len(m.recs) }

// Record implements Source.
func (m *MemorySource) Record(ctx context.Context, urn partnership.URN) (Record, error) {
	i, ok := slices.BinarySearchFunc(m.recs, urn, func(r Record, u partnership.URN) int { return cmp.Compare(r.URN, u) })
	if !ok {
		return Record{}, fmt.Errorf("school %d: %w", urn, ErrNotFound)
	}
	if m.bound != nil {
		return m.bound.materialize(&m.recs[i]), nil
	}
	return m.recs[i], nil
}

// Records implements Source; the cursor is the last URN returned.
func (m *MemorySource) Records(ctx context.Context, cursor string, limit int) ([]Record, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	start := 0
	if cursor != "" {
		u, err := strconv.Atoi(cursor)
		if err != nil {
			return nil, "", fmt.Errorf("%w: bad cursor %q", ErrInvalid, cursor)
		}
		start, _ = slices.BinarySearchFunc(m.recs, partnership.URN(u+1), func(r Record, u partnership.URN) int { return cmp.Compare(r.URN, u) })
	}
	if limit <= 0 {
		limit = 1000
	}
	end := min(len(m.recs), start+limit)
	page := m.recs[start:end]
	next := ""
	if end < len(m.recs) && len(page) > 0 {
		next = page[len(page)-1].URN.String()
	}
	if m.bound != nil {
		out := make([]Record, len(page))
		for i := range page {
			out[i] = m.bound.materialize(&page[i])
		}
		page = out
	}
	return page, next, nil
}

// recordsFor returns every record of src in URN order, to be bound for p.
// The records of a MemorySource that p.ReadCSV made are returned as read,
// their values already converted for p, without copying: the caller must
// not change them.
func (p *Policy) recordsFor(ctx context.Context, src Source) ([]Record, error) {
	if m, ok := src.(*MemorySource); ok && m.bound == p {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return m.recs, nil
	}
	var recs []Record
	for r, err := range All(ctx, src) {
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// materialize returns a copy of a record p.ReadCSV read with its
// snapshots' Values filled in from their slots, each Value carrying its
// converted form (so binding it gives the same slots back).
func (p *Policy) materialize(rec *Record) Record {
	out := *rec
	out.slotsFor = nil
	out.Periods = make([]Snapshot, len(rec.Periods))
	for k, snap := range rec.Periods {
		vals := make(map[string]Value)
		for _, ind := range p.indicators {
			if ind.Kind != KindAreas {
				if cv := snap.slots[ind.slot]; cv != nil {
					vals[ind.Name] = valueOf(ind, cv)
				}
				continue
			}
			var m map[string]Value
			for i, a := range ind.Areas {
				if cv := snap.slots[ind.areaSlots[i]]; cv != nil {
					if m == nil {
						m = map[string]Value{}
					}
					m[a] = valueOf(ind, cv)
				}
			}
			if m != nil {
				vals[ind.Name] = Areas(m)
			}
		}
		out.Periods[k] = Snapshot{Period: snap.Period, At: snap.At, Values: vals}
	}
	return out
}

// valueOf returns the Value of a converted value cv of indicator ind
// (a scalar, or a list for a list indicator), carrying cv.
func valueOf(ind *Indicator, cv ref.Val) Value {
	v := Value{cv: cv, cvFor: ind}
	switch x := cv.(type) {
	case types.Double:
		v.kind, v.num = vNumber, float64(x)
	case types.Int:
		v.kind, v.num = vNumber, float64(x)
	case types.Bool:
		v.kind = vBool
		if x {
			v.num = 1
		}
	case types.Timestamp:
		v.kind, v.t = vDate, x.Time
	case traits.Lister:
		var parts []string
		for i := types.Int(0); i < x.Size().(types.Int); i++ {
			parts = append(parts, fmt.Sprint(x.Get(i)))
		}
		v.kind, v.text = vText, strings.Join(parts, ";")
	default:
		v.kind, v.text = vText, fmt.Sprint(cv)
	}
	return v
}
