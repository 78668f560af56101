package riskpolicy

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// periodKey is where a period label sorts: the order of periods is
// explicit, never the labels' text order ("Term 10" after "Term 9").
// Labels compare only within one form (kind) and, for the numbered form,
// one prefix.
type periodKey struct {
	kind   int    // 1 school year (and term), 2 prefix and number, 3 date
	prefix string // numbered form: the text before the number, in Key form
	n      int64
}

var (
	schoolYearRe = regexp.MustCompile(`^(\d{4})(?:[-/](\d{2}|\d{4}))?(?:\s+(autumn|spring|summer))?$`)
	numberedRe   = regexp.MustCompile(`^(.*?)(\d{1,9})$`)
)

// periodForms describes the period labels that can be ordered.
const periodForms = `a school year with an optional term ("2024-25", "2024-25 autumn", spring, summer), a date (2025-03-31) or a label ending in a number ("Term 9")`

// parsePeriod returns where label sorts, or false when it is in no form
// that can be ordered. A school year without a term sorts after its
// summer term.
func parsePeriod(label string) (periodKey, bool) {
	l := strings.ToLower(strings.Join(strings.Fields(label), " "))
	if t, err := time.Parse(time.DateOnly, l); err == nil {
		return periodKey{kind: 3, n: t.Unix()}, true
	}
	if m := schoolYearRe.FindStringSubmatch(l); m != nil {
		y, _ := strconv.ParseInt(m[1], 10, 64)
		if m[2] != "" {
			next, _ := strconv.ParseInt(m[2], 10, 64)
			if len(m[2]) == 2 && next != (y+1)%100 || len(m[2]) == 4 && next != y+1 {
				return periodKey{}, false
			}
		}
		term := map[string]int64{"autumn": 0, "spring": 1, "summer": 2, "": 3}[m[3]]
		return periodKey{kind: 1, n: y*4 + term}, true
	}
	if m := numberedRe.FindStringSubmatch(l); m != nil && strings.TrimSpace(m[1]) != "" {
		n, _ := strconv.ParseInt(m[2], 10, 64)
		return periodKey{kind: 2, prefix: strings.TrimSpace(m[1]), n: n}, true
	}
	return periodKey{}, false
}

// period is a snapshot with where its label sorts.
type period struct {
	s   *Snapshot
	key periodKey
	ok  bool // the label is in a form that orders
	// The label's first and last day, when it has dates (dated).
	start, end time.Time
	dated      bool
}

// comparePeriods orders two periods oldest first: by their end dates (at)
// when both have one, otherwise by their labels' keys. It returns false
// when they cannot be ordered.
func comparePeriods(a, b *period) (int, bool) {
	if !a.s.At.IsZero() && !b.s.At.IsZero() {
		return a.s.At.Compare(b.s.At), true
	}
	if !a.ok || !b.ok || a.key.kind != b.key.kind || a.key.prefix != b.key.prefix {
		return 0, false
	}
	return cmp.Compare(a.key.n, b.key.n), true
}

// periodOf returns s with its label's key, parsed once per distinct label
// (labels are few: one per term).
func (rd *dataReader) periodOf(s *Snapshot) period {
	pk, ok := rd.periodKeys[s.Period]
	if !ok {
		var k period
		k.key, k.ok = parsePeriod(s.Period)
		k.start, k.end, k.dated = k.labelSpan()
		pk = k
		if len(rd.periodKeys) < 4096 {
			if rd.periodKeys == nil {
				rd.periodKeys = map[string]period{}
			}
			rd.periodKeys[s.Period] = pk
		}
	}
	pk.s = s
	return pk
}

