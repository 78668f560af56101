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
	var errs ErrorList
	recs := map[partnership.URN]*Record{}
	var order []partnership.URN
	read := func(name string, r io.Reader, isHistory bool) {
		cr := csv.NewReader(r)
		cr.Comment = '#'
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = false
		header, err := cr.Read()
		if err != nil {
			if err == io.EOF {
				errs = append(errs, &Error{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: "empty file: want a header row"})
				return
			}
			errs = append(errs, csvErr(name, err))
			return
		}
		hline, _ := cr.FieldPos(0)
		cols := map[string]int{}
		for i, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			header[i] = h
			if h == "" {
				_, col := cr.FieldPos(i)
				errs = append(errs, &Error{Pos: Pos{File: name, Line: hline, Col: col}, Msg: fmt.Sprintf("column %d has no name", i+1)})
				continue
			}
			if _, dup := cols[strings.ToLower(h)]; dup {
				_, col := cr.FieldPos(i)
				errs = append(errs, &Error{Pos: Pos{File: name, Line: hline, Col: col}, Msg: fmt.Sprintf("duplicate column %q", h)})
				continue
			}
			cols[strings.ToLower(h)] = i
		}
		urnCol, ok := cols["urn"]
		if !ok {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: hline, Col: 1}, Msg: `no "urn" column`})
			return
		}
		periodCol, hasPeriod := cols["period"]
		if isHistory && !hasPeriod {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: hline, Col: 1}, Msg: `a history file needs a "period" column`})
			return
		}
		nameCol, hasName := cols["name"]
		atCol, hasAt := cols["at"]
		for {
			row, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, csvErr(name, err))
				var pe *csv.ParseError
				if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
					continue
				}
				if len(errs) > 100 {
					return
				}
				if row == nil {
					continue
				}
			}
			line, _ := cr.FieldPos(0)
			if len(row) != len(header) {
				errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: 1},
					Msg: fmt.Sprintf("row has %d fields, the header %d", len(row), len(header))})
				continue
			}
			urn, err := partnership.ParseURN(strings.TrimSpace(row[urnCol]))
			if err != nil {
				_, col := cr.FieldPos(urnCol)
				errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: col}, Msg: err.Error()})
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
					errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: col}, Msg: fmt.Sprintf("bad date %q in column at", row[atCol])})
				}
				snap.At = t
			}
			for i, cell := range row {
				h := header[i]
				lh := strings.ToLower(h)
				if h == "" || lh == "urn" || lh == "name" || lh == "period" || lh == "at" || strings.TrimSpace(cell) == "" {
					continue
				}
				if base, area, ok := strings.Cut(h, "."); ok {
					av := snap.Values[base]
					if av.kind != vAreas {
						av = Areas(map[string]Value{})
					}
					av.areas[area] = Text(cell)
					snap.Values[base] = av
					continue
				}
				snap.Values[h] = Text(cell)
			}
			rec, seen := recs[urn]
			if !seen {
				rec = &Record{URN: urn}
				recs[urn] = rec
				order = append(order, urn)
			}
			if hasName && rec.Name == "" {
				rec.Name = strings.TrimSpace(row[nameCol])
			}
			if !isHistory {
				if len(rec.Periods) > 0 && rec.Periods[0].Values != nil && rec.Periods[0].Period != "\x00history" {
					errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: 1}, Msg: fmt.Sprintf("school %d appears twice", urn)})
					continue
				}
				rec.Periods = append([]Snapshot{snap}, rec.Periods...)
			} else {
				snap.Period = "\x00history" + snap.Period
				rec.Periods = append(rec.Periods, snap)
			}
		}
	}
	read(currentName, current, false)
	if history != nil {
		read(historyName, history, true)
	}
	out := make([]Record, 0, len(order))
	for _, u := range order {
		rec := recs[u]
		var cur []Snapshot
		var hist []Snapshot
		for _, s := range rec.Periods {
			if after, ok := strings.CutPrefix(s.Period, "\x00history"); ok {
				s.Period = after
				hist = append(hist, s)
			} else {
				cur = append(cur, s)
			}
		}
		slices.SortStableFunc(hist, func(a, b Snapshot) int { return cmp.Compare(b.Period, a.Period) })
		if len(cur) > 0 {
			hist = slices.DeleteFunc(hist, func(s Snapshot) bool { return s.Period != "" && s.Period == cur[0].Period })
		}
		rec.Periods = append(cur, hist...)
		if len(cur) == 0 {
			// A school only in the history file has no current period.
			continue
		}
		out = append(out, *rec)
	}
	if len(errs) > 0 {
		return nil, errs.sortDedup()
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
