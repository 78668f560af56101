// Package partnershiptest is the conformance suite for partnership.Store
// implementations. A store that passes it meets every contract documented in
// package partnership, so the Service behaves the same over it as over the
// in-memory store:
//
//	func TestConformance(t *testing.T) {
//		partnershiptest.Run(t, func(t *testing.T) partnership.Store {
//			return mystore.Open(t.TempDir())
//		})
//	}
//
// newStore must return a new, empty store each time it is called. Run it
// under -race: the suite includes concurrent use.
package partnershiptest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// Run runs the conformance suite against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) p.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, p.Store)
	}{
		{"NotFound", testNotFound},
		{"Conflict", testConflict},
		{"UpdateMissing", testUpdateMissing},
		{"RoundTrip", testRoundTrip},
		{"Update", testUpdate},
		{"NoAliasing", testNoAliasing},
		{"TimeBoundedMemberships", testTimeBounded},
		{"Pagination", testPagination},
		{"Filters", testFilters},
		{"Inspections", testInspections},
		{"Enrolments", testEnrolments},
		{"Cancellation", testCancellation},
		{"Concurrency", testConcurrency},
		{"BulkLoad", testBulkLoad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var (
	ctx = context.Background()
	d   = func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	// opts compares records as the contracts define equality.
	opts = cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(0)}
)

// fullSchool returns a school with every field set.
func fullSchool(u p.URN) p.School {
	return p.School{
		URN: u, Name: fmt.Sprintf("School %d", u), Phase: p.PhaseSecondary,
		EstablishmentType: "Academy converter", Governance: p.GovernanceAcademyConverter,
		LA: 383, LAName: "Leeds", Region: "Yorkshire and The Humber", Postcode: "LS1 1AA",
		UrbanRural: "Urban major conurbation", Location: p.Location{Lat: 53.8, Lon: -1.55},
		Pupils: 1200, FSMPercent: 23.5, TrustName: "Red Kite Learning Trust",
		Opened: d(2012, 9, 1), Closed: d(2030, 8, 31), Predecessors: []p.URN{u + 900000},
	}
}

func fullOrg(id p.OrgID) p.Organisation {
	return p.Organisation{ID: id, Kind: p.OrgMultiAcademyTrust, Name: "Trust " + string(id), Ref: "TR01234",
		Region: "Yorkshire and The Humber", Location: p.Location{Lat: 53.9, Lon: -1.5},
		Active: p.Period{From: d(2011, 4, 1), To: d(2040, 1, 1)}}
}

func fullNetwork(id p.NetworkID) p.Network {
	return p.Network{ID: id, Kind: p.NetworkAlliance, Name: "Alliance " + string(id), Purpose: "peer review",
		Basis: p.BasisGeography, Coordinator: "org:1", CoordinatingGroup: []p.PersonID{"a", "b"},
		Active: p.Period{From: d(2015, 9, 1), To: d(2035, 8, 31)}}
}

func fullMembership(id p.MembershipID) p.Membership {
	return p.Membership{ID: id, Network: "net:1", Member: p.URN(100001).OrgID(), Role: p.RoleHub,
		Period: p.Period{From: d(2020, 9, 1), To: d(2023, 8, 31)}}
}

func fullPerson(id p.PersonID) p.Person {
	return p.Person{ID: id, Role: p.RoleSpecialistLeader, Name: "R. Reviewer", Home: p.URN(100001).OrgID(),
		Expertise: []p.ExpertiseID{"send", "early-reading"}, Phases: []p.Phase{p.PhasePrimary}, CapacityDays: 12.5}
}

func fullProgramme(id p.ProgrammeID) p.Programme {
	return p.Programme{ID: id, Name: "Sixth Form Advantage", Provider: "org:hfl", Partners: []p.OrgID{"org:1"},
		Areas: []p.ExpertiseID{"sixth-form"}, Capacity: 30, Period: p.Period{From: d(2024, 9, 1), To: d(2025, 7, 31)},
		Eligibility: p.Eligibility{Networks: []p.NetworkID{"net:1"}, Phases: []p.Phase{p.PhaseSecondary},
			Roles: []p.Role{p.RoleSubjectLead}, SoleInRole: true}}
}

func fullInspection(u p.URN, on time.Time) p.Inspection {
	return p.Inspection{URN: u, Date: on, Overall: p.RatingGood,
		Areas:        []p.AreaGrade{{Area: p.AreaInclusion, Grade: p.GradeStrongStandard}},
		Safeguarding: p.SafeguardingMet}
}

func testNotFound(t *testing.T, s p.Store) {
	checks := map[string]error{}
	_, checks["School"] = s.School(ctx, 1)
	_, checks["Organisation"] = s.Organisation(ctx, "x")
	_, checks["Network"] = s.Network(ctx, "x")
	_, checks["Membership"] = s.Membership(ctx, "x")
	_, checks["Person"] = s.Person(ctx, "x")
	_, checks["Programme"] = s.Programme(ctx, "x")
	for name, err := range checks {
		assert.ErrorIs(t, err, p.ErrNotFound, name)
	}
	h, err := s.Inspections(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, h)
}

func testConflict(t *testing.T, s p.Store) {
	require.NoError(t, s.InsertSchool(ctx, fullSchool(1)))
	assert.ErrorIs(t, s.InsertSchool(ctx, fullSchool(1)), p.ErrConflict, "school")
	require.NoError(t, s.InsertOrganisation(ctx, fullOrg("o")))
	assert.ErrorIs(t, s.InsertOrganisation(ctx, fullOrg("o")), p.ErrConflict, "organisation")
	require.NoError(t, s.InsertNetwork(ctx, fullNetwork("n")))
	assert.ErrorIs(t, s.InsertNetwork(ctx, fullNetwork("n")), p.ErrConflict, "network")
	require.NoError(t, s.InsertMembership(ctx, fullMembership("m")))
	assert.ErrorIs(t, s.InsertMembership(ctx, fullMembership("m")), p.ErrConflict, "membership")
	require.NoError(t, s.InsertPerson(ctx, fullPerson("p")))
	assert.ErrorIs(t, s.InsertPerson(ctx, fullPerson("p")), p.ErrConflict, "person")
	require.NoError(t, s.InsertProgramme(ctx, fullProgramme("g")))
	assert.ErrorIs(t, s.InsertProgramme(ctx, fullProgramme("g")), p.ErrConflict, "programme")
	require.NoError(t, s.InsertInspection(ctx, fullInspection(1, d(2019, 1, 1))))
	assert.ErrorIs(t, s.InsertInspection(ctx, fullInspection(1, d(2019, 1, 1))), p.ErrConflict, "inspection")
	// The first record survives the conflicting write unchanged.
	got, err := s.School(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullSchool(1), got, opts))
}

