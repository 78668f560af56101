// Package partnershiptest is the conformance suite for partnership.Store
// implementations. A store that passes it meets every contract documented in
// package partnership (store.go), so the Service behaves the same over it as
// over the in-memory store:
//
//	func TestConformance(t *testing.T) {
//		partnershiptest.Run(t, func(t *testing.T) partnership.Store {
//			return mystore.Open(t.TempDir())
//		})
//	}
//
// newStore must return a new, empty store each time it is called. Run it
// under -race: the suite includes concurrent use, and checks that the
// invariants the Store enforces (no overlapping memberships, no overfilled
// programme) hold when callers race.
//
// What it checks, by contract: ErrNotFound and ErrConflict for every
// method; records read back field for field, times to the microsecond in
// any zone, the zero time kept as zero; no aliasing of slices in either
// direction; every paging rule stated in store.go (key order, Limit, only
// the last page empty, cursors as positions not counts, cursors surviving
// deletion, filters before Limit); a cancelled context refused by every
// method with nothing read or written; the membership and capacity
// invariants, alone and under concurrent callers; erasure of a person with
// their enrolments; BulkLoader, when present, loading everything or
// nothing. The suite's own tests run it against more than 25 deliberately
// broken stores and require it to fail on each.
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

// tb is what the checks need of a test; *testing.T has it. The suite's own
// tests pass a recorder, to run it against broken stores.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

// check is one test of the suite, run on a new, empty store.
type check struct {
	name string
	fn   func(tb, p.Store)
}

// checks lists the suite's tests.
var checks = []check{
	{"NotFound", testNotFound},
	{"Conflict", testConflict},
	{"UpdateMissing", testUpdateMissing},
	{"RoundTrip", testRoundTrip},
	{"Times", testTimes},
	{"Update", testUpdate},
	{"NoAliasing", testNoAliasing},
	{"TimeBoundedMemberships", testTimeBounded},
	{"Pagination", testPagination},
	{"PagingCursors", testPagingCursors},
	{"Filters", testFilters},
	{"Inspections", testInspections},
	{"Enrolments", testEnrolments},
	{"MembershipInvariant", testMembershipInvariant},
	{"Erasure", testErasure},
	{"Cancellation", testCancellation},
	{"Concurrency", testConcurrency},
	{"ConcurrentInvariants", testConcurrentInvariants},
	{"BulkLoad", testBulkLoad},
	{"ByteOrder", testByteOrder},
	{"LongText", testLongText},
	{"EmptyLists", testEmptyLists},
}

// Run runs the conformance suite against stores made by newStore, one new
// store per subtest.
func Run(t *testing.T, newStore func(t *testing.T) p.Store) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

var (
	ctx = context.Background()
	d   = func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	// london is a zone with summer time; a fixed +01:00 stands in when the
	// zone database is missing.
	london = func() *time.Location {
		l, err := time.LoadLocation("Europe/London")
		if err != nil {
			return time.FixedZone("BST", 3600)
		}
		return l
	}()
	// at is a time with hours, minutes, seconds and microseconds in a zone
	// that is not UTC: what a Store must keep (to the microsecond).
	at = func(y int, m time.Month, day int) time.Time {
		return time.Date(y, m, day, 9, 30, 15, 123456000, london)
	}
	// opts compares records as the contracts define equality: times by
	// instant, nil and empty slices alike.
	opts = cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateApproxTime(0)}
)

// fullSchool returns a school with every field set.
func fullSchool(u p.URN) p.School {
	return p.School{
		URN: u, Name: fmt.Sprintf("School %d", u), Phase: p.PhaseSecondary,
		EstablishmentType: "Academy converter", Governance: p.GovernanceAcademyConverter,
		LA: 383, LAName: "Leeds", Region: "Yorkshire and The Humber", Postcode: "LS1 1AA",
		UrbanRural: "Urban major conurbation", Location: p.Location{Lat: 53.8, Lon: -1.55},
		Pupils: p.Known(1200), FSMPercent: p.Known(23.5), TrustName: "Red Kite Learning Trust",
		Opened: at(2012, 9, 1), Closed: at(2030, 8, 31), Predecessors: []p.URN{u + 900000},
	}
}

func fullOrg(id p.OrgID) p.Organisation {
	return p.Organisation{ID: id, Kind: p.OrgMultiAcademyTrust, Name: "Trust " + string(id), Ref: "TR01234",
		Region: "Yorkshire and The Humber", Location: p.Location{Lat: 53.9, Lon: -1.5},
		Active: p.Period{From: at(2011, 4, 1), To: at(2040, 1, 1)}}
}

func fullNetwork(id p.NetworkID) p.Network {
	return p.Network{ID: id, Kind: p.NetworkAlliance, Name: "Alliance " + string(id), Purpose: "peer review",
		Basis: p.BasisGeography, Coordinator: "org:1", CoordinatingGroup: []p.PersonID{"a", "b"},
		Active: p.Period{From: at(2015, 9, 1), To: at(2035, 8, 31)}}
}

func fullMembership(id p.MembershipID) p.Membership {
	return p.Membership{ID: id, Network: "net:1", Member: p.URN(100001).OrgID(), Role: p.RoleHub,
		Period: p.Period{From: at(2020, 9, 1), To: at(2023, 8, 31)}}
}

func fullPerson(id p.PersonID) p.Person {
	return p.Person{ID: id, Role: p.RoleSpecialistLeader, Name: "R. Reviewer", Home: p.URN(100001).OrgID(),
		Expertise: []p.ExpertiseID{"send", "early-reading"}, Phases: []p.Phase{p.PhasePrimary}, CapacityDays: 12.5}
}

func fullProgramme(id p.ProgrammeID) p.Programme {
	return p.Programme{ID: id, Name: "Sixth Form Advantage", Provider: "org:hfl", Partners: []p.OrgID{"org:1"},
		Areas: []p.ExpertiseID{"sixth-form"}, Capacity: 30, Period: p.Period{From: at(2024, 9, 1), To: at(2025, 7, 31)},
		Eligibility: p.Eligibility{Networks: []p.NetworkID{"net:1"}, Phases: []p.Phase{p.PhaseSecondary},
			Roles: []p.Role{p.RoleSubjectLead}, SoleInRole: true}}
}

