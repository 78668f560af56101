package analysis

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// IsolationReport lists the schools and people of an area who have no peer
// in the partnerships they belong to.
type IsolationReport struct {
	Area string    `json:"area"`
	At   time.Time `json:"at,omitzero"`
	// Alone lists the open schools in no network of two or more schools
	// (those not Connected in CoverageReport), ascending by URN.
	Alone []SchoolRef `json:"alone"`
	// NoPhasePeer lists the schools that are in at least one network of two
	// or more schools but are the only school of their phase in every
	// network they belong to: a secondary school whose trust is otherwise
	// primary schools. Ascending by URN.
	NoPhasePeer []PhaseIsolation `json:"no_phase_peer"`
	// LoneRoles lists the people who are the only person in their setting
	// (their home organisation) in their role, the source documents'
	// practitioners "often the only person in their setting in their
	// particular role", fewest network peers first, then by ID. People
	// without a role are left out.
	LoneRoles []LoneRole `json:"lone_roles"`
}

// PhaseIsolation is a school with no school of its own phase in any of its
// networks.
type PhaseIsolation struct {
	School   SchoolRef    `json:"school"`
	Networks []NetworkRef `json:"networks"`
}

// LoneRole is a person who is the only one in their home organisation with
// their role.
type LoneRole struct {
	Person partnership.PersonID `json:"person"`
	Role   partnership.Role     `json:"role"`
	Home   partnership.OrgID    `json:"home"`
	// NetworkPeers is the number of other people with the same role whose
	// home organisation shares a current network with this person's home; 0
	// means the role has no peer in any network the setting belongs to.
	NetworkPeers int `json:"network_peers"`
}

// Isolation reports the schools of opts.Area with no peer on opts.At:
// schools in no multi-school network, schools alone in their phase in every
// network, and people alone in their role (see IsolationReport). A person
// counts when their home is a school in the area, or an organisation that
// shares a network with one (any organisation when the area is everywhere).
// It fails only on invalid options, with an error wrapping
// partnership.ErrInvalid.
func Isolation(m *partnership.Model, opts *Options) (*IsolationReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := newView(m, o.At, o.Area)
	r := &IsolationReport{Area: o.Area.String(), At: o.At,
		Alone: []SchoolRef{}, NoPhasePeer: []PhaseIsolation{}, LoneRoles: []LoneRole{}}
	for _, s := range v.schools {
		if !v.connected(s.URN) {
			r.Alone = append(r.Alone, schoolRef(s))
			continue
		}
		var nets []NetworkRef
		peer := false
		for _, k := range v.netsOf[s.URN] {
			vn := &v.nets[k]
			if !vn.multiSchool() {
				continue
			}
			nets = append(nets, vn.ref())
			for _, u := range vn.schools {
				if o := m.School(u); u != s.URN && o != nil && o.Phase == s.Phase {
					peer = true
					break
				}
			}
			if peer {
				break
			}
		}
		if !peer {
			r.NoPhasePeer = append(r.NoPhasePeer, PhaseIsolation{School: schoolRef(s), Networks: nets})
		}
	}
	slices.SortFunc(r.Alone, func(a, b SchoolRef) int { return cmp.Compare(a.URN, b.URN) })
	slices.SortFunc(r.NoPhasePeer, func(a, b PhaseIsolation) int { return cmp.Compare(a.School.URN, b.School.URN) })
	r.LoneRoles = loneRoles(m, v, o.Area)
	return r, nil
}

type orgRole struct {
	org  partnership.OrgID
	role partnership.Role
}

func loneRoles(m *partnership.Model, v *view, area Area) []LoneRole {
	people := m.Dataset().People
	if len(people) == 0 {
		return []LoneRole{}
	}
	holders := map[orgRole]int{}
	for _, p := range people {
		if p.Role != partnership.RoleNone {
			holders[orgRole{p.Home, p.Role}]++
		}
	}
	// netsOfOrg: every current member's networks in the view.
	netsOfOrg := map[partnership.OrgID][]int{}
	for k := range v.nets {
		for _, ms := range v.nets[k].members {
			if l := netsOfOrg[ms.Member]; len(l) == 0 || l[len(l)-1] != k {
				netsOfOrg[ms.Member] = append(l, k)
			}
		}
	}
	everywhere := area == Area{}
	counted := func(home partnership.OrgID) bool {
		if u, ok := partnership.SchoolOf(home); ok && m.School(u) != nil {
			return v.inArea[u]
		}
		if everywhere {
			return true
		}
		for _, k := range netsOfOrg[home] {
			for _, u := range v.nets[k].schools {
				if v.inArea[u] {
					return true
				}
			}
		}
		return false
	}
	out := []LoneRole{}
	for _, p := range people {
		if p.Role == partnership.RoleNone || holders[orgRole{p.Home, p.Role}] != 1 || !counted(p.Home) {
			continue
		}
		seen := map[partnership.OrgID]bool{p.Home: true}
		peers := 0
		for _, k := range netsOfOrg[p.Home] {
			for _, ms := range v.nets[k].members {
				if !seen[ms.Member] {
					seen[ms.Member] = true
					peers += holders[orgRole{ms.Member, p.Role}]
				}
			}
		}
		out = append(out, LoneRole{Person: p.ID, Role: p.Role, Home: p.Home, NetworkPeers: peers})
	}
	slices.SortFunc(out, func(a, b LoneRole) int {
		return cmp.Or(cmp.Compare(a.NetworkPeers, b.NetworkPeers), cmp.Compare(a.Person, b.Person))
	})
	return out
}

