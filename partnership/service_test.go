package partnership_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

var ctx = context.Background()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newService returns a Service over a fresh MemoryStore with a fixed clock
// and sequential IDs.
func newService(t *testing.T, tax ...*p.Taxonomy) *p.Service {
	t.Helper()
	n := 0
	opts := &p.Options{
		Clock: func() time.Time { return day(2025, 1, 15) },
		NewID: func() string { n++; return string(rune('a' + n - 1)) },
	}
	if len(tax) > 0 {
		opts.Taxonomy = tax[0]
	}
	return p.NewService(p.NewMemoryStore(), opts)
}

func TestServiceValidation(t *testing.T) {
	s := newService(t)
	type check struct {
		name string
		err  error
		want error
	}
	cases := []check{
		{"school without URN", s.AddSchool(ctx, p.School{Name: "x"}), p.ErrInvalid},
		{"school without name", s.AddSchool(ctx, p.School{URN: 1}), p.ErrInvalid},
		{"school with FSM over 100", s.AddSchool(ctx, p.School{URN: 1, Name: "x", FSMPercent: p.Known(120.0)}), p.ErrInvalid},
		{"deemed phase of a school not middle", s.AddSchool(ctx, p.School{URN: 1, Name: "x", Phase: p.PhasePrimary, DeemedPhase: p.PhasePrimary}), p.ErrInvalid},
		{"middle school deemed special", s.AddSchool(ctx, p.School{URN: 1, Name: "x", Phase: p.PhaseMiddle, DeemedPhase: p.PhaseSpecial}), p.ErrInvalid},
		{"school closed before opened", s.AddSchool(ctx, p.School{URN: 1, Name: "x", Opened: day(2020, 1, 1), Closed: day(2019, 1, 1)}), p.ErrInvalid},
		{"school its own predecessor", s.AddSchool(ctx, p.School{URN: 1, Name: "x", Predecessors: []p.URN{1}}), p.ErrInvalid},
		{"school off the map", s.AddSchool(ctx, p.School{URN: 1, Name: "x", Location: p.Location{Lat: 95, Lon: 1}}), p.ErrInvalid},
		{"update missing school", s.UpdateSchool(ctx, p.School{URN: 9, Name: "x"}), p.ErrNotFound},
	}
	_, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgAlliance})
	cases = append(cases, check{"organisation without name", err, p.ErrInvalid})
	_, err = s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgSchool, Name: "x"})
	cases = append(cases, check{"school as organisation", err, p.ErrInvalid})
	_, err = s.AddNetwork(ctx, p.Network{Name: "x"})
	cases = append(cases, check{"network without kind", err, p.ErrInvalid})
	_, err = s.AddNetwork(ctx, p.Network{Name: "x", Kind: p.NetworkCluster, Active: p.Period{From: day(2025, 1, 1), To: day(2024, 1, 1)}})
	cases = append(cases, check{"network ending before it starts", err, p.ErrInvalid})
	_, err = s.AddNetwork(ctx, p.Network{Name: "x", Kind: p.NetworkHub, Coordinator: "nobody"})
	cases = append(cases, check{"network with unknown coordinator", err, p.ErrInvalid})
	for _, c := range cases {
		assert.ErrorIs(t, c.err, c.want, c.name)
	}
}

