package riskpolicy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// CSVOptions configure Policy.ReadCSV. A nil *CSVOptions means the zero
// value.
type CSVOptions struct {
	// Columns maps an indicator (or "indicator.area") to the header of
	// the column that holds it, over the policy's own columns: mapping;
	// an authority's export keeps its headers ("Attendance %").
	Columns map[string]string
	// Keep names columns of the current file to keep as each school's
	// Record.Attrs (by their names as given), such as "la" or "phase" to
	// group a diff by. A column not in the file is an error.
	Keep []string
	// Encoding forces the files' text encoding: "utf-8", "utf-16le",
	// "utf-16be" or "windows-1252". Empty detects it: a byte-order mark,
	// else UTF-8 when the text is valid UTF-8, else Windows-1252 (see
	// internal/csvx). A file that holds U+FFFD, the mark of text already
	// lost in an earlier conversion, is refused either way.
	Encoding string
}

// Data is what Policy.ReadCSV read: the records, and where each value the
// policy reads came from.
type Data struct {
	// Source holds the schools read, in URN order. Their values are kept
	// as the policy converted them while checking each cell, so the
	// policy's own evaluation, coverage and diff read them without
	// converting again; Record and Records hand out copies with Values
	// filled in, for any other use.
	Source *MemorySource
	// Columns says, for every indicator (and area) the policy's conditions
	// read, the column that supplied it in the current file, in the
	// policy's order.
	Columns []ColumnUse
	// Unread are the columns of either file that no indicator of the
	// policy reads: not errors (one export can feed several policies),
	// but a renamed header shows up here.
	Unread []*Error
	// Encodings gives each file's text encoding as read.
	Encodings map[string]string
	// HistoryOnly are the schools of the history file with no row in the
	// current one, in file order: not errors (a school that closed or
	// left the export stays in earlier periods), but such a school is not
	// assessed and its history is not used, so they are reported rather
	// than dropped unseen.
	HistoryOnly []HistoryOnlySchool

	// spans places the periods in time, for CheckAt.
	spans periodSpans
}

// HistoryOnlySchool is a school of the history file with no row in the
// current one.
type HistoryOnlySchool struct {
	URN partnership.URN
	// Pos is the URN cell of its first row in the history file.
	Pos Pos
}

// String says where the school is and that it is not assessed.
func (h HistoryOnlySchool) String() string {
	return fmt.Sprintf("%s: school %d has no row in the current file: it is not assessed and its history is not used", h.Pos, h.URN)
}

// ColumnUse is where the values of one indicator (or area) come from.
type ColumnUse struct {
	// Indicator is the indicator's name, or "indicator.area".
	Indicator string `json:"indicator"`
	// Header is the column's header, "" when the file has none and the
	// indicator's default applies.
	Header string `json:"header,omitempty"`
	// Column is the column's 1-based field number in the current file.
	Column int `json:"column,omitempty"`
	// Default is the value a school without one gets, as text.
	Default string `json:"default,omitempty"`
}

// reads returns every indicator (or indicator.area) some condition of the
// policy reads, with the conditions that read it.
func (p *Policy) reads() map[string][]string {
	out := map[string][]string{}
	add := func(pr *program) {
		if pr == nil {
			return
		}
		for _, n := range pr.reads {
			if !slices.Contains(out[n], pr.what) {
				out[n] = append(out[n], pr.what)
			}
		}
	}
	for _, r := range p.declared {
		add(condProg(r.when))
		add(r.near)
	}
	for _, l := range p.levels {
		add(condProg(l.entry))
		add(condProg(l.exit))
	}
	return out
}

