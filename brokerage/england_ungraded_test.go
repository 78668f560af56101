package brokerage_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// The latest inspection decides, even when it gave no overall grade: a
// school outstanding in 2013 whose 2025 key judgements are inadequate has
// a serious need and makes no offer; one whose latest inspection gave
// only good key judgements has neither (its old grade is not used).
func TestFromInspectionsLatestUngraded(t *testing.T) {
	day := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	kj := func(r partnership.Rating) []partnership.KeyJudgement {
		return []partnership.KeyJudgement{{Area: partnership.JudgementQualityOfEducation, Rating: r},
			{Area: partnership.JudgementLeadershipAndManagement, Rating: r}}
	}
	m, err := partnership.NewModel(partnership.Dataset{
		Schools: []partnership.School{{URN: 100000, Name: "Weak now", Phase: partnership.PhaseSecondary},
			{URN: 100078, Name: "Good now", Phase: partnership.PhasePrimary}},
		Inspections: []partnership.Inspection{
			{URN: 100000, Date: day(2013), Overall: partnership.RatingOutstanding},
			{URN: 100000, Date: day(2025), Judgements: kj(partnership.RatingInadequate), Safeguarding: partnership.SafeguardingNotMet},
			{URN: 100078, Date: day(2013), Overall: partnership.RatingOutstanding},
			{URN: 100078, Date: day(2025), Judgements: kj(partnership.RatingGood), Safeguarding: partnership.SafeguardingMet},
		},
	})
	require.NoError(t, err)
	needs, offers := brokerage.FromInspections(m, nil)
	require.Empty(t, offers, "an outstanding grade older than the latest inspection makes no offer")
	require.Len(t, needs, 1)
	require.Equal(t, partnership.URN(100000), needs[0].School)
	require.Equal(t, 5, needs[0].Priority)
}