func fullInspection(u p.URN, on time.Time) p.Inspection {
	return p.Inspection{URN: u, Date: on, Overall: p.RatingGood,
		Judgements:   []p.KeyJudgement{{Area: p.JudgementQualityOfEducation, Rating: p.RatingRequiresImprovement}},
		Areas:        []p.AreaGrade{{Area: p.AreaInclusion, Grade: p.GradeStrongStandard}},
		Safeguarding: p.SafeguardingMet}
}

// snapshot is everything a store holds that the suite can see.
type snapshot struct {
	Schools       []p.School
	Organisations []p.Organisation
	Networks      []p.Network
	Memberships   []p.Membership
	People        []p.Person
	Programmes    []p.Programme
	Inspections   map[p.URN][]p.Inspection
	Enrolments    map[p.ProgrammeID][]p.Enrolment
}

// snap reads everything the store holds: every listing, the inspections of
// the listed schools and of urns, the enrolments of the listed programmes
// and of progs.
func snap(t tb, s p.Store, urns []p.URN, progs []p.ProgrammeID) snapshot {
	t.Helper()
	var sn snapshot
	sn.Schools = collect(t, func(r p.PageRequest) (p.Page[p.School], error) { return s.ListSchools(ctx, p.SchoolQuery{}, r) }, 0)
	sn.Organisations = collect(t, func(r p.PageRequest) (p.Page[p.Organisation], error) {
		return s.ListOrganisations(ctx, p.OrgQuery{}, r)
	}, 0)
	sn.Networks = collect(t, func(r p.PageRequest) (p.Page[p.Network], error) { return s.ListNetworks(ctx, p.NetworkQuery{}, r) }, 0)
	sn.Memberships = collect(t, func(r p.PageRequest) (p.Page[p.Membership], error) {
		return s.ListMemberships(ctx, p.MembershipQuery{}, r)
	}, 0)
	sn.People = collect(t, func(r p.PageRequest) (p.Page[p.Person], error) { return s.ListPeople(ctx, p.PersonQuery{}, r) }, 0)
	sn.Programmes = collect(t, func(r p.PageRequest) (p.Page[p.Programme], error) { return s.ListProgrammes(ctx, r) }, 0)
	sn.Inspections = map[p.URN][]p.Inspection{}
	for _, sc := range sn.Schools {
		urns = append(urns, sc.URN)
	}
	for _, u := range urns {
		h, err := s.Inspections(ctx, u)
		require.NoError(t, err)
		if len(h) > 0 {
			sn.Inspections[u] = h
		}
	}
	sn.Enrolments = map[p.ProgrammeID][]p.Enrolment{}
	for _, pr := range sn.Programmes {
		progs = append(progs, pr.ID)
	}
	for _, id := range progs {
		es, err := s.Enrolments(ctx, id)
		require.NoError(t, err)
		if len(es) > 0 {
			sn.Enrolments[id] = es
		}
	}
	return sn
}

// populate stores one full record of every kind, with an enrolment.
func populate(t tb, s p.Store) {
	t.Helper()
	require.NoError(t, s.InsertSchool(ctx, fullSchool(1)))
	require.NoError(t, s.InsertOrganisation(ctx, fullOrg("o")))
	require.NoError(t, s.InsertNetwork(ctx, fullNetwork("n")))
	require.NoError(t, s.InsertMembership(ctx, fullMembership("m")))
	require.NoError(t, s.InsertPerson(ctx, fullPerson("p")))
	require.NoError(t, s.InsertProgramme(ctx, fullProgramme("g")))
	require.NoError(t, s.InsertInspection(ctx, fullInspection(1, at(2019, 1, 1))))
	require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "p", On: at(2024, 9, 2)}))
}

func testNotFound(t tb, s p.Store) {
	checks := map[string]error{}
	_, checks["School"] = s.School(ctx, 1)
	_, checks["Organisation"] = s.Organisation(ctx, "x")
	_, checks["Network"] = s.Network(ctx, "x")
	_, checks["Membership"] = s.Membership(ctx, "x")
	_, checks["Person"] = s.Person(ctx, "x")
	_, checks["Programme"] = s.Programme(ctx, "x")
	checks["DeletePerson"] = s.DeletePerson(ctx, "x")
	checks["InsertEnrolment no programme, no person"] = s.InsertEnrolment(ctx, p.Enrolment{Programme: "x", Person: "y"})
	require.NoError(t, s.InsertPerson(ctx, fullPerson("y")))
	checks["InsertEnrolment no programme"] = s.InsertEnrolment(ctx, p.Enrolment{Programme: "x", Person: "y"})
	require.NoError(t, s.InsertProgramme(ctx, fullProgramme("x")))
	checks["InsertEnrolment no person"] = s.InsertEnrolment(ctx, p.Enrolment{Programme: "x", Person: "z"})
	for name, err := range checks {
		assert.ErrorIs(t, err, p.ErrNotFound, name)
	}
	h, err := s.Inspections(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, h)
	es, err := s.Enrolments(ctx, "x")
	require.NoError(t, err)
	assert.Empty(t, es, "a refused enrolment is not stored")
}

func testConflict(t tb, s p.Store) {
	populate(t, s)
	before := snap(t, s, nil, nil)
	other := func(sc p.School) p.School { sc.Name = "Other"; return sc }
	assert.ErrorIs(t, s.InsertSchool(ctx, other(fullSchool(1))), p.ErrConflict, "school")
	o := fullOrg("o")
	o.Name = "Other"
	assert.ErrorIs(t, s.InsertOrganisation(ctx, o), p.ErrConflict, "organisation")
	n := fullNetwork("n")
	n.Name = "Other"
	assert.ErrorIs(t, s.InsertNetwork(ctx, n), p.ErrConflict, "network")
	m := fullMembership("m")
	m.Network = "elsewhere"
	assert.ErrorIs(t, s.InsertMembership(ctx, m), p.ErrConflict, "membership ID")
	pe := fullPerson("p")
	pe.Name = "Other"
	assert.ErrorIs(t, s.InsertPerson(ctx, pe), p.ErrConflict, "person")
	pr := fullProgramme("g")
	pr.Name = "Other"
	assert.ErrorIs(t, s.InsertProgramme(ctx, pr), p.ErrConflict, "programme")
	in := fullInspection(1, at(2019, 1, 1))
	in.Overall = p.RatingInadequate
	assert.ErrorIs(t, s.InsertInspection(ctx, in), p.ErrConflict, "inspection")
	assert.ErrorIs(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "p", On: at(2025, 1, 1)}), p.ErrConflict, "enrolment")
	// The first records survive the conflicting writes unchanged.
	assert.Empty(t, cmp.Diff(before, snap(t, s, nil, nil), opts), "a refused write changed the store (-before +after)")
}

