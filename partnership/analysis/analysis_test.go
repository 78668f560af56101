package analysis_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

func TestAreaContains(t *testing.T) {
	leeds := &partnership.School{URN: 1, LA: 383, LAName: "Leeds", Region: "Yorkshire and the Humber",
		Location: partnership.Location{Lat: 53.8, Lon: -1.55}}
	nowhere := &partnership.School{URN: 2, LA: 384, LAName: "Wakefield"}
	tests := []struct {
		area          analysis.Area
		name          string
		leeds, nowher bool
	}{
		{analysis.Everywhere(), "everywhere", true, true},
		{analysis.InLA(383), "LA 383", true, false},
		{analysis.ParseLA("383"), "LA 383", true, false},
		{analysis.ParseLA(" leeds "), "LA leeds", true, false},
		{analysis.InLANamed("WAKEFIELD"), "LA WAKEFIELD", false, true},
		{analysis.InRegion("yorkshire and the humber"), "region yorkshire and the humber", true, false},
		{analysis.Within(partnership.Location{Lat: 53.81, Lon: -1.55}, 2), "within 2 km of 53.8100,-1.5500", true, false},
		{analysis.Within(partnership.Location{Lat: 53.9, Lon: -1.55}, 2), "within 2 km of 53.9000,-1.5500", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.name, tt.area.String())
			assert.Equal(t, tt.leeds, tt.area.Contains(leeds))
			assert.Equal(t, tt.nowher, tt.area.Contains(nowhere))
		})
	}
}

