// Command connected models the "connected system" of the first source
// document on the real schools of Yorkshire and the Humber: an alliance of
// 50-odd schools across trusts, local-authority schools and independent
// special provision; a teaching school hub working with about 300 schools;
// four other alliances; and a connector organisation that adds no schools of
// its own but links the alliances, the hub, a university, a council and an
// out-of-region education company. It then asks what the documents ask:
// which schools does the partnership leave out, whatever their governance;
// who bridges the separate networks; which schools the connector reaches
// that no network reached before; which links would join the most
// isolated schools; and who may join a programme for practitioners who are
// the only person in their setting in their role.
//
// The schools, trusts and memberships of trusts are real (the embedded GIAS
// and census extract); the alliances, hub, connector and programme are
// illustrative, chosen deterministically, and labelled so.
//
//	go run ./examples/connected
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "connected:", err)
		os.Exit(1)
	}
}

// Local-authority codes used below.
const (
	bradford   = 380
	calderdale = 381
	kirklees   = 382
	leeds      = 383
	wakefield  = 384
	northYorks = 815
	york       = 816
	hull       = 810
	sheffield  = 373
)

var since = time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)

// system is the illustrative layer added on top of the real data.
type system struct {
	d         *partnership.Dataset
	alliance  partnership.NetworkID
	connector partnership.OrgID
	programme partnership.ProgrammeID
}

func run(ctx context.Context, w io.Writer) error {
	res, err := england.LoadEmbedded(ctx)
	if err != nil {
		return err
	}
	before, err := res.Model()
	if err != nil {
		return err
	}
	sys := build(&res.Dataset)
	after, err := partnership.NewModel(*sys.d)
	if err != nil {
		return err
	}
	at := time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)
	opts := &analysis.Options{At: at, Area: analysis.InLA(leeds)}

	fmt.Fprintln(w, "Illustrative networks on the real schools of Yorkshire and the Humber (synthetic memberships)")
	fmt.Fprintf(w, "alliance: %d schools; hub: %d schools\n\n",
		len(after.Members(sys.alliance, at))-1, len(after.Members("hub", at))-1)

	for _, m := range []struct {
		label string
		model *partnership.Model
	}{{"GIAS only", before}, {"with the alliances and hub", after}} {
		cov, err := analysis.Coverage(m.model, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Leeds, %s: %d schools, %d in a collaborative network, %d left out\n",
			m.label, cov.Schools, cov.Covered, len(cov.Uncovered))
		for _, g := range cov.ByGovernance {
			fmt.Fprintf(w, "  %-22s %4d schools %4d covered\n", g.Governance, g.Schools, g.Covered)
		}
	}

	br, err := analysis.Bridges(ctx, after, &analysis.Options{At: at, Top: 5000})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nCut vertices: organisations and networks whose loss would separate networks:")
	for i, b := range br.Connectors[:min(3, len(br.Connectors))] {
		fmt.Fprintf(w, "  %2d. %-40s joins %d parts holding networks\n", i+1, b.Node.Name, b.JoinsNetworks)
	}
	fmt.Fprintln(w, "Most central (betweenness) among the illustrative networks:")
	for i, b := range br.Central {
		if b.Node.NetworkKind.Collaborative() && (i < 20 || b.Node.Network == "connect") {
			fmt.Fprintf(w, "  %2d. %-40s betweenness %.0f\n", i+1, b.Node.Name, b.Betweenness)
		}
	}

	// The connector's reach: the schools of the networks its partners
	// coordinate (the alliances, the hub, the council's maintained schools),
	// and those among them that no collaborative network reached before.
	reached, covered := map[partnership.URN]bool{}, map[partnership.URN]bool{}
	for _, n := range after.Networks() {
		partner := false
		for _, mb := range after.Members("connect", at) {
			partner = partner || (mb.Member == n.Coordinator && n.ID != "connect")
		}
		for _, mb := range after.Members(n.ID, at) {
			u, ok := partnership.SchoolOf(mb.Member)
			if !ok {
				continue
			}
			if partner {
				reached[u] = true
			}
			if n.Kind.Collaborative() && n.ID != "connect" && n.Kind != partnership.NetworkConnector {
				covered[u] = true
			}
		}
	}
	fresh := 0
	for u := range reached {
		if !covered[u] {
			fresh++
		}
	}
	fmt.Fprintf(w, "\nThe connector reaches %d schools through its partners' networks; %d of them were in no collaborative network before\n",
		len(reached), fresh)

	plan, err := analysis.Links(ctx, after, &analysis.Options{At: at, Area: analysis.InLA(leeds), Links: 3,
		LinkKinds: []partnership.NetworkKind{partnership.NetworkAlliance, partnership.NetworkHub}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLeeds schools in no multi-school network: %d; within %.0f km of an alliance or hub school: %d;"+
		" joined by the %d link(s) proposed: %d\n", plan.Isolated, plan.RadiusKm, plan.Reachable, len(plan.Links), plan.Joined)

	fmt.Fprintln(w, "\nSixth Form Advantage programme (open to any school, for sole practitioners):")
	prog := sys.d.Programmes[0]
	for _, p := range sys.d.People {
		home, _ := partnership.SchoolOf(p.Home)
		s := after.School(home)
		peers := 0
		for _, q := range sys.d.People {
			if q.Home == p.Home && q.Role == p.Role {
				peers++
			}
		}
		ok, why := prog.Eligibility.Eligible(partnership.Applicant{Person: p, Phase: s.Phase, PeersInRole: peers})
		verdict := "eligible"
		if !ok {
			verdict = "not eligible: " + why
		}
		fmt.Fprintf(w, "  %-14s at %-45.45s %s\n", p.ID, s.Name, verdict)
	}
	return cohort(ctx, w, sys)
}