func testUpdateMissing(t tb, s p.Store) {
	assert.ErrorIs(t, s.UpdateSchool(ctx, fullSchool(1)), p.ErrNotFound, "school")
	assert.ErrorIs(t, s.UpdateOrganisation(ctx, fullOrg("o")), p.ErrNotFound, "organisation")
	assert.ErrorIs(t, s.UpdateNetwork(ctx, fullNetwork("n")), p.ErrNotFound, "network")
	assert.ErrorIs(t, s.UpdateMembership(ctx, fullMembership("m")), p.ErrNotFound, "membership")
	assert.ErrorIs(t, s.UpdatePerson(ctx, fullPerson("p")), p.ErrNotFound, "person")
	assert.ErrorIs(t, s.DeletePerson(ctx, "p"), p.ErrNotFound, "delete person")
	assert.Empty(t, cmp.Diff(snapshot{Inspections: map[p.URN][]p.Inspection{}, Enrolments: map[p.ProgrammeID][]p.Enrolment{}},
		snap(t, s, []p.URN{1}, []p.ProgrammeID{"g"}), opts), "an update of a missing record must not create it")
}

// roundTrip stores every kind of record as given and checks each reads back
// equal, field for field.
func roundTrip(t tb, s p.Store, sc p.School, o p.Organisation, n p.Network, m p.Membership, pe p.Person, pr p.Programme, in p.Inspection, e p.Enrolment) {
	t.Helper()
	require.NoError(t, s.InsertSchool(ctx, sc))
	gotS, err := s.School(ctx, sc.URN)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(sc, gotS, opts), "school (-want +got)")

	require.NoError(t, s.InsertOrganisation(ctx, o))
	gotO, err := s.Organisation(ctx, o.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(o, gotO, opts), "organisation (-want +got)")

	require.NoError(t, s.InsertNetwork(ctx, n))
	gotN, err := s.Network(ctx, n.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(n, gotN, opts), "network (-want +got)")

	require.NoError(t, s.InsertMembership(ctx, m))
	gotM, err := s.Membership(ctx, m.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(m, gotM, opts), "membership (-want +got)")

	require.NoError(t, s.InsertPerson(ctx, pe))
	gotP, err := s.Person(ctx, pe.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(pe, gotP, opts), "person (-want +got)")

	require.NoError(t, s.InsertProgramme(ctx, pr))
	gotPr, err := s.Programme(ctx, pr.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(pr, gotPr, opts), "programme (-want +got)")

	require.NoError(t, s.InsertInspection(ctx, in))
	h, err := s.Inspections(ctx, in.URN)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]p.Inspection{in}, h, opts), "inspections (-want +got)")

	require.NoError(t, s.InsertEnrolment(ctx, e))
	es, err := s.Enrolments(ctx, e.Programme)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]p.Enrolment{e}, es, opts), "enrolments (-want +got)")

	// Listings return the same records as the getters.
	sn := snap(t, s, nil, nil)
	assert.Empty(t, cmp.Diff([]p.School{sc}, sn.Schools, opts), "listed school (-want +got)")
	assert.Empty(t, cmp.Diff([]p.Membership{m}, sn.Memberships, opts), "listed membership (-want +got)")
	assert.Empty(t, cmp.Diff([]p.Person{pe}, sn.People, opts), "listed person (-want +got)")
	assert.Empty(t, cmp.Diff([]p.Programme{pr}, sn.Programmes, opts), "listed programme (-want +got)")
	assert.Empty(t, cmp.Diff([]p.Network{n}, sn.Networks, opts), "listed network (-want +got)")
	assert.Empty(t, cmp.Diff([]p.Organisation{o}, sn.Organisations, opts), "listed organisation (-want +got)")
}

func testRoundTrip(t tb, s p.Store) {
	sc := fullSchool(137000)
	pe := fullPerson("person:1")
	pe.Home = sc.URN.OrgID()
	roundTrip(t, s, sc, fullOrg("gias:1234"), fullNetwork("net:1"), fullMembership("mem:1"), pe,
		fullProgramme("prog:1"), fullInspection(sc.URN, at(2023, 5, 17)),
		p.Enrolment{Programme: "prog:1", Person: pe.ID, On: at(2024, 10, 3)})
}

// testTimes: zero values round-trip as zero values (the zero time means
// "not set" everywhere), and times keep their instant to the microsecond
// in summer and winter, in and out of UTC.
func testTimes(t tb, s p.Store) {
	roundTrip(t, s, p.School{URN: 5, Name: "Minimal"}, p.Organisation{ID: "o", Name: "O"}, p.Network{ID: "n"},
		p.Membership{ID: "m"}, p.Person{ID: "x"}, p.Programme{ID: "g"}, p.Inspection{URN: 5}, p.Enrolment{Programme: "g", Person: "x"})
	sc, err := s.School(ctx, 5)
	require.NoError(t, err)
	assert.True(t, sc.Opened.IsZero() && sc.Closed.IsZero(), "zero school times stay zero")
	m, err := s.Membership(ctx, "m")
	require.NoError(t, err)
	assert.True(t, m.Period.From.IsZero() && m.Period.To.IsZero(), "zero period stays zero")
	es, err := s.Enrolments(ctx, "g")
	require.NoError(t, err)
	if assert.Len(t, es, 1) {
		assert.True(t, es[0].On.IsZero(), "zero enrolment date stays zero")
	}

	winter := time.Date(2021, 1, 31, 23, 59, 59, 999999000, london)
	utc := time.Date(2022, 3, 27, 0, 59, 59, 1000, time.UTC) // just before the clocks go forward
	east := time.Date(2023, 7, 1, 0, 30, 0, 250000000, time.FixedZone("UTC+13", 13*3600))
	for i, tm := range []time.Time{winter, utc, east} {
		u := p.URN(10 + i)
		require.NoError(t, s.InsertSchool(ctx, p.School{URN: u, Name: "T", Opened: tm}))
		got, err := s.School(ctx, u)
		require.NoError(t, err)
		assert.True(t, got.Opened.Equal(tm), "time %v read back as %v", tm, got.Opened)
		require.NoError(t, s.InsertInspection(ctx, p.Inspection{URN: u, Date: tm, Overall: p.RatingGood}))
		h, err := s.Inspections(ctx, u)
		require.NoError(t, err)
		if assert.Len(t, h, 1) {
			assert.True(t, h[0].Date.Equal(tm), "inspection date %v read back as %v", tm, h[0].Date)
		}
	}
}