// Duplicate is a pair of networks of the same kind whose member sets are
// identical or nearly so, and whose stated purposes do not differ: two
// structures doing one job, which the source documents ask partnerships to
// avoid.
type Duplicate struct {
	A NetworkRef `json:"a"`
	B NetworkRef `json:"b"`
	// Jaccard is |A ∩ B| / |A ∪ B| over the networks' current members
	// (schools and organisations).
	Jaccard float64 `json:"jaccard"`
	Shared  int     `json:"shared"`
	// SameKind reports whether the networks are of the same kind, always
	// so unless Options.DuplicateAnyKind is set.
	SameKind bool `json:"same_kind"`
	// SamePurpose reports whether both purposes are equal, ignoring case
	// and spacing (two empty purposes are equal). Unless
	// Options.DuplicateAnyKind is set, a pair whose purposes are both
	// stated and differ is not a duplicate.
	SamePurpose bool `json:"same_purpose"`
}

// Duplicates returns the pairs of networks active on opts.At, of the same
// kind (of any kinds with opts.DuplicateAnyKind), each with at least two
// current members, whose member sets have a
// Jaccard similarity of at least opts.DuplicateThreshold and whose purposes
// do not differ (see Duplicate). With an Area, only networks with a school
// member in the area count. Pairs come most similar first, then by the IDs
// of A and B, with A's ID before B's. It fails only on invalid options, with
// an error wrapping partnership.ErrInvalid.
func Duplicates(m *partnership.Model, opts *Options) ([]Duplicate, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := newView(m, o.At, o.Area)
	everywhere := o.Area == Area{}
	type cand struct {
		vn      *viewNet
		members []partnership.OrgID
		purpose string
	}
	var cands []cand
	byMember := map[partnership.OrgID][]int{}
	for k := range v.nets {
		vn := &v.nets[k]
		if !everywhere && !slices.ContainsFunc(vn.schools, func(u partnership.URN) bool { return v.inArea[u] }) {
			continue
		}
		ids := make([]partnership.OrgID, 0, len(vn.members))
		for _, ms := range vn.members {
			ids = append(ids, ms.Member)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if len(ids) < 2 {
			continue
		}
		c := len(cands)
		cands = append(cands, cand{vn: vn, members: ids, purpose: strings.Join(strings.Fields(strings.ToLower(vn.n.Purpose)), " ")})
		for _, id := range ids {
			byMember[id] = append(byMember[id], c)
		}
	}
	out := []Duplicate{}
	shared := map[int]int{}
	for a := range cands {
		clear(shared)
		for _, id := range cands[a].members {
			for _, b := range byMember[id] {
				if b > a && (o.DuplicateAnyKind || cands[b].vn.n.Kind == cands[a].vn.n.Kind) {
					shared[b]++
				}
			}
		}
		for b, n := range shared {
			ca, cb := &cands[a], &cands[b]
			j := float64(n) / float64(len(ca.members)+len(cb.members)-n)
			differ := ca.purpose != "" && cb.purpose != "" && ca.purpose != cb.purpose
			if j < o.DuplicateThreshold || (differ && !o.DuplicateAnyKind) {
				continue
			}
			d := Duplicate{A: ca.vn.ref(), B: cb.vn.ref(), Jaccard: j, Shared: n,
				SameKind: ca.vn.n.Kind == cb.vn.n.Kind, SamePurpose: ca.purpose == cb.purpose}
			if d.B.ID < d.A.ID {
				d.A, d.B = d.B, d.A
			}
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(x, y Duplicate) int {
		return cmp.Or(cmp.Compare(y.Jaccard, x.Jaccard), cmp.Compare(x.A.ID, y.A.ID), cmp.Compare(x.B.ID, y.B.ID))
	})
	return out, nil
}