func testUpdateMissing(t *testing.T, s p.Store) {
	assert.ErrorIs(t, s.UpdateSchool(ctx, fullSchool(1)), p.ErrNotFound, "school")
	assert.ErrorIs(t, s.UpdateOrganisation(ctx, fullOrg("o")), p.ErrNotFound, "organisation")
	assert.ErrorIs(t, s.UpdateNetwork(ctx, fullNetwork("n")), p.ErrNotFound, "network")
	assert.ErrorIs(t, s.UpdateMembership(ctx, fullMembership("m")), p.ErrNotFound, "membership")
	assert.ErrorIs(t, s.UpdatePerson(ctx, fullPerson("p")), p.ErrNotFound, "person")
	_, err := s.School(ctx, 1)
	assert.ErrorIs(t, err, p.ErrNotFound, "an update of a missing record must not create it")
}

func testRoundTrip(t *testing.T, s p.Store) {
	// Times in another zone must keep their instant.
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.FixedZone("BST", 3600)
	}
	sc := fullSchool(137000)
	sc.Opened = time.Date(2012, 9, 1, 9, 30, 0, 0, london)
	require.NoError(t, s.InsertSchool(ctx, sc))
	gotS, err := s.School(ctx, sc.URN)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(sc, gotS, opts), "school (-want +got)")
	assert.True(t, gotS.Opened.Equal(sc.Opened), "opened keeps its instant")

	o := fullOrg("gias:1234")
	require.NoError(t, s.InsertOrganisation(ctx, o))
	gotO, err := s.Organisation(ctx, o.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(o, gotO, opts), "organisation (-want +got)")

	n := fullNetwork("net:1")
	require.NoError(t, s.InsertNetwork(ctx, n))
	gotN, err := s.Network(ctx, n.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(n, gotN, opts), "network (-want +got)")

	m := fullMembership("mem:1")
	require.NoError(t, s.InsertMembership(ctx, m))
	gotM, err := s.Membership(ctx, m.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(m, gotM, opts), "membership (-want +got)")

	pe := fullPerson("person:1")
	require.NoError(t, s.InsertPerson(ctx, pe))
	gotP, err := s.Person(ctx, pe.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(pe, gotP, opts), "person (-want +got)")

	pr := fullProgramme("prog:1")
	require.NoError(t, s.InsertProgramme(ctx, pr))
	gotPr, err := s.Programme(ctx, pr.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(pr, gotPr, opts), "programme (-want +got)")

	in := fullInspection(sc.URN, d(2023, 5, 17))
	require.NoError(t, s.InsertInspection(ctx, in))
	h, err := s.Inspections(ctx, sc.URN)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]p.Inspection{in}, h, opts), "inspections (-want +got)")

	// Zero values round-trip as zero values.
	zero := p.School{URN: 5, Name: "Minimal"}
	require.NoError(t, s.InsertSchool(ctx, zero))
	gotZ, err := s.School(ctx, 5)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(zero, gotZ, opts), "minimal school (-want +got)")
	assert.True(t, gotZ.Opened.IsZero() && gotZ.Closed.IsZero(), "zero times stay zero")
}

