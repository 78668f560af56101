package riskpolicy

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
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

// ReadCSV reads indicator values from CSV files into a MemorySource.
//
// current holds one row per school for the period being assessed; history,
// which may be nil, holds earlier periods, one row per school and period.
// Both have a header row naming the columns: "urn" (required), optionally
// "name", "period" (a label; required in history, whose periods sort by it,
// oldest first, as "2023-24 T1" labels do) and "at" (the period's end date),
// and then one column per indicator. A column "inspection.leadership" is the
// "leadership" area of the areas indicator "inspection". A cell is text that
// the policy parses for the indicator's kind; a list is written
// "good;requires improvement" (newest first); an empty cell is missing.
// Lines starting with '#' are comments (data sets use them to say which
// columns are synthetic).
//
// Every problem is reported, as an ErrorList naming the file, line and
// column.
func ReadCSV(currentName string, current io.Reader, historyName string, history io.Reader) (*MemorySource, error) {
	type entry struct {
		rec  Record
		cur  bool
		hist []Snapshot
	}
	var errs ErrorList
	byURN := map[partnership.URN]*entry{}
	var order []*entry
	read := func(name string, r io.Reader, isHistory bool) {
		cr := csv.NewReader(r)
		cr.Comment = '#'
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		header, err := cr.Read()
		if err != nil {
			if err == io.EOF {
				errs = append(errs, &Error{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: "empty file: want a header row"})
				return
			}
			errs = append(errs, csvErr(name, err))
			return
		}
		header = slices.Clone(header)
		hline, _ := cr.FieldPos(0)
		at := func(line, col int, format string, args ...any) {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)})
		}
		// What each column is: a special column, an indicator, or one
		// area of an areas indicator.
		type column struct{ name, area string }
		cols := make([]column, len(header))
		special := map[string]int{}
		seen := map[string]bool{}
		for i, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			_, col := cr.FieldPos(i)
			lh := strings.ToLower(h)
			switch {
			case h == "":
				at(hline, col, "column %d has no name", i+1)
				continue
			case lh == "urn" || lh == "name" || lh == "period" || lh == "at":
				if _, dup := special[lh]; dup {
					at(hline, col, "duplicate column %q", h)
				}
				special[lh] = i
				continue
			}
			if seen[h] {
				at(hline, col, "duplicate column %q", h)
				continue
			}
			seen[h] = true
			base, area, _ := strings.Cut(h, ".")
			cols[i] = column{base, area}
		}
		urnCol, ok := special["urn"]
		if !ok {
			at(hline, 1, `no "urn" column`)
			return
		}
		periodCol, hasPeriod := special["period"]
		if isHistory && !hasPeriod {
			at(hline, 1, `a history file needs a "period" column`)
			return
		}
		nameCol, hasName := special["name"]
		atCol, hasAt := special["at"]
		for len(errs) < 100 {
			row, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, csvErr(name, err))
				continue
			}
			line, _ := cr.FieldPos(0)
			if len(row) != len(header) {
				at(line, 1, "row has %d fields, the header %d", len(row), len(header))
				continue
			}
			urn, err := partnership.ParseURN(strings.TrimSpace(row[urnCol]))
			if err != nil {
				_, col := cr.FieldPos(urnCol)
				at(line, col, "%v", err)
				continue
			}
			snap := Snapshot{Values: make(map[string]Value, len(row))}
			if hasPeriod {
				snap.Period = strings.TrimSpace(row[periodCol])
			}
			if hasAt && strings.TrimSpace(row[atCol]) != "" {
				t, ok := parseDate(row[atCol])
				if !ok {
					_, col := cr.FieldPos(atCol)
					at(line, col, "bad date %q in column at", row[atCol])
				}
				snap.At = t
			}
			for i, cell := range row {
				c := cols[i]
				if c.name == "" || strings.TrimSpace(cell) == "" {
					continue
				}
				if c.area == "" {
					snap.Values[c.name] = Text(cell)
					continue
				}
				av := snap.Values[c.name]
				if av.kind != vAreas {
					av = Areas(map[string]Value{})
				}
				av.areas[c.area] = Text(cell)
				snap.Values[c.name] = av
			}
			e := byURN[urn]
			if e == nil {
				e = &entry{rec: Record{URN: urn}}
				byURN[urn] = e
				order = append(order, e)
			}
			if hasName && e.rec.Name == "" {
				e.rec.Name = strings.TrimSpace(row[nameCol])
			}
			switch {
			case isHistory:
				e.hist = append(e.hist, snap)
			case e.cur:
				at(line, 1, "school %d appears twice", urn)
			default:
				e.cur = true
				e.rec.Periods = []Snapshot{snap}
			}
		}
	}
	read(currentName, current, false)
	if history != nil {
		read(historyName, history, true)
	}
	if len(errs) > 0 {
		return nil, errs.sortDedup()
	}
	out := make([]Record, 0, len(order))
	for _, e := range order {
		if !e.cur {
			continue // a school only in the history file has no current period
		}
		slices.SortStableFunc(e.hist, func(a, b Snapshot) int { return cmp.Compare(b.Period, a.Period) })
		cur := e.rec.Periods[0].Period
		for _, h := range e.hist {
			if cur == "" || h.Period != cur {
				e.rec.Periods = append(e.rec.Periods, h)
			}
		}
		out = append(out, e.rec)
	}
	return NewMemorySource(out...), nil
}

func csvErr(name string, err error) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{Pos: Pos{File: name, Line: pe.Line, Col: pe.Column}, Msg: pe.Err.Error()}
	}
	return &Error{Pos: Pos{File: name}, Msg: err.Error()}
}