// ReadCSV reads indicator values for the policy from CSV files, checking
// them against it: the data contract every evaluation rests on.
//
// current holds one row per school for the period being assessed; history,
// which may be nil, holds earlier periods, one row per school and period.
// Both have a header row: "urn" (required), optionally "name", "period" (a
// label; required in history) and
// "at" (the period's end date), and one column per indicator, named as the
// indicator or as the policy's columns: (or opts.Columns) maps it. A
// column "inspection.leadership" is the "leadership" area of the areas
// indicator "inspection", and a column "inspection" may hold every area
// ("leadership=good;inclusion=strong standard"). A list is written
// "good;requires improvement" (newest first); an empty cell is a missing
// value. Lines starting with '#' are comments. Header names match whatever
// their case, spaces and underscores.
//
// Every problem is reported at once, as an ErrorList of positioned errors
// (file:line:column, the column counted in fields): an indicator some
// condition reads with no column in a file and no default (a renamed
// header: the unread columns are named, with a suggestion); a mapping to
// a header the file does not have; a value that does not fit its
// indicator (a number that is not one, "85%", NaN, Inf, a percentage
// outside its scale, a grade not on the scale); fractions on the 0-100
// scale: a percentage column whose every value is between 0 and 1, and
// each value in (0, 1] that stands apart from a column of percentages (at
// least 20 values above 1, 99% of them 10 or more, none between 1 and
// half that 1st percentile: an attendance of 0.94 among 94s, not an
// attainment of 0.3 at the end of a tail running down to 0); text holding
// U+FFFD; a school twice in the current file; malformed rows.
//
// History periods are ordered explicitly, never by their labels' text: by
// their "at" dates when both periods have one, otherwise by a label form
// that orders (a school year and term, "2024-25 autumn" before "2024-25
// spring"; a date; a label ending in a number, "Term 9" before "Term
// 10"). A history row whose period cannot be ordered, carries the current
// period's label, is not earlier than the current period, or repeats
// another history row's period for the same school is an error at its
// line and period column. A school in the history file with no row in
// the current one is not assessed (there is no current period to assess);
// it is not an error, since a school that closed stays in earlier
// periods, but it is listed in Data.HistoryOnly, for the caller to report.
func (p *Policy) ReadCSV(currentName string, current io.Reader, historyName string, history io.Reader, opts *CSVOptions) (*Data, error) {
	var o CSVOptions
	if opts != nil {
		o = *opts
	}
	var enc csvx.Encoding
	if o.Encoding != "" {
		if err := enc.UnmarshalText([]byte(strings.ToLower(o.Encoding))); err != nil {
			return nil, fmt.Errorf("%w: unknown encoding %q (want utf-8, utf-16le, utf-16be or windows-1252)", ErrInvalid, o.Encoding)
		}
	}
	columns := maps.Clone(p.columns)
	if columns == nil {
		columns = map[string]string{}
	}
	var errs ErrorList
	for k, h := range o.Columns {
		if !p.knownColumnKey(k) {
			errs = append(errs, &Error{Pos: Pos{File: "--column"}, Msg: fmt.Sprintf("column mapping %s=%q: no indicator or area '%s'%s",
				k, h, k, suggest(k, p.columnKeys()))})
			continue
		}
		columns[k] = h
	}
	if len(errs) > 0 {
		return nil, errs
	}
	d := &Data{Encodings: map[string]string{}}
	rd := &dataReader{p: p, columns: columns, keep: o.Keep, reads: p.reads(), enc: enc, byURN: map[partnership.URN]*dataEntry{}, data: d, nperiods: 1}
	if history != nil {
		rd.nperiods += max(p.history, 1)
	}
	rd.read(currentName, current, false)
	if history != nil {
		rd.read(historyName, history, true)
	}
	if len(rd.errs) > 0 {
		return nil, rd.errs.sortDedup()
	}
	out := make([]Record, 0, len(rd.order))
	for _, e := range rd.order {
		if !e.cur {
			// A school only in the history file has no current period
			// to assess: said, not dropped unseen.
			d.HistoryOnly = append(d.HistoryOnly, HistoryOnlySchool{URN: e.rec.URN, Pos: Pos{File: historyName, Line: e.histLines[0], Col: rd.histURNCol}})
			continue
		}
		rd.orderHistory(e)
		e.rec.slotsFor = p
		out = append(out, e.rec)
	}
	if len(rd.errs) > 0 {
		return nil, rd.errs.sortDedup()
	}
	// URNs are unique: a school twice in the current file is an error.
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a.URN, b.URN) })
	d.Source = &MemorySource{recs: out, bound: p}
	return d, nil
}

