package review

import (
	"fmt"
	"io"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// AcademicYear is the English school year that starts on 1 September of a
// calendar year and ends on 31 August of the next: AcademicYear(2025) is
// 2025-2026.
type AcademicYear int

// First returns 1 September of the year.
func (y AcademicYear) First() time.Time {
	return time.Date(int(y), time.September, 1, 0, 0, 0, 0, time.UTC)
}

// Last returns 31 August of the next calendar year.
func (y AcademicYear) Last() time.Time {
	return time.Date(int(y)+1, time.August, 31, 0, 0, 0, 0, time.UTC)
}

// Contains reports whether the date of d falls in the year.
func (y AcademicYear) Contains(d time.Time) bool {
	d = day(d)
	return !d.Before(y.First()) && !d.After(y.Last())
}

// String returns "2025-2026".
func (y AcademicYear) String() string { return fmt.Sprintf("%d-%d", int(y), int(y)+1) }

// span is "the academic year 2025-2026 (2025-09-01 to 2026-08-31)", for
// errors.
func (y AcademicYear) span() string {
	return fmt.Sprintf("the academic year %s (%s to %s)", y, y.First().Format(time.DateOnly), y.Last().Format(time.DateOnly))
}

// parseDate reads a date as yyyy-mm-dd or, as English files often write
// it, dd/mm/yyyy (day and month of one or two digits, a four-digit year).
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2/1/2006"} {
		if d, err := time.Parse(layout, v); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// date reads field f as a date (see parseDate), recording an error when it
// is not one; blank gives the zero time, an error too when required.
func (r rowReader) date(f string, required bool) time.Time {
	v, col := r.get(f)
	if v == "" {
		if required {
			r.bad(f, col, "missing")
		}
		return time.Time{}
	}
	d, ok := parseDate(v)
	if !ok {
		r.bad(f, col, "%q is not a date (yyyy-mm-dd or dd/mm/yyyy)", v)
	}
	return d
}

// WindowColumns are the columns of a visit-windows CSV file, all required:
// urn, from and to (either date may be blank, see ReadWindows).
var WindowColumns = []string{"urn", "from", "to"}

// ReadWindows reads when schools ask to be visited, for ScheduleVisits,
// from a CSV file with a header of WindowColumns (any order, names
// case-insensitive): one row a school, from and to its first and last
// days, inclusive, as yyyy-mm-dd or dd/mm/yyyy. A blank from or to leaves
// that end of the window open (see Window); a row needs at least one.
//
// It is an error for a school not to be one of schools (those reviewed),
// to be given twice, for a date to fall outside year, and for from to be
// after to. name is used in errors. Every problem is reported in one pass
// as an ErrorList of *FileError naming file, line, column and field; the
// error wraps ErrInvalid. The map is new and the caller's.
func ReadWindows(name string, r io.Reader, year AcademicYear, schools []Reviewee) (map[partnership.URN]Window, error) {
	var errs ErrorList
	t, ok := newCSV(name, r, WindowColumns, nil, &errs)
	if !ok {
		return nil, errs.Err()
	}
	known := make(map[partnership.URN]bool, len(schools))
	for _, s := range schools {
		known[s.URN] = true
	}
	out := map[partnership.URN]Window{}
	seen := map[partnership.URN]int{}
	t.rows(func(line int, get func(string) (string, int)) {
		rr := rowReader{t, line, get}
		u := rr.urn("urn", true)
		if _, col := get("urn"); u > 0 {
			if first, dup := seen[u]; dup {
				rr.bad("urn", col, "school %d already on line %d", u, first)
			} else if !known[u] {
				rr.bad("urn", col, "school %d is not among the %d schools reviewed", u, len(schools))
			}
			seen[u] = line
		}
		w := Window{From: rr.date("from", false), To: rr.date("to", false)}
		fromText, fromCol := get("from")
		toText, toCol := get("to")
		if fromText == "" && toText == "" {
			rr.bad("from", fromCol, "a window needs from, to or both")
		}
		for _, f := range []struct {
			field string
			col   int
			d     time.Time
		}{{"from", fromCol, w.From}, {"to", toCol, w.To}} {
			if !f.d.IsZero() && !year.Contains(f.d) {
				rr.bad(f.field, f.col, "%s is outside %s", f.d.Format(time.DateOnly), year.span())
			}
		}
		if !w.From.IsZero() && !w.To.IsZero() && w.From.After(w.To) {
			rr.bad("to", toCol, "the window ends (%s) before it starts (%s)", w.To.Format(time.DateOnly), w.From.Format(time.DateOnly))
		}
		if u > 0 {
			out[u] = w
		}
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// AbsenceColumns are the columns of a reviewer-absences CSV file: reviewer,
// from and to are required, reason is optional.
var AbsenceColumns = []string{"reviewer", "from", "to", "reason"}

// ReadAbsences reads when reviewers cannot visit, for ScheduleVisits, from
// a CSV file with a header of AbsenceColumns (any order, names
// case-insensitive): one row an absence, from and to its first and last
// days, inclusive, as yyyy-mm-dd or dd/mm/yyyy. A reviewer may have any
// number of absences, overlapping or not.
//
// It is an error for a reviewer not to be one of reviewers (those
// allocated), for from to be after to, and for an absence to lie wholly
// outside year (it could keep the reviewer off no visit: most likely a
// mistyped year); one that crosses the year's first or last day is kept
// whole. name is used in errors. Every problem is reported in one pass as
// an ErrorList of *FileError naming file, line, column and field; the
// error wraps ErrInvalid. The absences are in file order.
func ReadAbsences(name string, r io.Reader, year AcademicYear, reviewers []Reviewer) ([]Absence, error) {
	var errs ErrorList
	t, ok := newCSV(name, r, AbsenceColumns[:3], AbsenceColumns[3:], &errs)
	if !ok {
		return nil, errs.Err()
	}
	known := make(map[ReviewerID]bool, len(reviewers))
	for _, rv := range reviewers {
		known[rv.ID] = true
	}
	var out []Absence
	t.rows(func(line int, get func(string) (string, int)) {
		rr := rowReader{t, line, get}
		a := Absence{Reviewer: ReviewerID(rr.str("reviewer")), From: rr.date("from", true), To: rr.date("to", true), Reason: rr.str("reason")}
		_, col := get("reviewer")
		switch {
		case a.Reviewer == "":
			rr.bad("reviewer", col, "missing")
		case !known[a.Reviewer]:
			rr.bad("reviewer", col, "reviewer %s is not among the %d reviewers", a.Reviewer, len(reviewers))
		}
		if a.From.IsZero() || a.To.IsZero() {
			return
		}
		_, toCol := get("to")
		if a.From.After(a.To) {
			rr.bad("to", toCol, "the absence ends (%s) before it starts (%s)", a.To.Format(time.DateOnly), a.From.Format(time.DateOnly))
			return
		}
		if a.To.Before(year.First()) || a.From.After(year.Last()) {
			_, fromCol := get("from")
			rr.bad("from", fromCol, "the absence (%s to %s) lies wholly outside %s", a.From.Format(time.DateOnly), a.To.Format(time.DateOnly), year.span())
			return
		}
		out = append(out, a)
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