func testUpdate(t tb, s p.Store) {
	sc := fullSchool(7)
	require.NoError(t, s.InsertSchool(ctx, sc))
	sc.Name, sc.Pupils, sc.Predecessors = "Renamed", p.Known(99), nil
	require.NoError(t, s.UpdateSchool(ctx, sc))
	got, err := s.School(ctx, 7)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(sc, got, opts))

	m := fullMembership("m")
	require.NoError(t, s.InsertMembership(ctx, m))
	m.Period.To = at(2022, 1, 1)
	require.NoError(t, s.UpdateMembership(ctx, m))
	gotM, err := s.Membership(ctx, "m")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(m, gotM, opts))

	for _, f := range []func() error{
		func() error { o := fullOrg("o"); return s.InsertOrganisation(ctx, o) },
		func() error { o := fullOrg("o"); o.Name = "Renamed"; return s.UpdateOrganisation(ctx, o) },
		func() error { return s.InsertNetwork(ctx, fullNetwork("n")) },
		func() error {
			n := fullNetwork("n")
			n.CoordinatingGroup = []p.PersonID{"c"}
			return s.UpdateNetwork(ctx, n)
		},
		func() error { return s.InsertPerson(ctx, fullPerson("p")) },
		func() error { pe := fullPerson("p"); pe.Name = "Corrected"; return s.UpdatePerson(ctx, pe) },
	} {
		require.NoError(t, f())
	}
	o, err := s.Organisation(ctx, "o")
	require.NoError(t, err)
	assert.Equal(t, "Renamed", o.Name)
	n, err := s.Network(ctx, "n")
	require.NoError(t, err)
	assert.Equal(t, []p.PersonID{"c"}, n.CoordinatingGroup)
	pe, err := s.Person(ctx, "p")
	require.NoError(t, err)
	assert.Equal(t, "Corrected", pe.Name)
}

func testNoAliasing(t tb, s p.Store) {
	sc := fullSchool(8)
	require.NoError(t, s.InsertSchool(ctx, sc))
	sc.Predecessors[0] = 1 // the caller's later change must not reach the store
	got, err := s.School(ctx, 8)
	require.NoError(t, err)
	require.Len(t, got.Predecessors, 1)
	assert.Equal(t, p.URN(900008), got.Predecessors[0], "school: insert aliases the caller's slice")
	got.Predecessors[0] = 2 // nor a change to what it returned
	again, err := s.School(ctx, 8)
	require.NoError(t, err)
	assert.Equal(t, p.URN(900008), again.Predecessors[0], "school: read returns the store's slice")
	pg, err := s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{})
	require.NoError(t, err)
	require.Len(t, pg.Items, 1)
	pg.Items[0].Predecessors[0] = 3
	again, err = s.School(ctx, 8)
	require.NoError(t, err)
	assert.Equal(t, p.URN(900008), again.Predecessors[0], "school: list returns the store's slice")
	pg, err = s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{})
	require.NoError(t, err)
	require.Len(t, pg.Items, 1)
	assert.Equal(t, p.URN(900008), pg.Items[0].Predecessors[0], "school: lists share a slice")

	pe := fullPerson("p")
	require.NoError(t, s.InsertPerson(ctx, pe))
	pe.Expertise[0], pe.Phases[0] = "changed", p.PhaseNursery
	gotP, err := s.Person(ctx, "p")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullPerson("p"), gotP, opts), "person: insert aliases")
	gotP.Expertise[0] = "changed"
	gotP, err = s.Person(ctx, "p")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullPerson("p"), gotP, opts), "person: read aliases")

	n := fullNetwork("n")
	require.NoError(t, s.InsertNetwork(ctx, n))
	n.CoordinatingGroup[0] = "changed"
	gotN, err := s.Network(ctx, "n")
	require.NoError(t, err)
	gotN.CoordinatingGroup[1] = "changed"
	gotN, err = s.Network(ctx, "n")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullNetwork("n"), gotN, opts), "network aliases")

	pr := fullProgramme("g")
	require.NoError(t, s.InsertProgramme(ctx, pr))
	pr.Partners[0], pr.Areas[0], pr.Eligibility.Networks[0], pr.Eligibility.Phases[0], pr.Eligibility.Roles[0] =
		"x", "x", "x", p.PhaseNursery, p.RoleGovernor
	gotPr, err := s.Programme(ctx, "g")
	require.NoError(t, err)
	gotPr.Partners[0], gotPr.Eligibility.Networks[0] = "y", "y"
	gotPr, err = s.Programme(ctx, "g")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(fullProgramme("g"), gotPr, opts), "programme aliases")

	in := fullInspection(8, at(2020, 2, 2))
	require.NoError(t, s.InsertInspection(ctx, in))
	in.Areas[0].Grade, in.Judgements[0].Rating = p.GradeExceptional, p.RatingOutstanding
	h, err := s.Inspections(ctx, 8)
	require.NoError(t, err)
	require.Len(t, h, 1)
	h[0].Areas[0].Grade, h[0].Judgements[0].Rating = p.GradeNeedsAttention, p.RatingInadequate
	h, err = s.Inspections(ctx, 8)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff([]p.Inspection{fullInspection(8, at(2020, 2, 2))}, h, opts), "inspection aliases")
}

// collect follows a listing to its end, checking the page rules of
// store.go on the way.
func collect[T any](t tb, list func(p.PageRequest) (p.Page[T], error), limit int) []T {
	t.Helper()
	var out []T
	req := p.PageRequest{Limit: limit}
	for range 2000 {
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
	t.Errorf("listing did not end after 2000 pages")
	t.FailNow()
	return nil
}

func testTimeBounded(t tb, s p.Store) {
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
		got := collect(t, func(r p.PageRequest) (p.Page[p.Membership], error) { return s.ListMemberships(ctx, q, r) }, 1)
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
		{"an instant before the end", p.MembershipQuery{Network: "n1", At: d(2020, 9, 1).Add(-time.Microsecond)}, []p.MembershipID{"a"}},
		{"member on 2025", p.MembershipQuery{Member: "urn:1", At: d(2025, 1, 1)}, []p.MembershipID{"b", "d"}},
		{"member and network", p.MembershipQuery{Member: "urn:1", Network: "n1"}, []p.MembershipID{"a", "b"}},
		{"nobody", p.MembershipQuery{Member: "urn:3"}, nil},
	}
	for _, c := range cases {
		assert.Empty(t, cmp.Diff(c.want, ids(c.q), cmpopts.EquateEmpty()), c.name)
	}
}