// columnKeys are the names a column mapping may map: every indicator and
// every area.
func (p *Policy) columnKeys() []string {
	var out []string
	for _, ind := range p.indicators {
		out = append(out, ind.Name)
		for _, a := range ind.Areas {
			out = append(out, ind.Name+"."+a)
		}
	}
	return out
}

func (p *Policy) knownColumnKey(k string) bool { return slices.Contains(p.columnKeys(), k) }

type dataEntry struct {
	// rec.Periods[0] is the current period (zero until cur), the rest
	// the history rows in file order until orderHistory sorts them.
	rec Record
	cur bool
	// histLines[i] is the history file's line of hist()[i].
	histLines []int
}

// hist returns the entry's history periods.
func (e *dataEntry) hist() []Snapshot { return e.rec.Periods[1:] }

type dataReader struct {
	p       *Policy
	columns map[string]string
	keep    []string
	reads   map[string][]string
	enc     csvx.Encoding
	errs    ErrorList
	byURN   map[partnership.URN]*dataEntry
	order   []*dataEntry
	data    *Data
	// histName and histPeriodCol place history errors: the history
	// file and its period column (1-based).
	histName      string
	histPeriodCol int
	histURNCol    int
	strs          map[string]string // period labels and kept attributes, interned
	periodKeys    map[string]period // where each period label sorts
	arena         []ref.Val         // slots handed out a period at a time
	// nperiods is the capacity each school's Periods start with: the
	// current period and the history the policy reads, if history is
	// given (more rows append).
	nperiods int
	// scratch space of orderHistory, reused from school to school
	ps     []period
	idx    []int
	sorted []Snapshot
}

// slots returns a period's slots, all nil, carved from a shared block.
func (rd *dataReader) slots() []ref.Val {
	n := rd.p.nind
	if len(rd.arena) < n {
		rd.arena = make([]ref.Val, n*1024)
	}
	s := rd.arena[:n:n]
	rd.arena = rd.arena[n:]
	return s
}

// intern returns s, sharing one copy of each distinct string (a cell is a
// slice of its whole row, which it would otherwise keep alive).
func (rd *dataReader) intern(s string) string {
	if t, ok := rd.strs[s]; ok {
		return t
	}
	if len(rd.strs) >= 4096 {
		return strings.Clone(s)
	}
	if rd.strs == nil {
		rd.strs = map[string]string{}
	}
	s = strings.Clone(s)
	rd.strs[s] = s
	return s
}

// binding is one indicator's (or area's) column in a file.
type binding struct {
	ind      *Indicator
	area     string // "" for the indicator's own column
	areaSlot int    // the area's slot
	col      csvx.Col
	// for the fractions checks of a 0-100 percentage
	n        int
	max      float64
	positive bool
	pct      *pctStats
	cache    map[string]cachedCell
}

// pctStats gathers what the per-value fractions check of a 0-100
// percentage column needs: the distribution of its values above 1 (in
// tenths of a point) and the cells holding a value in (0, 1].
type pctStats struct {
	bins  [991]int32 // values in (1, 100]: bin (v-1)*10
	above int
	fracs []fracCell
}

type fracCell struct {
	line int
	v    float64
}

// fractionFloor is how high the bulk of a 0-100 column must lie for a
// value in (0, 1] to be refused as a likely fraction: the 1st percentile
// of its values above 1 at least 10 (attendance: yes; the share of pupils
// on free school meals, whose smallest values are near 1: no).
const fractionFloor = 10.0

