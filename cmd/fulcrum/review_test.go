package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/review"
)

func runReviewCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errb}, append([]string{"review"}, args...))
	return out.String(), errb.String(), code
}

func writeReviewFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

const schoolsCSV = `urn,name,phase,trust,la,lat,lon,focus
100,Alpha Primary,primary,trust:a,383,53.80,-1.55,maths
200,Beta Primary,primary,trust:b,383,53.82,-1.50,
300,Gamma Primary,primary,,383,53.78,-1.60,send
400,Delta Primary,primary,trust:a,383,53.85,-1.52,
`

const reviewersCSV = `id,capacity,home,trust,phases,trained_lead,lat,lon,expertise,reviews
h100,2,100,trust:a,primary,true,53.80,-1.55,maths,4
h200,2,200,trust:b,primary,true,53.82,-1.50,send,4
h300,2,300,,primary,true,53.78,-1.60,,4
h400,2,400,trust:a,primary,true,53.85,-1.52,maths,4
s100,2,100,trust:a,primary,false,53.80,-1.55,,0
s200,2,200,trust:b,primary,false,53.82,-1.50,send,3
ext,2,,,primary,true,53.70,-1.40,maths;send,9
`

func TestReviewAllocateFiles(t *testing.T) {
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	reviewers := writeReviewFile(t, "reviewers.csv", reviewersCSV)
	rules := writeReviewFile(t, "rules.yaml", "peers: 1\nmin_experienced_peers: 0\nrepeat_within: 0\nmax_per_school: 0\n")
	out, stderr, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		SyntheticReviewers bool `json:"synthetic_reviewers"`
		Allocation         struct {
			Teams []struct {
				School  int `json:"school"`
				Members []struct {
					Reviewer string `json:"reviewer"`
					Lead     bool   `json:"lead"`
				} `json:"members"`
			} `json:"teams"`
			TotalTravelKm float64 `json:"total_travel_km"`
			Unfilled      int     `json:"unfilled"`
			Optimal       bool    `json:"optimal"`
		} `json:"allocation"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.False(t, got.SyntheticReviewers)
	require.Len(t, got.Allocation.Teams, 4)
	assert.Zero(t, got.Allocation.Unfilled)
	assert.True(t, got.Allocation.Optimal)
	assert.Greater(t, got.Allocation.TotalTravelKm, 0.0)
	for _, tm := range got.Allocation.Teams {
		require.Len(t, tm.Members, 2)
		assert.True(t, tm.Members[0].Lead)
	}
	assert.Contains(t, stderr, "8 of 8 places filled")

	csvOut, _, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "csv")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(csvOut, "school,role,reviewer,home,travel_km,focus_fit,new,synthetic\n"))
	assert.Equal(t, 9, strings.Count(csvOut, "\n"))
	again, _, _ := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "csv")
	assert.Equal(t, csvOut, again, "the same input gives the same teams")
}

func TestReviewAllocateExplainsShortfall(t *testing.T) {
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	reviewers := writeReviewFile(t, "reviewers.csv", "id,capacity,home,phases,trained_lead,lat,lon\nonly,1,100,secondary,true,53.8,-1.5\n")
	_, stderr, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--format", "csv")
	require.Equal(t, 0, code)
	assert.Contains(t, stderr, "fulcrum review allocate: shortfall: 100 needs 1 for the lead's place but only 0 reviewers are eligible")
	assert.Contains(t, stderr, "own-school removes 1")
	assert.Contains(t, stderr, "phase removes 1")
}

func TestReviewAllocateEmbeddedSynthetic(t *testing.T) {
	out, stderr, code := runReviewCmd(t, "allocate", "--la", "383", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		Schools            string `json:"schools"`
		Reviewers          string `json:"reviewers"`
		SyntheticReviewers bool   `json:"synthetic_reviewers"`
		Allocation         struct {
			Teams  []json.RawMessage `json:"teams"`
			Places int               `json:"places"`
		} `json:"allocation"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.True(t, got.SyntheticReviewers)
	assert.Contains(t, got.Reviewers, "synthetic")
	assert.Greater(t, len(got.Allocation.Teams), 200, "the schools of Leeds")
	assert.Contains(t, stderr, "(synthetic)")
}

