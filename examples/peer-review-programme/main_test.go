package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func TestPeerReviewProgramme(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	assert.Contains(t, got, "National-style programme: 178 schools across Yorkshire and the Humber")
	// The independent check finds no conflict of interest in the allocation.
	assert.Contains(t, got, "conflicts of interest found by an independent check: 0\n")
	// Every team the allocator could not complete is explained.
	assert.Regexp(t, `leads missing: (\d+)`, got)
	assert.Regexp(t, `shortfall at URN \d+: .*blocked`, got)
	assert.Regexp(t, `reports issued: 1[0-9]{2}; reviews waiting for a lead: \d+`, got)
	// Four-point estimates, and a directory of validated excellence.
	for _, g := range []string{"leading", "effective", "working-towards-effective", "ineffective"} {
		assert.Regexp(t, `\n    `+g+`\s+[1-9]\d*\n`, got)
	}
	assert.Regexp(t, `Directory of areas of excellence: \d+ nominated, [1-9]\d* validated by review teams`, got)
	assert.Regexp(t, `early-reading\s+[1-9]\d* schools, e.g. `, got)
	// The cluster variant: triads, reciprocal, no grades.
	assert.Regexp(t, `Cluster variant \(Calderdale, 99 schools\): \d+ clusters, [1-9]\d* of them triads`, got)
	assert.Contains(t, got, "99 schools reviewed, 99 gave as many reviewer days as they received, 0 grades given")
}

// Estimates centre on the latest inspection, read by Concern when it gave
// no overall grade: safeguarding not met or an area needing urgent
// improvement after a good grade is ineffective; key judgements requiring
// improvement, working towards effective.
func TestFindingsFromLatestInspection(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	// URNs ≡ 1 (mod 3): the first two estimates are the centre.
	m, err := partnership.NewModel(partnership.Dataset{
		Schools: []partnership.School{{URN: 140002}, {URN: 140005}, {URN: 140008}, {URN: 140011}},
		Inspections: []partnership.Inspection{
			{URN: 140002, Date: day(2019), Overall: partnership.RatingGood},
			{URN: 140002, Date: day(2026), Safeguarding: partnership.SafeguardingNotMet},
			{URN: 140005, Date: day(2019), Overall: partnership.RatingOutstanding},
			{URN: 140005, Date: day(2026), Safeguarding: partnership.SafeguardingMet, Areas: []partnership.AreaGrade{
				{Area: partnership.AreaInclusion, Grade: partnership.GradeUrgentImprovement}}},
			{URN: 140008, Date: day(2025), Judgements: []partnership.KeyJudgement{
				{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingRequiresImprovement}}},
			{URN: 140011, Date: day(2026), Safeguarding: partnership.SafeguardingMet, Areas: []partnership.AreaGrade{
				{Area: partnership.AreaInclusion, Grade: partnership.GradeExpectedStandard}}},
		},
	})
	require.NoError(t, err)
	for u, want := range map[partnership.URN]string{140002: "ineffective", 140005: "ineffective",
		140008: "working-towards-effective", 140011: "effective"} {
		es, _ := findings(m, u)
		require.Len(t, es, 3)
		assert.Equal(t, want, es[0].Grade, "URN %d", u)
		assert.Equal(t, want, es[1].Grade, "URN %d", u)
	}
}
