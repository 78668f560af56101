package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
