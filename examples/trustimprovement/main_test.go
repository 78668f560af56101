package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func TestTrustImprovementCycle(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	assert.Contains(t, got, "2243 schools assessed")
	// Each level's response withdraws more delegated powers than the last.
	assert.Regexp(t, `universal\s+\d+\s+review termly\s+withdraws: nothing`, got)
	assert.Regexp(t, `ieb\s+\d+\s+review fortnightly\s+withdraws: curriculum, staffing, local_financial_controls, lgb_powers`, got)
	assert.Contains(t, got, "Move to an interim executive board (IEB)")
	assert.Regexp(t, `Brokerage \(synthetic needs and offers on real schools\): \d+ of \d+ needs met`, got)
	assert.Contains(t, got, "Where the region lacks capacity")
	// The core offer is scheduled across the three terms; what does not fit
	// is listed with the reason.
	assert.Regexp(t, `Quality-assurance core offer 2025-26 for .+ \(\d+ schools\): [1-9]\d* visits scheduled, \d+ unscheduled`, got)
	assert.Regexp(t, `\n  spring\s+[1-9]\d* visits\n`, got)
	assert.Regexp(t, `unscheduled: .* is at capacity`, got)
	// Tiers of the scheme of delegation by judgement, adjusted at risk.
	assert.Regexp(t, `Scheme of delegation by judgement \((\d+) schools\):\n  high autonomy\s+[1-9]\d* schools\n  autonomy with trust support\s+\d+ schools\n  adjusted: at risk\s+[1-9]\d* schools`, got)
	assert.Regexp(t, `power withdrawn at risk: staffing\s+[1-9]`, got)
	// Score cards drive a personalised offer brokered by each director.
	assert.Regexp(t, `Director of Primary Education: [1-9]\d* schools with a red area, [1-9]\d* red areas, [1-9]\d* brokered within the trust, \d+ to seek beyond it`, got)
	assert.Regexp(t, `Director of Secondary Education: [1-9]\d* schools with a red area`, got)
	assert.Regexp(t, `e\.g\. URN \d+, red in [a-z, ]+: [a-z]+ from URN \d+`, got)
	// A year of monthly recovery-plan reports: eleven months, every school
	// at risk in September, some out of the category by July once their
	// plans were on track for two reports, those at risk for their
	// inspection judgements still in it, and one school's year in order.
	assert.Regexp(t, `Monthly reports to the CEO on the recovery plans of the (\d+) schools at risk`, got)
	assert.Regexp(t, `\n  Sep 2025\s+(\d+)\s+0\s+0\n`, got)
	assert.Regexp(t, `\n  Jul 2026\s+\d+\s+[1-9]\d*\s+[1-9]\d*\n`, got)
	assert.Regexp(t, `still at risk in July: inadequate\s+[1-9]\d* schools`, got)
	assert.Regexp(t, `e\.g\. URN \d+, month by month: Sep at_risk, Oct [a-z_]+, .*, Jul (universal|focus)\n`, got)
	m := regexp.MustCompile(`recovery plans of the (\d+) schools at risk[^\n]*\n[^\n]*\n  Sep 2025\s+(\d+)`).FindStringSubmatch(got)
	require.Len(t, m, 3)
	assert.Equal(t, m[1], m[2], "every school followed is at risk in September")
}

// The latest inspection decides a school's tier and whether it supports
// others, read by Concern even when it gave no overall grade: a report card
// with an area needing urgent improvement, or safeguarding not met, is not
// good (nor "improving" on an older outstanding or good grade); a report
// card at the expected standard is good; key judgements requiring
// improvement after an inadequate grade are improving.
func TestLatestInspectionDecides(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	card := func(g partnership.Grade) []partnership.AreaGrade {
		return []partnership.AreaGrade{{Area: partnership.AreaCurriculumAndTeaching, Grade: g},
			{Area: partnership.AreaLeadershipAndGovernance, Grade: partnership.GradeExpectedStandard}}
	}
	m, err := partnership.NewModel(partnership.Dataset{
		Schools: []partnership.School{{URN: 140001, Name: "Urgent now"}, {URN: 140002, Name: "Unsafe now"},
			{URN: 140003, Name: "Expected now"}, {URN: 140004, Name: "Improving"}},
		Inspections: []partnership.Inspection{
			{URN: 140001, Date: day(2019), Overall: partnership.RatingOutstanding},
			{URN: 140001, Date: day(2026), Areas: card(partnership.GradeUrgentImprovement), Safeguarding: partnership.SafeguardingMet},
			{URN: 140002, Date: day(2019), Overall: partnership.RatingGood},
			{URN: 140002, Date: day(2026), Areas: card(partnership.GradeExpectedStandard), Safeguarding: partnership.SafeguardingNotMet},
			{URN: 140003, Date: day(2019), Overall: partnership.RatingRequiresImprovement},
			{URN: 140003, Date: day(2026), Areas: card(partnership.GradeExpectedStandard), Safeguarding: partnership.SafeguardingMet},
			{URN: 140004, Date: day(2019), Overall: partnership.RatingInadequate},
			{URN: 140004, Date: day(2025), Judgements: []partnership.KeyJudgement{
				{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingRequiresImprovement}}},
		},
	})
	require.NoError(t, err)
	for _, c := range []struct {
		urn        partnership.URN
		high, good bool
	}{{140001, false, false}, {140002, false, false}, {140003, true, true}, {140004, true, false}} {
		assert.Equal(t, c.high, highAutonomy(m.Inspections(c.urn)), "high autonomy, URN %d", c.urn)
		assert.Equal(t, c.good, goodOrBetter(m, c.urn), "good or better, URN %d", c.urn)
	}
}
