package analysis

import (
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// CoverageReport says which schools of an area take part in partnerships
// beyond their own governance. The source documents ask that an area
// partnership be "inclusive of all local schools, whatever their governance
// arrangements"; the report counts who is left out, by governance and phase.
//
// Two measures are kept apart:
//
//   - Covered: the school is a current member of at least one collaborative
//     network (partnership.NetworkKind.Collaborative: an alliance, hub,
//     learning community, thematic network, cluster, community of practice,
//     programme cohort or connector, rather than a trust, federation,
//     sponsor or local authority) that reaches beyond its own governance:
//     the network has a current member other than the school itself, the
//     other open schools of the school's trusts and federations, and the
//     organisations that coordinate those trusts and federations. A trust's
//     internal hub does not cover its schools.
//   - Connected: the school is a current member of at least one network of
//     any kind other than a local authority's that has at least two open
//     schools, for example a multi-academy trust or federation of two or
//     more schools. A school not Connected works alone: a single-academy
//     trust or a maintained school in no federation or network.
//
// Data that records only governance (the GIAS extracts for England) has no
// collaborative networks, so nearly every school is uncovered there; that is
// the honest answer, and Connected is the measure that means something on
// such data.
type CoverageReport struct {
	Area string    `json:"area"`
	At   time.Time `json:"at,omitzero"`
	// Schools is the number of open schools in the area.
	Schools   int `json:"schools"`
	Covered   int `json:"covered"`
	Connected int `json:"connected"`
	// ByGovernance and ByPhase break the counts down, in the order of the
	// enumerations, leaving out values with no schools.
	ByGovernance []GovernanceCoverage `json:"by_governance"`
	ByPhase      []PhaseCoverage      `json:"by_phase"`
	// Uncovered lists the schools not Covered and Unconnected those not
	// Connected, each ascending by URN.
	Uncovered   []SchoolRef `json:"uncovered"`
	Unconnected []SchoolRef `json:"unconnected"`
}

// CoverageCount counts the schools of one group and how many are covered
// and connected (see CoverageReport).
type CoverageCount struct {
	Schools   int `json:"schools"`
	Covered   int `json:"covered"`
	Connected int `json:"connected"`
}

// GovernanceCoverage is the coverage of the schools with one governance.
type GovernanceCoverage struct {
	Governance partnership.Governance `json:"governance"`
	CoverageCount
}

// PhaseCoverage is the coverage of the schools of one phase.
type PhaseCoverage struct {
	Phase partnership.Phase `json:"phase"`
	CoverageCount
}

// Coverage reports which open schools of opts.Area on opts.At are covered by
// a collaborative network and which are connected to other schools at all
// (see CoverageReport for the definitions). It fails only on invalid
// options, with an error wrapping partnership.ErrInvalid.
func Coverage(m *partnership.Model, opts *Options) (*CoverageReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := newView(m, o.At, o.Area)
	r := &CoverageReport{Area: o.Area.String(), At: o.At, Schools: len(v.schools),
		Uncovered: []SchoolRef{}, Unconnected: []SchoolRef{}}
	byGov := map[partnership.Governance]*CoverageCount{}
	byPhase := map[partnership.Phase]*CoverageCount{}
	for _, s := range v.schools {
		cov, con := v.covered(s.URN), v.connected(s.URN)
		for _, c := range []*CoverageCount{group(byGov, s.Governance), group(byPhase, s.Phase)} {
			c.Schools++
			if cov {
				c.Covered++
			}
			if con {
				c.Connected++
			}
		}
		if cov {
			r.Covered++
		} else {
			r.Uncovered = append(r.Uncovered, schoolRef(s))
		}
		if con {
			r.Connected++
		} else {
			r.Unconnected = append(r.Unconnected, schoolRef(s))
		}
	}
	for _, g := range sortedKeys(byGov) {
		r.ByGovernance = append(r.ByGovernance, GovernanceCoverage{Governance: g, CoverageCount: *byGov[g]})
	}
	for _, p := range sortedKeys(byPhase) {
		r.ByPhase = append(r.ByPhase, PhaseCoverage{Phase: p, CoverageCount: *byPhase[p]})
	}
	byURN := func(a, b SchoolRef) int { return int(a.URN - b.URN) }
	slices.SortFunc(r.Uncovered, byURN)
	slices.SortFunc(r.Unconnected, byURN)
	return r, nil
}

func group[K comparable](m map[K]*CoverageCount, k K) *CoverageCount {
	c := m[k]
	if c == nil {
		c = &CoverageCount{}
		m[k] = c
	}
	return c
}

func sortedKeys[K ~int, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
