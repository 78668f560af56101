package review

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

//go:embed calendar_data/bank-holidays.json
var bankHolidaysJSON []byte

// Holidays are the bank holidays of England and Wales for a range of years.
// A date outside the years covered is unknown, not a working day: the
// calendars here refuse it (see Holidays.Covers).
type Holidays struct {
	days     map[time.Time]string
	from, to int // years covered, inclusive
}

// BankHolidays returns the bank holidays of England and Wales embedded in
// the package, for 2023 to 2028 (calendar_data/SOURCE.md gives the source:
// GOV.UK's bank-holidays.json for 2023 to 2026, the statutory rules for 2027
// and 2028). Load the current GOV.UK file with ParseBankHolidays to include
// holidays proclaimed since.
func BankHolidays() *Holidays {
	h, err := ParseBankHolidays("bank-holidays.json", bytes.NewReader(bankHolidaysJSON))
	if err != nil {
		panic("review: embedded bank holidays: " + err.Error()) // checked by a test
	}
	return h
}

// ParseBankHolidays reads GOV.UK's bank-holidays.json
// (https://www.gov.uk/bank-holidays.json), keeping the england-and-wales
// division. The years covered are those from the first to the last event.
// Errors name the file and the event.
func ParseBankHolidays(name string, r io.Reader) (*Holidays, error) {
	var doc map[string]struct {
		Division string `json:"division"`
		Events   []struct {
			Title string `json:"title"`
			Date  string `json:"date"`
		} `json:"events"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 4<<20))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrInvalid, err)
	}
	div, ok := doc["england-and-wales"]
	if !ok || len(div.Events) == 0 {
		return nil, fmt.Errorf("%s: %w: no england-and-wales events", name, ErrInvalid)
	}
	h := &Holidays{days: map[time.Time]string{}, from: 1 << 30, to: -1}
	for i, e := range div.Events {
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: england-and-wales event %d (%q): date %q is not YYYY-MM-DD", name, ErrInvalid, i+1, e.Title, e.Date)
		}
		h.days[d] = e.Title
		h.from, h.to = min(h.from, d.Year()), max(h.to, d.Year())
	}
	return h, nil
}

// Covers reports whether the holidays cover the year of d.
func (h *Holidays) Covers(d time.Time) bool { return d.Year() >= h.from && d.Year() <= h.to }

// Years returns the first and last year covered.
func (h *Holidays) Years() (from, to int) { return h.from, h.to }

// Holiday returns the bank holiday on d ("" and false when d is not one).
func (h *Holidays) Holiday(d time.Time) (string, bool) {
	t, ok := h.days[day(d)]
	return t, ok
}

// day is d's date at midnight UTC.
func day(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }

// Calendar is when schools are open: terms (with their half terms) less
// weekends and bank holidays.
type Calendar struct {
	Terms    []Term
	Holidays *Holidays
}

// SchoolDays lists the school days of the calendar in date order with the
// index of each day's term. It fails with ErrInvalid when a term reaches a
// year the holidays do not cover, rather than treat an unknown day as open.
func (c Calendar) SchoolDays() ([]time.Time, []int, error) {
	if c.Holidays == nil {
		return nil, nil, fmt.Errorf("%w: a calendar needs its bank holidays", ErrInvalid)
	}
	var days []time.Time
	var termOf []int
	for ti, t := range c.Terms {
		if !c.Holidays.Covers(t.Start) || !c.Holidays.Covers(t.End) {
			from, to := c.Holidays.Years()
			return nil, nil, fmt.Errorf("%w: term %s (%s to %s) reaches beyond the bank holidays known (%d to %d): load them with ParseBankHolidays",
				ErrInvalid, t.Name, t.Start.Format(time.DateOnly), t.End.Format(time.DateOnly), from, to)
		}
		for d := day(t.Start); !d.After(t.End); d = d.AddDate(0, 0, 1) {
			if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				continue
			}
			if !t.HalfTermStart.IsZero() && !d.Before(t.HalfTermStart) && !d.After(t.HalfTermEnd) {
				continue
			}
			if _, hol := c.Holidays.Holiday(d); hol {
				continue
			}
			days = append(days, d)
			termOf = append(termOf, ti)
		}
	}
	idx := make([]int, len(days))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return days[a].Compare(days[b]) })
	sd, st := make([]time.Time, len(days)), make([]int, len(days))
	for i, j := range idx {
		sd[i], st[i] = days[j], termOf[j]
	}
	return sd, st, nil
}

// TermDateColumns are the columns of a term-dates CSV file: la (the local
// authority code; 0 or empty for dates that apply wherever no authority's
// are given), term, start and end are required; half_term_start and
// half_term_end are optional. Dates are yyyy-mm-dd or, as English files
// often write them, dd/mm/yyyy.
var TermDateColumns = []string{"la", "term", "start", "end", "half_term_start", "half_term_end"}

// ReadTermDates reads authorities' term dates from a CSV file with a header
// of TermDateColumns, returning each authority's terms in file order (key 0
// for the default). Every problem is reported in one pass as an ErrorList
// of *FileError naming file, line, column and field.
func ReadTermDates(name string, r io.Reader) (map[int][]Term, error) {
	return readTermDates(name, r, nil)
}

// ReadTermDatesIn reads term dates like ReadTermDates and also refuses, at
// its position, a term that does not lie within year (a file for another
// year would otherwise move every visit of its authorities out of the year
// asked for).
func ReadTermDatesIn(name string, r io.Reader, year AcademicYear) (map[int][]Term, error) {
	return readTermDates(name, r, &year)
}

func readTermDates(name string, r io.Reader, year *AcademicYear) (map[int][]Term, error) {
	var errs ErrorList
	t, ok := newCSV(name, r, TermDateColumns[:4], TermDateColumns[4:], &errs)
	if !ok {
		return nil, errs.Err()
	}
	out := map[int][]Term{}
	t.rows(func(line int, get func(string) (string, int)) {
		rr := rowReader{t, line, get}
		la := 0
		if v, col := get("la"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				rr.bad("la", col, "%q is not a local authority code", v)
			}
			la = n
		}
		tm := Term{Name: rr.str("term"), Start: rr.date("start", true), End: rr.date("end", true),
			HalfTermStart: rr.date("half_term_start", false), HalfTermEnd: rr.date("half_term_end", false)}
		if _, col := get("term"); tm.Name == "" {
			rr.bad("term", col, "missing")
		}
		if _, col := get("end"); !tm.Start.IsZero() && !tm.End.IsZero() && tm.End.Before(tm.Start) {
			rr.bad("end", col, "ends before it starts")
		}
		if _, col := get("half_term_end"); tm.HalfTermStart.IsZero() != tm.HalfTermEnd.IsZero() ||
			(!tm.HalfTermStart.IsZero() && (tm.HalfTermEnd.Before(tm.HalfTermStart) || tm.HalfTermStart.Before(tm.Start) || tm.HalfTermEnd.After(tm.End))) {
			rr.bad("half_term_end", col, "a half term needs a start and an end inside the term")
		}
		if year != nil {
			for _, f := range []string{"start", "end"} {
				d := map[string]time.Time{"start": tm.Start, "end": tm.End}[f]
				if _, col := get(f); !d.IsZero() && !year.Contains(d) {
					rr.bad(f, col, "%s is outside %s", d.Format(time.DateOnly), year.span())
				}
			}
		}
		out[la] = append(out[la], tm)
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
