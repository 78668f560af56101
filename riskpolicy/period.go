package riskpolicy

import (
	"cmp"
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
	bad := func(i int, format string, args ...any) {
		rd.errAt(rd.histName, e.histLines[i], rd.histPeriodCol, "school %d: period %q: "+format, append([]any{e.rec.URN, e.hist[i].Period}, args...)...)
	}
	if len(e.hist) == 0 {
		return
	}
	cur := rd.periodOf(&e.curSnap)
	ps := make([]period, len(e.hist))
	for i := range e.hist {
		ps[i] = rd.periodOf(&e.hist[i])
	}
	ok := true
	for i := range e.hist {
		if len(rd.errs) >= maxDataErrors {
			return
		}
		h := &ps[i]
		if !h.ok && h.s.At.IsZero() {
			bad(i, "cannot be ordered: write %s, or give its end date in an \"at\" column", periodForms)
			ok = false
			continue
		}
		if e.curSnap.Period != "" && h.s.Period == e.curSnap.Period {
			bad(i, "is the current period's label; history holds earlier periods only")
			ok = false
			continue
		}
		if e.curSnap.Period != "" || !e.curSnap.At.IsZero() {
			switch c, can := comparePeriods(h, &cur); {
			case !can:
				bad(i, "cannot be ordered against the current period %q: use one form of label (%s)", e.curSnap.Period, periodForms)
				ok = false
				continue
			case c >= 0:
				bad(i, "is not earlier than the current period %q", e.curSnap.Period)
				ok = false
				continue
			}
		}
		for j := range i {
			c, can := comparePeriods(h, &ps[j])
			switch {
			case h.s.Period == e.hist[j].Period || can && c == 0:
				bad(i, "given twice (line %d)", e.histLines[j])
				ok = false
			case !can:
				bad(i, "cannot be ordered against period %q (line %d): use one form of label (%s)", e.hist[j].Period, e.histLines[j], periodForms)
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
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		c, _ := comparePeriods(&ps[b], &ps[a])
		return c
	})
	sorted := make([]Snapshot, len(e.hist))
	for k, i := range idx {
		sorted[k] = e.hist[i]
	}
	copy(e.hist, sorted)
}
