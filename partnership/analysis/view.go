package analysis

import (
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// SchoolRef names a school in a result.
type SchoolRef struct {
	URN        partnership.URN        `json:"urn"`
	Name       string                 `json:"name"`
	Phase      partnership.Phase      `json:"phase"`
	Governance partnership.Governance `json:"governance"`
	LAName     string                 `json:"la_name,omitempty"`
}

// NetworkRef names a network in a result, with the number of its current
// members that are schools.
type NetworkRef struct {
	ID      partnership.NetworkID   `json:"id"`
	Name    string                  `json:"name"`
	Kind    partnership.NetworkKind `json:"kind"`
	Schools int                     `json:"schools"`
}

func schoolRef(s *partnership.School) SchoolRef {
	return SchoolRef{URN: s.URN, Name: s.Name, Phase: s.Phase, Governance: s.Governance, LAName: s.LAName}
}

// view is the part of a model an analysis looks at: the open schools in the
// area, the active networks and their current memberships on one date.
type view struct {
	m  *partnership.Model
	at time.Time
	// schools are the open schools in the area, in dataset order.
	schools []*partnership.School
	inArea  map[partnership.URN]bool
	// nets are the networks active at the date with at least one current
	// member, in dataset order.
	nets []viewNet
	// netsOf lists, for each school (in the area or not) with a current
	// membership, the indexes in nets of its networks, ascending.
	netsOf map[partnership.URN][]int
}

type viewNet struct {
	n *partnership.Network
	// schools are the distinct school members (anywhere), ascending by URN.
	schools []partnership.URN
	// members are the network's current memberships, of schools and other
	// organisations, in dataset order.
	members []partnership.Membership
}

// open reports whether s is open on at (always, when at is zero).
func open(s *partnership.School, at time.Time) bool {
	if at.IsZero() {
		return true
	}
	return (s.Opened.IsZero() || !at.Before(s.Opened)) && (s.Closed.IsZero() || at.Before(s.Closed))
}

func newView(m *partnership.Model, at time.Time, area Area) *view {
	v := &view{m: m, at: at, inArea: map[partnership.URN]bool{}, netsOf: map[partnership.URN][]int{}}
	all := m.Schools()
	for i := range all {
		s := &all[i]
		if open(s, at) && area.Contains(s) {
			v.schools = append(v.schools, s)
			v.inArea[s.URN] = true
		}
	}
	networks := m.Networks()
	for i := range networks {
		n := &networks[i]
		if !at.IsZero() && !n.Active.Contains(at) {
			continue
		}
		ms := m.Members(n.ID, at)
		if len(ms) == 0 {
			continue
		}
		vn := viewNet{n: n, members: ms}
		for _, ms := range ms {
			if u, ok := partnership.SchoolOf(ms.Member); ok {
				if s := m.School(u); s != nil && open(s, at) {
					vn.schools = append(vn.schools, u)
				}
			}
		}
		slices.Sort(vn.schools)
		vn.schools = slices.Compact(vn.schools)
		k := len(v.nets)
		v.nets = append(v.nets, vn)
		for _, u := range vn.schools {
			v.netsOf[u] = append(v.netsOf[u], k)
		}
	}
	return v
}

// multiSchool reports whether a network joins schools to one another: it
// has at least two school members and is not a local authority's list of
// maintained schools.
func (vn *viewNet) multiSchool() bool {
	return len(vn.schools) >= 2 && vn.n.Kind != partnership.NetworkLocalAuthority
}

func (vn *viewNet) ref() NetworkRef {
	return NetworkRef{ID: vn.n.ID, Name: vn.n.Name, Kind: vn.n.Kind, Schools: len(vn.schools)}
}

// connected reports whether the school is in at least one multi-school
// network.
func (v *view) connected(u partnership.URN) bool {
	for _, k := range v.netsOf[u] {
		if v.nets[k].multiSchool() {
			return true
		}
	}
	return false
}

// covered reports whether the school is in at least one collaborative
// network (partnership.NetworkKind.Collaborative) that reaches beyond its own
// governance: one with a member other than the school itself, the other
// schools of its trusts and federations, and those trusts and federations'
// coordinating organisations.
func (v *view) covered(u partnership.URN) bool {
	var own map[partnership.OrgID]bool
	for _, k := range v.netsOf[u] {
		vn := &v.nets[k]
		if !vn.n.Kind.Collaborative() {
			continue
		}
		if own == nil {
			own = map[partnership.OrgID]bool{u.OrgID(): true}
			for _, j := range v.netsOf[u] {
				g := &v.nets[j]
				if g.n.Kind != partnership.NetworkTrust && g.n.Kind != partnership.NetworkFederation {
					continue
				}
				for _, w := range g.schools {
					own[w.OrgID()] = true
				}
				if g.n.Coordinator != "" {
					own[g.n.Coordinator] = true
				}
			}
		}
		for _, w := range vn.schools {
			if !own[w.OrgID()] {
				return true
			}
		}
		for _, ms := range vn.members {
			if _, school := partnership.SchoolOf(ms.Member); !school && !own[ms.Member] {
				return true
			}
		}
	}
	return false
}