func testUpdate(t *testing.T, s p.Store) {
	sc := fullSchool(7)
	require.NoError(t, s.InsertSchool(ctx, sc))
	sc.Name, sc.Pupils, sc.Predecessors = "Renamed", 99, nil
	require.NoError(t, s.UpdateSchool(ctx, sc))
	got, err := s.School(ctx, 7)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(sc, got, opts))

	m := fullMembership("m")
	require.NoError(t, s.InsertMembership(ctx, m))
	m.Period.To = d(2022, 1, 1)
	require.NoError(t, s.UpdateMembership(ctx, m))
	gotM, err := s.Membership(ctx, "m")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(m, gotM, opts))
}

func testNoAliasing(t *testing.T, s p.Store) {
	sc := fullSchool(8)
	require.NoError(t, s.InsertSchool(ctx, sc))
	sc.Predecessors[0] = 1 // the caller's later change must not reach the store
	got, err := s.School(ctx, 8)
	require.NoError(t, err)
	assert.Equal(t, p.URN(900008), got.Predecessors[0])
	got.Predecessors[0] = 2 // nor a change to what it returned
	again, err := s.School(ctx, 8)
	require.NoError(t, err)
	assert.Equal(t, p.URN(900008), again.Predecessors[0])

	pe := fullPerson("p")
	require.NoError(t, s.InsertPerson(ctx, pe))
	pe.Expertise[0] = "changed"
	gotP, err := s.Person(ctx, "p")
	require.NoError(t, err)
	assert.Equal(t, p.ExpertiseID("send"), gotP.Expertise[0])
}

func collect[T any](t *testing.T, list func(p.PageRequest) (p.Page[T], error), limit int) []T {
	t.Helper()
	var out []T
	req := p.PageRequest{Limit: limit}
	for range 10000 {
		pg, err := list(req)
		require.NoError(t, err)
		if limit > 0 {
			require.LessOrEqual(t, len(pg.Items), limit, "page longer than Limit")
		}
		if pg.Next != "" {
			require.NotEmpty(t, pg.Items, "only the last page may be empty")
		}
		out = append(out, pg.Items...)
		if pg.Next == "" {
			return out
		}
		req.After = pg.Next
	}
	t.Fatal("listing did not end")
	return nil
}

func testTimeBounded(t *testing.T, s p.Store) {
	ms := []p.Membership{
		{ID: "a", Network: "n1", Member: "urn:1", Role: p.RoleMember, Period: p.Period{From: d(2018, 9, 1), To: d(2020, 9, 1)}},
		{ID: "b", Network: "n1", Member: "urn:1", Role: p.RoleLead, Period: p.Period{From: d(2020, 9, 1)}},
		{ID: "c", Network: "n1", Member: "urn:2", Role: p.RoleMember, Period: p.Period{To: d(2019, 1, 1)}},
		{ID: "d", Network: "n2", Member: "urn:1", Role: p.RolePartner},
	}
	for _, m := range ms {
		require.NoError(t, s.InsertMembership(ctx, m))
	}
	ids := func(q p.MembershipQuery) []p.MembershipID {
		got := collect(t, func(r p.PageRequest) (p.Page[p.Membership], error) { return s.ListMemberships(ctx, q, r) }, 0)
		out := make([]p.MembershipID, len(got))
		for i, m := range got {
			out[i] = m.ID
		}
		return out
	}
	cases := []struct {
		name string
		q    p.MembershipQuery
		want []p.MembershipID
	}{
		{"all", p.MembershipQuery{}, []p.MembershipID{"a", "b", "c", "d"}},
		{"network on 2019-06-01", p.MembershipQuery{Network: "n1", At: d(2019, 6, 1)}, []p.MembershipID{"a"}},
		{"network on 2018-12-31", p.MembershipQuery{Network: "n1", At: d(2018, 12, 31)}, []p.MembershipID{"a", "c"}},
		{"end is exclusive", p.MembershipQuery{Network: "n1", At: d(2020, 9, 1)}, []p.MembershipID{"b"}},
		{"member on 2025", p.MembershipQuery{Member: "urn:1", At: d(2025, 1, 1)}, []p.MembershipID{"b", "d"}},
		{"member and network", p.MembershipQuery{Member: "urn:1", Network: "n1"}, []p.MembershipID{"a", "b"}},
		{"nobody", p.MembershipQuery{Member: "urn:3"}, nil},
	}
	for _, c := range cases {
		assert.Empty(t, cmp.Diff(c.want, ids(c.q), cmpopts.EquateEmpty()), c.name)
	}
}

