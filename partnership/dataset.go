package partnership

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Dataset is a whole partnership model as plain records: what a loader such
// as partnership/england produces, what a Store can be filled from, and what
// NewModel indexes for analysis. The zero Dataset is empty and valid.
type Dataset struct {
	Schools       []School       `json:"schools"`
	Organisations []Organisation `json:"organisations"`
	Networks      []Network      `json:"networks"`
	Memberships   []Membership   `json:"memberships"`
	Inspections   []Inspection   `json:"inspections"`
	People        []Person       `json:"people,omitempty"`
	Programmes    []Programme    `json:"programmes,omitempty"`
}

// Model is an indexed, read-only view of a Dataset. Build one with NewModel;
// it is safe for concurrent use and must not be changed through the slices it
// returns.
type Model struct {
	d           Dataset
	schools     map[URN]int
	orgs        map[OrgID]int
	networks    map[NetworkID]int
	byMember    map[OrgID][]int // memberships by member
	byNetwork   map[NetworkID][]int
	inspections map[URN][]int // by URN, newest first
	successor   map[URN]URN
}

// NewModel indexes d and checks it: IDs are unique and non-empty, every
// membership names a known network and a known member (a school's URN.OrgID
// or an organisation), and periods are well formed. All problems are
// returned joined (errors.Join), each wrapping ErrInvalid or ErrConflict.
// The model keeps d's slices; the caller must not change them afterwards.
func NewModel(d Dataset) (*Model, error) {
	m := &Model{
		d:           d,
		schools:     make(map[URN]int, len(d.Schools)),
		orgs:        make(map[OrgID]int, len(d.Organisations)),
		networks:    make(map[NetworkID]int, len(d.Networks)),
		byMember:    make(map[OrgID][]int),
		byNetwork:   make(map[NetworkID][]int, len(d.Networks)),
		inspections: make(map[URN][]int, len(d.Schools)),
		successor:   make(map[URN]URN),
	}
	var errs []error
	for i, s := range d.Schools {
		if s.URN <= 0 {
			errs = append(errs, fmt.Errorf("%w: school %q has no URN", ErrInvalid, s.Name))
			continue
		}
		if _, dup := m.schools[s.URN]; dup {
			errs = append(errs, fmt.Errorf("%w: school %d appears twice", ErrConflict, s.URN))
			continue
		}
		m.schools[s.URN] = i
	}
	for _, s := range d.Schools {
		for _, p := range s.Predecessors {
			m.successor[p] = s.URN
		}
	}
	for i, o := range d.Organisations {
		if o.ID == "" {
			errs = append(errs, fmt.Errorf("%w: organisation %q has no ID", ErrInvalid, o.Name))
			continue
		}
		if _, dup := m.orgs[o.ID]; dup {
			errs = append(errs, fmt.Errorf("%w: organisation %s appears twice", ErrConflict, o.ID))
			continue
		}
		m.orgs[o.ID] = i
	}
	for i, n := range d.Networks {
		if n.ID == "" {
			errs = append(errs, fmt.Errorf("%w: network %q has no ID", ErrInvalid, n.Name))
			continue
		}
		if _, dup := m.networks[n.ID]; dup {
			errs = append(errs, fmt.Errorf("%w: network %s appears twice", ErrConflict, n.ID))
			continue
		}
		if !n.Active.Valid() {
			errs = append(errs, fmt.Errorf("%w: network %s ends before it starts", ErrInvalid, n.ID))
		}
		m.networks[n.ID] = i
	}
	for i, ms := range d.Memberships {
		if _, ok := m.networks[ms.Network]; !ok {
			errs = append(errs, fmt.Errorf("%w: membership %s: unknown network %s", ErrInvalid, ms.ID, ms.Network))
			continue
		}
		if !m.knownMember(ms.Member) {
			errs = append(errs, fmt.Errorf("%w: membership %s: unknown member %s", ErrInvalid, ms.ID, ms.Member))
			continue
		}
		if !ms.Period.Valid() {
			errs = append(errs, fmt.Errorf("%w: membership %s ends before it starts", ErrInvalid, ms.ID))
			continue
		}
		m.byMember[ms.Member] = append(m.byMember[ms.Member], i)
		m.byNetwork[ms.Network] = append(m.byNetwork[ms.Network], i)
	}
	for i, in := range d.Inspections {
		m.inspections[in.URN] = append(m.inspections[in.URN], i)
	}
	for _, is := range m.inspections {
		slices.SortStableFunc(is, func(a, b int) int { return d.Inspections[b].Date.Compare(d.Inspections[a].Date) })
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

func (m *Model) knownMember(id OrgID) bool {
	if u, ok := SchoolOf(id); ok {
		if _, ok := m.schools[u]; ok {
			return true
		}
	}
	_, ok := m.orgs[id]
	return ok
}

// Dataset returns the records the model indexes. Do not modify them.
func (m *Model) Dataset() *Dataset { return &m.d }

// Schools returns every school, in dataset order. Do not modify the slice.
func (m *Model) Schools() []School { return m.d.Schools }

// School returns the school with the URN, or nil.
func (m *Model) School(u URN) *School {
	if i, ok := m.schools[u]; ok {
		return &m.d.Schools[i]
	}
	return nil
}

// Organisation returns the organisation with the ID, or nil.
func (m *Model) Organisation(id OrgID) *Organisation {
	if i, ok := m.orgs[id]; ok {
		return &m.d.Organisations[i]
	}
	return nil
}

// Network returns the network with the ID, or nil.
func (m *Model) Network(id NetworkID) *Network {
	if i, ok := m.networks[id]; ok {
		return &m.d.Networks[i]
	}
	return nil
}

// Networks returns every network, in dataset order. Do not modify the slice.
func (m *Model) Networks() []Network { return m.d.Networks }

// MembershipsOf returns the memberships of member that are current on date
// at (all of them when at is zero), in dataset order.
func (m *Model) MembershipsOf(member OrgID, at time.Time) []Membership {
	return m.pick(m.byMember[member], at)
}

// Members returns the memberships of network n current on date at (all of
// them when at is zero), in dataset order.
func (m *Model) Members(n NetworkID, at time.Time) []Membership {
	return m.pick(m.byNetwork[n], at)
}

func (m *Model) pick(idx []int, at time.Time) []Membership {
	out := make([]Membership, 0, len(idx))
	for _, i := range idx {
		ms := m.d.Memberships[i]
		if at.IsZero() || ms.Period.Contains(at) {
			out = append(out, ms)
		}
	}
	return out
}

// Inspections returns a school's inspection history, newest first,
// including the inspections of its predecessors (followed transitively), so
// a converter academy keeps the record of the school it replaced.
func (m *Model) Inspections(u URN) []Inspection {
	var out []Inspection
	seen := map[URN]bool{}
	var walk func(URN)
	walk = func(u URN) {
		if seen[u] {
			return
		}
		seen[u] = true
		for _, i := range m.inspections[u] {
			out = append(out, m.d.Inspections[i])
		}
		if s := m.School(u); s != nil {
			for _, p := range s.Predecessors {
				walk(p)
			}
		}
	}
	walk(u)
	sortNewestFirst(out)
	return out
}

// LatestInspection returns the school's most recent inspection (following
// predecessors) and true, or false when it has none.
func (m *Model) LatestInspection(u URN) (Inspection, bool) {
	h := m.Inspections(u)
	if len(h) == 0 {
		return Inspection{}, false
	}
	return h[0], true
}

func sortNewestFirst(h []Inspection) {
	slices.SortStableFunc(h, func(a, b Inspection) int { return b.Date.Compare(a.Date) })
}