func urnsOf(schools []p.School) []p.URN {
	out := make([]p.URN, len(schools))
	for i, sc := range schools {
		out[i] = sc.URN
	}
	return out
}

func testPagination(t tb, s p.Store) {
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
		assert.Empty(t, cmp.Diff(want, urnsOf(got)), "limit %d: every school once, by URN", limit)
	}
	for i := range 30 {
		require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: p.OrgID(fmt.Sprintf("org:%02d", 29-i)), Kind: p.OrgAlliance, Name: "A"}))
		require.NoError(t, s.InsertNetwork(ctx, p.Network{ID: p.NetworkID(fmt.Sprintf("n:%02d", (i*7)%30)), Kind: p.NetworkHub, Name: "N"}))
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: p.PersonID(fmt.Sprintf("p:%02d", (i*11)%30)), Role: p.RoleTeacher}))
		require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: p.ProgrammeID(fmt.Sprintf("g:%02d", (i*13)%30)), Name: "G"}))
		require.NoError(t, s.InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprintf("m:%02d", (i*17)%30)), Network: "n", Member: p.OrgID(fmt.Sprint(i))}))
	}
	ids := func(n int, prefix string) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s:%02d", prefix, i))
		}
		return out
	}
	orgs := collect(t, func(r p.PageRequest) (p.Page[p.Organisation], error) {
		return s.ListOrganisations(ctx, p.OrgQuery{}, r)
	}, 4)
	nets := collect(t, func(r p.PageRequest) (p.Page[p.Network], error) { return s.ListNetworks(ctx, p.NetworkQuery{}, r) }, 4)
	people := collect(t, func(r p.PageRequest) (p.Page[p.Person], error) { return s.ListPeople(ctx, p.PersonQuery{}, r) }, 4)
	progs := collect(t, func(r p.PageRequest) (p.Page[p.Programme], error) { return s.ListProgrammes(ctx, r) }, 4)
	mems := collect(t, func(r p.PageRequest) (p.Page[p.Membership], error) {
		return s.ListMemberships(ctx, p.MembershipQuery{}, r)
	}, 4)
	assert.Equal(t, ids(30, "org"), mapIDs(orgs, func(v p.Organisation) string { return string(v.ID) }), "organisations by ID")
	assert.Equal(t, ids(30, "n"), mapIDs(nets, func(v p.Network) string { return string(v.ID) }), "networks by ID")
	assert.Equal(t, ids(30, "p"), mapIDs(people, func(v p.Person) string { return string(v.ID) }), "people by ID")
	assert.Equal(t, ids(30, "g"), mapIDs(progs, func(v p.Programme) string { return string(v.ID) }), "programmes by ID")
	assert.Equal(t, ids(30, "m"), mapIDs(mems, func(v p.Membership) string { return string(v.ID) }), "memberships by ID")
}

func mapIDs[T any](vs []T, id func(T) string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = id(v)
	}
	return out
}

// testPagingCursors: a cursor is a position in key order, not a count, and
// survives the deletion of the record it was taken from.
func testPagingCursors(t tb, s p.Store) {
	for i := 1; i <= 20; i++ {
		require.NoError(t, s.InsertSchool(ctx, p.School{URN: p.URN(i * 10), Name: "S"}))
	}
	pg, err := s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{Limit: 5})
	require.NoError(t, err)
	require.NotEmpty(t, pg.Next)
	require.Equal(t, []p.URN{10, 20, 30, 40, 50}, urnsOf(pg.Items))
	// Inserted behind the cursor: not returned; ahead of it: returned.
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 1, Name: "early"}))
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 2, Name: "early"}))
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 55, Name: "ahead"}))
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 999, Name: "late"}))
	rest := collect(t, func(r p.PageRequest) (p.Page[p.School], error) {
		if r.After == "" {
			r.After = pg.Next
		}
		return s.ListSchools(ctx, p.SchoolQuery{}, r)
	}, 5)
	want := []p.URN{55, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 999}
	assert.Equal(t, want, urnsOf(rest), "pages after a cursor, with records inserted before and after it")

	// A cursor taken from a record that is then deleted stays valid.
	for i := range 10 {
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: p.PersonID(fmt.Sprintf("p%d", i)), Role: p.RoleTeacher}))
	}
	pp, err := s.ListPeople(ctx, p.PersonQuery{}, p.PageRequest{Limit: 3})
	require.NoError(t, err)
	require.Len(t, pp.Items, 3)
	require.NoError(t, s.DeletePerson(ctx, pp.Items[2].ID))
	require.NoError(t, s.DeletePerson(ctx, "p0"))
	restP := collect(t, func(r p.PageRequest) (p.Page[p.Person], error) {
		if r.After == "" {
			r.After = pp.Next
		}
		return s.ListPeople(ctx, p.PersonQuery{}, r)
	}, 3)
	assert.Equal(t, []string{"p3", "p4", "p5", "p6", "p7", "p8", "p9"}, mapIDs(restP, func(v p.Person) string { return string(v.ID) }),
		"pages after a cursor whose record was deleted")
}