func TestServiceMemberships(t *testing.T) {
	s := newService(t)
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 100, Name: "Ash Primary", Phase: p.PhasePrimary}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 200, Name: "Beech Academy", Phase: p.PhaseSecondary}))
	hub, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgTeachingSchoolHub, Name: "Hub"})
	require.NoError(t, err)
	assert.Equal(t, p.OrgID("teaching-school-hub:a"), hub.ID, "generated ID")
	n, err := s.AddNetwork(ctx, p.Network{Kind: p.NetworkHub, Name: "Hub network", Coordinator: hub.ID})
	require.NoError(t, err)

	m1, err := s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(100).OrgID(), Role: p.RoleHub, Period: p.Period{From: day(2021, 9, 1)}})
	require.NoError(t, err)
	_, err = s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(200).OrgID(), Role: p.RoleSpoke, Period: p.Period{From: day(2022, 9, 1), To: day(2024, 9, 1)}})
	require.NoError(t, err)

	t.Run("overlap is a conflict", func(t *testing.T) {
		_, err := s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(200).OrgID(), Role: p.RoleSpoke, Period: p.Period{From: day(2024, 1, 1)}})
		assert.ErrorIs(t, err, p.ErrConflict)
	})
	t.Run("rejoining after the end is fine", func(t *testing.T) {
		_, err := s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(200).OrgID(), Role: p.RoleMember, Period: p.Period{From: day(2024, 9, 1)}})
		assert.NoError(t, err)
	})
	t.Run("unknown network or member is invalid", func(t *testing.T) {
		_, err := s.Join(ctx, p.Membership{Network: "nope", Member: p.URN(100).OrgID(), Role: p.RoleMember})
		assert.ErrorIs(t, err, p.ErrInvalid)
		_, err = s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(999).OrgID(), Role: p.RoleMember})
		assert.ErrorIs(t, err, p.ErrInvalid)
		_, err = s.Join(ctx, p.Membership{Network: n.ID, Member: p.URN(100).OrgID()})
		assert.ErrorIs(t, err, p.ErrInvalid, "no role")
	})
	members := func(at time.Time) []p.OrgID {
		var out []p.OrgID
		for m, err := range s.Members(ctx, n.ID, at) {
			require.NoError(t, err)
			out = append(out, m.Member)
		}
		return out
	}
	assert.Equal(t, []p.OrgID{"urn:100"}, members(day(2022, 1, 1)))
	assert.ElementsMatch(t, []p.OrgID{"urn:100", "urn:200"}, members(day(2023, 1, 1)))
	assert.ElementsMatch(t, []p.OrgID{"urn:100", "urn:200"}, members(s.Now()), "today by the clock")
	assert.ElementsMatch(t, []p.OrgID{"urn:100", "urn:200", "urn:200"}, members(time.Time{}), "the zero time means no date: all memberships, past and present")

	t.Run("leave", func(t *testing.T) {
		_, err := s.Leave(ctx, m1.ID, day(2020, 1, 1))
		assert.ErrorIs(t, err, p.ErrInvalid, "before joining")
		_, err = s.Leave(ctx, m1.ID, time.Time{})
		assert.ErrorIs(t, err, p.ErrInvalid, "the zero time means not set")
		left, err := s.Leave(ctx, m1.ID, s.Now())
		require.NoError(t, err)
		assert.Equal(t, day(2025, 1, 15), left.Period.To)
		_, err = s.Leave(ctx, m1.ID, day(2026, 1, 1))
		assert.ErrorIs(t, err, p.ErrConflict, "already ended")
		_, err = s.Leave(ctx, "missing", day(2026, 1, 1))
		assert.ErrorIs(t, err, p.ErrNotFound)
		var nets []p.NetworkID
		for m, err := range s.NetworksOf(ctx, p.URN(100).OrgID(), day(2025, 6, 1)) {
			require.NoError(t, err)
			nets = append(nets, m.Network)
		}
		assert.Empty(t, nets)
	})
}

func TestServiceInspectionsFollowPredecessors(t *testing.T) {
	s := newService(t)
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 1, Name: "Old community school"}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 2, Name: "Converter academy", Predecessors: []p.URN{1, 3}}))
	require.NoError(t, s.RecordInspection(ctx, p.Inspection{URN: 1, Date: day(2010, 5, 1), Overall: p.RatingRequiresImprovement}))
	require.NoError(t, s.RecordInspection(ctx, p.Inspection{URN: 1, Date: day(2014, 5, 1), Overall: p.RatingGood}))
	require.NoError(t, s.RecordInspection(ctx, p.Inspection{URN: 2, Date: day(2019, 5, 1), Overall: p.RatingOutstanding}))
	assert.ErrorIs(t, s.RecordInspection(ctx, p.Inspection{URN: 2, Date: day(2019, 5, 1), Overall: p.RatingGood}), p.ErrConflict)
	assert.ErrorIs(t, s.RecordInspection(ctx, p.Inspection{URN: 9, Date: day(2019, 5, 1), Overall: p.RatingGood}), p.ErrInvalid)
	assert.ErrorIs(t, s.RecordInspection(ctx, p.Inspection{URN: 2, Date: day(2020, 5, 1)}), p.ErrInvalid)
	h, err := s.Inspections(ctx, 2)
	require.NoError(t, err)
	var got []p.Rating
	for _, in := range h {
		got = append(got, in.Overall)
	}
	assert.Equal(t, []p.Rating{p.RatingOutstanding, p.RatingGood, p.RatingRequiresImprovement}, got)
}

