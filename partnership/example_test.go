package partnership_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// An alliance across trusts and a local authority: who belonged on a date.
func Example() {
	ctx := context.Background()
	svc := partnership.NewService(partnership.NewMemoryStore(), nil)
	d := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

	for _, s := range []partnership.School{
		{URN: 107000, Name: "Moorside Primary", Phase: partnership.PhasePrimary, Governance: partnership.GovernanceLAMaintained},
		{URN: 137001, Name: "Riverside Academy", Phase: partnership.PhaseSecondary, Governance: partnership.GovernanceAcademyConverter},
		{URN: 108000, Name: "Hillcrest Special School", Phase: partnership.PhaseSpecial, Governance: partnership.GovernanceLAMaintained},
	} {
		if err := svc.AddSchool(ctx, s); err != nil {
			fmt.Println(err)
		}
	}
	alliance, _ := svc.AddNetwork(ctx, partnership.Network{
		ID: "alliance", Kind: partnership.NetworkAlliance, Name: "Moor Valley Alliance",
		Purpose: "peer review and CPD for every school, whatever its governance", Basis: partnership.BasisGeography,
	})
	join := func(u partnership.URN, role partnership.MemberRole, from, to time.Time) {
		if _, err := svc.Join(ctx, partnership.Membership{Network: alliance.ID, Member: u.OrgID(), Role: role,
			Period: partnership.Period{From: from, To: to}}); err != nil {
			fmt.Println(err)
		}
	}
	join(137001, partnership.RoleLead, d(2019, 9), time.Time{})
	join(107000, partnership.RoleMember, d(2020, 9), time.Time{})
	join(108000, partnership.RoleMember, d(2019, 9), d(2022, 8))

	for _, on := range []time.Time{d(2021, 1), d(2024, 1)} {
		var names []string
		for m, err := range svc.Members(ctx, alliance.ID, on) {
			if err != nil {
				fmt.Println(err)
				return
			}
			u, _ := partnership.SchoolOf(m.Member)
			s, _ := svc.School(ctx, u)
			names = append(names, s.Name+" ("+m.Role.String()+")")
		}
		sort.Strings(names)
		fmt.Println(on.Format("2006-01"), names)
	}
	// Output:
	// 2021-01 [Hillcrest Special School (member) Moorside Primary (member) Riverside Academy (lead)]
	// 2024-01 [Moorside Primary (member) Riverside Academy (lead)]
}

// A converter academy keeps the inspection record of the school it replaced.
func ExampleService_Inspections() {
	ctx := context.Background()
	svc := partnership.NewService(partnership.NewMemoryStore(), nil)
	_ = svc.AddSchool(ctx, partnership.School{URN: 107001, Name: "Oak Lane Primary School"})
	_ = svc.AddSchool(ctx, partnership.School{URN: 141001, Name: "Oak Lane Primary Academy", Predecessors: []partnership.URN{107001}})
	on := func(y int) time.Time { return time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC) }
	_ = svc.RecordInspection(ctx, partnership.Inspection{URN: 107001, Date: on(2011), Overall: partnership.RatingRequiresImprovement})
	_ = svc.RecordInspection(ctx, partnership.Inspection{URN: 107001, Date: on(2013), Overall: partnership.RatingGood})
	_ = svc.RecordInspection(ctx, partnership.Inspection{URN: 141001, Date: on(2018), Overall: partnership.RatingOutstanding})
	h, _ := svc.Inspections(ctx, 141001)
	for _, in := range h {
		fmt.Println(in.Date.Year(), in.URN, in.Overall)
	}
	// Output:
	// 2018 141001 outstanding
	// 2013 107001 good
	// 2011 107001 requires-improvement
}

// A programme open to any school whatever its trust, for practitioners who
// are the only person in their setting in their role.
func ExampleEligibility_Eligible() {
	e := partnership.Eligibility{Phases: []partnership.Phase{partnership.PhaseSecondary}, SoleInRole: true}
	lead := partnership.Person{Role: partnership.RoleSubjectLead}
	for _, a := range []partnership.Applicant{
		{Person: lead, Phase: partnership.PhaseSecondary, PeersInRole: 1},
		{Person: lead, Phase: partnership.PhasePrimary, PeersInRole: 1},
		{Person: lead, Phase: partnership.PhaseSecondary, PeersInRole: 2},
	} {
		ok, why := e.Eligible(a)
		fmt.Printf("%v %q\n", ok, why)
	}
	// Output:
	// true ""
	// false "phase primary not eligible"
	// false "not the only person in their setting in their role"
}

// trustSchools is a user's own store: a trust keeps its schools in its own
// system (here a map) and embeds the in-memory store for everything else.
// A real implementation would implement every method against its database
// and pass partnershiptest.Run.
type trustSchools struct {
	*partnership.MemoryStore
	mu   sync.Mutex
	rows map[partnership.URN]partnership.School
}

func (t *trustSchools) School(ctx context.Context, u partnership.URN) (partnership.School, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.rows[u]
	if !ok {
		return s, fmt.Errorf("school %d: %w", u, partnership.ErrNotFound)
	}
	return s, nil
}

func (t *trustSchools) InsertSchool(ctx context.Context, s partnership.School) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.rows[s.URN]; ok {
		return fmt.Errorf("school %d: %w", s.URN, partnership.ErrConflict)
	}
	t.rows[s.URN] = s
	return nil
}

func Example_customStore() {
	ctx := context.Background()
	store := &trustSchools{MemoryStore: partnership.NewMemoryStore(), rows: map[partnership.URN]partnership.School{}}
	svc := partnership.NewService(store, nil)
	fmt.Println(svc.AddSchool(ctx, partnership.School{URN: 140000, Name: "Trust Primary"}))
	fmt.Println(svc.AddSchool(ctx, partnership.School{URN: 140000, Name: "Trust Primary"}))
	fmt.Println(len(store.rows))
	// Output:
	// <nil>
	// partnership: add school 140000: school 140000: conflict
	// 1
}