func TestReviewInputErrorsNameFileLineField(t *testing.T) {
	bad := writeReviewFile(t, "schools.csv", "urn,phase,lat,lon,colour\n100,primary,53.8,-1.5,red\nx,primary,53.8,-1.5,\n100,planet,95,-1.5,\n")
	_, stderr, code := runReviewCmd(t, "allocate", "--schools", bad)
	assert.Equal(t, 1, code)
	for _, want := range []string{
		bad + ":1:5: colour: unknown column",
		bad + `:3:1: urn: URN "x" is not a whole positive number`,
		bad + `:4:2: phase: unknown phase "planet"`,
		bad + ":4:3: lat: 95,-1.5 is not a location",
		bad + ":4:1: urn: school 100 already on line 2",
	} {
		assert.Contains(t, stderr, want)
	}
	rules := writeReviewFile(t, "rules.yaml", "peers: lots\nphase: strictest\nweights: {travel: -1}\n")
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	_, stderr, code = runReviewCmd(t, "allocate", "--schools", schools, "--rules", rules)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, rules+`:1:8: peers: want a whole number, got "lots"`)
	assert.Contains(t, stderr, rules+`:2:8: phase: unknown phase rule "strictest"`)
	_, stderr, code = runReviewCmd(t, "allocate", "--format", "xml")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "want json, csv or table")
}

func TestReviewClusters(t *testing.T) {
	out, stderr, code := runReviewCmd(t, "clusters", "--la", "383", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, "cluster,school,span_km\n"))
	assert.Contains(t, stderr, "clusters")
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	out, stderr, code = runReviewCmd(t, "clusters", "--schools", schools, "--exclude-same-trust=false", "--size", "4", "--max-km", "0")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"schools": [`)
	assert.Contains(t, stderr, "1 clusters, 0 unclustered")
}

func TestReviewSchedule(t *testing.T) {
	out, stderr, code := runReviewCmd(t, "schedule", "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, "date,term,director,school,kind,seq\n"))
	assert.Contains(t, out, "monitoring visit")
	offer := writeReviewFile(t, "offer.yaml", `trust: trust:a
items:
  - {kind: monitoring visit, phases: [primary], per_year: 3, director: doe}
directors:
  - {id: doe, per_day: 1, per_week: 2}
`)
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	out, stderr, code = runReviewCmd(t, "schedule", "--schools", schools, "--offer", offer, "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, 1+6, strings.Count(out, "\n"), "two primaries of trust:a, three visits each")
	badOffer := writeReviewFile(t, "offer.yaml", "items:\n  - {kind: x, per_year: three}\n")
	_, stderr, code = runReviewCmd(t, "schedule", "--schools", schools, "--offer", badOffer)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, badOffer+`:2:25: per_year: want a whole number, got "three"`)
}

// TestReviewAllocateWritesWhatItUsed: a run on synthetic reviewers writes
// its reviewers and schools, and a second run from those files gives the
// same teams.
func TestReviewAllocateWritesWhatItUsed(t *testing.T) {
	dir := t.TempDir()
	revs, schools := filepath.Join(dir, "reviewers.csv"), filepath.Join(dir, "schools.csv")
	first, stderr, code := runReviewCmd(t, "allocate", "--la", "383", "--format", "csv", "--write-reviewers", revs, "--write-schools", schools)
	require.Equal(t, 0, code, stderr)
	again, stderr, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", revs, "--format", "csv")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, first, again)
}

// TestReviewAllocateVisits schedules the visits of an allocation in a year
// and never on a bank holiday.
func TestReviewAllocateVisits(t *testing.T) {
	schools := writeReviewFile(t, "schools.csv", schoolsCSV)
	reviewers := writeReviewFile(t, "reviewers.csv", reviewersCSV)
	rules := writeReviewFile(t, "rules.yaml", "peers: 1\nmin_experienced_peers: 0\nrepeat_within: 0\nmax_per_school: 0\n")
	out, stderr, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "json",
		"--visit-year", "2025", "--visit-days", "3", "--travel-days", "1")
	require.Equal(t, 0, code, stderr)
	var got struct {
		Visits struct {
			Visits []struct {
				School int      `json:"school"`
				Days   []string `json:"days"`
			} `json:"visits"`
		} `json:"visits"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Visits.Visits, 4)
	for _, v := range got.Visits.Visits {
		require.Len(t, v.Days, 3)
	}
	assert.Contains(t, stderr, "4 visits scheduled in 2025-2026, 0 unscheduled")
	_, stderr, code = runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--visit-year", "2031")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, "bank holidays known")
}