func TestServicePeopleAndProgrammes(t *testing.T) {
	tax := p.DefaultTaxonomy()
	require.NoError(t, tax.Add(p.Expertise{ID: "post-16-funding", Name: "Post-16 funding", Parent: "sixth-form"}))
	s := newService(t, tax)
	require.NoError(t, tax.Add(p.Expertise{ID: "astrology", Name: "Added after the Service was made"}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 1, Name: "Sixth form college"}))
	_, err := s.AddPerson(ctx, p.Person{Role: p.RoleSubjectLead, Home: "urn:1", Expertise: []p.ExpertiseID{"telepathy"}})
	assert.ErrorIs(t, err, p.ErrInvalid, "unknown expertise")
	_, err = s.AddPerson(ctx, p.Person{Role: p.RoleSubjectLead, Home: "urn:404"})
	assert.ErrorIs(t, err, p.ErrInvalid, "unknown home")
	_, err = s.AddPerson(ctx, p.Person{Home: "urn:1"})
	assert.ErrorIs(t, err, p.ErrInvalid, "no role")
	lead, err := s.AddPerson(ctx, p.Person{Role: p.RoleSubjectLead, Home: "urn:1", Expertise: []p.ExpertiseID{"sixth-form"}, CapacityDays: 3})
	require.NoError(t, err)
	got, err := s.Person(ctx, lead.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(lead, got))

	// The taxonomy is the Service's own: neither the caller's later Adds
	// nor Adds to what Taxonomy returns change it.
	require.NoError(t, s.Taxonomy().Add(p.Expertise{ID: "telepathy", Name: "Telepathy"}))
	assert.False(t, s.Taxonomy().Has("telepathy"))
	assert.False(t, s.Taxonomy().Has("astrology"))
	assert.True(t, s.Taxonomy().Has("post-16-funding"))
	_, err = s.AddPerson(ctx, p.Person{Role: p.RoleSubjectLead, Home: "urn:1", Expertise: []p.ExpertiseID{"telepathy"}})
	assert.ErrorIs(t, err, p.ErrInvalid, "an area added to a copy of the taxonomy")
	hfl, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgProvider, Name: "Out-of-region education company"})
	require.NoError(t, err)
	_, err = s.AddProgramme(ctx, p.Programme{Name: "Sixth Form Advantage", Provider: hfl.ID, Areas: []p.ExpertiseID{"post-16-funding"},
		Eligibility: p.Eligibility{Networks: []p.NetworkID{"ghost"}}})
	assert.ErrorIs(t, err, p.ErrInvalid, "unknown eligible network")
	prog, err := s.AddProgramme(ctx, p.Programme{Name: "Sixth Form Advantage", Provider: hfl.ID, Areas: []p.ExpertiseID{"post-16-funding"},
		Capacity: 20, Eligibility: p.Eligibility{Phases: []p.Phase{p.Phase16Plus}, SoleInRole: true}})
	require.NoError(t, err)
	ok, why := prog.Eligibility.Eligible(p.Applicant{Person: lead, Phase: p.Phase16Plus, PeersInRole: 1})
	assert.True(t, ok, why)
	ok, why = prog.Eligibility.Eligible(p.Applicant{Person: lead, Phase: p.Phase16Plus, PeersInRole: 3})
	assert.False(t, ok)
	assert.Contains(t, why, "only person")
}

// failingStore fails every write after the first n.
type failingStore struct {
	p.Store
	n int
}

func (f *failingStore) InsertSchool(ctx context.Context, s p.School) error {
	if f.n == 0 {
		return errors.New("disk full")
	}
	f.n--
	return f.Store.InsertSchool(ctx, s)
}

