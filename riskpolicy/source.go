package riskpolicy

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"

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
	return page, next, nil
}

// csvErr turns an encoding/csv error into a positioned error (the
// overrides reader uses it).
func csvErr(name string, err error) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Pos: Pos{File: name, Line: pe.Line, Col: pe.Column}, Msg: pe.Err.Error()}
	}
	return &Error{Pos: Pos{File: name}, Msg: err.Error()}
}
