package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// The CSV form of the network reports (stats, isolated, bridges) is long
// ("tidy"): one row per fact, the same six columns for each, so that a
// spreadsheet's pivot table or a data frame takes any part of a report
// without knowing its nesting. Counts of an area have an empty id; a
// school (id its URN), network, organisation or trust has one row per
// attribute.
var factHeader = []string{"section", "group", "id", "name", "measure", "value"}

const factsHelp = `--format csv prints the report in long form, one row per fact: section,
group (a breakdown such as phase:primary), id, name, measure, value.`

// facts accumulates the rows of a long-form report.
type facts [][]string

func (f *facts) add(section, group, id, name, measure string, value any) {
	var v string
	switch x := value.(type) {
	case string:
		v = x
	case float64:
		v = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		v = fmt.Sprint(x)
	}
	*f = append(*f, []string{section, group, id, name, measure, v})
}

// school adds a school's attributes under section (and group).
func (f *facts) school(section, group string, s analysis.SchoolRef) {
	id := s.URN.String()
	f.add(section, group, id, s.Name, "phase", s.Phase.String())
	f.add(section, group, id, s.Name, "governance", s.Governance.String())
	if s.LAName != "" {
		f.add(section, group, id, s.Name, "la", s.LAName)
	}
}

// bridge adds a graph node's kind and the measures of a connector or a
// central node; id is the school's URN, the network's or organisation's ID.
func (f *facts) bridge(section string, b analysis.Bridge) {
	id := strconv.FormatInt(b.Node.ID, 10)
	switch {
	case b.Node.URN != 0:
		id = b.Node.URN.String()
	case b.Node.Network != "":
		id = string(b.Node.Network)
	case b.Node.Org != "":
		id = string(b.Node.Org)
	}
	f.add(section, "", id, b.Node.Name, "kind", nodeKind(b.Node))
	f.add(section, "", id, b.Node.Name, "joins_networks", b.JoinsNetworks)
	f.add(section, "", id, b.Node.Name, "degree", b.Degree)
	f.add(section, "", id, b.Node.Name, "betweenness", b.Betweenness)
}

func statsFacts(st *england.Stats) facts {
	var f facts
	area := st.LA
	if area == "" {
		area = "all schools"
	}
	f.add("schools", "", "", area, "state_funded_schools", st.Schools)
	for _, p := range append(partnership.Phases(), partnership.PhaseUnknown) {
		if n, ok := st.ByPhase[p]; ok {
			f.add("schools", "phase:"+p.String(), "", area, "state_funded_schools", n)
		}
	}
	f.add("schools", "", "", area, "unclassified", st.Unclassified)
	f.add("trusts", "", "", area, "multi_academy_trusts", st.Trusts)
	f.add("trusts", "", "", area, "schools_in_trust", st.SchoolsInTrust)
	for _, t := range st.LargestTrusts {
		f.add("largest_trusts", "", t.ID, t.Name, "group_links_rows", t.Count)
	}
	return f
}

func isolatedFacts(r *isolatedReport) facts {
	var f facts
	c := r.Coverage
	counts := func(group string, k analysis.CoverageCount) {
		f.add("coverage", group, "", c.Area, "schools", k.Schools)
		f.add("coverage", group, "", c.Area, "covered", k.Covered)
		f.add("coverage", group, "", c.Area, "connected", k.Connected)
	}
	counts("", analysis.CoverageCount{Schools: c.Schools, Covered: c.Covered, Connected: c.Connected})
	for _, g := range c.ByGovernance {
		counts("governance:"+g.Governance.String(), g.CoverageCount)
	}
	for _, p := range c.ByPhase {
		counts("phase:"+p.Phase.String(), p.CoverageCount)
	}
	for _, s := range r.Isolation.Alone {
		f.school("alone", "", s)
	}
	for _, p := range r.Isolation.NoPhasePeer {
		f.school("no_phase_peer", "", p.School)
		names := make([]string, len(p.Networks))
		for i, n := range p.Networks {
			names[i] = n.Name
		}
		f.add("no_phase_peer", "", p.School.URN.String(), p.School.Name, "networks", strings.Join(names, "; "))
	}
	for _, l := range r.Isolation.LoneRoles {
		f.add("lone_roles", "", string(l.Person), "", "role", l.Role.String())
		f.add("lone_roles", "", string(l.Person), "", "home", string(l.Home))
		f.add("lone_roles", "", string(l.Person), "", "network_peers", l.NetworkPeers)
	}
	for i, d := range r.Duplicates {
		pair := strconv.Itoa(i + 1)
		f.add("duplicates", pair, string(d.A.ID), d.A.Name, "kind", d.A.Kind.String())
		f.add("duplicates", pair, string(d.B.ID), d.B.Name, "kind", d.B.Kind.String())
		f.add("duplicates", pair, "", "", "jaccard", d.Jaccard)
		f.add("duplicates", pair, "", "", "shared_schools", d.Shared)
	}
	return f
}

func bridgesFacts(r *bridgesReport) facts {
	var f facts
	b := r.Bridges
	for _, m := range []struct {
		name string
		v    int
	}{{"nodes", b.Nodes}, {"edges", b.Edges}, {"components", b.Components}, {"largest_component", b.LargestComponent}} {
		f.add("graph", "", "", b.Area, m.name, m.v)
	}
	for _, c := range b.Connectors {
		f.bridge("connectors", c)
	}
	for _, c := range b.Central {
		f.bridge("central", c)
	}
	l := r.Links
	f.add("links", "", "", l.Area, "isolated", l.Isolated)
	f.add("links", "", "", l.Area, "reachable", l.Reachable)
	f.add("links", "", "", l.Area, "joined", l.Joined)
	for _, k := range l.Links {
		f.add("links", "network:"+string(k.Network.ID), string(k.Network.ID), k.Network.Name, "kind", k.Network.Kind.String())
		for _, s := range k.Schools {
			f.school("links", "network:"+string(k.Network.ID), s)
		}
	}
	c := r.Communities
	f.add("communities", "", "", c.Area, "schools", c.Schools)
	f.add("communities", "", "", c.Area, "singletons", c.Singletons)
	f.add("communities", "", "", c.Area, "modularity", c.Modularity)
	for _, k := range c.Communities {
		for _, s := range k.Schools {
			f.school("communities", "community:"+strconv.Itoa(k.ID), s)
		}
	}
	return f
}