// isolatedFractions reports whether the column's values in (0, 1] stand
// apart from the rest: at least 20 values above 1, the 1st percentile of
// those at least fractionFloor, and none between 1 and half that
// percentile. A tail of genuinely small values (an attainment column with
// values spread down to 0) has values in that gap; a fraction typed into
// a column of percentages does not. It returns the percentile.
func (s *pctStats) isolatedFractions() (float64, bool) {
	if s.above < 20 || len(s.fracs) == 0 {
		return 0, false
	}
	lo := s.lowPercentile()
	if lo < fractionFloor {
		return lo, false
	}
	for _, c := range s.bins[:int((lo/2-1)*10)] {
		if c > 0 {
			return lo, false
		}
	}
	return lo, true
}

// lowPercentile returns the 1st percentile of the column's values above
// 1 (the lower edge of its tenth-of-a-point bin).
func (s *pctStats) lowPercentile() float64 {
	want := (s.above + 99) / 100
	seen := 0
	for i, c := range s.bins {
		seen += int(c)
		if seen >= want {
			return 1 + float64(i)/10
		}
	}
	return 100
}

// cell is a checked, converted cell: one value, or for an areas column
// holding every area, one per area (by the indicator's area index).
type cell struct {
	cv    ref.Val
	areas []ref.Val
}

const maxDataErrors = 100

func (rd *dataReader) errAt(file string, line, col int, format string, args ...any) {
	rd.errs = append(rd.errs, &Error{Pos: Pos{File: file, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)})
}

func (rd *dataReader) fromCSV(err error) {
	var e *csvx.Error
	if errors.As(err, &e) {
		msg := e.Err.Error()
		if e.Field != "" {
			msg = "column '" + e.Field + "': " + msg
		}
		rd.errs = append(rd.errs, &Error{Pos: Pos{File: e.File, Line: e.Line, Col: e.Column}, Msg: msg})
		return
	}
	rd.errs = append(rd.errs, &Error{Pos: Pos{File: "-"}, Msg: err.Error()})
}

