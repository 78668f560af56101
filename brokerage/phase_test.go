package brokerage_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// TestPhaseTable checks PhaseCompatible against the table in its doc
// comment, one subtest per pair of need phase and provider phase.
func TestPhaseTable(t *testing.T) {
	phases := []partnership.Phase{partnership.PhaseNursery, partnership.PhasePrimary, partnership.PhaseMiddle,
		partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.Phase16Plus, partnership.PhaseSpecial,
		partnership.PhaseAlternativeProvision}
	// Rows: need; columns: provider phase, in the order above.
	middle := func(ks brokerage.KeyStages) brokerage.Need {
		return brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: ks}
	}
	rows := []struct {
		name string
		need brokerage.Need
		want string
	}{
		{"nursery", brokerage.Need{Phase: partnership.PhaseNursery}, "YY..Y..."},
		{"primary", brokerage.Need{Phase: partnership.PhasePrimary}, "YYY.Y..."},
		{"middle", middle(0), ".YYYY..."},
		{"middle-deemed-primary", middle(brokerage.DeemedPrimary), ".YY.Y..."},
		{"middle-deemed-secondary", middle(brokerage.DeemedSecondary), "..YYY..."},
		{"secondary", brokerage.Need{Phase: partnership.PhaseSecondary}, "..YYYY.."},
		{"all-through", brokerage.Need{Phase: partnership.PhaseAllThrough}, "YYYYYY.."},
		{"16-plus", brokerage.Need{Phase: partnership.Phase16Plus}, "...YYY.."},
		{"special", brokerage.Need{Phase: partnership.PhaseSpecial}, "......Y."},
		{"AP", brokerage.Need{Phase: partnership.PhaseAlternativeProvision}, ".......Y"},
	}
	for _, row := range rows {
		for c, op := range phases {
			t.Run(row.name+"/by/"+op.String(), func(t *testing.T) {
				ok, why := brokerage.PhaseCompatible{}.Allow(brokerage.Pair{
					Need:  &row.need,
					Offer: &brokerage.Offer{Phases: []partnership.Phase{op}},
				})
				assert.Equal(t, row.want[c] == 'Y', ok, why)
				assert.Equal(t, !ok, why != "", "a reason exactly when excluded")
			})
		}
	}
}

// TestMiddleOffersServeBothSides: an offer from a middle school lists the
// middle phase whatever its deemed phase, and serves primary, secondary,
// middle and both deemed middle needs; FromInspections makes it so.
func TestMiddleOffersServeBothSides(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var schools []partnership.School
	var insp []partnership.Inspection
	for i, deemed := range []partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary, partnership.PhaseUnknown} {
		urn := partnership.URN(200001 + i)
		schools = append(schools, partnership.School{URN: urn, Name: "Middle", Phase: partnership.PhaseMiddle, DeemedPhase: deemed})
		insp = append(insp, partnership.Inspection{URN: urn, Date: day, Overall: partnership.RatingOutstanding})
	}
	m, err := partnership.NewModel(partnership.Dataset{Schools: schools, Inspections: insp})
	require.NoError(t, err)
	_, offers := brokerage.FromInspections(m, nil)
	require.Len(t, offers, 3)
	needs := []brokerage.Need{
		{Phase: partnership.PhasePrimary}, {Phase: partnership.PhaseSecondary}, {Phase: partnership.PhaseMiddle},
		{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedPrimary},
		{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedSecondary},
	}
	for _, o := range offers {
		assert.Equal(t, []partnership.Phase{partnership.PhaseMiddle}, o.Phases, "%s", o.ID)
		assert.Equal(t, brokerage.KeyStages(0), o.KeyStages, "%s", o.ID)
		for _, n := range needs {
			ok, why := brokerage.PhaseCompatible{}.Allow(brokerage.Pair{Need: &n, Offer: &o})
			assert.True(t, ok, "%s for a %s need (key stages %q): %s", o.ID, n.Phase, n.KeyStages, why)
		}
	}
}