func TestInvalidOptions(t *testing.T) {
	m := leeds()
	ctx := context.Background()
	for name, o := range map[string]*analysis.Options{
		"negative top":       {Top: -1},
		"threshold above 1":  {DuplicateThreshold: 1.5},
		"empty LA name":      {Area: analysis.InLANamed(" ")},
		"radius without pin": {Area: analysis.Within(partnership.Location{}, 3)},
		"NaN radius":         {LinkRadiusKm: nanValue()},
		"negative family":    {FamilySize: -2},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := analysis.Coverage(m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Isolation(m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Duplicates(m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Bridges(ctx, m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Links(ctx, m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Communities(ctx, m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.Families(ctx, m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
			_, err = analysis.NewGraph(m, o)
			assert.ErrorIs(t, err, partnership.ErrInvalid)
		})
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := syntheticEnglandSmall()
	_, err := analysis.Bridges(ctx, m, nil)
	assert.True(t, errors.Is(err, context.Canceled), "bridges: %v", err)
	_, err = analysis.Families(ctx, m, nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = analysis.Links(ctx, m, nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = analysis.Communities(ctx, m, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

// Dates: a membership that has ended and a school that has closed do not
// count.
func TestAtDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	d := partnership.Dataset{
		Schools: []partnership.School{
			{URN: 1, Name: "One", Phase: partnership.PhasePrimary},
			{URN: 2, Name: "Two", Phase: partnership.PhasePrimary},
			{URN: 3, Name: "Three", Phase: partnership.PhasePrimary, Closed: day("2020-01-01")},
		},
		Networks: []partnership.Network{{ID: "cluster", Kind: partnership.NetworkCluster,
			Active: partnership.Period{From: day("2018-09-01"), To: day("2022-09-01")}}},
		Memberships: []partnership.Membership{
			{ID: "a", Network: "cluster", Member: "urn:1"},
			{ID: "b", Network: "cluster", Member: "urn:2", Period: partnership.Period{To: day("2021-01-01")}},
			{ID: "c", Network: "cluster", Member: "urn:3"},
		},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	tests := []struct {
		at                          string
		schools, covered, connected int
	}{
		{"2019-01-01", 3, 3, 3},
		{"2020-06-01", 2, 2, 2},
		{"2021-06-01", 2, 0, 0},
		{"2023-01-01", 2, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			r, err := analysis.Coverage(m, &analysis.Options{At: day(tt.at)})
			require.NoError(t, err)
			got := []int{r.Schools, r.Covered, r.Connected}
			if diff := gocmp.Diff([]int{tt.schools, tt.covered, tt.connected}, got); diff != "" {
				t.Errorf("schools, covered, connected (-want +got):\n%s", diff)
			}
		})
	}
}

// hostile builds a model whose names need escaping in every format.
func hostile(t *testing.T) *partnership.Model {
	t.Helper()
	d := partnership.Dataset{
		Schools: []partnership.School{{URN: 7, Name: "St Mary's & St John's <C of E> \"Primary\"\nSchool\\ \x01end",
			Phase: partnership.PhasePrimary, LA: 383, LAName: "Leeds"}},
		Organisations: []partnership.Organisation{{ID: "o&1", Kind: partnership.OrgUniversity, Name: "Uni \"North\" & <South>"}},
		Networks:      []partnership.Network{{ID: "n<1>", Kind: partnership.NetworkAlliance, Name: "A ] } \" alliance"}},
		Memberships: []partnership.Membership{
			{ID: "m1", Network: "n<1>", Member: "urn:7", Role: partnership.RoleLead},
			{ID: "m2", Network: "n<1>", Member: "o&1", Role: partnership.RolePartner},
		},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	return m
}

type graphML struct {
	XMLName xml.Name `xml:"graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string     `xml:"id,attr"`
			Data []dataAttr `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source string     `xml:"source,attr"`
			Target string     `xml:"target,attr"`
			Data   []dataAttr `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type dataAttr struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func attrs(ds []dataAttr) map[string]string {
	out := map[string]string{}
	for _, d := range ds {
		out[d.Key] = d.Value
	}
	return out
}

func TestWriteGraphMLParsesBack(t *testing.T) {
	for name, m := range map[string]*partnership.Model{"leeds": leeds(), "hostile": hostile(t)} {
		t.Run(name, func(t *testing.T) {
			g, err := analysis.NewGraph(m, nil)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, analysis.WriteGraphML(&buf, g))
			var doc graphML
			require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
			assert.Equal(t, "undirected", doc.Graph.EdgeDefault, "membership is undirected")
			declared := map[string]string{}
			for _, k := range doc.Keys {
				assert.Equal(t, k.ID, k.Name)
				assert.Contains(t, []string{"string", "int"}, k.Type)
				declared[k.ID] = k.For
			}
			require.Len(t, doc.Graph.Nodes, len(g.Nodes()))
			require.Len(t, doc.Graph.Edges, len(g.Edges()))
			for i, n := range doc.Graph.Nodes {
				want := g.Nodes()[i]
				a := attrs(n.Data)
				for k := range a {
					assert.Equal(t, "node", declared[k], "key %s", k)
				}
				assert.Equal(t, want.Kind.String(), a["type"])
				assert.Equal(t, strings.ReplaceAll(want.Name, "\x01", "\uFFFD"), a["name"])
			}
			// Read back as an undirected graph: each edge an unordered pair,
			// none repeated, the same pairs as the graph's.
			pairs := map[[2]string]bool{}
			for _, e := range doc.Graph.Edges {
				k := [2]string{e.Source, e.Target}
				if k[1] < k[0] {
					k[0], k[1] = k[1], k[0]
				}
				assert.False(t, pairs[k], "edge %v twice", k)
				pairs[k] = true
			}
			assert.Len(t, pairs, len(g.Edges()))
			for i, e := range doc.Graph.Edges {
				want := g.Edges()[i]
				a := attrs(e.Data)
				assert.Equal(t, want.Role.String(), a["role"])
				assert.Equal(t, "edge", declared["role"])
				assert.Equal(t, "n"+strconv.FormatInt(want.From, 10), e.Source)
				assert.Equal(t, "n"+strconv.FormatInt(want.To, 10), e.Target)
			}
		})
	}
}

func TestWriteGraphMLAttributes(t *testing.T) {
	g, err := analysis.NewGraph(hostile(t), nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, analysis.WriteGraphML(&buf, g))
	var doc graphML
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	got := []map[string]string{}
	for _, n := range doc.Graph.Nodes {
		got = append(got, attrs(n.Data))
	}
	want := []map[string]string{
		{"type": "school", "kind": "school", "name": "St Mary's & St John's <C of E> \"Primary\"\nSchool\\ \uFFFDend",
			"ref": "7", "phase": "primary", "governance": "unknown", "la": "383", "la_name": "Leeds"},
		{"type": "network", "kind": "alliance", "name": "A ] } \" alliance", "ref": "n<1>"},
		{"type": "organisation", "kind": "university", "name": "Uni \"North\" & <South>", "ref": "o&1"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("node attributes (-want +got):\n%s", diff)
	}
}

func TestWriteDOTEscapes(t *testing.T) {
	g, err := analysis.NewGraph(hostile(t), nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, analysis.WriteDOT(&buf, g))
	want := `digraph partnership {
  "n0" [label="St Mary's & St John's <C of E> \"Primary\"\nSchool\\ ` + "\x01" + `end", shape="ellipse", type="school", kind="school", ref="7", phase="primary", governance="unknown", la="383", la_name="Leeds"];
  "n1" [label="A ] } \" alliance", shape="box", type="network", kind="alliance", ref="n<1>"];
  "n2" [label="Uni \"North\" & <South>", shape="diamond", type="organisation", kind="connector", ref="o&1"];
  "n0" -> "n1" [role="lead"];
  "n2" -> "n1" [role="partner"];
}
`
	want = strings.Replace(want, `kind="connector"`, `kind="university"`, 1)
	if diff := gocmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("DOT (-want +got):\n%s", diff)
	}
	// Every line holds an even number of unescaped quotes: no string leaks.
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		unescaped := strings.Count(strings.ReplaceAll(strings.ReplaceAll(line, `\\`, ""), `\"`, ""), `"`)
		assert.Zero(t, unescaped%2, line)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	g, err := analysis.NewGraph(leeds(), nil)
	require.NoError(t, err)
	assert.EqualError(t, analysis.WriteGraphML(failWriter{}, g), "disk full")
	assert.EqualError(t, analysis.WriteDOT(failWriter{}, g), "disk full")
}

func TestGraphArea(t *testing.T) {
	g, err := analysis.NewGraph(leeds(), &analysis.Options{Area: analysis.InLA(383)})
	require.NoError(t, err)
	var names []string
	for _, n := range g.Nodes() {
		if n.Kind != analysis.NodeSchool {
			names = append(names, n.Kind.String()+":"+n.Name)
		}
	}
	want := []string{"network:Kite Learning Trust", "network:Fir Academy Trust", "network:Kite Alliance",
		"organisation:Kite Connect", "network:Reading cluster", "network:Phonics group"}
	if diff := gocmp.Diff(want, names); diff != "" {
		t.Errorf("non-school nodes (-want +got):\n%s", diff)
	}
	assert.Len(t, g.Nodes(), 12)
	assert.Nil(t, g.Neighbours(-1))
	assert.Equal(t, len(g.Nodes()), g.Undirected().Nodes().Len())
}

func TestGraphLocalAuthorityNetworks(t *testing.T) {
	d := partnership.Dataset{
		Schools: []partnership.School{{URN: 1, Name: "One"}, {URN: 2, Name: "Two"}},
		Organisations: []partnership.Organisation{
			{ID: "la:383", Kind: partnership.OrgLocalAuthority, Name: "Leeds"}},
		Networks: []partnership.Network{{ID: "la:383", Kind: partnership.NetworkLocalAuthority, Name: "Leeds"}},
		Memberships: []partnership.Membership{
			{ID: "a", Network: "la:383", Member: "urn:1"}, {ID: "b", Network: "la:383", Member: "urn:2"}},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	without, err := analysis.NewGraph(m, nil)
	require.NoError(t, err)
	assert.Len(t, without.Nodes(), 2)
	assert.Empty(t, without.Edges())
	with, err := analysis.NewGraph(m, &analysis.Options{LocalAuthorityNetworks: true})
	require.NoError(t, err)
	assert.Len(t, with.Nodes(), 3)
	assert.Len(t, with.Edges(), 2)
	// Maintenance by the same authority does not connect schools.
	c, err := analysis.Coverage(m, nil)
	require.NoError(t, err)
	assert.Zero(t, c.Connected)
}

func TestLinkKinds(t *testing.T) {
	p, err := analysis.Links(context.Background(), leeds(), &analysis.Options{LinkRadiusKm: 5,
		LinkKinds: []partnership.NetworkKind{partnership.NetworkCluster}})
	require.NoError(t, err)
	require.Len(t, p.Links, 1)
	assert.Equal(t, partnership.NetworkID("reading-a"), p.Links[0].Network.ID)
	assert.Equal(t, "Reading cluster", p.Nearest[0].Network.Name)
	p, err = analysis.Links(context.Background(), leeds(), &analysis.Options{LinkRadiusKm: 5,
		LinkKinds: []partnership.NetworkKind{partnership.NetworkHub}})
	require.NoError(t, err)
	assert.Empty(t, p.Links)
	assert.Zero(t, p.Reachable)
	assert.Equal(t, 2, p.Isolated)
}

// A trust's own hub does not take its schools beyond their governance; a
// hub with a school of another trust does.
func TestCoverageBeyondOwnTrust(t *testing.T) {
	d := partnership.Dataset{
		Schools: []partnership.School{{URN: 1, Name: "One"}, {URN: 2, Name: "Two"}, {URN: 3, Name: "Three"}},
		Organisations: []partnership.Organisation{
			{ID: "trust", Kind: partnership.OrgMultiAcademyTrust, Name: "Trust"}},
		Networks: []partnership.Network{
			{ID: "t", Kind: partnership.NetworkTrust, Name: "Trust", Coordinator: "trust"},
			{ID: "inner", Kind: partnership.NetworkHub, Name: "Trust hub"},
			{ID: "outer", Kind: partnership.NetworkHub, Name: "Area hub"},
		},
		Memberships: []partnership.Membership{
			{ID: "a", Network: "t", Member: "urn:1"}, {ID: "b", Network: "t", Member: "urn:2"},
			{ID: "c", Network: "inner", Member: "urn:1"}, {ID: "d", Network: "inner", Member: "urn:2"},
			{ID: "e", Network: "inner", Member: "trust", Role: partnership.RoleLead},
			{ID: "f", Network: "outer", Member: "urn:2"}, {ID: "g", Network: "outer", Member: "urn:3"},
		},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	r, err := analysis.Coverage(m, nil)
	require.NoError(t, err)
	var uncovered []partnership.URN
	for _, s := range r.Uncovered {
		uncovered = append(uncovered, s.URN)
	}
	assert.Equal(t, []partnership.URN{1}, uncovered)
}

// Analyses only read the model, so they may run at once (checked under
// -race).
func TestConcurrentAnalyses(t *testing.T) {
	m := leeds()
	ctx := context.Background()
	first, err := analysis.Bridges(ctx, m, nil)
	require.NoError(t, err)
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			b, err := analysis.Bridges(ctx, m, nil)
			if err == nil && !assert.ObjectsAreEqual(first, b) {
				err = errors.New("bridges differ between runs")
			}
			errs <- err
		}()
		go func() {
			_, err := analysis.Communities(ctx, m, nil)
			if err == nil {
				_, err = analysis.Families(ctx, m, nil)
			}
			errs <- err
		}()
	}
	for range 8 {
		require.NoError(t, <-errs)
	}
}

// TestUnknownLocationsCounted: schools without a location are left out of
// every distance and counted, never placed at 0°N 0°E.
func TestUnknownLocationsCounted(t *testing.T) {
	leeds := partnership.Location{Lat: 53.8, Lon: -1.55}
	d := partnership.Dataset{
		Schools: []partnership.School{
			{URN: 1, Name: "Alone, located", Phase: partnership.PhasePrimary, Location: leeds},
			{URN: 2, Name: "Alone, unlocated", Phase: partnership.PhasePrimary},
			{URN: 3, Name: "In a trust", Phase: partnership.PhasePrimary, Location: leeds},
			{URN: 4, Name: "In a trust too", Phase: partnership.PhasePrimary},
		},
		Networks:    []partnership.Network{{ID: "t", Kind: partnership.NetworkTrust, Name: "T"}},
		Memberships: []partnership.Membership{{ID: "a", Network: "t", Member: "urn:3"}, {ID: "b", Network: "t", Member: "urn:4"}},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	plan, err := analysis.Links(context.Background(), m, &analysis.Options{LinkRadiusKm: 5})
	require.NoError(t, err)
	assert.Equal(t, 2, plan.Isolated)
	assert.Equal(t, 1, plan.Unlocated)
	assert.Equal(t, 1, plan.Reachable)
	rep, err := analysis.Communities(context.Background(), m, &analysis.Options{ProximityKm: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Unlocated)
}
