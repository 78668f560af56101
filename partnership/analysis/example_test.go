package analysis_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"gonum.org/v1/gonum/graph/topo"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// leeds builds a small model of two local authorities: a multi-academy
// trust, a single-academy trust, an alliance across governance, two reading
// clusters with the same members, a teaching school hub in Wakefield and a
// connector organisation that belongs to both the alliance and the hub.
func leeds() *partnership.Model {
	school := func(urn int, name string, ph partnership.Phase, gov partnership.Governance, la int, laName string,
		lat, lon float64, pupils int, fsm float64, ur string) partnership.School {
		return partnership.School{URN: partnership.URN(urn), Name: name, Phase: ph, Governance: gov, LA: la,
			LAName: laName, Region: "Yorkshire and the Humber", Location: partnership.Location{Lat: lat, Lon: lon},
			Pupils: partnership.Known(pupils), FSMPercent: partnership.Known(fsm), UrbanRural: ur}
	}
	const (
		pri, sec    = partnership.PhasePrimary, partnership.PhaseSecondary
		acad, maint = partnership.GovernanceAcademyConverter, partnership.GovernanceLAMaintained
		city, rural = "Urban city and town", "Rural village"
	)
	d := partnership.Dataset{
		Schools: []partnership.School{
			school(1001, "Ash Primary", pri, acad, 383, "Leeds", 53.800, -1.550, 420, 12, city),
			school(1002, "Beech Primary", pri, acad, 383, "Leeds", 53.810, -1.560, 210, 30, city),
			school(1003, "Cedar High", sec, acad, 383, "Leeds", 53.820, -1.540, 1100, 18, city),
			school(1004, "Dale Primary", pri, maint, 383, "Leeds", 53.790, -1.530, 200, 28, city),
			school(1005, "Elm Primary", pri, maint, 383, "Leeds", 53.900, -1.400, 90, 5, rural),
			school(1006, "Fir Academy", sec, acad, 383, "Leeds", 53.700, -1.300, 900, 20, city),
			school(1007, "Gorse Primary", pri, maint, 384, "Wakefield", 53.680, -1.500, 300, 25, city),
			school(1008, "Holly High", sec, maint, 384, "Wakefield", 53.690, -1.490, 1000, 22, city),
		},
		Organisations: []partnership.Organisation{
			{ID: "kite-connect", Kind: partnership.OrgConnector, Name: "Kite Connect"},
		},
		Networks: []partnership.Network{
			{ID: "mat", Kind: partnership.NetworkTrust, Name: "Kite Learning Trust", Basis: partnership.BasisGovernance},
			{ID: "sat", Kind: partnership.NetworkTrust, Name: "Fir Academy Trust", Basis: partnership.BasisGovernance},
			{ID: "alliance", Kind: partnership.NetworkAlliance, Name: "Kite Alliance", Basis: partnership.BasisGeography},
			{ID: "reading-a", Kind: partnership.NetworkCluster, Name: "Reading cluster", Purpose: "Early reading"},
			{ID: "reading-b", Kind: partnership.NetworkCluster, Name: "Phonics group", Purpose: "early  reading"},
			{ID: "hub", Kind: partnership.NetworkHub, Name: "Wakefield Hub"},
		},
		People: []partnership.Person{
			{ID: "p1", Role: partnership.RoleSubjectLead, Home: "urn:1003"},
			{ID: "p2", Role: partnership.RoleSubjectLead, Home: "urn:1008"},
			{ID: "p3", Role: partnership.RoleSENCO, Home: "urn:1001"},
			{ID: "p4", Role: partnership.RoleSENCO, Home: "urn:1002"},
			{ID: "p5", Role: partnership.RoleHeadteacher, Home: "urn:1004"},
		},
	}
	member := func(n partnership.NetworkID, o partnership.OrgID, r partnership.MemberRole) {
		d.Memberships = append(d.Memberships, partnership.Membership{
			ID: partnership.MembershipID(fmt.Sprintf("m%d", len(d.Memberships)+1)), Network: n, Member: o, Role: r})
	}
	for _, u := range []string{"urn:1001", "urn:1002", "urn:1003"} {
		member("mat", partnership.OrgID(u), partnership.RoleMember)
	}
	member("sat", "urn:1006", partnership.RoleMember)
	member("alliance", "urn:1003", partnership.RoleLead)
	member("alliance", "urn:1005", partnership.RoleMember)
	member("alliance", "kite-connect", partnership.RolePartner)
	for _, n := range []partnership.NetworkID{"reading-a", "reading-b"} {
		for _, u := range []string{"urn:1001", "urn:1002", "urn:1005"} {
			member(n, partnership.OrgID(u), partnership.RoleMember)
		}
	}
	member("hub", "urn:1007", partnership.RoleHub)
	member("hub", "urn:1008", partnership.RoleSpoke)
	member("hub", "kite-connect", partnership.RolePartner)
	m, err := partnership.NewModel(d)
	if err != nil {
		panic(err) // the example's data is valid
	}
	return m
}