func TestImport(t *testing.T) {
	ds := &p.Dataset{
		Schools:       []p.School{{URN: 1, Name: "A"}, {URN: 2, Name: "B", Predecessors: []p.URN{1}}},
		Organisations: []p.Organisation{{ID: "gias:1", Kind: p.OrgMultiAcademyTrust, Name: "T"}},
		Networks:      []p.Network{{ID: "gias:1", Kind: p.NetworkTrust, Name: "T", Coordinator: "gias:1"}},
		Memberships:   []p.Membership{{ID: "m1", Network: "gias:1", Member: "urn:2", Role: p.RoleMember}},
		Inspections:   []p.Inspection{{URN: 1, Date: day(2012, 1, 1), Overall: p.RatingGood}},
	}
	t.Run("bulk", func(t *testing.T) {
		s := newService(t)
		require.NoError(t, s.Import(ctx, ds))
		m, err := s.Snapshot(ctx)
		require.NoError(t, err)
		assert.Len(t, m.Schools(), 2)
		latest, ok := m.LatestInspection(2)
		require.True(t, ok, "academy inherits its predecessor's inspection")
		assert.Equal(t, p.RatingGood, latest.Overall)
		assert.Len(t, m.Members("gias:1", day(2025, 1, 1)), 1)
	})
	t.Run("invalid writes nothing", func(t *testing.T) {
		store := p.NewMemoryStore()
		s := p.NewService(store, nil)
		bad := *ds
		bad.Memberships = append([]p.Membership{}, ds.Memberships...)
		bad.Memberships = append(bad.Memberships, p.Membership{ID: "m2", Network: "gias:1", Member: "urn:77", Role: p.RoleMember})
		err := s.Import(ctx, &bad)
		require.ErrorIs(t, err, p.ErrInvalid)
		assert.Contains(t, err.Error(), "urn:77")
		_, err = store.School(ctx, 1)
		assert.ErrorIs(t, err, p.ErrNotFound)
	})
	t.Run("store without BulkLoader", func(t *testing.T) {
		s := p.NewService(&failingStore{Store: p.NewMemoryStore(), n: 1}, nil)
		err := s.Import(ctx, ds)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "disk full")
		assert.Contains(t, err.Error(), "import school 2")
	})
}