func testFilters(t tb, s p.Store) {
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
	assert.Equal(t, []p.URN{4}, urns(p.SchoolQuery{LA: 201}, 1), "filters apply before Limit")
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

func testInspections(t tb, s p.Store) {
	dates := []time.Time{d(2014, 3, 1), d(2022, 6, 30), d(2009, 1, 15), d(2018, 11, 2)}
	for _, on := range dates {
		require.NoError(t, s.InsertInspection(ctx, fullInspection(10, on)))
	}
	require.NoError(t, s.InsertInspection(ctx, fullInspection(11, d(2014, 3, 1))), "same date, other school")
	require.NoError(t, s.InsertInspection(ctx, fullInspection(10, d(2014, 3, 1).Add(time.Hour))), "same day, other time")
	h, err := s.Inspections(ctx, 10)
	require.NoError(t, err)
	var got []time.Time
	for _, in := range h {
		got = append(got, in.Date)
	}
	assert.Empty(t, cmp.Diff([]time.Time{d(2022, 6, 30), d(2018, 11, 2), d(2014, 3, 1).Add(time.Hour), d(2014, 3, 1), d(2009, 1, 15)}, got, opts), "newest first")
}

func testEnrolments(t tb, s p.Store) {
	es, err := s.Enrolments(ctx, "g")
	require.NoError(t, err)
	assert.Empty(t, es)
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G", Capacity: 3}))
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "h", Name: "H"})) // unlimited
	for _, who := range []p.PersonID{"zed", "amy", "kim", "bob"} {
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: who, Role: p.RoleHeadteacher}))
	}
	for _, who := range []p.PersonID{"zed", "amy", "kim"} {
		require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: who, On: d(2024, 9, 1)}))
	}
	for _, who := range []p.PersonID{"zed", "amy", "kim", "bob"} {
		require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "h", Person: who, On: d(2024, 9, 2)}), "capacity 0 is unlimited")
	}
	assert.ErrorIs(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "amy", On: d(2025, 1, 1)}), p.ErrConflict, "twice")
	assert.ErrorIs(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "bob", On: d(2025, 1, 1)}), p.ErrConflict, "full")
	es, err = s.Enrolments(ctx, "g")
	require.NoError(t, err)
	want := []p.Enrolment{
		{Programme: "g", Person: "amy", On: d(2024, 9, 1)},
		{Programme: "g", Person: "kim", On: d(2024, 9, 1)},
		{Programme: "g", Person: "zed", On: d(2024, 9, 1)},
	}
	assert.Empty(t, cmp.Diff(want, es, opts), "by person ID (-want +got)")
	es[0].Person = "changed"
	es, err = s.Enrolments(ctx, "g")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, es, opts), "enrolments alias")
}

// testMembershipInvariant: one member's memberships of one network never
// overlap, on insert and on update; touching periods (the end is
// exclusive), other networks and other members do not conflict.
func testMembershipInvariant(t tb, s p.Store) {
	mem := func(id, network string, member p.OrgID, from, to time.Time) p.Membership {
		return p.Membership{ID: p.MembershipID(id), Network: p.NetworkID(network), Member: member, Role: p.RoleMember, Period: p.Period{From: from, To: to}}
	}
	var zero time.Time
	require.NoError(t, s.InsertMembership(ctx, mem("a", "n", "urn:1", d(2018, 1, 1), d(2020, 1, 1))))
	require.NoError(t, s.InsertMembership(ctx, mem("b", "n", "urn:1", d(2020, 1, 1), zero)), "touching: the end is exclusive")
	require.NoError(t, s.InsertMembership(ctx, mem("c", "n2", "urn:1", d(2019, 1, 1), zero)), "another network")
	require.NoError(t, s.InsertMembership(ctx, mem("d", "n", "urn:2", d(2019, 1, 1), zero)), "another member")
	require.NoError(t, s.InsertMembership(ctx, mem("e", "n", "urn:1", zero, d(2018, 1, 1))), "open start, touching")
	before := snap(t, s, nil, nil)
	for _, m := range []p.Membership{
		mem("x1", "n", "urn:1", d(2019, 6, 1), d(2019, 7, 1)),                  // inside a
		mem("x2", "n", "urn:1", d(2030, 1, 1), zero),                           // inside open-ended b
		mem("x3", "n", "urn:1", zero, zero),                                    // always
		mem("x4", "n", "urn:1", d(2017, 12, 31), d(2018, 1, 2)),                // across e's end and a's start
		mem("x5", "n", "urn:1", d(2019, 12, 31), d(2020, 1, 2)),                // across a and b
		mem("x6", "n", "urn:2", d(2018, 1, 1), d(2019, 1, 1).Add(time.Second)), // one second into d
	} {
		err := s.InsertMembership(ctx, m)
		assert.ErrorIs(t, err, p.ErrConflict, "overlapping membership %s", m.ID)
	}
	// Updates: into an overlap is refused; changing itself is not an
	// overlap with itself.
	a := mem("a", "n", "urn:1", d(2018, 1, 1), d(2020, 6, 1))
	assert.ErrorIs(t, s.UpdateMembership(ctx, a), p.ErrConflict, "update into an overlap")
	moved := mem("d", "n", "urn:1", d(2019, 1, 1), zero)
	assert.ErrorIs(t, s.UpdateMembership(ctx, moved), p.ErrConflict, "update moving a membership onto another member's")
	assert.Empty(t, cmp.Diff(before, snap(t, s, nil, nil), opts), "refused membership writes changed the store (-before +after)")
	a = mem("a", "n", "urn:1", d(2018, 6, 1), d(2019, 6, 1))
	require.NoError(t, s.UpdateMembership(ctx, a), "shrinking a membership")
	require.NoError(t, s.InsertMembership(ctx, mem("f", "n", "urn:1", d(2019, 6, 1), d(2020, 1, 1))), "into the freed time")
}

// testErasure: DeletePerson erases a person with their enrolments, and
// only theirs.
func testErasure(t tb, s p.Store) {
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G", Capacity: 2}))
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "h", Name: "H"}))
	for _, who := range []p.PersonID{"amy", "bob"} {
		require.NoError(t, s.InsertPerson(ctx, fullPerson(who)))
		for _, g := range []p.ProgrammeID{"g", "h"} {
			require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: g, Person: who, On: at(2024, 9, 1)}))
		}
	}
	require.NoError(t, s.DeletePerson(ctx, "amy"))
	_, err := s.Person(ctx, "amy")
	assert.ErrorIs(t, err, p.ErrNotFound)
	sn := snap(t, s, nil, nil)
	assert.Equal(t, []string{"bob"}, mapIDs(sn.People, func(v p.Person) string { return string(v.ID) }))
	assert.Empty(t, cmp.Diff(map[p.ProgrammeID][]p.Enrolment{
		"g": {{Programme: "g", Person: "bob", On: at(2024, 9, 1)}},
		"h": {{Programme: "h", Person: "bob", On: at(2024, 9, 1)}},
	}, sn.Enrolments, opts), "enrolments after erasing amy (-want +got)")
	// The place is free again, and the ID may be used anew with no
	// enrolments.
	require.NoError(t, s.InsertPerson(ctx, fullPerson("cat")))
	require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: "cat", On: at(2024, 9, 2)}))
	require.NoError(t, s.InsertPerson(ctx, fullPerson("amy")))
	sn = snap(t, s, nil, nil)
	for _, es := range sn.Enrolments {
		for _, e := range es {
			assert.NotEqual(t, p.PersonID("amy"), e.Person, "a re-inserted ID inherits the erased person's enrolments")
		}
	}
	assert.ErrorIs(t, s.DeletePerson(ctx, "nobody"), p.ErrNotFound)
}

