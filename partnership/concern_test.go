package partnership_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func TestInspectionConcern(t *testing.T) {
	P := partnership.RatingInadequate
	cases := []struct {
		name string
		in   partnership.Inspection
		want partnership.Concern
	}{
		{"nothing graded", partnership.Inspection{}, partnership.ConcernUnknown},
		{"overall good", partnership.Inspection{Overall: partnership.RatingGood}, partnership.ConcernNone},
		{"overall decides alone", partnership.Inspection{Overall: partnership.RatingOutstanding,
			Judgements: []partnership.KeyJudgement{{Area: partnership.JudgementQualityOfEducation, Rating: P}}}, partnership.ConcernNone},
		{"overall requires improvement", partnership.Inspection{Overall: partnership.RatingRequiresImprovement}, partnership.ConcernImprove},
		{"key judgements only, one inadequate", partnership.Inspection{Judgements: []partnership.KeyJudgement{
			{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingGood},
			{Area: partnership.JudgementLeadershipAndManagement, Rating: P}}}, partnership.ConcernSerious},
		{"key judgements only, one requires improvement", partnership.Inspection{Judgements: []partnership.KeyJudgement{
			{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingRequiresImprovement},
			{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingGood}}}, partnership.ConcernImprove},
		{"key judgements all good", partnership.Inspection{Judgements: []partnership.KeyJudgement{
			{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingGood}}, Safeguarding: partnership.SafeguardingMet}, partnership.ConcernNone},
		{"report card needs attention", partnership.Inspection{Areas: []partnership.AreaGrade{
			{Area: partnership.AreaInclusion, Grade: partnership.GradeStrongStandard},
			{Area: partnership.AreaAchievement, Grade: partnership.GradeNeedsAttention}}}, partnership.ConcernImprove},
		{"report card urgent improvement", partnership.Inspection{Areas: []partnership.AreaGrade{
			{Area: partnership.AreaAchievement, Grade: partnership.GradeUrgentImprovement}}}, partnership.ConcernSerious},
		{"safeguarding not met", partnership.Inspection{Areas: []partnership.AreaGrade{
			{Area: partnership.AreaAchievement, Grade: partnership.GradeExceptional}}, Safeguarding: partnership.SafeguardingNotMet}, partnership.ConcernSerious},
	}
	for _, c := range cases {
		if got := c.in.Concern(); got != c.want {
			t.Errorf("%s: Concern() = %d, want %d", c.name, got, c.want)
		}
	}
}