func testPagination(t *testing.T, s p.Store) {
	const n = 253
	var want []p.URN
	for i := n; i >= 1; i-- { // insert out of order
		u := p.URN(100000 + i*7)
		require.NoError(t, s.InsertSchool(ctx, p.School{URN: u, Name: "S"}))
		want = append(want, u)
	}
	slices.Sort(want)
	for _, limit := range []int{0, 1, 7, 100, 253, 1000} {
		got := collect(t, func(r p.PageRequest) (p.Page[p.School], error) { return s.ListSchools(ctx, p.SchoolQuery{}, r) }, limit)
		urns := make([]p.URN, len(got))
		for i, sc := range got {
			urns[i] = sc.URN
		}
		assert.Empty(t, cmp.Diff(want, urns), "limit %d: every school once, by URN", limit)
	}
	// A record inserted behind the cursor is not returned; one ahead is.
	pg, err := s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{Limit: 10})
	require.NoError(t, err)
	require.NotEmpty(t, pg.Next)
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 1, Name: "early"}))
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 999999, Name: "late"}))
	rest := collect(t, func(r p.PageRequest) (p.Page[p.School], error) {
		if r.After == "" {
			r.After = pg.Next
		}
		return s.ListSchools(ctx, p.SchoolQuery{}, r)
	}, 50)
	assert.Len(t, rest, n-10+1)
	assert.Equal(t, p.URN(999999), rest[len(rest)-1].URN)

	for i := range 30 {
		require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: p.OrgID(fmt.Sprintf("org:%02d", i)), Kind: p.OrgAlliance, Name: "A"}))
	}
	orgs := collect(t, func(r p.PageRequest) (p.Page[p.Organisation], error) {
		return s.ListOrganisations(ctx, p.OrgQuery{}, r)
	}, 4)
	require.Len(t, orgs, 30)
	assert.True(t, slices.IsSortedFunc(orgs, func(a, b p.Organisation) int { return cmpString(a.ID, b.ID) }), "organisations by ID")
}