func (rd *dataReader) read(name string, src io.Reader, isHistory bool) {
	p := rd.p
	// Transient fields: every cell kept is converted, interned or cloned
	// (see intern, binding.value), never kept as read.
	r, err := csvx.NewReader(name, src, &csvx.Options{Encoding: rd.enc, Comment: '#', MaxErrors: maxDataErrors, TransientFields: true})
	if err != nil {
		if errors.Is(err, csvx.ErrEmpty) {
			rd.errAt(name, 1, 1, "empty file: want a header row")
			return
		}
		rd.fromCSV(err)
		return
	}
	rd.data.Encodings[name] = r.Encoding().String()
	hline := r.Line()
	used := map[int]bool{}
	special := func(n string) csvx.Col {
		c := r.Col(n)
		if c.Found() {
			used[c.Index()] = true
		}
		return c
	}
	urnCol, nameCol, periodCol, atCol := special("urn"), special("name"), special("period"), special("at")
	var keepCols []csvx.Col
	if !isHistory {
		for _, k := range rd.keep {
			c := special(k)
			if !c.Found() {
				rd.errAt(name, hline, 1, "no column '%s' to keep (to group by)", k)
			}
			keepCols = append(keepCols, c)
		}
	}
	if !urnCol.Found() {
		rd.errAt(name, hline, 1, `no "urn" column`)
		return
	}
	if isHistory {
		rd.histName, rd.histPeriodCol, rd.histURNCol = name, periodCol.Index()+1, urnCol.Index()+1
	}
	if isHistory && !periodCol.Found() {
		rd.errAt(name, hline, 1, `a history file needs a "period" column`)
		return
	}
	header := func(key string) string {
		if h, ok := rd.columns[key]; ok {
			return h
		}
		return key
	}
	var binds []*binding
	bind := func(ind *Indicator, area string) *binding {
		key := ind.Name
		if area != "" {
			key += "." + area
		}
		c := r.Col(header(key))
		if !c.Found() {
			if h, mapped := rd.columns[key]; mapped {
				rd.errAt(name, hline, 1, "the column mapping gives %s the column '%s', which %s does not have", key, h, name)
			}
			return nil
		}
		used[c.Index()] = true
		b := &binding{ind: ind, area: area, col: c}
		if ind.Kind == KindPercentage && ind.Max == 100 {
			b.pct = &pctStats{}
		}
		if area != "" {
			b.areaSlot = ind.areaSlots[slices.Index(ind.Areas, area)]
		}
		binds = append(binds, b)
		return b
	}
	have := map[string]bool{} // indicator or indicator.area -> a column supplies it
	for _, ind := range p.indicators {
		if b := bind(ind, ""); b != nil {
			have[ind.Name] = true
			if !isHistory {
				rd.data.Columns = append(rd.data.Columns, ColumnUse{Indicator: ind.Name, Header: b.col.Name(), Column: b.col.Index() + 1})
			}
		}
		for _, a := range ind.Areas {
			if b := bind(ind, a); b != nil {
				have[ind.Name+"."+a] = true
				have[ind.Name] = have[ind.Name] || false
				if !isHistory {
					rd.data.Columns = append(rd.data.Columns, ColumnUse{Indicator: ind.Name + "." + a, Header: b.col.Name(), Column: b.col.Index() + 1})
				}
			}
		}
	}
	// Columns no indicator reads.
	var unread []string
	for i, h := range r.Header() {
		if used[i] || strings.TrimSpace(h) == "" {
			continue
		}
		unread = append(unread, h)
		rd.data.Unread = append(rd.data.Unread, &Error{Pos: Pos{File: name, Line: hline, Col: i + 1},
			Msg: fmt.Sprintf("column '%s' is not read by policy %s%s", h, p.name, suggest(h, p.columnKeys()))})
	}
	// Every indicator a condition reads needs a column or a default.
	for _, ind := range p.indicators {
		keys := []string{ind.Name}
		for _, a := range ind.Areas {
			keys = append(keys, ind.Name+"."+a)
		}
		for _, key := range keys {
			whats := rd.reads[key]
			if len(whats) == 0 || have[key] {
				continue
			}
			if ind.Kind == KindAreas {
				// A combined column, or any area's own column for the
				// indicator as a whole.
				if have[ind.Name] {
					continue
				}
				if key == ind.Name && slices.ContainsFunc(ind.Areas, func(a string) bool { return have[ind.Name+"."+a] }) {
					continue
				}
			}
			if !ind.deflt.IsMissing() {
				if !isHistory && key == ind.Name {
					rd.data.Columns = append(rd.data.Columns, ColumnUse{Indicator: key, Default: ind.deflt.String()})
				}
				continue
			}
			msg := fmt.Sprintf("no column for %s, which %s reads: name a column '%s', map one (columns: in the policy, or --column %s=HEADER), or give the indicator a default",
				key, strings.Join(whats, ", "), key, key)
			if len(unread) > 0 {
				if s := suggest(key, unread); s != "" {
					msg += s
				} else {
					msg += fmt.Sprintf(" (columns not read: '%s')", strings.Join(unread, "', '"))
				}
			}
			rd.errAt(name, hline, 1, "%s", msg)
		}
	}
	if len(rd.errs) > 0 {
		return
	}
	var areaInds []*Indicator // areas indicators with a column in this file
	for _, b := range binds {
		if b.ind.Kind == KindAreas && !slices.Contains(areaInds, b.ind) {
			areaInds = append(areaInds, b.ind)
		}
	}
	for r.Next() {
		if len(rd.errs) >= maxDataErrors {
			break
		}
		line := r.Line()
		urn, err := partnership.ParseURN(strings.TrimSpace(r.Field(urnCol)))
		if err != nil {
			rd.errAt(name, line, urnCol.Index()+1, "%v", err)
			continue
		}
		snap := Snapshot{slots: rd.slots()}
		if periodCol.Found() {
			snap.Period = rd.intern(strings.TrimSpace(r.Field(periodCol)))
		}
		if at := strings.TrimSpace(r.Field(atCol)); at != "" {
			t, ok := parseDate(at)
			if !ok {
				rd.errAt(name, line, atCol.Index()+1, "column '%s': bad date %q (want 2006-01-02)", atCol.Name(), at)
			}
			snap.At = t
		}
		for _, b := range binds {
			text := strings.TrimSpace(r.Field(b.col))
			if text == "" {
				continue
			}
			if strings.ContainsRune(text, '\uFFFD') {
				rd.errAt(name, line, b.col.Index()+1, "column '%s': %q holds U+FFFD, a character lost when the file was converted before; export it again as UTF-8", b.col.Name(), text)
				continue
			}
			c, err := b.value(text, line)
			if err != nil {
				rd.errAt(name, line, b.col.Index()+1, "column '%s' (%s): %v", b.col.Name(), b.key(), err)
				continue
			}
			switch {
			case b.area != "":
				snap.slots[b.areaSlot] = c.cv
			case c.areas != nil:
				for i, cv := range c.areas {
					if cv != nil {
						snap.slots[b.ind.areaSlots[i]] = cv
					}
				}
			default:
				snap.slots[b.ind.slot] = c.cv
			}
		}
		for _, ind := range areaInds {
			// The areas indicator's own slot: the list of graded areas.
			var graded []ref.Val
			for _, s := range ind.areaSlots {
				if cv := snap.slots[s]; cv != nil {
					graded = append(graded, cv)
				}
			}
			if len(graded) > 0 {
				snap.slots[ind.slot] = types.NewRefValList(types.DefaultTypeAdapter, graded)
			}
		}
		e := rd.byURN[urn]
		if e == nil {
			e = &dataEntry{rec: Record{URN: urn, Periods: make([]Snapshot, 1, rd.nperiods)}}
			rd.byURN[urn] = e
			rd.order = append(rd.order, e)
		}
		if n := strings.TrimSpace(csvout.Restore(r.Field(nameCol))); e.rec.Name == "" && n != "" {
			if strings.ContainsRune(n, '\uFFFD') {
				rd.errAt(name, line, nameCol.Index()+1, "column '%s': %q holds U+FFFD, a character lost when the file was converted before; export it again as UTF-8", nameCol.Name(), n)
			}
			e.rec.Name = strings.Clone(n)
		}
		if !isHistory && len(keepCols) > 0 && !e.cur {
			e.rec.Attrs = make(map[string]string, len(keepCols))
			for i, c := range keepCols {
				e.rec.Attrs[rd.keep[i]] = rd.intern(strings.TrimSpace(r.Field(c)))
			}
		}
		switch {
		case isHistory:
			e.rec.Periods = append(e.rec.Periods, snap)
			if e.histLines == nil {
				e.histLines = make([]int, 0, rd.nperiods-1)
			}
			e.histLines = append(e.histLines, line)
		case e.cur:
			rd.errAt(name, line, urnCol.Index()+1, "school %d appears twice", urn)
		default:
			e.cur = true
			e.rec.Periods[0] = snap
		}
	}
	if err := r.Err(); err != nil {
		rd.fromCSV(err)
	}
	for _, e := range r.Skipped() {
		rd.fromCSV(e)
	}
	for _, b := range binds {
		if b.ind.Kind != KindPercentage || b.ind.Max != 100 {
			continue
		}
		if b.n >= 10 && b.max <= 1 && b.positive {
			rd.errAt(name, hline, b.col.Index()+1, "column '%s' (%s): every one of its %d values is between 0 and 1, but the indicator's scale is 0-100: write percentages (93.5), or declare scale: 0-1",
				b.col.Name(), b.key(), b.n)
			continue
		}
		// A few fractions among percentages: each value in (0, 1] of a
		// column whose values otherwise lie well above 1.
		if lo, ok := b.pct.isolatedFractions(); ok {
			for _, fc := range b.pct.fracs {
				rd.errAt(name, fc.line, b.col.Index()+1, "column '%s' (%s): %s looks like a fraction on this 0-100 scale (99%% of the column's values above 1 are %s or more): write %s, or correct it",
					b.col.Name(), b.key(), strconv.FormatFloat(fc.v, 'g', -1, 64), strconv.FormatFloat(lo, 'g', -1, 64),
					strconv.FormatFloat(math.Round(fc.v*100*1e6)/1e6, 'g', -1, 64))
			}
		}
	}
}

