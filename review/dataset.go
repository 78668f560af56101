package review

import (
	"cmp"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Reviewees returns the schools of a partnership dataset as schools to
// review, in URN order: every school keep accepts (nil keeps the open
// state-funded schools with a known location). A school's Trust is the
// coordinator of the trust network (multi- or single-academy trust) it
// belongs to, if any, else "trust:" and its census trust name.
func Reviewees(d *partnership.Dataset, keep func(*partnership.School) bool) []Reviewee {
	if keep == nil {
		keep = func(s *partnership.School) bool {
			return s.Governance.IsStateFunded() && s.Closed.IsZero() && s.Location.Known()
		}
	}
	trustNet := map[partnership.NetworkID]partnership.OrgID{}
	for _, n := range d.Networks {
		if n.Kind == partnership.NetworkTrust {
			org := n.Coordinator
			if org == "" {
				org = partnership.OrgID(n.ID)
			}
			trustNet[n.ID] = org
		}
	}
	trustOf := map[partnership.OrgID]partnership.OrgID{}
	for _, m := range d.Memberships {
		if org, ok := trustNet[m.Network]; ok && m.Period.To.IsZero() {
			if old, dup := trustOf[m.Member]; !dup || org < old {
				trustOf[m.Member] = org
			}
		}
	}
	var out []Reviewee
	for i := range d.Schools {
		s := &d.Schools[i]
		if !keep(s) {
			continue
		}
		r := Reviewee{URN: s.URN, Name: s.Name, Phase: s.Phase, LA: s.LA, Location: s.Location, Pupils: s.Pupils.Or(0), FSMPercent: s.FSMPercent.Or(-1)}
		if t, ok := trustOf[s.URN.OrgID()]; ok {
			r.Trust = t
		} else if s.TrustName != "" {
			r.Trust = partnership.OrgID("trust:" + s.TrustName)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Reviewee) int { return cmp.Compare(a.URN, b.URN) })
	return out
}