func cmpString[S ~string](a, b S) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testFilters(t *testing.T, s p.Store) {
	schools := []p.School{
		{URN: 1, Name: "a", LA: 383, Region: "Y", Phase: p.PhasePrimary, Governance: p.GovernanceLAMaintained},
		{URN: 2, Name: "b", LA: 383, Region: "Y", Phase: p.PhaseSecondary, Governance: p.GovernanceAcademyConverter},
		{URN: 3, Name: "c", LA: 380, Region: "Y", Phase: p.PhasePrimary, Governance: p.GovernanceAcademySponsorLed},
		{URN: 4, Name: "d", LA: 201, Region: "L", Phase: p.PhasePrimary, Governance: p.GovernanceLAMaintained},
	}
	for _, sc := range schools {
		require.NoError(t, s.InsertSchool(ctx, sc))
	}
	urns := func(q p.SchoolQuery, limit int) []p.URN {
		got := collect(t, func(r p.PageRequest) (p.Page[p.School], error) { return s.ListSchools(ctx, q, r) }, limit)
		var out []p.URN
		for _, sc := range got {
			out = append(out, sc.URN)
		}
		return out
	}
	assert.Equal(t, []p.URN{1, 2}, urns(p.SchoolQuery{LA: 383}, 1))
	assert.Equal(t, []p.URN{1, 3, 4}, urns(p.SchoolQuery{Phase: p.PhasePrimary}, 1))
	assert.Equal(t, []p.URN{1, 3}, urns(p.SchoolQuery{Phase: p.PhasePrimary, Region: "Y"}, 1))
	assert.Equal(t, []p.URN{1, 4}, urns(p.SchoolQuery{Governance: p.GovernanceLAMaintained}, 0))
	assert.Empty(t, urns(p.SchoolQuery{LA: 999}, 0))

	require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: "x", Kind: p.OrgUniversity, Name: "U"}))
	require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: "y", Kind: p.OrgConnector, Name: "C"}))
	pg, err := s.ListOrganisations(ctx, p.OrgQuery{Kind: p.OrgConnector}, p.PageRequest{})
	require.NoError(t, err)
	require.Len(t, pg.Items, 1)
	assert.Equal(t, p.OrgID("y"), pg.Items[0].ID)

	require.NoError(t, s.InsertNetwork(ctx, p.Network{ID: "n1", Kind: p.NetworkHub, Name: "H"}))
	require.NoError(t, s.InsertNetwork(ctx, p.Network{ID: "n2", Kind: p.NetworkTrust, Name: "T"}))
	pn, err := s.ListNetworks(ctx, p.NetworkQuery{Kind: p.NetworkHub}, p.PageRequest{})
	require.NoError(t, err)
	require.Len(t, pn.Items, 1)
	assert.Equal(t, p.NetworkID("n1"), pn.Items[0].ID)

	require.NoError(t, s.InsertPerson(ctx, p.Person{ID: "p1", Role: p.RoleHeadteacher, Home: "urn:1", Expertise: []p.ExpertiseID{"send"}}))
	require.NoError(t, s.InsertPerson(ctx, p.Person{ID: "p2", Role: p.RoleSpecialistLeader, Home: "urn:1", Expertise: []p.ExpertiseID{"maths"}}))
	require.NoError(t, s.InsertPerson(ctx, p.Person{ID: "p3", Role: p.RoleSpecialistLeader, Home: "urn:2", Expertise: []p.ExpertiseID{"send"}}))
	people := func(q p.PersonQuery) []p.PersonID {
		got := collect(t, func(r p.PageRequest) (p.Page[p.Person], error) { return s.ListPeople(ctx, q, r) }, 1)
		var out []p.PersonID
		for _, v := range got {
			out = append(out, v.ID)
		}
		return out
	}
	assert.Equal(t, []p.PersonID{"p1", "p2"}, people(p.PersonQuery{Home: "urn:1"}))
	assert.Equal(t, []p.PersonID{"p2", "p3"}, people(p.PersonQuery{Role: p.RoleSpecialistLeader}))
	assert.Equal(t, []p.PersonID{"p1", "p3"}, people(p.PersonQuery{Expertise: "send"}))
}

func testInspections(t *testing.T, s p.Store) {
	dates := []time.Time{d(2014, 3, 1), d(2022, 6, 30), d(2009, 1, 15), d(2018, 11, 2)}
	for _, on := range dates {
		require.NoError(t, s.InsertInspection(ctx, fullInspection(10, on)))
	}
	require.NoError(t, s.InsertInspection(ctx, fullInspection(11, d(2014, 3, 1))), "same date, other school")
	h, err := s.Inspections(ctx, 10)
	require.NoError(t, err)
	var got []time.Time
	for _, in := range h {
		got = append(got, in.Date)
	}
	assert.Empty(t, cmp.Diff([]time.Time{d(2022, 6, 30), d(2018, 11, 2), d(2014, 3, 1), d(2009, 1, 15)}, got, opts), "newest first")
}

func testCancellation(t *testing.T, s p.Store) {
	require.NoError(t, s.InsertSchool(ctx, fullSchool(1)))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	checks := map[string]error{
		"InsertSchool":       s.InsertSchool(cctx, fullSchool(2)),
		"UpdateSchool":       s.UpdateSchool(cctx, fullSchool(1)),
		"InsertOrganisation": s.InsertOrganisation(cctx, fullOrg("o")),
		"InsertNetwork":      s.InsertNetwork(cctx, fullNetwork("n")),
		"InsertMembership":   s.InsertMembership(cctx, fullMembership("m")),
		"InsertPerson":       s.InsertPerson(cctx, fullPerson("p")),
		"InsertProgramme":    s.InsertProgramme(cctx, fullProgramme("g")),
		"InsertInspection":   s.InsertInspection(cctx, fullInspection(1, d(2020, 1, 1))),
	}
	_, checks["School"] = s.School(cctx, 1)
	_, checks["ListSchools"] = s.ListSchools(cctx, p.SchoolQuery{}, p.PageRequest{})
	_, checks["ListMemberships"] = s.ListMemberships(cctx, p.MembershipQuery{}, p.PageRequest{})
	_, checks["Inspections"] = s.Inspections(cctx, 1)
	for name, err := range checks {
		assert.ErrorIs(t, err, context.Canceled, name)
	}
	// Nothing was written.
	_, err := s.School(ctx, 2)
	assert.ErrorIs(t, err, p.ErrNotFound)
	got, err := s.School(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullSchool(1), got, opts))
	h, err := s.Inspections(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, h)
}