func testCancellation(t tb, s p.Store) {
	populate(t, s)
	before := snap(t, s, nil, nil)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.NoError(t, s.InsertPerson(ctx, fullPerson("q")))
	before.People = append(before.People, fullPerson("q"))
	moved := fullMembership("m")
	moved.Period.To = at(2021, 1, 1)
	renamed := fullSchool(1)
	renamed.Name = "Renamed"
	checks := map[string]error{
		"InsertSchool":       s.InsertSchool(cctx, fullSchool(2)),
		"UpdateSchool":       s.UpdateSchool(cctx, renamed),
		"InsertOrganisation": s.InsertOrganisation(cctx, fullOrg("o2")),
		"UpdateOrganisation": s.UpdateOrganisation(cctx, p.Organisation{ID: "o", Name: "Renamed"}),
		"InsertNetwork":      s.InsertNetwork(cctx, fullNetwork("n2")),
		"UpdateNetwork":      s.UpdateNetwork(cctx, p.Network{ID: "n", Name: "Renamed"}),
		"InsertMembership":   s.InsertMembership(cctx, p.Membership{ID: "m2", Network: "n", Member: "urn:9"}),
		"UpdateMembership":   s.UpdateMembership(cctx, moved),
		"InsertPerson":       s.InsertPerson(cctx, fullPerson("p2")),
		"UpdatePerson":       s.UpdatePerson(cctx, p.Person{ID: "p", Name: "Renamed"}),
		"DeletePerson":       s.DeletePerson(cctx, "p"),
		"InsertProgramme":    s.InsertProgramme(cctx, fullProgramme("g2")),
		"InsertEnrolment":    s.InsertEnrolment(cctx, p.Enrolment{Programme: "g", Person: "q"}),
		"InsertInspection":   s.InsertInspection(cctx, fullInspection(1, at(2020, 1, 1))),
	}
	if bl, ok := s.(p.BulkLoader); ok {
		checks["LoadDataset"] = bl.LoadDataset(cctx, &p.Dataset{Schools: []p.School{fullSchool(3)}})
	}
	var err error
	_, checks["School"] = s.School(cctx, 1)
	_, checks["ListSchools"] = s.ListSchools(cctx, p.SchoolQuery{}, p.PageRequest{})
	_, checks["Organisation"] = s.Organisation(cctx, "o")
	_, checks["ListOrganisations"] = s.ListOrganisations(cctx, p.OrgQuery{}, p.PageRequest{})
	_, checks["Network"] = s.Network(cctx, "n")
	_, checks["ListNetworks"] = s.ListNetworks(cctx, p.NetworkQuery{}, p.PageRequest{})
	_, checks["Membership"] = s.Membership(cctx, "m")
	_, checks["ListMemberships"] = s.ListMemberships(cctx, p.MembershipQuery{}, p.PageRequest{})
	_, checks["Person"] = s.Person(cctx, "p")
	_, checks["ListPeople"] = s.ListPeople(cctx, p.PersonQuery{}, p.PageRequest{})
	_, checks["Programme"] = s.Programme(cctx, "g")
	_, checks["ListProgrammes"] = s.ListProgrammes(cctx, p.PageRequest{})
	_, checks["Enrolments"] = s.Enrolments(cctx, "g")
	_, checks["Inspections"] = s.Inspections(cctx, 1)
	for name, err := range checks {
		assert.ErrorIs(t, err, context.Canceled, name)
	}
	// Nothing was written.
	after := snap(t, s, []p.URN{2, 3}, []p.ProgrammeID{"g2"})
	assert.Empty(t, cmp.Diff(before, after, opts), "a write under a cancelled context changed the store (-before +after)")
	_, err = s.School(ctx, 2)
	assert.ErrorIs(t, err, p.ErrNotFound)
}

// start runs n goroutines that begin f together and waits for them.
func start(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			f(i)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
}

func testConcurrency(t tb, s p.Store) {
	const workers, each = 8, 40
	var mu sync.Mutex
	var errs []error
	report := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	start(workers, func(w int) {
		for i := range each {
			u := p.URN(w*1000 + i + 1)
			report(s.InsertSchool(ctx, fullSchool(u)))
			_, err := s.School(ctx, u)
			report(err)
			report(s.InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprintf("m%d", u)), Network: "n", Member: u.OrgID(), Role: p.RoleMember}))
			_, err = s.ListSchools(ctx, p.SchoolQuery{}, p.PageRequest{Limit: 5})
			report(err)
		}
	})
	for _, err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	// Everyone races to insert the same key: exactly one wins.
	results := make([]error, workers)
	start(workers, func(i int) {
		o := fullOrg("contested")
		o.Name = fmt.Sprint("writer ", i)
		results[i] = s.InsertOrganisation(ctx, o)
	})
	winner := -1
	for i, err := range results {
		switch {
		case err == nil:
			winner = i
			assert.Equal(t, 1, countNil(results), "exactly one concurrent insert of the same ID succeeds")
		case !errors.Is(err, p.ErrConflict):
			t.Errorf("contested insert: %v", err)
		}
	}
	if winner >= 0 {
		o, err := s.Organisation(ctx, "contested")
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint("writer ", winner), o.Name, "the stored record is the winner's")
	}
	all := collect(t, func(r p.PageRequest) (p.Page[p.School], error) { return s.ListSchools(ctx, p.SchoolQuery{}, r) }, 0)
	assert.Len(t, all, workers*each)
}

func countNil(errs []error) int {
	n := 0
	for _, err := range errs {
		if err == nil {
			n++
		}
	}
	return n
}

