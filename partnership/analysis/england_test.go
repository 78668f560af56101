package analysis_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// TestEngland runs the analyses on the real data (all of England, or the
// embedded region) and checks them against counts made straight from the
// dataset's records.
func TestEngland(t *testing.T) {
	l := englandModel(t)
	require.NoError(t, l.err)
	m := l.m
	ctx := context.Background()
	at := time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)
	o := &analysis.Options{At: at}

	// Schools in a current non-LA network with two or more open schools,
	// counted from the memberships.
	open := func(s *partnership.School) bool {
		return (s.Opened.IsZero() || !at.Before(s.Opened)) && (s.Closed.IsZero() || at.Before(s.Closed))
	}
	schoolsOf := map[partnership.NetworkID]map[partnership.URN]bool{}
	for _, ms := range m.Dataset().Memberships {
		n := m.Network(ms.Network)
		u, ok := partnership.SchoolOf(ms.Member)
		if !ok || !ms.Period.Contains(at) || !n.Active.Contains(at) || n.Kind == partnership.NetworkLocalAuthority {
			continue
		}
		if s := m.School(u); s == nil || !open(s) {
			continue
		}
		if schoolsOf[ms.Network] == nil {
			schoolsOf[ms.Network] = map[partnership.URN]bool{}
		}
		schoolsOf[ms.Network][u] = true
	}
	connected := map[partnership.URN]bool{}
	for _, us := range schoolsOf {
		if len(us) >= 2 {
			for u := range us {
				connected[u] = true
			}
		}
	}
	openSchools := 0
	for i := range m.Schools() {
		if open(&m.Schools()[i]) {
			openSchools++
		}
	}

	cov, err := analysis.Coverage(m, o)
	require.NoError(t, err)
	assert.Equal(t, openSchools, cov.Schools)
	assert.Equal(t, len(connected), cov.Connected)
	assert.Positive(t, cov.Connected)

	iso, err := analysis.Isolation(m, o)
	require.NoError(t, err)
	assert.Len(t, iso.Alone, cov.Schools-cov.Connected)

	b, err := analysis.Bridges(ctx, m, o)
	require.NoError(t, err)
	assert.Positive(t, b.Edges)
	for _, c := range b.Connectors {
		assert.GreaterOrEqual(t, c.JoinsNetworks, 2)
	}

	fam, err := analysis.Families(ctx, m, &analysis.Options{At: at, FamilySize: 5})
	require.NoError(t, err)
	assert.Equal(t, cov.Schools, len(fam.Families)+fam.Excluded)
	for _, f := range fam.Families[:min(100, len(fam.Families))] {
		for _, s := range f.Similar {
			assert.Equal(t, f.School.Phase, s.School.Phase)
		}
	}

	// The graph of one local authority exports and parses back.
	g, err := analysis.NewGraph(m, &analysis.Options{At: at, Area: analysis.InLANamed("No such authority")})
	require.NoError(t, err)
	assert.Empty(t, g.Nodes())
	la := m.Schools()[0].LA
	g, err = analysis.NewGraph(m, &analysis.Options{At: at, Area: analysis.InLA(la)})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, analysis.WriteGraphML(&buf, g))
	var doc graphML
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	assert.Len(t, doc.Graph.Nodes, len(g.Nodes()))
	assert.Len(t, doc.Graph.Edges, len(g.Edges()))
}