// cohort runs the programme's first year through the partnership Service:
// the sixth-form leads of every open secondary school in Leeds and North
// Yorkshire apply (one lead in two schools out of three, two leads in the
// third: illustrative), the Service enrols those who are the only person in
// their setting in their role, in order of application, until the places run out, and the cohort
// meets as a community of practice across trusts and governance.
func cohort(ctx context.Context, w io.Writer, sys *system) error {
	svc := partnership.NewService(partnership.NewMemoryStore(), nil)
	if err := svc.Import(ctx, sys.d); err != nil {
		return err
	}
	opens := since.AddDate(1, 0, 0)
	applicants := slices.Clone(sys.d.People)
	for _, s := range sys.d.Schools {
		if (s.LA != leeds && s.LA != northYorks) || s.Phase != partnership.PhaseSecondary || !s.Closed.IsZero() {
			continue
		}
		if slices.ContainsFunc(applicants, func(p partnership.Person) bool { return p.Home == s.URN.OrgID() }) {
			continue
		}
		for j := range 1 + int(s.URN%3/2) {
			p, err := svc.AddPerson(ctx, partnership.Person{ID: partnership.PersonID(fmt.Sprintf("lead-%d-%d", s.URN, j+1)),
				Role: partnership.RoleSubjectLead, Home: s.URN.OrgID(), Expertise: []partnership.ExpertiseID{"sixth-form"}})
			if err != nil {
				return err
			}
			applicants = append(applicants, p)
		}
	}
	slices.SortFunc(applicants, func(a, b partnership.Person) int { return strings.Compare(string(a.ID), string(b.ID)) })
	refused := map[string]int{}
	var enrolled []partnership.URN
	for _, p := range applicants {
		_, err := svc.Enrol(ctx, sys.programme, p.ID, opens)
		switch {
		case errors.Is(err, partnership.ErrConflict):
			refused["no places left"]++
		case errors.Is(err, partnership.ErrInvalid):
			refused["not the only person in their setting in their role"]++
		case err != nil:
			return err
		default:
			u, _ := partnership.SchoolOf(p.Home)
			enrolled = append(enrolled, u)
		}
	}
	// The cohort meets as a community of practice coordinated by the
	// connector, its members the enrolled practitioners' schools.
	net, err := svc.AddNetwork(ctx, partnership.Network{ID: "sixth-form-cohort", Kind: partnership.NetworkCommunityOfPractice,
		Name: "Sixth Form Advantage cohort 2022-23", Basis: partnership.BasisInterest, Coordinator: sys.connector,
		Purpose: "peers for sixth-form leads who are the only one in their setting"})
	if err != nil {
		return err
	}
	trusts, governance := map[string]bool{}, map[partnership.Governance]int{}
	for _, u := range enrolled {
		if _, err := svc.Join(ctx, partnership.Membership{ID: partnership.MembershipID(fmt.Sprintf("cohort/%d", u)),
			Network: net.ID, Member: u.OrgID(), Role: partnership.RoleMember, Period: partnership.Period{From: opens}}); err != nil {
			return err
		}
		s, err := svc.School(ctx, u)
		if err != nil {
			return err
		}
		governance[s.Governance]++
		if s.TrustName != "" {
			trusts[s.TrustName] = true
		}
	}
	fmt.Fprintf(w, "\n%s: %d applied, %d enrolled (%d places)\n", net.Name, len(applicants), len(enrolled), sys.d.Programmes[0].Capacity)
	for _, why := range slices.Sorted(maps.Keys(refused)) {
		fmt.Fprintf(w, "  refused, %s: %d\n", why, refused[why])
	}
	fmt.Fprintf(w, "  the cohort's %d schools, across %d trusts and none:", len(enrolled), len(trusts))
	for g := partnership.GovernanceLAMaintained; g <= partnership.GovernanceNonMaintainedSpecial; g++ {
		if governance[g] > 0 {
			fmt.Fprintf(w, " %s %d", g, governance[g])
		}
	}
	fmt.Fprintln(w)
	return nil
}