// testConcurrentInvariants: the invariants hold when callers race.
func testConcurrentInvariants(t tb, s p.Store) {
	const workers = 8
	// Overlapping memberships of one member: exactly one is stored.
	joins := make([]error, workers)
	start(workers, func(i int) {
		joins[i] = s.InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprint("j", i)), Network: "n", Member: "urn:1",
			Role: p.RoleMember, Period: p.Period{From: d(2020, 1, 1+i)}})
	})
	assert.Equal(t, 1, countNil(joins), "overlapping concurrent memberships: exactly one stored")
	for _, err := range joins {
		if err != nil {
			assert.ErrorIs(t, err, p.ErrConflict)
		}
	}
	ms := collect(t, func(r p.PageRequest) (p.Page[p.Membership], error) {
		return s.ListMemberships(ctx, p.MembershipQuery{Member: "urn:1"}, r)
	}, 0)
	assert.Len(t, ms, 1, "memberships stored")

	// Concurrent updates into an overlap: at most one succeeds.
	require.NoError(t, s.InsertMembership(ctx, p.Membership{ID: "u1", Network: "n", Member: "urn:2", Period: p.Period{From: d(2010, 1, 1), To: d(2011, 1, 1)}}))
	require.NoError(t, s.InsertMembership(ctx, p.Membership{ID: "u2", Network: "n", Member: "urn:2", Period: p.Period{From: d(2012, 1, 1), To: d(2013, 1, 1)}}))
	ups := make([]error, 2)
	start(2, func(i int) {
		if i == 0 {
			ups[0] = s.UpdateMembership(ctx, p.Membership{ID: "u1", Network: "n", Member: "urn:2", Period: p.Period{From: d(2010, 1, 1), To: d(2012, 6, 1)}})
		} else {
			ups[1] = s.UpdateMembership(ctx, p.Membership{ID: "u2", Network: "n", Member: "urn:2", Period: p.Period{From: d(2011, 6, 1), To: d(2013, 1, 1)}})
		}
	})
	assert.LessOrEqual(t, countNil(ups), 1, "two updates that overlap each other both succeeded")

	// Enrolments on a programme of 3 places: exactly 3 stored.
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G", Capacity: 3}))
	for i := range workers {
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: p.PersonID(fmt.Sprint("p", i)), Role: p.RoleTeacher}))
	}
	enrols := make([]error, workers)
	start(workers, func(i int) {
		enrols[i] = s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: p.PersonID(fmt.Sprint("p", i)), On: d(2025, 1, 1)})
	})
	assert.Equal(t, 3, countNil(enrols), "concurrent enrolments on 3 places")
	es, err := s.Enrolments(ctx, "g")
	require.NoError(t, err)
	assert.Len(t, es, 3, "enrolments stored")

	// The same person enrolling twice at once: one place.
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "h", Name: "H"}))
	twice := make([]error, workers)
	start(workers, func(i int) { twice[i] = s.InsertEnrolment(ctx, p.Enrolment{Programme: "h", Person: "p0"}) })
	assert.Equal(t, 1, countNil(twice), "one person enrolling concurrently")

	// Erasure racing enrolment: no enrolment outlives its person.
	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "k", Name: "K"}))
	start(workers, func(i int) {
		who := p.PersonID(fmt.Sprint("p", i/2))
		if i%2 == 0 {
			_ = s.DeletePerson(ctx, who)
		} else {
			_ = s.InsertEnrolment(ctx, p.Enrolment{Programme: "k", Person: who})
		}
	})
	sn := snap(t, s, nil, nil)
	alive := map[p.PersonID]bool{}
	for _, pe := range sn.People {
		alive[pe.ID] = true
	}
	for _, es := range sn.Enrolments {
		for _, e := range es {
			assert.True(t, alive[e.Person], "enrolment of erased person %s on %s", e.Person, e.Programme)
		}
	}
}

func testBulkLoad(t tb, s p.Store) {
	bl, ok := s.(p.BulkLoader)
	if !ok {
		// BulkLoader is optional; without it the Service inserts record by
		// record, which the other tests cover.
		return
	}
	ds := &p.Dataset{
		Schools:       []p.School{fullSchool(1), fullSchool(2)},
		Organisations: []p.Organisation{fullOrg("o"), fullOrg("o2")},
		Networks:      []p.Network{fullNetwork("n"), fullNetwork("n2")},
		Memberships:   []p.Membership{fullMembership("m"), {ID: "m2", Network: "n", Member: "urn:2", Period: p.Period{From: at(2001, 1, 1)}}},
		People:        []p.Person{fullPerson("p"), fullPerson("p2")},
		Programmes:    []p.Programme{fullProgramme("g"), fullProgramme("g2")},
		Inspections:   []p.Inspection{fullInspection(1, at(2019, 1, 1)), fullInspection(1, at(2020, 1, 1)), fullInspection(2, at(2019, 1, 1))},
	}
	require.NoError(t, bl.LoadDataset(ctx, ds))
	want := snapshot{
		Schools: ds.Schools, Organisations: ds.Organisations, Networks: ds.Networks, Memberships: ds.Memberships,
		People: ds.People, Programmes: ds.Programmes,
		Inspections: map[p.URN][]p.Inspection{1: {ds.Inspections[1], ds.Inspections[0]}, 2: {ds.Inspections[2]}},
		Enrolments:  map[p.ProgrammeID][]p.Enrolment{},
	}
	got := snap(t, s, nil, nil)
	assert.Empty(t, cmp.Diff(want, got, opts), "bulk load: every record read back (-want +got)")

	// A conflict anywhere writes nothing.
	for name, bad := range map[string]*p.Dataset{
		"inspection": {Schools: []p.School{fullSchool(3)}, People: []p.Person{fullPerson("p3")}, Inspections: []p.Inspection{fullInspection(1, at(2019, 1, 1))}},
		"person":     {Schools: []p.School{fullSchool(3)}, People: []p.Person{fullPerson("p3"), fullPerson("p")}},
		"twice in d": {Schools: []p.School{fullSchool(3), fullSchool(3)}},
		"overlapping memberships in d": {Schools: []p.School{fullSchool(3)}, Memberships: []p.Membership{
			{ID: "x1", Network: "n", Member: "urn:3", Period: p.Period{From: d(2001, 1, 1)}},
			{ID: "x2", Network: "n", Member: "urn:3", Period: p.Period{From: d(2002, 1, 1)}}}},
		"membership overlapping a stored one": {Schools: []p.School{fullSchool(3)}, Memberships: []p.Membership{
			{ID: "x3", Network: "n", Member: "urn:2", Period: p.Period{From: d(2002, 1, 1)}}}},
	} {
		assert.ErrorIs(t, bl.LoadDataset(ctx, bad), p.ErrConflict, name)
		assert.Empty(t, cmp.Diff(want, snap(t, s, []p.URN{3}, nil), opts), "%s: a failed bulk load must write nothing (-want +got)", name)
	}
}