// The Leeds schools: who is in a collaborative network, and who is
// connected to another school at all.
func ExampleCoverage() {
	r, err := analysis.Coverage(leeds(), &analysis.Options{Area: analysis.InLANamed("Leeds")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d schools, %d covered, %d connected\n", r.Area, r.Schools, r.Covered, r.Connected)
	for _, g := range r.ByGovernance {
		fmt.Printf("  %-18s %d schools, %d covered\n", g.Governance, g.Schools, g.Covered)
	}
	for _, s := range r.Uncovered {
		fmt.Println("  uncovered:", s.Name)
	}
	// Output:
	// LA Leeds: 6 schools, 4 covered, 4 connected
	//   la-maintained      2 schools, 1 covered
	//   academy-converter  4 schools, 3 covered
	//   uncovered: Dale Primary
	//   uncovered: Fir Academy
}

func ExampleIsolation() {
	r, err := analysis.Isolation(leeds(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Alone {
		fmt.Println("alone:", s.Name)
	}
	for _, p := range r.NoPhasePeer {
		fmt.Printf("no %s peer: %s (%d networks)\n", p.School.Phase, p.School.Name, len(p.Networks))
	}
	for _, l := range r.LoneRoles {
		fmt.Printf("only %s at %s, %d peers in its networks\n", l.Role, l.Home, l.NetworkPeers)
	}
	// Output:
	// alone: Dale Primary
	// alone: Fir Academy
	// no secondary peer: Cedar High (2 networks)
	// no primary peer: Gorse Primary (1 networks)
	// no secondary peer: Holly High (1 networks)
	// only subject-lead at urn:1003, 0 peers in its networks
	// only subject-lead at urn:1008, 0 peers in its networks
	// only headteacher at urn:1004, 0 peers in its networks
	// only senco at urn:1001, 1 peers in its networks
	// only senco at urn:1002, 1 peers in its networks
}

func ExampleDuplicates() {
	ds, err := analysis.Duplicates(leeds(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ds {
		fmt.Printf("%s and %s: Jaccard %.2f, same purpose %t\n", d.A.Name, d.B.Name, d.Jaccard, d.SamePurpose)
	}
	// Output:
	// Reading cluster and Phonics group: Jaccard 1.00, same purpose true
}

// The connector organisation joins the Leeds alliance to the Wakefield hub.
func ExampleBridges() {
	r, err := analysis.Bridges(context.Background(), leeds(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d nodes, %d edges, %d components, largest %d\n", r.Nodes, r.Edges, r.Components, r.LargestComponent)
	for _, b := range r.Connectors {
		fmt.Printf("connector: %s (%s), joins %d networks, betweenness %.0f\n",
			b.Node.Name, b.Node.Kind, b.JoinsNetworks, b.Betweenness)
	}
	// Output:
	// 15 nodes, 16 edges, 3 components, largest 12
	// connector: Kite Alliance (network), joins 2 networks, betweenness 60
	// connector: Kite Connect (organisation), joins 2 networks, betweenness 48
}

// Which networks would take in the schools that work alone?
func ExampleLinks() {
	p, err := analysis.Links(context.Background(), leeds(), &analysis.Options{LinkRadiusKm: 5, Links: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d isolated, %d reachable within %g km, %d joined\n", p.Isolated, p.Reachable, p.RadiusKm, p.Joined)
	for _, n := range p.Nearest {
		fmt.Printf("%s: nearest %s, %.1f km via %d\n", n.School.Name, n.Network.Name, n.DistanceKm, n.Via)
	}
	for _, l := range p.Links {
		fmt.Printf("link %s: +%d\n", l.Network.Name, len(l.Schools))
	}
	// Output:
	// 2 isolated, 1 reachable within 5 km, 1 joined
	// Dale Primary: nearest Kite Learning Trust, 1.7 km via 1001
	// link Kite Alliance: +1
}

func ExampleCommunities() {
	r, err := analysis.Communities(context.Background(), leeds(), &analysis.Options{Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d schools in %d communities, %d singletons\n", r.Schools, len(r.Communities), r.Singletons)
	for _, c := range r.Communities {
		fmt.Print(c.ID, ":")
		for _, s := range c.Schools {
			fmt.Print(" ", s.Name)
		}
		fmt.Println()
	}
	// Output:
	// 6 schools in 2 communities, 2 singletons
	// 0: Ash Primary Beech Primary Cedar High Elm Primary
	// 1: Gorse Primary Holly High
}

// Families of similar schools: the nearest primaries to Dale Primary by
// size, free school meals and rurality.
func ExampleFamilies() {
	r, err := analysis.Families(context.Background(), leeds(), &analysis.Options{FamilySize: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range r.Families {
		if f.School.Name != "Dale Primary" {
			continue
		}
		for _, s := range f.Similar {
			fmt.Printf("%s %.2f\n", s.School.Name, s.Distance)
		}
	}
	// Output:
	// Beech Primary 0.22
	// Gorse Primary 0.96
}

func ExampleWriteDOT() {
	g, err := analysis.NewGraph(leeds(), &analysis.Options{Area: analysis.InLA(384), At: time.Now()})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := analysis.WriteDOT(os.Stdout, g); err != nil {
		fmt.Println(err)
	}
	// Output:
	// digraph partnership {
	//   "n0" [label="Gorse Primary", shape="ellipse", type="school", kind="school", ref="1007", phase="primary", governance="la-maintained", la="384", la_name="Wakefield"];
	//   "n1" [label="Holly High", shape="ellipse", type="school", kind="school", ref="1008", phase="secondary", governance="la-maintained", la="384", la_name="Wakefield"];
	//   "n2" [label="Wakefield Hub", shape="box", type="network", kind="hub", ref="hub"];
	//   "n3" [label="Kite Connect", shape="diamond", type="organisation", kind="connector", ref="kite-connect"];
	//   "n0" -> "n2" [role="hub"];
	//   "n1" -> "n2" [role="spoke"];
	//   "n3" -> "n2" [role="partner"];
	// }
}

// The graph converts to a gonum graph for any of gonum's algorithms.
func ExampleGraph_Undirected() {
	g, err := analysis.NewGraph(leeds(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var sizes []int
	for _, c := range topo.ConnectedComponents(g.Undirected()) {
		sizes = append(sizes, len(c))
	}
	slices.Sort(sizes)
	fmt.Println("component sizes:", sizes)
	// Output:
	// component sizes: [1 2 12]
}