func (b *binding) key() string {
	if b.area != "" {
		return b.ind.Name + "." + b.area
	}
	return b.ind.Name
}

// value checks a cell (not empty, spaces trimmed) against the indicator
// and returns it converted. Cells of the kinds with few distinct values
// (grades, booleans, lists of grades, dates) are converted once each.
func (b *binding) value(text string, line int) (cell, error) {
	ind := b.ind
	if (ind.Kind == KindNumber || ind.Kind == KindPercentage || ind.Kind == KindCount) && !ind.List {
		f, ok := parseNumber(text)
		var cv ref.Val
		switch {
		case ok && ind.Kind == KindNumber:
			cv = types.Double(f)
		case ok && ind.Kind == KindPercentage && f >= 0 && f <= ind.Max:
			cv = types.Double(f)
		default:
			// Counts, and every refusal with its message.
			var err error
			if cv, err = convertScalar(ind, Text(text)); err != nil {
				return cell{}, err
			}
		}
		if ind.Kind == KindPercentage {
			b.n++
			b.max = max(b.max, f)
			b.positive = b.positive || f > 0
			if st := b.pct; st != nil {
				switch {
				case f > 1:
					st.bins[min(int((f-1)*10), len(st.bins)-1)]++
					st.above++
				case f > 0 && len(st.fracs) < maxDataErrors:
					st.fracs = append(st.fracs, fracCell{line: line, v: f})
				}
			}
		}
		return cell{cv: cv}, nil
	}
	if c, ok := b.cache[text]; ok {
		return c.c, c.err
	}
	text = strings.Clone(text) // the cell's text is transient (see read)
	c, err := b.convertCell(text)
	if b.cache == nil {
		b.cache = map[string]cachedCell{}
	}
	if len(b.cache) < 4096 {
		b.cache[text] = cachedCell{c, err}
	}
	return c, err
}

