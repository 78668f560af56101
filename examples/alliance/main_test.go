package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func TestAlliance(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	// 50+ schools of mixed governance, an independent special school among them.
	assert.Regexp(t, `alliance \(illustrative, on real schools\): [5-9]\d schools, (\d{2,}|[3-9]) trusts`, got)
	for _, g := range []string{"la-maintained", "academy-converter", "academy-sponsor-led", "independent-special"} {
		assert.Regexp(t, `\n  `+g+`\s+[1-9]\d*\n`, got)
	}
	assert.Contains(t, got, "steering group: head of")
	assert.Regexp(t, `community of practice Early reading\s+[1-9]\d* schools`, got)
	// Every school is reviewed and reviews, giving what it receives.
	assert.Contains(t, got, "Peer review 2025-26: 59 teams, places filled 177 of 177")
	assert.Contains(t, got, "Reciprocity: 59 of 59 schools reviewed, 59 gave reviewers")
	rows := regexp.MustCompile(`(?m)^  .{47} +(\d+) / (\d+) +`).FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 59)
	for _, r := range rows {
		assert.Equal(t, r[1], r[2], "days given and received")
	}
	// Validated excellence becomes offers; support is brokered, the rest explained.
	assert.Regexp(t, `Brokerage within the alliance: [1-9]\d* offers from validated areas of excellence, 59 needs, [1-9]\d* met`, got)
	assert.Regexp(t, `unmet \d+/[a-z-]+: all \d+ candidate offers are full`, got)
	assert.False(t, strings.Contains(got, "km km"))
}

// A review's estimate follows the latest inspection, read by Concern when
// it gave no overall grade: a report card with an area needing urgent
// improvement after an outstanding grade is working towards effective, not
// effective or leading; safeguarding not met likewise.
func TestEstimateFromLatestInspection(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	m, err := partnership.NewModel(partnership.Dataset{
		Schools: []partnership.School{{URN: 140001}, {URN: 140002}, {URN: 140003}, {URN: 140004}},
		Inspections: []partnership.Inspection{
			{URN: 140001, Date: day(2019), Overall: partnership.RatingOutstanding},
			{URN: 140001, Date: day(2026), Safeguarding: partnership.SafeguardingMet, Areas: []partnership.AreaGrade{
				{Area: partnership.AreaAchievement, Grade: partnership.GradeUrgentImprovement}}},
			{URN: 140002, Date: day(2019), Overall: partnership.RatingGood},
			{URN: 140002, Date: day(2026), Safeguarding: partnership.SafeguardingNotMet},
			{URN: 140003, Date: day(2026), Safeguarding: partnership.SafeguardingMet, Areas: []partnership.AreaGrade{
				{Area: partnership.AreaAchievement, Grade: partnership.GradeStrongStandard}}},
			{URN: 140004, Date: day(2019), Overall: partnership.RatingOutstanding},
		},
	})
	require.NoError(t, err)
	for u, want := range map[partnership.URN]string{140001: "working-towards-effective", 140002: "working-towards-effective",
		140003: "effective", 140004: "leading"} {
		assert.Equal(t, want, estimate(m, u), "URN %d", u)
	}
}