// Open state-funded schools with no location cannot be reviewed; they are
// counted and named, on stderr and in the JSON, never left out unsaid.
func TestReviewAllocateNamesSchoolsWithoutLocation(t *testing.T) {
	raw := englandRawDir(t)
	if raw == "" {
		t.Skip("../shared/data/raw is absent")
	}
	out, errs, code := runReviewCmd(t, "allocate", "--data", raw, "--la", "330", "--format", "json")
	require.Equal(t, 0, code, errs)
	assert.Regexp(t, `fulcrum review allocate: \d+ open state-funded school\(s\) left out: no location: \d+`, errs)
	var got struct {
		LeftOut []int `json:"left_out_no_location"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.NotEmpty(t, got.LeftOut)
}

// A place whose distance is unknown (the school has no location) is
// travel_km null in the JSON and blank in the CSV, beside travel_unknown,
// never 0.
func TestReviewAllocateUnknownTravelIsNull(t *testing.T) {
	schools := writeReviewFile(t, "schools.csv", strings.Replace(schoolsCSV, "300,Gamma Primary,primary,,383,53.78,-1.60,send", "300,Gamma Primary,primary,,383,,,send", 1))
	reviewers := writeReviewFile(t, "reviewers.csv", reviewersCSV)
	rules := writeReviewFile(t, "rules.yaml", "peers: 1\nmin_experienced_peers: 0\nrepeat_within: 0\nmax_per_school: 0\n")
	out, stderr, code := runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got struct {
		Allocation struct {
			Teams []struct {
				School  int `json:"school"`
				Members []map[string]any
			} `json:"teams"`
		} `json:"allocation"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	seen := 0
	for _, tm := range got.Allocation.Teams {
		for _, m := range tm.Members {
			km, has := m["travel_km"]
			require.True(t, has, "travel_km is always written")
			if tm.School == 300 {
				seen++
				assert.Nil(t, km, "unknown distance is null")
				assert.Equal(t, true, m["travel_unknown"])
			} else {
				assert.IsType(t, float64(0), km)
			}
		}
	}
	require.Positive(t, seen)
	out, stderr, code = runReviewCmd(t, "allocate", "--schools", schools, "--reviewers", reviewers, "--rules", rules, "--format", "csv")
	require.Equal(t, 0, code, stderr)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Split(line, ",")
		if f[0] == "300" {
			assert.Empty(t, f[4], "travel_km blank when unknown: %s", line)
		} else {
			assert.NotEmpty(t, f[4], line)
		}
	}
}

