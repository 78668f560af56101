package review_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

var (
	inputSchools   = []review.Reviewee{{URN: 100}, {URN: 200}, {URN: 300}}
	inputReviewers = []review.Reviewer{{ID: "h100"}, {ID: "ext"}}
)

func TestAcademicYear(t *testing.T) {
	y := review.AcademicYear(2025)
	assert.Equal(t, "2025-2026", y.String())
	assert.Equal(t, date(2025, 9, 1), y.First())
	assert.Equal(t, date(2026, 8, 31), y.Last())
	for d, want := range map[time.Time]bool{date(2025, 8, 31): false, date(2025, 9, 1): true, date(2026, 8, 31): true,
		date(2026, 8, 31).Add(23 * time.Hour): true, date(2026, 9, 1): false} {
		assert.Equal(t, want, y.Contains(d), d)
	}
}

func TestReadWindows(t *testing.T) {
	got, err := review.ReadWindows("w.csv", strings.NewReader("URN,From,To\n100,2025-11-03,2025-11-28\n200,02/03/2026,\n300,,1/5/2026\n"),
		2025, inputSchools)
	require.NoError(t, err)
	want := map[partnership.URN]review.Window{
		100: {From: date(2025, 11, 3), To: date(2025, 11, 28)},
		200: {From: date(2026, 3, 2)},
		300: {To: date(2026, 5, 1)},
	}
	assert.Empty(t, cmp.Diff(want, got))
}

// Every problem of a windows file, each with its file, line, column and
// field, in one pass.
func TestReadWindowsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"missing column", "urn,from\n100,2025-11-03\n", "w.csv:1: to: missing column"},
		{"unknown column", "urn,from,to,colour\n", "w.csv:1:4: colour: unknown column (want urn, from, to)"},
		{"rows", "urn,from,to\n" +
			"100,2025-11-03,2025-11-28\n" +
			"100,2025-12-01,2025-12-05\n" + // duplicate
			"999,2025-12-01,2025-12-05\n" + // unknown school
			"x,2025-12-01,2025-12-05\n" + // not a URN
			"200,2025-11-31,31/02/2026\n" + // no such days
			"300,2026-01-10,2026-01-09\n" + // backwards
			",,\n" + // nothing
			"200,2025-08-29,2026-09-01\n" + // outside the year
			"300,05/01/26,\n", // two-digit year
			`w.csv:3:1: urn: school 100 already on line 2
w.csv:4:1: urn: school 999 is not among the 3 schools reviewed
w.csv:5:1: urn: URN "x" is not a whole positive number
w.csv:6:2: from: "2025-11-31" is not a date (yyyy-mm-dd or dd/mm/yyyy)
w.csv:6:3: to: "31/02/2026" is not a date (yyyy-mm-dd or dd/mm/yyyy)
w.csv:7:3: to: the window ends (2026-01-09) before it starts (2026-01-10)
w.csv:8:1: urn: missing
w.csv:8:2: from: a window needs from, to or both
w.csv:9:1: urn: school 200 already on line 6
w.csv:9:2: from: 2025-08-29 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)
w.csv:9:3: to: 2026-09-01 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)
w.csv:10:1: urn: school 300 already on line 7
w.csv:10:2: from: "05/01/26" is not a date (yyyy-mm-dd or dd/mm/yyyy)`},
		{"short row", "urn,from,to\n100\n", "w.csv:2:2: from: a window needs from, to or both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := review.ReadWindows("w.csv", strings.NewReader(tc.src), 2025, inputSchools)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, review.ErrInvalid)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestReadAbsences(t *testing.T) {
	got, err := review.ReadAbsences("a.csv", strings.NewReader("reviewer,from,to,reason\n"+
		"h100,2025-11-03,2025-11-07,training\next,20/08/2025,05/09/2025,\nh100,2026-08-31,2026-09-04,leave\n"), 2025, inputReviewers)
	require.NoError(t, err)
	want := []review.Absence{
		{Reviewer: "h100", From: date(2025, 11, 3), To: date(2025, 11, 7), Reason: "training"},
		{Reviewer: "ext", From: date(2025, 8, 20), To: date(2025, 9, 5)},
		{Reviewer: "h100", From: date(2026, 8, 31), To: date(2026, 9, 4), Reason: "leave"},
	}
	assert.Empty(t, cmp.Diff(want, got))

	got, err = review.ReadAbsences("a.csv", strings.NewReader("to,from,reviewer\n"), 2025, inputReviewers)
	require.NoError(t, err, "reason is optional, columns in any order")
	assert.Empty(t, got)
}

func TestReadAbsencesErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"missing columns", "reviewer,reason\n", "a.csv:1: from: missing column\na.csv:1: to: missing column"},
		{"rows", "reviewer,from,to,reason\n" +
			"nobody,2025-11-03,2025-11-07,\n" + // unknown reviewer
			",2025-11-03,2025-11-07,\n" + // blank reviewer
			"h100,2025-11-07,2025-11-03,\n" + // backwards
			"h100,2024-11-03,2024-11-07,\n" + // last year
			"ext,,3/11/2025,\n" + // no start
			"ext,2025-11-03,soon,\n", // not a date
			`a.csv:2:1: reviewer: reviewer nobody is not among the 2 reviewers
a.csv:3:1: reviewer: missing
a.csv:4:3: to: the absence ends (2025-11-03) before it starts (2025-11-07)
a.csv:5:2: from: the absence (2024-11-03 to 2024-11-07) lies wholly outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)
a.csv:6:2: from: missing
a.csv:7:3: to: "soon" is not a date (yyyy-mm-dd or dd/mm/yyyy)`},
		{"too many fields", "reviewer,from,to\next,2025-11-03,2025-11-07,x\n", "a.csv:2: wrong number of fields: the row has 4, the header 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := review.ReadAbsences("a.csv", strings.NewReader(tc.src), 2025, inputReviewers)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, review.ErrInvalid)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// Term dates for another academic year are refused at their position, and
// English dd/mm/yyyy dates are read.
func TestReadTermDatesIn(t *testing.T) {
	got, err := review.ReadTermDatesIn("t.csv", strings.NewReader("la,term,start,end,half_term_start,half_term_end\n"+
		"383,autumn,03/09/2025,19/12/2025,27/10/2025,31/10/2025\n"), 2025)
	require.NoError(t, err)
	assert.Equal(t, map[int][]review.Term{383: {{Name: "autumn", Start: date(2025, 9, 3), End: date(2025, 12, 19),
		HalfTermStart: date(2025, 10, 27), HalfTermEnd: date(2025, 10, 31)}}}, got)
	_, err = review.ReadTermDatesIn("t.csv", strings.NewReader("la,term,start,end\n383,autumn,2024-09-04,2024-12-20\n383,summer,2026-04-20,2026-09-02\n"), 2025)
	require.Error(t, err)
	assert.Equal(t, `t.csv:2:3: start: 2024-09-04 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)
t.csv:2:4: end: 2024-12-20 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)
t.csv:3:4: end: 2026-09-02 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)`, err.Error())
	_, err = review.ReadTermDates("t.csv", strings.NewReader("la,term,start,end\n383,autumn,2024-09-04,2024-12-20\n"))
	assert.NoError(t, err, "ReadTermDates takes any year")
}

func FuzzReadWindows(f *testing.F) {
	f.Add("urn,from,to\n100,2025-11-03,2025-11-28\n200,02/03/2026,\n300,,1/5/2026\n")
	f.Add("urn,from,to\n100,2025-11-03,2025-11-28\n100,2025-12-01,2025-12-05\n999,x,\n")
	f.Add("\ufeffURN;From;To\r\n100;03/11/2025;28/11/2025\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		got, err := review.ReadWindows("f.csv", strings.NewReader(src), 2025, inputSchools)
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			require.Nil(t, got)
			return
		}
		y := review.AcademicYear(2025)
		for u, w := range got {
			require.Contains(t, []partnership.URN{100, 200, 300}, u)
			require.False(t, w.From.IsZero() && w.To.IsZero())
			require.True(t, w.From.IsZero() || y.Contains(w.From))
			require.True(t, w.To.IsZero() || y.Contains(w.To))
			require.True(t, w.From.IsZero() || w.To.IsZero() || !w.To.Before(w.From))
		}
	})
}

func FuzzReadAbsences(f *testing.F) {
	f.Add("reviewer,from,to,reason\nh100,2025-11-03,2025-11-07,training\next,20/08/2025,05/09/2025,\n")
	f.Add("reviewer,from,to\nnobody,2025-11-07,2025-11-03\n")
	f.Add("to,reviewer,from\n\"2025-11-07\",\"ext\",\"2025-11-03\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		got, err := review.ReadAbsences("f.csv", strings.NewReader(src), 2025, inputReviewers)
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			require.Nil(t, got)
			return
		}
		y := review.AcademicYear(2025)
		for _, a := range got {
			require.Contains(t, []review.ReviewerID{"h100", "ext"}, a.Reviewer)
			require.False(t, a.To.Before(a.From))
			require.False(t, a.To.Before(y.First()) || a.From.After(y.Last()))
		}
	})
}