func TestModelValidation(t *testing.T) {
	_, err := p.NewModel(p.Dataset{
		Schools:     []p.School{{URN: 1, Name: "A"}, {URN: 1, Name: "A again"}},
		Networks:    []p.Network{{ID: "n", Name: "N", Kind: p.NetworkTrust}, {ID: "n", Name: "dup", Kind: p.NetworkTrust}},
		Memberships: []p.Membership{{ID: "m", Network: "zz", Member: "urn:1"}},
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, p.ErrConflict)
	assert.ErrorIs(t, err, p.ErrInvalid)
	for _, want := range []string{"school 1 appears twice", "network n appears twice", "unknown network zz"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestParseURN(t *testing.T) {
	for in, want := range map[string]p.URN{"100000": 100000, "1e+05": 100000, "137000": 137000, "1.5e+05": 150000} {
		got, err := p.ParseURN(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "0", "-4", "12.5", "abc", "1e+300", "NaN"} {
		_, err := p.ParseURN(in)
		assert.Error(t, err, in)
	}
}

func FuzzParseURN(f *testing.F) {
	for _, s := range []string{"100000", "1e+05", "-1", "NaN", "Inf", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := p.ParseURN(s)
		if err == nil && u <= 0 {
			t.Fatalf("ParseURN(%q) = %d, want positive", s, u)
		}
	})
}

func TestEnumsRoundTrip(t *testing.T) {
	for _, ph := range p.Phases() {
		b, err := ph.MarshalText()
		require.NoError(t, err)
		var back p.Phase
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, ph, back)
	}
	ph, err := p.ParsePhase("State-funded AP school")
	require.NoError(t, err)
	assert.Equal(t, p.PhaseAlternativeProvision, ph)
	r, err := p.ParseRating("Satisfactory")
	require.NoError(t, err)
	assert.Equal(t, p.RatingRequiresImprovement, r, "the pre-2012 grade 3 is requires improvement")
	_, err = p.ParseGrade("brilliant")
	assert.ErrorContains(t, err, "unknown grade")
	assert.Equal(t, "phase(42)", p.Phase(42).String())
	_, err = p.Phase(42).MarshalText()
	assert.Error(t, err)
}

func TestGovernanceOfType(t *testing.T) {
	for typ, want := range map[string]p.Governance{
		"Academy converter":                       p.GovernanceAcademyConverter,
		"Academy sponsor led":                     p.GovernanceAcademySponsorLed,
		"Academy special sponsor led":             p.GovernanceAcademySponsorLed,
		"Free schools special":                    p.GovernanceFreeSchool,
		"University technical college":            p.GovernanceFreeSchool,
		"Community school":                        p.GovernanceLAMaintained,
		"Voluntary aided school":                  p.GovernanceLAMaintained,
		"Pupil referral unit":                     p.GovernanceLAMaintained,
		"Local authority nursery school":          p.GovernanceLAMaintained,
		"Other independent special school":        p.GovernanceIndependentSpecial,
		"Other independent school":                p.GovernanceIndependent,
		"Non-maintained special school":           p.GovernanceNonMaintainedSpecial,
		"Academy alternative provision converter": p.GovernanceAcademyConverter,
		"": p.GovernanceUnknown,
	} {
		assert.Equal(t, want, p.GovernanceOfType(typ), typ)
	}
}

func TestTaxonomy(t *testing.T) {
	tax := p.DefaultTaxonomy()
	assert.True(t, tax.Covers("inclusion", "send"), "a broader area covers a narrower one")
	assert.False(t, tax.Covers("send", "inclusion"))
	assert.True(t, tax.Covers("send", "send"))
	assert.ErrorIs(t, tax.Add(p.Expertise{ID: "send"}), p.ErrConflict)
	assert.ErrorIs(t, tax.Add(p.Expertise{ID: "x", Parent: "nope"}), p.ErrInvalid)
	assert.ErrorIs(t, tax.Add(p.Expertise{}), p.ErrInvalid)
}

func TestPeriod(t *testing.T) {
	y := func(n int) time.Time { return day(n, 1, 1) }
	assert.True(t, p.Period{}.Contains(y(1900)))
	assert.True(t, p.Period{From: y(2020), To: y(2021)}.Contains(y(2020)))
	assert.False(t, p.Period{From: y(2020), To: y(2021)}.Contains(y(2021)), "To is exclusive")
	assert.True(t, p.Period{From: y(2020)}.Overlaps(p.Period{To: y(2021)}))
	assert.False(t, p.Period{From: y(2020), To: y(2021)}.Overlaps(p.Period{From: y(2021)}))
	assert.False(t, p.Period{From: y(2021), To: y(2020)}.Valid())
}

func TestEnrol(t *testing.T) {
	s := newService(t)
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 1, Name: "Sixth form A", Phase: p.Phase16Plus}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 2, Name: "Sixth form B", Phase: p.Phase16Plus}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 3, Name: "Primary", Phase: p.PhasePrimary}))
	provider, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgProvider, Name: "Provider"})
	require.NoError(t, err)
	prog, err := s.AddProgramme(ctx, p.Programme{ID: "sfa", Name: "Sixth Form Advantage", Provider: provider.ID, Capacity: 2,
		Period:      p.Period{From: day(2024, 9, 1), To: day(2025, 7, 31)},
		Eligibility: p.Eligibility{Phases: []p.Phase{p.Phase16Plus}, SoleInRole: true}})
	require.NoError(t, err)
	add := func(id p.PersonID, home p.URN) {
		_, err := s.AddPerson(ctx, p.Person{ID: id, Role: p.RoleSubjectLead, Home: home.OrgID()})
		require.NoError(t, err)
	}
	add("a", 1)
	add("b1", 2)
	add("b2", 2)
	add("c", 3)
	on := day(2024, 10, 1)
	_, err = s.Enrol(ctx, prog.ID, "a", on)
	require.NoError(t, err)
	_, err = s.Enrol(ctx, prog.ID, "a", on)
	assert.ErrorIs(t, err, p.ErrConflict, "twice")
	_, err = s.Enrol(ctx, prog.ID, "b1", on)
	assert.ErrorIs(t, err, p.ErrInvalid, "two subject leads at B: not the only one in role")
	_, err = s.Enrol(ctx, prog.ID, "c", on)
	assert.ErrorIs(t, err, p.ErrInvalid, "primary not eligible")
	_, err = s.Enrol(ctx, prog.ID, "a", day(2025, 8, 1))
	assert.ErrorIs(t, err, p.ErrInvalid, "after the programme")
	_, err = s.Enrol(ctx, "nope", "a", on)
	assert.ErrorIs(t, err, p.ErrNotFound)

	add("d", 1) // now A has two subject leads too; make room with a new school
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 4, Name: "Sixth form D", Phase: p.Phase16Plus}))
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 5, Name: "Sixth form E", Phase: p.Phase16Plus}))
	add("e", 4)
	add("f", 5)
	_, err = s.Enrol(ctx, prog.ID, "e", on)
	require.NoError(t, err)
	_, err = s.Enrol(ctx, prog.ID, "f", on)
	assert.ErrorIs(t, err, p.ErrConflict, "full")
	assert.ErrorContains(t, err, "all 2 places taken")
}