// visitRun is the part of "review allocate --visit-year --format json"
// the visit tests read.
type visitRun struct {
	Allocation struct {
		Teams []struct {
			School  int `json:"school"`
			Members []struct {
				Reviewer string `json:"reviewer"`
				Lead     bool   `json:"lead"`
			} `json:"members"`
		} `json:"teams"`
	} `json:"allocation"`
	Visits struct {
		Visits []struct {
			School    int      `json:"school"`
			Days      []string `json:"days"`
			Reviewers []string `json:"reviewers"`
		} `json:"visits"`
		Unscheduled []struct {
			School int    `json:"school"`
			Reason string `json:"reason"`
		} `json:"unscheduled"`
	} `json:"visits"`
	VisitCalendar struct {
		BankHolidays string `json:"bank_holidays"`
		TermDates    string `json:"term_dates"`
		DefaultTerms []int  `json:"default_terms"`
		Windows      map[string]struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"windows"`
		Absences []struct {
			Reviewer string `json:"reviewer"`
			Reason   string `json:"reason"`
		} `json:"absences"`
	} `json:"visit_calendar"`
}

// days returns the dates (yyyy-mm-dd) of school u's visit, nil when it
// has none.
func (r *visitRun) days(u int) []string {
	for _, v := range r.Visits.Visits {
		if v.School == u {
			var out []string
			for _, d := range v.Days {
				out = append(out, d[:10])
			}
			return out
		}
	}
	return nil
}

const visitData = "testdata/review-visits/"

// runVisits runs "review allocate" on the schools, reviewers and rules of
// testdata/review-visits with --visit-year 2025 and args.
func runVisits(t *testing.T, args ...string) (*visitRun, string) {
	t.Helper()
	out, stderr, code := runReviewCmd(t, append([]string{"allocate", "--schools", visitData + "schools.csv", "--reviewers", visitData + "reviewers.csv",
		"--rules", visitData + "rules.yaml", "--format", "json", "--visit-year", "2025"}, args...)...)
	require.Equal(t, 0, code, stderr)
	var got visitRun
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	return &got, stderr
}

func within(d, from, to string) bool { return d >= from && d <= to }

// A school's window is honoured, and a window over the 4 May 2026 bank
// holiday gets no visit that day; the CSV gives each member's visit.
func TestReviewAllocateVisitWindows(t *testing.T) {
	got, stderr := runVisits(t, "--visit-days", "3", "--visit-windows", visitData+"windows.csv")
	assert.Contains(t, stderr, "4 visits scheduled in 2025-2026, 0 unscheduled")
	d100, d200 := got.days(100), got.days(200)
	require.Len(t, d100, 3)
	require.Len(t, d200, 3)
	for _, d := range d100 {
		assert.True(t, within(d, "2026-05-05", "2026-05-08"), "100's window is 4 to 8 May 2026 and 4 May is a bank holiday: %v", d100)
	}
	for _, d := range d200 {
		assert.True(t, within(d, "2026-03-02", "2026-03-13"), "200's window is 2 to 13 March 2026: %v", d200)
	}
	assert.Equal(t, "2026-05-04T00:00:00Z", got.VisitCalendar.Windows["100"].From)
	unwindowed, _ := runVisits(t, "--visit-days", "3")
	assert.True(t, within(unwindowed.days(100)[0], "2025-09-01", "2025-09-30"), "without a window, the first weeks of autumn")

	out, stderr, code := runReviewCmd(t, "allocate", "--schools", visitData+"schools.csv", "--reviewers", visitData+"reviewers.csv",
		"--rules", visitData+"rules.yaml", "--format", "csv", "--visit-year", "2025", "--visit-days", "3", "--visit-windows", visitData+"windows.csv")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, "school,role,reviewer,home,travel_km,focus_fit,new,synthetic,visit_start,visit_end", lines[0])
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[0] == "100" {
			assert.Equal(t, []string{d100[0], d100[2]}, f[8:], l)
		}
	}
}

// An absence keeps the reviewer off those days; a reviewer absent all year
// leaves their teams' visits unscheduled, with the reason, on stderr and
// in the JSON, and the CSV's visit columns blank.
func TestReviewAllocateReviewerAbsences(t *testing.T) {
	base, _ := runVisits(t)
	require.NotEmpty(t, base.Allocation.Teams)
	first, last := base.Allocation.Teams[0], base.Allocation.Teams[len(base.Allocation.Teams)-1]
	lead, away := first.Members[0].Reviewer, last.Members[len(last.Members)-1].Reviewer
	require.True(t, within(base.days(first.School)[0], "2025-09-01", "2025-12-19"), "the lead's first visit is in autumn without the absence")
	abs := writeReviewFile(t, "absences.csv", "reviewer,from,to,reason\n"+lead+",01/09/2025,19/12/2025,secondment\n"+away+",2025-09-01,2026-08-31,sabbatical\n")

	got, stderr := runVisits(t, "--reviewer-absences", abs)
	unscheduled := map[int]string{}
	for _, u := range got.Visits.Unscheduled {
		unscheduled[u.School] = u.Reason
	}
	for _, tm := range got.Allocation.Teams {
		var ids []string
		for _, m := range tm.Members {
			ids = append(ids, m.Reviewer)
		}
		switch {
		case slices.Contains(ids, away):
			assert.Contains(t, unscheduled[tm.School], away+" is absent on", "team of %d", tm.School)
			assert.Nil(t, got.days(tm.School))
		case slices.Contains(ids, lead):
			for _, d := range got.days(tm.School) {
				assert.False(t, within(d, "2025-09-01", "2025-12-19"), "%s is absent in autumn: %d visited %s", lead, tm.School, d)
			}
		}
	}
	require.Contains(t, unscheduled, last.School)
	assert.Contains(t, stderr, "unscheduled")
	assert.Equal(t, "secondment", got.VisitCalendar.Absences[0].Reason)

	out, stderr, code := runReviewCmd(t, "allocate", "--schools", visitData+"schools.csv", "--reviewers", visitData+"reviewers.csv",
		"--rules", visitData+"rules.yaml", "--format", "csv", "--visit-year", "2025", "--reviewer-absences", abs)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("fulcrum review allocate: unscheduled visit to %d: on each of the", last.School))
	assert.Contains(t, out, fmt.Sprintf("\n%d,lead,", last.School))
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if strings.HasPrefix(l, fmt.Sprint(last.School)+",") {
			assert.True(t, strings.HasSuffix(l, ",,"), "an unscheduled visit has blank visit columns: %s", l)
		}
	}
}

// A term-dates file gives each school its authority's terms; a school of
// an authority the file lacks keeps the default terms, and that is said.
func TestReviewAllocateTermDates(t *testing.T) {
	got, stderr := runVisits(t, "--term-dates", visitData+"terms-383.csv")
	for _, u := range []int{100, 200, 300} {
		d := got.days(u)
		require.NotEmpty(t, d, "school %d", u)
		assert.True(t, within(d[0], "2026-06-01", "2026-07-17") && within(d[len(d)-1], "2026-06-01", "2026-07-17"), "school %d of 383 in its summer term: %v", u, d)
	}
	d400 := got.days(400)
	require.NotEmpty(t, d400)
	assert.Less(t, d400[0], "2026-06-01", "400 is in authority 380, on the default terms")
	assert.Equal(t, []int{400}, got.VisitCalendar.DefaultTerms)
	assert.Contains(t, got.VisitCalendar.TermDates, "terms-383.csv: 1 local authorities")
	assert.Contains(t, stderr, "--term-dates "+visitData+"terms-383.csv: 1 of 4 schools, of 1 local authorities not in the file (380), follow typical English terms (review.EnglishTerms)")
}

// A bank-holidays file replaces the embedded one: its one-off holiday (3
// September 2025 in the test file) gets no visit; a file that does not
// cover the year is refused.
func TestReviewAllocateBankHolidaysFile(t *testing.T) {
	embedded, _ := runVisits(t)
	starts := map[string]bool{}
	for _, v := range embedded.Visits.Visits {
		starts[v.Days[0][:10]] = true
	}
	require.True(t, starts["2025-09-03"], "without the file, visits start on the first day of term")
	got, _ := runVisits(t, "--bank-holidays", visitData+"bank-holidays-2025-2026.json")
	require.Len(t, got.Visits.Visits, 4)
	for _, v := range got.Visits.Visits {
		for _, d := range v.Days {
			assert.NotEqual(t, "2025-09-03", d[:10], "school %d visited on the file's bank holiday", v.School)
		}
	}
	assert.Contains(t, got.VisitCalendar.BankHolidays, "bank-holidays-2025-2026.json: England and Wales, 2025 to 2026")

	_, stderr, code := runReviewCmd(t, "allocate", "--schools", visitData+"schools.csv", "--reviewers", visitData+"reviewers.csv",
		"--visit-year", "2025", "--bank-holidays", visitData+"bank-holidays-2025.json")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "reaches beyond the bank holidays known (2025 to 2025)")
}

// On the embedded data (the schools of North East Lincolnshire, synthetic
// reviewers), a term-dates file for the authority keeps every visit in its
// spring term, outside its half term and off bank holidays.
func TestReviewAllocateVisitsEmbedded(t *testing.T) {
	out, stderr, code := runReviewCmd(t, "allocate", "--la", "812", "--format", "json", "--visit-year", "2025", "--term-dates", visitData+"terms-812.csv")
	require.Equal(t, 0, code, stderr)
	var got visitRun
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Greater(t, len(got.Visits.Visits), 20)
	assert.Empty(t, got.VisitCalendar.DefaultTerms)
	hol := review.BankHolidays()
	for _, v := range got.Visits.Visits {
		for _, d := range v.Days {
			day, err := time.Parse(time.DateOnly, d[:10])
			require.NoError(t, err)
			assert.True(t, within(d[:10], "2026-01-06", "2026-03-27") && !within(d[:10], "2026-02-16", "2026-02-20"), "school %d on %s", v.School, d)
			_, isHol := hol.Holiday(day)
			assert.False(t, isHol)
		}
	}
}

// Each visit flag without --visit-year is a usage error naming both.
func TestReviewAllocateVisitFlagsNeedYear(t *testing.T) {
	for _, flag := range []string{"visit-windows", "reviewer-absences", "term-dates", "bank-holidays", "visit-days", "travel-days"} {
		t.Run(flag, func(t *testing.T) {
			val := "x.csv"
			if strings.HasSuffix(flag, "days") {
				val = "3"
			}
			_, stderr, code := runReviewCmd(t, "allocate", "--schools", visitData+"schools.csv", "--"+flag, val)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, "fulcrum review allocate: usage: --"+flag+" needs --visit-year")
		})
	}
}

// Mistakes in the visit files are reported with file, line, column and
// field, before any allocation.
func TestReviewAllocateVisitFileErrors(t *testing.T) {
	windows := writeReviewFile(t, "windows.csv", "urn,from,to\n999,2025-10-01,2025-10-10\n100,2025-10-10,01/10/2025\n")
	absences := writeReviewFile(t, "absences.csv", "reviewer,from,to,reason\nnobody,2025-10-01,2025-10-10,\n")
	terms := writeReviewFile(t, "terms.csv", "la,term,start,end\n383,autumn,2024-09-04,2024-12-20\n")
	holidays := writeReviewFile(t, "bh.json", `{"england-and-wales": {"events": [{"title": "x", "date": "3 May"}]}}`)
	for _, tc := range []struct {
		flag, file string
		want       []string
	}{
		{"--visit-windows", windows, []string{windows + ":2:1: urn: school 999 is not among the 4 schools reviewed",
			windows + ":3:3: to: the window ends (2025-10-01) before it starts (2025-10-10)"}},
		{"--reviewer-absences", absences, []string{absences + ":2:1: reviewer: reviewer nobody is not among the 7 reviewers"}},
		{"--term-dates", terms, []string{terms + ":2:3: start: 2024-09-04 is outside the academic year 2025-2026 (2025-09-01 to 2026-08-31)"}},
		{"--bank-holidays", holidays, []string{holidays + `: invalid: england-and-wales event 1 ("x"): date "3 May" is not YYYY-MM-DD`}},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			out, stderr, code := runReviewCmd(t, "allocate", "--schools", visitData+"schools.csv", "--reviewers", visitData+"reviewers.csv",
				"--visit-year", "2025", tc.flag, tc.file)
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.NotContains(t, stderr, "places filled", "refused before the allocation")
		})
	}
}
