package england_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestLoadOfficialLayouts reads testdata/official: GIAS files as GIAS
// publishes them (Windows-1252, DD-MM-YYYY, codes with leading zeros, CRLF,
// no index column), a gzipped census whose name says nothing, Ofsted's
// management-information columns with DD/MM/YYYY dates and numeric grades,
// coordinates headed Latitude/Longitude after a byte-order mark, and a file
// that is not an extract.
func TestLoadOfficialLayouts(t *testing.T) {
	r, err := england.Load(context.Background(), "testdata/official", nil)
	require.NoError(t, err)
	const region = "Yorkshire and The Humber"
	want := partnership.Dataset{
		Schools: []partnership.School{{
			URN: 100000, Name: "Elmwood École Infant School", Phase: partnership.PhasePrimary,
			EstablishmentType: "Community school", Governance: partnership.GovernanceLAMaintained,
			LA: 383, LAName: "Leeds", Region: region, Postcode: "LS2 2BB", UrbanRural: "Urban major conurbation",
			Pupils: partnership.Known(200), FSMPercent: partnership.Known(12.5),
		}, {
			URN: 140001, Name: "Oakwood Primary Academy", Phase: partnership.PhasePrimary,
			EstablishmentType: "Academy converter", Governance: partnership.GovernanceAcademyConverter,
			LA: 383, LAName: "Leeds", Region: region, Postcode: "LS3 3CC", UrbanRural: "Rural village",
			Location: partnership.Location{Lat: 53.8, Lon: -1.55}, Pupils: partnership.Known(421),
			TrustName: "Académy Learning Trust", Opened: day("2013-09-01"),
			Predecessors: []partnership.URN{107000, 106000},
		}},
		Organisations: []partnership.Organisation{
			{ID: "gias:1001", Kind: partnership.OrgFederation, Name: "Oakwood – Elmwood Federation",
				Active: partnership.Period{From: day("2009-07-06"), To: day("2015-08-31")}},
			{ID: "gias:2044", Kind: partnership.OrgMultiAcademyTrust, Name: "Académy Learning Trust", Ref: "TR00001",
				Active: partnership.Period{From: day("2012-09-01")}},
			{ID: "la:383", Kind: partnership.OrgLocalAuthority, Name: "Leeds", Ref: "383", Region: region},
		},
		Networks: []partnership.Network{
			{ID: "gias:1001", Kind: partnership.NetworkFederation, Name: "Oakwood – Elmwood Federation",
				Purpose: "Schools governed by one federated governing body.", Basis: partnership.BasisGovernance,
				Coordinator: "gias:1001", Active: partnership.Period{From: day("2009-07-06"), To: day("2015-08-31")}},
			{ID: "gias:2044", Kind: partnership.NetworkTrust, Name: "Académy Learning Trust",
				Purpose: "The academies run by a multi-academy trust.", Basis: partnership.BasisGovernance,
				Coordinator: "gias:2044", Active: partnership.Period{From: day("2012-09-01")}},
			{ID: "la:383", Kind: partnership.NetworkLocalAuthority, Name: "Leeds",
				Purpose: "The schools the local authority maintains.", Basis: partnership.BasisGovernance,
				Coordinator: "la:383"},
		},
		Memberships: []partnership.Membership{
			{ID: "gias:2044:140001", Network: "gias:2044", Member: "urn:140001", Role: partnership.RoleMember,
				Period: partnership.Period{From: day("2013-09-01")}},
			// Joined 01-01-1900 is GIAS's "not recorded"; the federation's
			// closure ends the membership.
			{ID: "gias:1001:100000", Network: "gias:1001", Member: "urn:100000", Role: partnership.RoleMember,
				Period: partnership.Period{To: day("2015-08-31")}},
			{ID: "la:383:100000", Network: "la:383", Member: "urn:100000", Role: partnership.RoleMember},
		},
		Inspections: []partnership.Inspection{
			{URN: 140001, Date: day("2019-03-12"), Overall: partnership.RatingGood},
			{URN: 107000, Date: day("2011-05-05"), Overall: partnership.RatingRequiresImprovement},
			{URN: 107000, Date: day("2008-04-04"), Overall: partnership.RatingOutstanding},
			{URN: 106000, Date: day("2000-02-01"), Overall: partnership.RatingInadequate},
		},
	}
	if diff := cmp.Diff(want, r.Dataset); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}

	type counts struct {
		Kind                                    england.Kind
		Encoding                                england.Encoding
		Compressed                              bool
		Rows, Used, Unmatched, Ignored, Skipped int
	}
	got := map[string]counts{}
	for _, f := range r.Files {
		got[f.Name] = counts{f.Kind, f.Encoding, f.Compressed, f.Rows, f.Used, f.Unmatched, f.Ignored, f.Skipped}
	}
	cp := england.EncodingWindows1252
	utf := england.EncodingUTF8
	if diff := cmp.Diff(map[string]counts{
		"README.txt":               {Kind: england.KindUnrecognised},
		"allgroupsdata.csv":        {england.KindGroups, cp, false, 2, 2, 0, 0, 0},
		"alllinksdata.csv":         {england.KindGroupLinks, cp, false, 3, 2, 1, 0, 0},
		"census.bin":               {england.KindCensus, cp, true, 2, 2, 0, 0, 0},
		"coords.csv":               {england.KindCoordinates, utf, false, 3, 1, 1, 1, 0},
		"inspections.csv":          {england.KindInspections, utf, false, 5, 3, 1, 1, 0},
		"links_edubasealldata.csv": {england.KindLinks, utf, false, 4, 3, 0, 1, 0},
	}, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	assert.Empty(t, r.Warnings)
	assert.Equal(t, []england.Group{
		{UID: 1001, Name: "Oakwood – Elmwood Federation", Type: england.GroupFederation, Status: england.StatusClosed,
			Opened: day("2009-07-06"), Closed: day("2015-08-31")},
		{UID: 2044, ID: "TR00001", Name: "Académy Learning Trust", CompaniesHouse: "07000001",
			Type: england.GroupMultiAcademyTrust, Status: england.StatusOpen, Opened: day("2012-09-01")},
	}, r.Groups)
	assert.Len(t, r.GroupLinks, 3)
	assert.Equal(t, map[partnership.URN]string{100000: "State-funded primary", 140001: "State-funded primary"}, r.PhaseGroups)

	// The converter keeps its predecessors' history.
	m, err := r.Model()
	require.NoError(t, err)
	h := m.Inspections(140001)
	require.Len(t, h, 4)
	assert.Equal(t, partnership.URN(106000), h[3].URN)
	// The federation had no members after it closed.
	assert.Empty(t, m.Members("gias:1001", day("2016-01-01")))
	assert.Len(t, m.Members("gias:1001", day("2012-01-01")), 1)
}
