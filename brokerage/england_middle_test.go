package brokerage_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// A middle school's need is about the key stages of the phase it is
// deemed: one deemed primary is not served by a secondary-only provider
// and is by a primary one; one deemed secondary the other way round; one
// whose deemed phase is unknown keeps both middle key stages and is
// served by either.
func TestFromInspectionsMiddleDeemedPhase(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	middle := func(urn partnership.URN, deemed partnership.Phase) partnership.School {
		return partnership.School{URN: urn, Name: "Middle", Phase: partnership.PhaseMiddle, DeemedPhase: deemed}
	}
	ri := func(urn partnership.URN) partnership.Inspection {
		return partnership.Inspection{URN: urn, Date: day, Overall: partnership.RatingRequiresImprovement}
	}
	m, err := partnership.NewModel(partnership.Dataset{
		Schools: []partnership.School{middle(100001, partnership.PhasePrimary), middle(100002, partnership.PhaseSecondary),
			middle(100003, partnership.PhaseUnknown)},
		Inspections: []partnership.Inspection{ri(100001), ri(100002), ri(100003)},
	})
	require.NoError(t, err)
	needs, _ := brokerage.FromInspections(m, nil)
	require.Len(t, needs, 3)
	assert.Equal(t, brokerage.DeemedPrimary, needs[0].KeyStages)
	assert.Equal(t, brokerage.DeemedSecondary, needs[1].KeyStages)
	assert.Equal(t, brokerage.KeyStages(0), needs[2].KeyStages)

	primary := &brokerage.Offer{Phases: []partnership.Phase{partnership.PhasePrimary}}
	secondary := &brokerage.Offer{Phases: []partnership.Phase{partnership.PhaseSecondary}}
	serves := func(n *brokerage.Need, o *brokerage.Offer) bool {
		return brokerage.PhaseCompatible{}.Allows(brokerage.Pair{Need: n, Offer: o})
	}
	assert.True(t, serves(&needs[0], primary))
	assert.False(t, serves(&needs[0], secondary), "a middle school deemed primary is not served by a secondary-only provider")
	assert.False(t, serves(&needs[1], primary), "a middle school deemed secondary is not served by a primary-only provider")
	assert.True(t, serves(&needs[1], secondary))
	assert.True(t, serves(&needs[2], primary))
	assert.True(t, serves(&needs[2], secondary))
}
