package england_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// TestLoadEngland checks the full England load against the counts in
// SOURCES.md.
func TestLoadEngland(t *testing.T) {
	dir := rawdata.Dir(t)
	if dir == "" {
		t.Log("../shared/data/raw is absent; the embedded subset is tested instead by TestLoadEmbedded")
		return
	}
	r, err := england.Load(context.Background(), dir, nil)
	require.NoError(t, err)
	assert.Equal(t, dir, r.Source)
	assert.Empty(t, r.Skipped)

	rows := map[england.Kind]int{}
	for _, f := range r.Files {
		rows[f.Kind] += f.Rows
		if f.Kind != england.KindUnrecognised {
			assert.Equal(t, f.Rows, f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate, "%s: rows = used + unmatched + ignored + skipped + duplicate", f.Name)
		}
	}
	// Rows excluding the header, from SOURCES.md.
	assert.Equal(t, map[england.Kind]int{
		england.KindUnrecognised: 0, // SOURCES.md itself
		england.KindGroups:       6904,
		england.KindGroupLinks:   20613,
		england.KindLinks:        30646,
		england.KindCensus:       24442,
		england.KindInspections:  60134,
		england.KindCoordinates:  25632,
	}, rows)

	d := r.Dataset
	assert.Len(t, d.Schools, 24442)
	assert.Len(t, r.Groups, 6904)
	assert.Len(t, r.GroupLinks, 20613)

	m, err := r.Model()
	require.NoError(t, err, "the dataset must pass the model's validation")

	// Coverage of the state-funded schools, as SOURCES.md measures it. Its
	// figures miss URN 100000, which the census writes as "1e+05": that
	// school has coordinates and an Outstanding judgement, so each count
	// below that includes it is one more than SOURCES.md's.
	var stateFunded, maintained, withCoords, sameURN, withHistory, withPostcode int
	phases := map[string]int{}
	latest := map[partnership.Rating]int{}
	for _, s := range d.Schools {
		pg := r.PhaseGroups[s.URN]
		if !strings.HasPrefix(pg, "State-funded") {
			continue
		}
		stateFunded++
		phases[pg]++
		if s.Governance == partnership.GovernanceLAMaintained {
			maintained++
		}
		if s.Location.Known() {
			withCoords++
		}
		if s.Postcode != "" {
			withPostcode++
		}
		h := m.Inspections(s.URN)
		if len(h) > 0 {
			withHistory++
		}
		for _, in := range h { // newest first
			if in.URN == s.URN {
				sameURN++
				latest[in.Overall]++
				break
			}
		}
	}
	assert.Equal(t, 21980, stateFunded)
	assert.Equal(t, map[string]int{
		"State-funded primary": 16783, "State-funded secondary": 3444, "State-funded special school": 1035,
		"State-funded nursery": 383, "State-funded AP school": 335,
	}, phases)
	// SOURCES.md's 11,804 maintained schools follow the census's
	// academy_flag, which calls the three city technology colleges "LA
	// Maintained"; partnership.GovernanceOfType counts them with the free
	// schools, as state-funded independent schools outside LA control.
	assert.Equal(t, 11804-3, maintained)
	assert.Equal(t, 21980, withPostcode)
	assert.Equal(t, 20919+1, withCoords)
	assert.Equal(t, 15692+1, sameURN)
	assert.Equal(t, map[partnership.Rating]int{
		partnership.RatingGood: 11189, partnership.RatingOutstanding: 2748 + 1,
		partnership.RatingRequiresImprovement: 1653, partnership.RatingInadequate: 102,
	}, latest)
	// SOURCES.md counts 18,501 following predecessor links one step; Load
	// follows chains of them (a school's predecessor's predecessor), which
	// an independent count over the same files puts at 18,503.
	assert.Equal(t, 18503, withHistory)

	// Every inspection in the file is "Satisfactory", "Requires
	// Improvement" or another of the four judgements; none is lost.
	var insp england.File
	for _, f := range r.Files {
		if f.Kind == england.KindInspections {
			insp = f
		}
	}
	assert.Equal(t, len(d.Inspections), insp.Used)
}