// TestPhaseKeyStages covers needs narrowed to key stages: an all-through
// need per key stage, and middle schools by their deemed phase.
func TestPhaseKeyStages(t *testing.T) {
	offer := func(p partnership.Phase) *brokerage.Offer {
		return &brokerage.Offer{Phases: []partnership.Phase{p}}
	}
	for _, tc := range []struct {
		name  string
		need  brokerage.Need
		offer *brokerage.Offer
		ok    bool
	}{
		{"all-through ks4 by secondary", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS4}, offer(partnership.PhaseSecondary), true},
		{"all-through ks4 by all-through", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS4}, offer(partnership.PhaseAllThrough), true},
		{"all-through ks4 not by primary", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS4}, offer(partnership.PhasePrimary), false},
		{"all-through ks1 by primary", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS1}, offer(partnership.PhasePrimary), true},
		{"all-through ks1 not by secondary", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS1}, offer(partnership.PhaseSecondary), false},
		{"all-through ks5 by 16-plus", brokerage.Need{Phase: partnership.PhaseAllThrough, KeyStages: brokerage.KS5}, offer(partnership.Phase16Plus), true},
		{"middle deemed primary by primary", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedPrimary}, offer(partnership.PhasePrimary), true},
		{"middle deemed primary not by secondary", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedPrimary}, offer(partnership.PhaseSecondary), false},
		{"middle deemed primary by middle", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedPrimary}, offer(partnership.PhaseMiddle), true},
		{"middle deemed secondary by secondary", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedSecondary}, offer(partnership.PhaseSecondary), true},
		{"middle deemed secondary not by primary", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedSecondary}, offer(partnership.PhasePrimary), false},
		{"middle deemed secondary by all-through", brokerage.Need{Phase: partnership.PhaseMiddle, KeyStages: brokerage.DeemedSecondary}, offer(partnership.PhaseAllThrough), true},
		{"secondary offer narrowed to ks5", brokerage.Need{Phase: partnership.PhaseSecondary, KeyStages: brokerage.KS3},
			&brokerage.Offer{Phases: []partnership.Phase{partnership.PhaseSecondary}, KeyStages: brokerage.KS5}, false},
		{"unknown phase", brokerage.Need{}, offer(partnership.PhaseSpecial), true},
		{"offer of any phase", brokerage.Need{Phase: partnership.PhaseSpecial}, &brokerage.Offer{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := brokerage.PhaseCompatible{}.Allow(brokerage.Pair{Need: &tc.need, Offer: tc.offer})
			assert.Equal(t, tc.ok, ok, why)
		})
	}
}

func TestKeyStagesText(t *testing.T) {
	var k brokerage.KeyStages
	require.NoError(t, k.UnmarshalText([]byte("KS3+ks4")))
	assert.Equal(t, brokerage.KS3|brokerage.KS4, k)
	assert.Equal(t, "ks3;ks4", k.String())
	require.Error(t, k.UnmarshalText([]byte("ks9")))
	require.NoError(t, k.UnmarshalText(nil))
	assert.Equal(t, brokerage.KeyStages(0), k)
}

// TestCheckersAgreeWithAllow: for every built-in constraint, the Checker
// fast path (Allows) decides every pair as Allow does.
func TestCheckersAgreeWithAllow(t *testing.T) {
	phases := []partnership.Phase{partnership.PhaseUnknown, partnership.PhaseNursery, partnership.PhasePrimary, partnership.PhaseMiddle,
		partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.Phase16Plus, partnership.PhaseSpecial, partnership.PhaseAlternativeProvision}
	nets := []partnership.NetworkID{"a", "b", "c"}
	rapid.Check(t, func(t *rapid.T) {
		n := brokerage.Need{
			Phase:     rapid.SampledFrom(phases).Draw(t, "phase"),
			KeyStages: brokerage.KeyStages(rapid.IntRange(0, 63).Draw(t, "ks")),
			Format:    brokerage.Format(rapid.IntRange(0, 4).Draw(t, "format")),
			Networks:  rapid.SliceOfDistinct(rapid.SampledFrom(nets), func(x partnership.NetworkID) partnership.NetworkID { return x }).Draw(t, "nets"),
			School:    partnership.URN(rapid.IntRange(0, 2).Draw(t, "school")),
		}
		o := brokerage.Offer{
			Phases:    rapid.SliceOfN(rapid.SampledFrom(phases), 0, 3).Draw(t, "ophases"),
			KeyStages: brokerage.KeyStages(rapid.IntRange(0, 63).Draw(t, "oks")),
			Formats:   rapid.SliceOfN(rapid.Custom(func(t *rapid.T) brokerage.Format { return brokerage.Format(rapid.IntRange(0, 4).Draw(t, "f")) }), 0, 3).Draw(t, "formats"),
			Networks:  rapid.SliceOfDistinct(rapid.SampledFrom(nets), func(x partnership.NetworkID) partnership.NetworkID { return x }).Draw(t, "onets"),
			School:    partnership.URN(rapid.IntRange(0, 2).Draw(t, "oschool")),
		}
		p := brokerage.Pair{Need: &n, Offer: &o}
		if rapid.Bool().Draw(t, "known") {
			p.Distance = brokerage.Km{Value: rapid.Float64Range(0, 100).Draw(t, "km"), Known: true}
		}
		cs := append(brokerage.DefaultConstraints(), brokerage.MaxDistance{Km: 30, AllowUnknown: true})
		for _, c := range cs {
			ch, ok := c.(brokerage.Checker)
			if !ok {
				continue
			}
			want, why := c.Allow(p)
			if got := ch.Allows(p); got != want {
				t.Fatalf("%s: Allows %v, Allow %v (%q)", c.Name(), got, want, why)
			}
			if !want && why == "" {
				t.Fatalf("%s: excluded without a reason", c.Name())
			}
		}
	})
}
