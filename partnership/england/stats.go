package england

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Stats are headline counts of England's school partnerships, each defined
// on the extracts so that anyone can check it by hand:
//
//   - Schools: census rows whose phase_type_grouping starts
//     "State-funded" (for a school from the performance tables census or
//     GIAS establishments, the grouping derived from its type and phase;
//     those whose type is unknown are counted in Unclassified instead);
//   - ByPhase: those schools by phase grouping (State-funded primary,
//     secondary, special school, nursery, AP school);
//   - Trusts: open multi-academy trusts in the groups extract with at
//     least one row in the group links extract;
//   - SchoolsInTrust: counted schools whose URN has a group links row for
//     an open multi- or single-academy trust;
//   - LargestTrusts: the ten open multi-academy trusts with most group
//     links rows, most first, ties broken by name.
//
// A group's type and status are the groups extract's; for a group missing
// from it, the links row's own group columns. Restricted to a local
// authority, schools are those the census places in it (la_name), and group
// links rows are those the links extract places in it (LA (name)).
type Stats struct {
	// LA is the local authority the counts are restricted to; "" for all.
	LA             string                    `json:"la,omitempty"`
	Schools        int                       `json:"schools"`
	ByPhase        map[partnership.Phase]int `json:"by_phase"`
	Trusts         int                       `json:"trusts"`
	SchoolsInTrust int                       `json:"schools_in_trust"`
	// Unclassified counts the schools left out of Schools because no
	// extract read says whether they are state-funded (no census phase
	// grouping and an unknown establishment type).
	Unclassified  int         `json:"unclassified"`
	LargestTrusts []TrustSize `json:"largest_trusts"`
}

// TrustSize is a trust's number of group links rows.
type TrustSize struct {
	Name string `json:"name"`
	// ID is the trust's GIAS group ID, e.g. "TR02323".
	ID    string `json:"id,omitempty"`
	Count int    `json:"count"`
}

// largestTrusts is how many trusts Stats.LargestTrusts lists.
const largestTrusts = 10

// matchLA reports whether an LA (code, name) is the one la names: la is a
// name, compared without regard to case, or a code.
func matchLA(la string, code int, name string) bool {
	if n, err := strconv.Atoi(la); err == nil {
		return n == code
	}
	return strings.EqualFold(strings.TrimSpace(la), strings.TrimSpace(name))
}

// Stats computes the headline counts over the whole result, or, when la is
// not "", over one local authority, named (case aside) or by its
// three-digit code. It fails with an error wrapping
// partnership.ErrNotFound when no school or group link is in that local
// authority.
func (r *Result) Stats(la string) (*Stats, error) {
	st := &Stats{LA: la, ByPhase: map[partnership.Phase]int{}, LargestTrusts: []TrustSize{}}
	found := la == ""
	groups := make(map[int]*Group, len(r.Groups))
	for i := range r.Groups {
		groups[r.Groups[i].UID] = &r.Groups[i]
	}
	inTrust := map[partnership.URN]bool{}
	rows := map[int]int{} // open MAT UID -> group links rows
	for _, l := range r.GroupLinks {
		g := groups[l.GroupUID]
		if g == nil || g.Status != StatusOpen {
			continue
		}
		if g.Type == GroupMultiAcademyTrust || g.Type == GroupSingleAcademyTrust {
			inTrust[l.URN] = true
		}
		if la != "" && !matchLA(la, l.LACode, l.LAName) {
			continue
		}
		found = true
		if g.Type == GroupMultiAcademyTrust {
			rows[l.GroupUID]++
		}
	}
	for _, s := range r.Dataset.Schools {
		if la != "" && !matchLA(la, s.LA, s.LAName) {
			continue
		}
		found = true
		pg := r.PhaseGroups[s.URN]
		if pg == "" {
			st.Unclassified++
			continue
		}
		if !strings.HasPrefix(strings.ToLower(pg), "state-funded") {
			continue
		}
		st.Schools++
		p, err := partnership.ParsePhase(pg)
		if err != nil {
			p = partnership.PhaseUnknown
		}
		st.ByPhase[p]++
		if inTrust[s.URN] {
			st.SchoolsInTrust++
		}
	}
	if !found {
		return nil, fmt.Errorf("no school or group link in local authority %q: %w", la, partnership.ErrNotFound)
	}
	st.Trusts = len(rows)
	for uid, n := range rows {
		g := groups[uid]
		st.LargestTrusts = append(st.LargestTrusts, TrustSize{Name: g.Name, ID: g.ID, Count: n})
	}
	slices.SortFunc(st.LargestTrusts, func(a, b TrustSize) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(st.LargestTrusts) > largestTrusts {
		st.LargestTrusts = st.LargestTrusts[:largestTrusts]
	}
	return st, nil
}