func testConcurrency(t *testing.T, s p.Store) {
	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*4)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				u := p.URN(w*1000 + i + 1)
				if err := s.InsertSchool(ctx, fullSchool(u)); err != nil {
					errs <- err
				}
				if _, err := s.School(ctx, u); err != nil {
					errs <- err
				}
				if err := s.InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprintf("m%d", u)), Network: "n", Member: u.OrgID(), Role: p.RoleMember}); err != nil {
					errs <- err
				}
				if _, err := s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{Limit: 5}); err != nil {
					errs <- err
				}
			}
		}()
	}
	// Everyone races to insert the same key: exactly one wins.
	var wins sync.WaitGroup
	results := make(chan error, workers)
	for range workers {
		wins.Add(1)
		go func() { defer wins.Done(); results <- s.InsertOrganisation(ctx, fullOrg("contested")) }()
	}
	wg.Wait()
	wins.Wait()
	close(errs)
	close(results)
	for err := range errs {
		t.Error(err)
	}
	ok := 0
	for err := range results {
		if err == nil {
			ok++
		} else if !errors.Is(err, p.ErrConflict) {
			t.Errorf("contested insert: %v", err)
		}
	}
	assert.Equal(t, 1, ok, "exactly one concurrent insert of the same ID succeeds")
	all := collect(t, func(r p.PageRequest) (p.Page[p.School], error) { return s.ListSchools(ctx, p.SchoolQuery{}, r) }, 0)
	assert.Len(t, all, workers*each)
}

func testBulkLoad(t *testing.T, s p.Store) {
	bl, ok := s.(p.BulkLoader)
	if !ok {
		// BulkLoader is optional; without it the Service inserts record by
		// record, which the other tests cover.
		return
	}
	ds := &p.Dataset{
		Schools:       []p.School{fullSchool(1), fullSchool(2)},
		Organisations: []p.Organisation{fullOrg("o")},
		Networks:      []p.Network{fullNetwork("n")},
		Memberships:   []p.Membership{fullMembership("m")},
		People:        []p.Person{fullPerson("p")},
		Programmes:    []p.Programme{fullProgramme("g")},
		Inspections:   []p.Inspection{fullInspection(1, d(2019, 1, 1))},
	}
	require.NoError(t, bl.LoadDataset(ctx, ds))
	got, err := s.School(ctx, 2)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullSchool(2), got, opts))

	// A conflict anywhere writes nothing.
	bad := &p.Dataset{
		Schools:     []p.School{fullSchool(3)},
		Inspections: []p.Inspection{fullInspection(1, d(2019, 1, 1))},
	}
	require.ErrorIs(t, bl.LoadDataset(ctx, bad), p.ErrConflict)
	_, err = s.School(ctx, 3)
	assert.ErrorIs(t, err, p.ErrNotFound, "a failed bulk load must write nothing")
}

func testEnrolments(t *testing.T, s p.Store) {
	es, err := s.Enrolments(ctx, "g")
	require.NoError(t, err)
	assert.Empty(t, es)
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G"}))
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "h", Name: "H"}))
	for _, who := range []p.PersonID{"zed", "amy", "kim"} {
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: who, Role: p.RoleHeadteacher}))
	}
	for _, who := range []p.PersonID{"zed", "amy", "kim"} {
		require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: who, On: d(2024, 9, 1)}))
	}
	require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "h", Person: "amy", On: d(2024, 9, 2)}))
	assert.ErrorIs(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "amy", On: d(2025, 1, 1)}), p.ErrConflict)
	es, err = s.Enrolments(ctx, "g")
	require.NoError(t, err)
	want := []p.Enrolment{
		{Programme: "g", Person: "amy", On: d(2024, 9, 1)},
		{Programme: "g", Person: "kim", On: d(2024, 9, 1)},
		{Programme: "g", Person: "zed", On: d(2024, 9, 1)},
	}
	assert.Empty(t, cmp.Diff(want, es, opts), "by person ID (-want +got)")
}
