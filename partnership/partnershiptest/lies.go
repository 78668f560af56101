package partnershiptest

import (
	"context"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/lies"
	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// RunLies tells a partnership Service over stores made by newStore every
// kind of lie a caller can tell (a full programme, a foreign ID, a
// duplicate, an out-of-range value, a conflicting instruction) and checks
// that each is refused with its typed error and leaves the store as it
// was, one at a time and all at once.
func RunLies(t *testing.T, newStore func(t *testing.T) p.Store) {
	t.Helper()
	now := at(2025, 9, 1)
	type fixture struct {
		svc   *p.Service
		store p.Store
	}
	setup := func(t *testing.T) *fixture {
		s := newStore(t)
		svc := p.NewService(s, &p.Options{Clock: func() time.Time { return now }})
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range []p.URN{100001, 100002} {
			must(svc.AddSchool(ctx, p.School{URN: u, Name: "School " + u.String(), Phase: p.PhasePrimary}))
		}
		_, err := svc.AddOrganisation(ctx, p.Organisation{ID: "org:trust", Kind: p.OrgMultiAcademyTrust, Name: "Trust"})
		must(err)
		_, err = svc.AddNetwork(ctx, p.Network{ID: "net:1", Kind: p.NetworkAlliance, Name: "Alliance"})
		must(err)
		_, err = svc.Join(ctx, p.Membership{ID: "mem:1", Network: "net:1", Member: "urn:100001", Role: p.RoleMember, Period: p.Period{From: at(2024, 9, 1)}})
		must(err)
		for _, pe := range []p.Person{{ID: "person:a", Role: p.RoleSubjectLead, Home: "urn:100001"}, {ID: "person:b", Role: p.RoleSubjectLead, Home: "urn:100002"}} {
			_, err = svc.AddPerson(ctx, pe)
			must(err)
		}
		_, err = svc.AddProgramme(ctx, p.Programme{ID: "prog:1", Name: "Maths leads", Provider: "org:trust", Capacity: 1,
			Period: p.Period{From: at(2024, 9, 1), To: at(2026, 7, 31)}})
		must(err)
		_, err = svc.Enrol(ctx, "prog:1", "person:a", now)
		must(err)
		return &fixture{svc: svc, store: s}
	}
	snapshot := func(t *testing.T, f *fixture) any { return snap(t, f.store, nil, nil) }
	type F = *fixture
	join := func(m p.Membership) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.Join(ctx, m); return err }
	}
	enrol := func(prog p.ProgrammeID, person p.PersonID) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.Enrol(ctx, prog, person, now); return err }
	}
	addPerson := func(pe p.Person) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.AddPerson(ctx, pe); return err }
	}
	addProgramme := func(pr p.Programme) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.AddProgramme(ctx, pr); return err }
	}
	from := p.Period{From: at(2025, 1, 1)}
	lies.Run(t, setup, snapshot, []lies.Case[F]{
		lies.New(lies.Capacity, "enrol on a full programme", enrol("prog:1", "person:b"), p.ErrConflict),
		lies.New(lies.ForeignID, "join an unknown network", join(p.Membership{ID: "mem:x", Network: "net:nope", Member: "urn:100002", Role: p.RoleMember, Period: from}), p.ErrInvalid),
		lies.New(lies.ForeignID, "join an unknown school", join(p.Membership{ID: "mem:x", Network: "net:1", Member: "urn:999999", Role: p.RoleMember, Period: from}), p.ErrInvalid),
		lies.New(lies.ForeignID, "enrol an unknown person", enrol("prog:1", "person:nope"), p.ErrNotFound),
		lies.New(lies.ForeignID, "enrol on an unknown programme", enrol("prog:nope", "person:b"), p.ErrNotFound),
		lies.New(lies.ForeignID, "leave an unknown membership", func(ctx context.Context, f F) error {
			_, err := f.svc.Leave(ctx, "mem:nope", now)
			return err
		}, p.ErrNotFound),
		lies.New(lies.ForeignID, "an inspection of an unknown school", func(ctx context.Context, f F) error {
			return f.svc.RecordInspection(ctx, p.Inspection{URN: 999999, Date: now, Overall: p.RatingGood})
		}, p.ErrInvalid),
		lies.New(lies.ForeignID, "a person at an unknown school", addPerson(p.Person{ID: "person:x", Role: p.RoleTeacher, Home: "urn:999999"}), p.ErrInvalid),
		lies.New(lies.ForeignID, "erase an unknown person", func(ctx context.Context, f F) error { return f.svc.ErasePerson(ctx, "person:nope") }, p.ErrNotFound),
		lies.New(lies.ForeignID, "correct an unknown person", func(ctx context.Context, f F) error {
			return f.svc.CorrectPerson(ctx, p.Person{ID: "person:nope", Role: p.RoleTeacher, Home: "urn:100001"})
		}, p.ErrNotFound),
		lies.New(lies.ForeignID, "a programme by an unknown provider", addProgramme(p.Programme{ID: "prog:x", Name: "X", Provider: "org:nope"}), p.ErrInvalid),
		lies.New(lies.Duplicate, "a school twice", func(ctx context.Context, f F) error {
			return f.svc.AddSchool(ctx, p.School{URN: 100001, Name: "Impostor", Phase: p.PhaseSecondary})
		}, p.ErrConflict),
		lies.New(lies.Duplicate, "an overlapping membership", join(p.Membership{ID: "mem:x", Network: "net:1", Member: "urn:100001", Role: p.RoleLead, Period: from}), p.ErrConflict),
		lies.New(lies.Duplicate, "enrol twice", enrol("prog:1", "person:a"), p.ErrConflict),
		lies.New(lies.Duplicate, "a network twice", func(ctx context.Context, f F) error {
			_, err := f.svc.AddNetwork(ctx, p.Network{ID: "net:1", Kind: p.NetworkCluster, Name: "Cluster"})
			return err
		}, p.ErrConflict),
		lies.New(lies.OutOfRange, "FSM over 100%", func(ctx context.Context, f F) error {
			return f.svc.AddSchool(ctx, p.School{URN: 100009, Name: "X", FSMPercent: p.Known(150.0)})
		}, p.ErrInvalid),
		lies.New(lies.OutOfRange, "negative capacity days", addPerson(p.Person{ID: "person:x", Role: p.RoleTeacher, Home: "urn:100001", CapacityDays: -1}), p.ErrInvalid),
		lies.New(lies.OutOfRange, "an unknown expertise area", addPerson(p.Person{ID: "person:x", Role: p.RoleTeacher, Home: "urn:100001", Expertise: []p.ExpertiseID{"cooking"}}), p.ErrInvalid),
		lies.New(lies.OutOfRange, "negative programme places", addProgramme(p.Programme{ID: "prog:x", Name: "X", Provider: "org:trust", Capacity: -1}), p.ErrInvalid),
		lies.New(lies.OutOfRange, "an unknown role", join(p.Membership{ID: "mem:x", Network: "net:1", Member: "urn:100002", Role: 99, Period: from}), p.ErrInvalid),
		lies.New(lies.Conflicting, "leave before joining", func(ctx context.Context, f F) error {
			_, err := f.svc.Leave(ctx, "mem:1", at(2024, 1, 1))
			return err
		}, p.ErrInvalid),
		lies.New(lies.Conflicting, "a membership that ends before it starts", join(p.Membership{ID: "mem:x", Network: "net:1", Member: "urn:100002", Role: p.RoleMember,
			Period: p.Period{From: at(2025, 1, 1), To: at(2024, 1, 1)}}), p.ErrInvalid),
		lies.New(lies.Conflicting, "an inspection with no outcome", func(ctx context.Context, f F) error {
			return f.svc.RecordInspection(ctx, p.Inspection{URN: 100001, Date: now})
		}, p.ErrInvalid),
	})
}