// orderHistory sorts e's history newest first and reports, at the
// history row's line and period column, a period given twice, a period
// equal to or later than the current one, and a period that cannot be
// ordered against the others.
func (rd *dataReader) orderHistory(e *dataEntry) {
	hist, curSnap := e.hist(), &e.rec.Periods[0]
	bad := func(i int, format string, args ...any) {
		rd.errAt(rd.histName, e.histLines[i], rd.histPeriodCol, "school %d: period %q: "+format, append([]any{e.rec.URN, hist[i].Period}, args...)...)
	}
	cur := rd.periodOf(curSnap)
	rd.noteSpan(&cur, false)
	if len(hist) == 0 {
		return
	}
	ps := rd.ps[:0]
	for i := range hist {
		ps = append(ps, rd.periodOf(&hist[i]))
		rd.noteSpan(&ps[i], true)
	}
	rd.ps = ps
	ok := true
	for i := range hist {
		if len(rd.errs) >= maxDataErrors {
			return
		}
		h := &ps[i]
		if !h.ok && h.s.At.IsZero() {
			bad(i, "cannot be ordered: write %s, or give its end date in an \"at\" column", periodForms)
			ok = false
			continue
		}
		if curSnap.Period != "" && h.s.Period == curSnap.Period {
			bad(i, "is the current period's label; history holds earlier periods only")
			ok = false
			continue
		}
		if curSnap.Period != "" || !curSnap.At.IsZero() {
			switch c, can := comparePeriods(h, &cur); {
			case !can:
				bad(i, "cannot be ordered against the current period %q: use one form of label (%s)", curSnap.Period, periodForms)
				ok = false
				continue
			case c >= 0:
				bad(i, "is not earlier than the current period %q", curSnap.Period)
				ok = false
				continue
			}
		}
		for j := range i {
			c, can := comparePeriods(h, &ps[j])
			switch {
			case h.s.Period == hist[j].Period || can && c == 0:
				bad(i, "given twice (line %d)", e.histLines[j])
				ok = false
			case !can:
				bad(i, "cannot be ordered against period %q (line %d): use one form of label (%s)", hist[j].Period, e.histLines[j], periodForms)
				ok = false
			default:
				continue
			}
			break
		}
	}
	if !ok {
		return
	}
	// Every pair orders now: newest first (stable: equal end dates keep
	// the file's order).
	idx := rd.idx[:0]
	for i := range ps {
		idx = append(idx, i)
	}
	rd.idx = idx
	slices.SortStableFunc(idx, func(a, b int) int {
		c, _ := comparePeriods(&ps[b], &ps[a])
		return c
	})
	if slices.IsSorted(idx) {
		return // the file's order is newest first already
	}
	sorted := rd.sorted[:0]
	for _, i := range idx {
		sorted = append(sorted, hist[i])
	}
	copy(hist, sorted)
	clear(sorted) // keeps nothing alive
	rd.sorted = sorted
}

// span returns the first and last day of a period as far as its label
// and "at" date place it in time: a school-year term runs autumn 1
// September-31 December, spring 1 January-31 March, summer 1 April-31
// August, a school year without a term 1 September-31 August, a date
// label is that day; an "at" date is the period's end. A period known
// only by its "at" date has no known start (hasStart false); a numbered
// label ("Term 9") without one has no dates (ok false).
func (pe *period) span() (start, end time.Time, hasStart, ok bool) {
	start, end, hasStart = pe.start, pe.end, pe.dated
	if !pe.s.At.IsZero() {
		end = pe.s.At
	}
	return start, end, hasStart, hasStart || !pe.s.At.IsZero()
}

// labelSpan is span as the label alone says.
func (pe *period) labelSpan() (start, end time.Time, ok bool) {
	day := func(y int64, m time.Month, d int) time.Time { return time.Date(int(y), m, d, 0, 0, 0, 0, time.UTC) }
	switch {
	case !pe.ok:
		return time.Time{}, time.Time{}, false
	case pe.key.kind == 3:
		t := time.Unix(pe.key.n, 0).UTC()
		return t, t, true
	case pe.key.kind == 1:
		y, term := pe.key.n/4, pe.key.n%4
		switch term {
		case 0:
			return day(y, time.September, 1), day(y, time.December, 31), true
		case 1:
			return day(y+1, time.January, 1), day(y+1, time.March, 31), true
		case 2:
			return day(y+1, time.April, 1), day(y+1, time.August, 31), true
		default:
			return day(y, time.September, 1), day(y+1, time.August, 31), true
		}
	}
	return time.Time{}, time.Time{}, false
}