// build adds the illustrative alliances, hub, connector and programme to d.
func build(d *partnership.Dataset) *system {
	sys := &system{d: d, alliance: "alliance", connector: "connector", programme: "sixth-form-advantage"}
	schools := slices.Clone(d.Schools)
	slices.SortFunc(schools, func(a, b partnership.School) int { return int(a.URN - b.URN) })
	in := func(las ...int) []partnership.School {
		var out []partnership.School
		for _, s := range schools {
			if slices.Contains(las, s.LA) && s.Closed.IsZero() {
				out = append(out, s)
			}
		}
		return out
	}
	every := func(ss []partnership.School, n int) []partnership.School {
		var out []partnership.School
		for i := 0; i < len(ss); i += n {
			out = append(out, ss[i])
		}
		return out
	}
	addNetwork := func(id partnership.NetworkID, org partnership.OrgID, kind partnership.NetworkKind,
		okind partnership.OrgKind, name, purpose string, members []partnership.School) {
		d.Organisations = append(d.Organisations, partnership.Organisation{ID: org, Kind: okind, Name: name + " (illustrative)"})
		d.Networks = append(d.Networks, partnership.Network{ID: id, Kind: kind, Name: name + " (illustrative)",
			Purpose: purpose, Basis: partnership.BasisGeography, Coordinator: org, Active: partnership.Period{From: since}})
		d.Memberships = append(d.Memberships, partnership.Membership{ID: partnership.MembershipID(string(id) + "/lead"),
			Network: id, Member: org, Role: partnership.RoleLead, Period: partnership.Period{From: since}})
		role := partnership.RoleMember
		if kind == partnership.NetworkHub {
			role = partnership.RoleSpoke
		}
		for _, s := range members {
			d.Memberships = append(d.Memberships, partnership.Membership{
				ID: partnership.MembershipID(fmt.Sprintf("%s/%d", id, s.URN)), Network: id, Member: s.URN.OrgID(),
				Role: role, Period: partnership.Period{From: since}})
		}
	}
	// An alliance of 50-odd schools across Leeds and North Yorkshire, every
	// governance and phase, independent special schools included.
	addNetwork(sys.alliance, "alliance-org", partnership.NetworkAlliance, partnership.OrgAlliance,
		"School alliance", "networking, communities of practice, leadership development, peer review for every school",
		every(in(leeds, northYorks), 11))
	// A teaching school hub working with about 300 schools.
	addNetwork("hub", "hub-org", partnership.NetworkHub, partnership.OrgTeachingSchoolHub,
		"Teaching school hub", "teacher development across the region", every(in(leeds, bradford, calderdale, kirklees, wakefield), 3))
	// Four other alliances that supported the hub's work.
	others := [][]int{{york}, {hull}, {sheffield}, {kirklees, calderdale}}
	for i, las := range others {
		addNetwork(partnership.NetworkID(fmt.Sprintf("alliance-%d", i+2)), partnership.OrgID(fmt.Sprintf("alliance-%d-org", i+2)),
			partnership.NetworkAlliance, partnership.OrgAlliance, fmt.Sprintf("Alliance %d", i+2), "school-to-school support",
			every(in(las...), 9))
	}
	// The connector: an organisation that adds no schools, only links.
	d.Organisations = append(d.Organisations,
		partnership.Organisation{ID: sys.connector, Kind: partnership.OrgConnector, Name: "Connector (illustrative)"},
		partnership.Organisation{ID: "university", Kind: partnership.OrgUniversity, Name: "A regional university (illustrative)"},
		partnership.Organisation{ID: "provider", Kind: partnership.OrgProvider, Name: "Out-of-region education company (illustrative)"})
	d.Networks = append(d.Networks, partnership.Network{ID: "connect", Kind: partnership.NetworkConnector,
		Name: "Connector network (illustrative)", Purpose: "identify and bridge gaps, share expertise beyond separate networks",
		Basis: partnership.BasisInterest, Coordinator: sys.connector, Active: partnership.Period{From: since}})
	for i, m := range []partnership.OrgID{sys.connector, "alliance-org", "hub-org", "alliance-2-org", "alliance-3-org",
		"alliance-4-org", "alliance-5-org", "university", "provider", partnership.OrgID(fmt.Sprintf("la:%d", northYorks))} {
		role := partnership.RolePartner
		if i == 0 {
			role = partnership.RoleLead
		}
		d.Memberships = append(d.Memberships, partnership.Membership{ID: partnership.MembershipID("connect/" + string(m)),
			Network: "connect", Member: m, Role: role, Period: partnership.Period{From: since}})
	}
	// A programme for sixth-form practitioners who are often the only
	// person in their setting in their role, open whatever the trust.
	d.Programmes = append(d.Programmes, partnership.Programme{ID: sys.programme, Name: "Sixth Form Advantage (illustrative)",
		Provider: "provider", Partners: []partnership.OrgID{sys.connector}, Areas: []partnership.ExpertiseID{"sixth-form"},
		Capacity: 24, Eligibility: partnership.Eligibility{Roles: []partnership.Role{partnership.RoleSubjectLead}, SoleInRole: true}})
	sixthForms := 0
	for _, s := range in(leeds, northYorks) {
		if s.Phase != partnership.PhaseSecondary || sixthForms == 3 {
			continue
		}
		sixthForms++
		for j := range sixthForms { // one, two and three sixth-form leads
			d.People = append(d.People, partnership.Person{ID: partnership.PersonID(fmt.Sprintf("lead-%d-%d", s.URN, j+1)),
				Role: partnership.RoleSubjectLead, Home: s.URN.OrgID(), Expertise: []partnership.ExpertiseID{"sixth-form"}})
		}
	}
	return sys
}