func TestEnrolConcurrentNeverOverfills(t *testing.T) {
	s := newService(t)
	provider, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgProvider, Name: "Provider"})
	require.NoError(t, err)
	prog, err := s.AddProgramme(ctx, p.Programme{ID: "g", Name: "Course", Provider: provider.ID, Capacity: 5})
	require.NoError(t, err)
	const n = 20
	for i := range n {
		u := p.URN(i + 1)
		require.NoError(t, s.AddSchool(ctx, p.School{URN: u, Name: "S"}))
		_, err := s.AddPerson(ctx, p.Person{ID: p.PersonID(u.String()), Role: p.RoleTeacher, Home: u.OrgID()})
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Enrol(ctx, prog.ID, p.PersonID(p.URN(i+1).String()), day(2025, 1, 1)); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 5, ok)
}

// slowStore makes every read take a few milliseconds, as a database's do,
// widening any window between a check and a write.
type slowStore struct{ *p.MemoryStore }

func (s slowStore) pause() { time.Sleep(2 * time.Millisecond) }

func (s slowStore) Network(ctx context.Context, id p.NetworkID) (p.Network, error) {
	s.pause()
	return s.MemoryStore.Network(ctx, id)
}

func (s slowStore) ListMemberships(ctx context.Context, q p.MembershipQuery, r p.PageRequest) (p.Page[p.Membership], error) {
	s.pause()
	return s.MemoryStore.ListMemberships(ctx, q, r)
}

func (s slowStore) Enrolments(ctx context.Context, id p.ProgrammeID) ([]p.Enrolment, error) {
	s.pause()
	return s.MemoryStore.Enrolments(ctx, id)
}

func (s slowStore) Programme(ctx context.Context, id p.ProgrammeID) (p.Programme, error) {
	s.pause()
	return s.MemoryStore.Programme(ctx, id)
}

// TestInvariantsAcrossServices: eight Services (as eight application
// servers) over one store with slow reads: overlapping joins, one wins;
// enrolments never overfill.
func TestInvariantsAcrossServices(t *testing.T) {
	store := slowStore{p.NewMemoryStore()}
	const servers = 8
	svc := make([]*p.Service, servers)
	for i := range svc {
		svc[i] = p.NewService(store, nil)
	}
	require.NoError(t, svc[0].AddSchool(ctx, p.School{URN: 1, Name: "A"}))
	n, err := svc[0].AddNetwork(ctx, p.Network{ID: "n", Kind: p.NetworkAlliance, Name: "N"})
	require.NoError(t, err)
	provider, err := svc[0].AddOrganisation(ctx, p.Organisation{Kind: p.OrgProvider, Name: "Provider"})
	require.NoError(t, err)
	prog, err := svc[0].AddProgramme(ctx, p.Programme{ID: "g", Name: "Course", Provider: provider.ID, Capacity: 3})
	require.NoError(t, err)
	for i := range servers {
		u := p.URN(100 + i)
		require.NoError(t, svc[0].AddSchool(ctx, p.School{URN: u, Name: "S"}))
		_, err := svc[0].AddPerson(ctx, p.Person{ID: p.PersonID(u.String()), Role: p.RoleTeacher, Home: u.OrgID()})
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	joins := make(chan error, servers)
	enrols := make(chan error, servers)
	for i := range servers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			// Overlapping periods, all different.
			_, err := svc[i].Join(ctx, p.Membership{Network: n.ID, Member: p.URN(1).OrgID(), Role: p.RoleMember,
				Period: p.Period{From: day(2020, 1, 1+i)}})
			joins <- err
		}()
		go func() {
			defer wg.Done()
			_, err := svc[i].Enrol(ctx, prog.ID, p.PersonID(p.URN(100+i).String()), day(2025, 1, 1))
			enrols <- err
		}()
	}
	wg.Wait()
	close(joins)
	close(enrols)
	count := func(errs chan error) (ok int) {
		for err := range errs {
			if err == nil {
				ok++
			} else {
				assert.ErrorIs(t, err, p.ErrConflict)
			}
		}
		return ok
	}
	assert.Equal(t, 1, count(joins), "overlapping joins")
	assert.Equal(t, 3, count(enrols), "enrolments on 3 places")
}