// periodDay is a period's label with one of its days (its start or end);
// set is false until one is recorded.
type periodDay struct {
	label string
	day   time.Time
	set   bool
}

// periodLabel names a period in CheckAt's messages: its label, or its end
// date when it has none.
func periodLabel(pe *period, end time.Time) string {
	if pe.s.Period != "" {
		return pe.s.Period
	}
	return "ending " + end.Format(time.DateOnly)
}

// noteSpan records the history period that starts latest (of those whose
// start is known) or, for the current periods, the one that starts first
// and the one that ends last.
func (rd *dataReader) noteSpan(pe *period, isHistory bool) {
	start, end, hasStart, ok := pe.span()
	if !ok {
		return
	}
	d := &rd.data.spans
	if isHistory {
		if hasStart && (!d.latestHistory.set || start.After(d.latestHistory.day)) {
			d.latestHistory = periodDay{periodLabel(pe, end), start, true}
		}
		return
	}
	if hasStart && (!d.firstCurrent.set || start.Before(d.firstCurrent.day)) {
		d.firstCurrent = periodDay{periodLabel(pe, end), start, true}
	}
	if !d.lastCurrent.set || end.After(d.lastCurrent.day) {
		d.lastCurrent = periodDay{periodLabel(pe, end), end, true}
	}
}

// periodSpans are the data's periods placed in time, for CheckAt.
type periodSpans struct {
	latestHistory periodDay // the start of the history period that starts latest
	firstCurrent  periodDay // the start of the current period that starts first
	lastCurrent   periodDay // the end of the current period that ends last
}

// staleAfter is how long after the current period's end an assessment
// date draws a warning that the data may be out of date.
const staleAfter = 365 * 24 * time.Hour

// CheckAt checks an assessment date against the data's periods, as far
// as their labels and "at" dates place them in time (see ReadCSV): a
// school-year term runs autumn 1 September-31 December, spring 1
// January-31 March, summer 1 April-31 August, a school year 1
// September-31 August; a date label is that day; an "at" date is the
// period's end, and a period known only by it has no known start. A
// numbered label such as "Term 9" has no dates and is not checked.
//
// A date before the start of the latest history period is refused,
// wrapping ErrInvalid: history holds periods earlier than the assessment,
// and one that had not begun by its date means the date (or the data) is
// wrong. A date before the start of the current period, or more than a
// year after its end, is allowed (a what-if at another date) but
// returned as a warning: the data are not of the time the date says.
func (d *Data) CheckAt(at time.Time) (warnings []string, err error) {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	s := &d.spans
	if h := s.latestHistory; h.set && at.Before(h.day) {
		return nil, fmt.Errorf("%w assessment date: %s is before the latest period of the history, %s (from %s), begins: history holds the periods before the assessment; give the date of the assessment, or the history of that time",
			ErrInvalid, day(at), h.label, day(h.day))
	}
	if c := s.firstCurrent; c.set && at.Before(c.day) {
		warnings = append(warnings, fmt.Sprintf("the assessment date %s is before the current period, %s (from %s), begins: the data are of a later time than the date",
			day(at), c.label, day(c.day)))
	}
	if c := s.lastCurrent; c.set && at.Sub(c.day) > staleAfter {
		months := int(at.Sub(c.day).Hours() / 24 / 30.44)
		warnings = append(warnings, fmt.Sprintf("the assessment date %s is %d months after the current period, %s, ended (%s): the data may be out of date",
			day(at), months, c.label, day(c.day)))
	}
	return warnings, nil
}
