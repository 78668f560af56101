package synth_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

// The real columns are the latest inspection's standing, never an older
// graded one: ofsted_rating is blank when the latest inspection gave no
// overall judgement (ofsted_history keeps the older ones), a latest report
// card's grades and safeguarding are written as they are, and an unknown
// roll or FSM share is blank, not 0 (audit finding).
func TestWriteLatestInspection(t *testing.T) {
	d := func(y, m int) time.Time { return time.Date(y, time.Month(m), 10, 0, 0, 0, 0, time.UTC) }
	school := func(u partnership.URN, pupils int, fsm float64) partnership.School {
		s := partnership.School{URN: u, Name: "School " + u.String(), Phase: partnership.PhasePrimary,
			Governance: partnership.GovernanceLAMaintained, LA: 202}
		if pupils > 0 { // 0 stands for unknown here
			s.Pupils = partnership.Known(pupils)
		}
		if fsm >= 0 { // negative stands for unknown here
			s.FSMPercent = partnership.Known(fsm)
		}
		return s
	}
	ds := partnership.Dataset{
		Schools: []partnership.School{school(100001, 200, 20), school(100002, 300, 30), school(100003, 0, -1), school(100004, 250, 15)},
		Inspections: []partnership.Inspection{
			{URN: 100001, Date: d(2016, 3), Overall: partnership.RatingOutstanding},
			{URN: 100001, Date: d(2025, 3), Judgements: []partnership.KeyJudgement{
				{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingInadequate}}, Safeguarding: partnership.SafeguardingNotMet},
			{URN: 100002, Date: d(2018, 6), Overall: partnership.RatingGood},
			{URN: 100002, Date: d(2025, 12), Areas: []partnership.AreaGrade{
				{Area: partnership.AreaAchievement, Grade: partnership.GradeUrgentImprovement},
				{Area: partnership.AreaInclusion, Grade: partnership.GradeExpectedStandard}}, Safeguarding: partnership.SafeguardingMet},
			{URN: 100004, Date: d(2019, 1), Overall: partnership.RatingRequiresImprovement},
		},
	}
	m, err := partnership.NewModel(ds)
	require.NoError(t, err)
	var cur bytes.Buffer
	_, err = synth.Write(context.Background(), m, &cur, nil, nil)
	require.NoError(t, err)
	body := cur.String()
	body = body[strings.Index(body, "\nurn,")+1:]
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	get := func(urn, c string) string {
		for _, r := range rows[1:] {
			if r[0] == urn {
				return r[col[c]]
			}
		}
		t.Fatalf("no row for %s", urn)
		return ""
	}
	// Key judgements only: no overall rating, the older one in the history.
	require.Equal(t, "", get("100001", "ofsted_rating"))
	require.Equal(t, "outstanding", get("100001", "ofsted_history"))
	require.Equal(t, "not met", get("100001", "safeguarding"))
	// A report card: its grades, blank where it graded nothing.
	require.Equal(t, "", get("100002", "ofsted_rating"))
	require.Equal(t, "good", get("100002", "ofsted_history"))
	require.Equal(t, "urgent improvement", get("100002", "report_card.achievement"))
	require.Equal(t, "expected standard", get("100002", "report_card.inclusion"))
	require.Equal(t, "", get("100002", "report_card.leadership_and_governance"))
	require.Equal(t, "met", get("100002", "safeguarding"))
	// Unknown roll and FSM: blank.
	require.Equal(t, "", get("100003", "pupils"))
	require.Equal(t, "", get("100003", "fsm_percent"))
	require.Equal(t, "", get("100003", "ofsted_rating"))
	// A graded latest inspection: as before.
	require.Equal(t, "requires-improvement", get("100004", "ofsted_rating"))
	require.Equal(t, "250", get("100004", "pupils"))

	// The built-in policies read the file: ofsted-concern puts the school
	// with an urgent-improvement report card above its first level, and
	// la-categories (missing: skip on the judgement) passes over the
	// schools whose latest inspection gave no overall judgement rather than
	// grading them on an older one.
	for _, name := range []string{"ofsted-concern", "la-categories"} {
		p, err := riskpolicy.Builtin(name)
		require.NoError(t, err)
		data, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur.Bytes()), "", nil, nil)
		require.NoError(t, err, name)
		as, err := p.EvaluateAll(context.Background(), data.Source, nil)
		require.NoError(t, err, name)
		for _, a := range as {
			// 100003's FSM share is blank: missing, and la-categories
			// (missing: skip on low_attainment) holds it to the 50% line
			// instead of leaving it undetermined.
			require.False(t, a.IsUndetermined(), "%s: school %d: %+v", name, a.URN, a.Undetermined)
			if name == "ofsted-concern" && a.URN == 100002 {
				require.NotEqual(t, p.Levels()[0].Name, a.Level, "ofsted-concern: the urgent-improvement report card")
			}
		}
	}
}