type cachedCell struct {
	c   cell
	err error
}

func (b *binding) convertCell(text string) (cell, error) {
	ind := b.ind
	if ind.Kind == KindAreas && b.area == "" {
		// every area in one cell
		areas := make([]ref.Val, len(ind.Areas))
		for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '|' }) {
			a, g, ok := strings.Cut(part, "=")
			if !ok {
				return cell{}, fmt.Errorf("want area=grade;area=grade, got %q", text)
			}
			a = foldName(a)
			i := slices.Index(ind.Areas, a)
			if i < 0 {
				return cell{}, fmt.Errorf("no area '%s'%s", a, suggest(a, ind.Areas))
			}
			cv, err := convertScalar(ind, Text(g))
			if err != nil {
				return cell{}, fmt.Errorf("area %s: %v", a, err)
			}
			areas[i] = cv
		}
		return cell{areas: areas}, nil
	}
	v := Text(text)
	var cv ref.Val
	var err error
	if b.area != "" {
		cv, err = convertScalar(ind, v)
	} else {
		cv, err = convert(ind, v)
	}
	if err != nil {
		return cell{}, err
	}
	return cell{cv: cv}, nil
}

// Coverage is how well a data set covers a policy: for each indicator the
// policy's conditions read, how many schools have a value, and the schools
// whose level could not be decided, with why.
type Coverage struct {
	Policy     string              `json:"policy"`
	Schools    int                 `json:"schools"`
	Indicators []IndicatorCoverage `json:"indicators"`
	// Undetermined counts the schools whose level could not be decided;
	// Examples lists the first of them (at most 20), in URN order.
	Undetermined int                  `json:"undetermined"`
	Examples     []UndeterminedSchool `json:"examples,omitempty"`
	// PeriodsNeeded is the longest run of periods a condition needs (its
	// for:); ShortHistory counts the schools with fewer periods of data
	// than that, for which such a condition is unknown where it holds in
	// the periods there are (see "Missing values" in the package
	// documentation).
	PeriodsNeeded int `json:"periods_needed"`
	ShortHistory  int `json:"short_history"`
}

