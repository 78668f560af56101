package england_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

func TestLoadEmbedded(t *testing.T) {
	r, err := england.LoadEmbedded(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "embedded: Yorkshire and The Humber", r.Source)
	assert.Empty(t, r.Skipped)
	kinds := map[england.Kind]int{}
	for _, f := range r.Files {
		kinds[f.Kind]++
		assert.True(t, f.Compressed, f.Name)
		assert.Equal(t, f.Rows, f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate, f.Name)
	}
	assert.Equal(t, map[england.Kind]int{
		england.KindGroups: 1, england.KindGroupLinks: 1, england.KindLinks: 1, england.KindCensus: 1,
		england.KindInspections: 1, england.KindCoordinates: 1,
	}, kinds)
	d := r.Dataset
	require.Len(t, d.Schools, 2388)
	las := map[string]bool{}
	for _, s := range d.Schools {
		assert.Equal(t, england.EmbeddedRegion, s.Region)
		las[s.LAName] = true
	}
	assert.Len(t, las, 15, "Yorkshire and the Humber has 15 local authorities")
	m, err := r.Model()
	require.NoError(t, err)
	// The census's Windows-1252 text is decoded.
	for _, s := range d.Schools {
		assert.NotContains(t, s.Name, "\uFFFD")
	}
	assert.NotEmpty(t, d.Memberships)
	assert.NotEmpty(t, d.Inspections)
	withHistory := 0
	for _, s := range d.Schools {
		if _, ok := m.LatestInspection(s.URN); ok {
			withHistory++
		}
	}
	assert.Greater(t, withHistory, 1900)
	assert.True(t, strings.Contains(england.Attribution, "Contains public sector information licensed under the Open Government Licence v3.0."))
	assert.Contains(t, england.Attribution, "Royal Mail")
	assert.Contains(t, england.Attribution, "Contains OS data")
}
