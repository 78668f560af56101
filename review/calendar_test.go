package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/review"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestBankHolidaysEmbedded(t *testing.T) {
	h := review.BankHolidays()
	from, to := h.Years()
	assert.Equal(t, [2]int{2023, 2028}, [2]int{from, to})
	for _, d := range []time.Time{date(2026, 5, 4), date(2026, 12, 28), date(2023, 5, 8), date(2025, 4, 18), date(2027, 3, 29), date(2028, 1, 3)} {
		_, ok := h.Holiday(d)
		assert.True(t, ok, "%s is a bank holiday", d.Format(time.DateOnly))
	}
	for _, d := range []time.Time{date(2026, 5, 5), date(2026, 12, 26), date(2028, 1, 1)} {
		_, ok := h.Holiday(d)
		assert.False(t, ok, "%s is not a bank holiday", d.Format(time.DateOnly))
	}
	n := map[int]int{}
	for d := date(2023, 1, 1); d.Year() <= 2028; d = d.AddDate(0, 0, 1) {
		if _, ok := h.Holiday(d); ok {
			n[d.Year()]++
			assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, d.Weekday(), "%s falls at a weekend", d)
		}
	}
	assert.Equal(t, map[int]int{2023: 9, 2024: 8, 2025: 8, 2026: 8, 2027: 8, 2028: 8}, n)

	_, err := review.ParseBankHolidays("bh.json", strings.NewReader(`{"scotland": {"events": []}}`))
	assert.ErrorIs(t, err, review.ErrInvalid)
	_, err = review.ParseBankHolidays("bh.json", strings.NewReader(`{"england-and-wales": {"events": [{"title": "x", "date": "2026-13-01"}]}}`))
	assert.ErrorContains(t, err, `bh.json: invalid: england-and-wales event 1 ("x")`)

	_, _, err = review.Calendar{Terms: review.EnglishTerms(2029), Holidays: h}.SchoolDays()
	assert.ErrorIs(t, err, review.ErrInvalid, "a year without known bank holidays is refused, not taken as open")
}

func TestReadTermDates(t *testing.T) {
	got, err := review.ReadTermDates("terms.csv", strings.NewReader("la,term,start,end,half_term_start,half_term_end\n"+
		"383,autumn,2025-09-03,2025-12-19,2025-10-27,2025-10-31\n,autumn,2025-09-04,2025-12-19,,\n"))
	require.NoError(t, err)
	assert.Equal(t, map[int][]review.Term{
		383: {{Name: "autumn", Start: date(2025, 9, 3), End: date(2025, 12, 19), HalfTermStart: date(2025, 10, 27), HalfTermEnd: date(2025, 10, 31)}},
		0:   {{Name: "autumn", Start: date(2025, 9, 4), End: date(2025, 12, 19)}},
	}, got)
	_, err = review.ReadTermDates("terms.csv", strings.NewReader("la,term,start,end,half_term_start\nx,,2025-09-03,2025-08-01,2025-10-27\n"))
	require.Error(t, err)
	for _, want := range []string{"terms.csv:2:1: la", "terms.csv:2:2: term", "terms.csv:2:4: end", "half_term_end"} {
		assert.Contains(t, err.Error(), want)
	}
}

// TestQAScheduleKeepsTermsAndHolidays: every visit is in the term its rule
// asks for or reported unscheduled with that term; none is on a bank
// holiday (4 May 2026 among them).
func TestQAScheduleKeepsTermsAndHolidays(t *testing.T) {
	schools := hub(t, 120)
	for _, perWeek := range []int{1, 3} {
		dirs := []review.Director{{ID: "doe-primary", PerDay: 1, PerWeek: perWeek}, {ID: "doe-secondary", PerDay: 1, PerWeek: perWeek}}
		s, err := review.PlanSchedule(context.Background(), rkltOffer, schools, review.EnglishTerms(2025), dirs)
		require.NoError(t, err)
		h := review.BankHolidays()
		terms := review.EnglishTerms(2025)
		for _, v := range s.Visits {
			_, hol := h.Holiday(v.Date)
			assert.False(t, hol, "visit on the bank holiday %s", v.Date.Format(time.DateOnly))
			assert.False(t, v.Date.Equal(date(2026, 5, 4)))
			per := perYear(v.Kind)
			assert.Equal(t, terms[(v.Seq-1)*len(terms)/per].Name, v.Term, "visit %d of %d of %s", v.Seq, per, v.Kind)
		}
		for _, u := range s.Unscheduled {
			assert.Equal(t, terms[(u.Seq-1)*len(terms)/perYear(u.Kind)].Name, u.Term)
			assert.Contains(t, u.Reason, u.Term+" term")
		}
		if perWeek == 1 {
			assert.NotEmpty(t, s.Unscheduled, "one visit a week cannot hold the offer")
		}
	}
}

func perYear(kind string) int {
	for _, it := range rkltOffer.Items {
		if it.Kind == kind {
			return it.PerYear
		}
	}
	return 0
}

func FuzzReadTermDates(f *testing.F) {
	f.Add("la,term,start,end,half_term_start,half_term_end\n383,autumn,2025-09-03,2025-12-19,2025-10-27,2025-10-31\n")
	f.Add("la,term,start,end\n,spring,2026-01-05,2026-03-27\n")
	f.Fuzz(func(t *testing.T, src string) {
		got, err := review.ReadTermDates("f.csv", strings.NewReader(src))
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			return
		}
		for _, terms := range got {
			for _, tm := range terms {
				require.False(t, tm.End.Before(tm.Start))
			}
		}
	})
}

func FuzzParseBankHolidays(f *testing.F) {
	f.Add(`{"england-and-wales": {"division": "england-and-wales", "events": [{"title": "Boxing Day", "date": "2026-12-28"}]}}`)
	f.Fuzz(func(t *testing.T, src string) {
		h, err := review.ParseBankHolidays("f.json", strings.NewReader(src))
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			return
		}
		from, to := h.Years()
		require.LessOrEqual(t, from, to)
	})
}