// IndicatorCoverage is one indicator's (or area's) coverage in the
// current period.
type IndicatorCoverage struct {
	Name    string `json:"name"`
	Present int    `json:"present"`
	Missing int    `json:"missing"`
	// Default is the value schools without one get, as text ("" for none).
	Default string `json:"default,omitempty"`
}

// UndeterminedSchool is a school whose level could not be decided.
type UndeterminedSchool struct {
	URN     partnership.URN `json:"urn"`
	Name    string          `json:"name,omitempty"`
	AtLeast string          `json:"at_least"`
	Why     []Skip          `json:"why"`
}

// Coverage reports the coverage of src's current period for the policy,
// and the undetermined schools among as (the policy's assessments of
// src's schools).
func (p *Policy) Coverage(ctx context.Context, src Source, as []*Assessment) (*Coverage, error) {
	reads := p.reads()
	cov := &Coverage{Policy: p.name, PeriodsNeeded: 1}
	for _, r := range p.declared {
		if r.when != nil {
			cov.PeriodsNeeded = max(cov.PeriodsNeeded, r.when.for_)
		}
	}
	for _, l := range p.levels {
		for _, c := range []*cond{l.entry, l.exit} {
			if c != nil {
				cov.PeriodsNeeded = max(cov.PeriodsNeeded, c.for_)
			}
		}
	}
	counts := map[string]*IndicatorCoverage{}
	slotOf := map[string]int{}
	var names []string
	for _, ind := range p.indicators {
		keys := []string{ind.Name}
		slotOf[ind.Name] = ind.slot
		for i, a := range ind.Areas {
			keys = append(keys, ind.Name+"."+a)
			slotOf[ind.Name+"."+a] = ind.areaSlots[i]
		}
		for _, k := range keys {
			if len(reads[k]) == 0 {
				continue
			}
			ic := &IndicatorCoverage{Name: k}
			if !ind.deflt.IsMissing() {
				ic.Default = ind.deflt.String()
			}
			counts[k] = ic
			names = append(names, k)
		}
	}
	recs, err := p.recordsFor(ctx, src)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		cov.Schools++
		if len(r.Periods) < cov.PeriodsNeeded {
			cov.ShortHistory++
		}
		if r.slotsFor == p {
			// Read by p.ReadCSV: a slot holds a value or nil.
			for _, k := range names {
				if r.Periods[0].slots[slotOf[k]] != nil {
					counts[k].Present++
				} else {
					counts[k].Missing++
				}
			}
			continue
		}
		var vals map[string]Value
		if len(r.Periods) > 0 {
			vals = r.Periods[0].Values
		}
		for _, k := range names {
			base, area, isArea := strings.Cut(k, ".")
			v := vals[base]
			if isArea {
				v = v.areas[area]
				if v.IsMissing() {
					v = vals[k]
				}
			}
			if v.IsMissing() || (v.kind == vAreas && len(v.areas) == 0) {
				counts[k].Missing++
			} else {
				counts[k].Present++
			}
		}
	}
	for _, k := range names {
		cov.Indicators = append(cov.Indicators, *counts[k])
	}
	for _, a := range as {
		if !a.IsUndetermined() {
			continue
		}
		cov.Undetermined++
		if len(cov.Examples) < 20 {
			cov.Examples = append(cov.Examples, UndeterminedSchool{URN: a.URN, Name: a.Name, AtLeast: a.Computed, Why: a.Undetermined})
		}
	}
	return cov, nil
}