func TestErasureAndCorrection(t *testing.T) {
	s := newService(t)
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 1, Name: "A"}))
	provider, err := s.AddOrganisation(ctx, p.Organisation{Kind: p.OrgProvider, Name: "Provider"})
	require.NoError(t, err)
	prog, err := s.AddProgramme(ctx, p.Programme{ID: "g", Name: "Course", Provider: provider.ID, Capacity: 1})
	require.NoError(t, err)
	pe, err := s.AddPerson(ctx, p.Person{ID: "x", Name: "Wrong Name", Role: p.RoleTeacher, Home: p.URN(1).OrgID()})
	require.NoError(t, err)
	_, err = s.Enrol(ctx, prog.ID, pe.ID, day(2025, 1, 1))
	require.NoError(t, err)

	pe.Name = "Right Name"
	require.NoError(t, s.CorrectPerson(ctx, pe))
	got, err := s.Person(ctx, "x")
	require.NoError(t, err)
	assert.Equal(t, "Right Name", got.Name)
	pe.Role = p.RoleNone
	assert.ErrorIs(t, s.CorrectPerson(ctx, pe), p.ErrInvalid)
	assert.ErrorIs(t, s.CorrectPerson(ctx, p.Person{ID: "nobody", Role: p.RoleTeacher, Home: p.URN(1).OrgID()}), p.ErrNotFound)

	require.NoError(t, s.ErasePerson(ctx, "x"))
	_, err = s.Person(ctx, "x")
	assert.ErrorIs(t, err, p.ErrNotFound)
	assert.ErrorIs(t, s.ErasePerson(ctx, "x"), p.ErrNotFound)
	// The place is free again: the enrolment went with the person.
	_, err = s.AddPerson(ctx, p.Person{ID: "y", Role: p.RoleTeacher, Home: p.URN(1).OrgID()})
	require.NoError(t, err)
	_, err = s.Enrol(ctx, prog.ID, "y", day(2025, 1, 1))
	require.NoError(t, err)
}

// TestKeyJudgementInspection: a graded inspection from September 2024 (key
// judgements and safeguarding, no overall rating) is recorded, kept apart
// from the store's copy, and survives JSON with no overall rating invented.
func TestKeyJudgementInspection(t *testing.T) {
	s := newService(t)
	require.NoError(t, s.AddSchool(ctx, p.School{URN: 1, Name: "School"}))
	in := p.Inspection{URN: 1, Date: day(2024, 11, 5), Judgements: []p.KeyJudgement{
		{Area: p.JudgementQualityOfEducation, Rating: p.RatingGood},
		{Area: p.JudgementSixthForm, Rating: p.RatingRequiresImprovement},
	}, Safeguarding: p.SafeguardingNotMet}
	require.NoError(t, s.RecordInspection(ctx, in))
	in.Judgements[0].Rating = p.RatingInadequate // the store keeps its own copy
	h, err := s.Inspections(ctx, 1)
	require.NoError(t, err)
	require.Len(t, h, 1)
	assert.Equal(t, p.RatingNone, h[0].Overall)
	assert.Equal(t, p.RatingGood, h[0].Judgements[0].Rating)
	h[0].Judgements[1].Rating = p.RatingOutstanding // nor does a read alias it
	h2, err := s.Inspections(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, p.RatingRequiresImprovement, h2[0].Judgements[1].Rating)

	b, err := json.Marshal(h2[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"urn":1,"date":"2024-11-05T00:00:00Z","judgements":[`+
		`{"area":"quality-of-education","rating":"good"},{"area":"sixth-form","rating":"requires-improvement"}],`+
		`"safeguarding":"not-met"}`, string(b))
	var back p.Inspection
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, h2[0], back)
}
