package partnership

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"
)

// MemoryStore is a Store that keeps everything in memory: the zero-setup
// default and the reference implementation of the Store contracts. The zero
// value is not usable; call NewMemoryStore. It is safe for concurrent use.
type MemoryStore struct {
	mu          sync.RWMutex
	schools     table[URN, School]
	orgs        table[OrgID, Organisation]
	networks    table[NetworkID, Network]
	memberships table[MembershipID, Membership]
	people      table[PersonID, Person]
	programmes  table[ProgrammeID, Programme]
	inspections map[URN][]Inspection
	enrolments  map[ProgrammeID][]Enrolment
	// tenure indexes memberships by network and member, for the overlap
	// invariant.
	tenure map[tenureKey][]MembershipID
}

type tenureKey struct {
	network NetworkID
	member  OrgID
}

var (
	_ Store      = (*MemoryStore)(nil)
	_ BulkLoader = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		schools:     newTable(func(s *School) URN { return s.URN }, cloneSchool),
		orgs:        newTable(func(o *Organisation) OrgID { return o.ID }, func(o Organisation) Organisation { return o }),
		networks:    newTable(func(n *Network) NetworkID { return n.ID }, cloneNetwork),
		memberships: newTable(func(m *Membership) MembershipID { return m.ID }, func(m Membership) Membership { return m }),
		people:      newTable(func(p *Person) PersonID { return p.ID }, clonePerson),
		programmes:  newTable(func(p *Programme) ProgrammeID { return p.ID }, cloneProgramme),
		inspections: map[URN][]Inspection{},
		enrolments:  map[ProgrammeID][]Enrolment{},
		tenure:      map[tenureKey][]MembershipID{},
	}
}

// defaultPageSize is the page length when a PageRequest has no Limit.
const defaultPageSize = 100

// table is an in-memory keyed collection with ordered, cursor-based paging.
// keys is kept sorted by every write, so reads (under the read lock) never
// change it.
type table[K cmp.Ordered, V any] struct {
	rows   map[K]V
	keys   []K // sorted
	keyOf  func(*V) K
	cloneV func(V) V
}

func newTable[K cmp.Ordered, V any](keyOf func(*V) K, clone func(V) V) table[K, V] {
	return table[K, V]{rows: map[K]V{}, keyOf: keyOf, cloneV: clone}
}

func (t *table[K, V]) get(k K, what string) (V, error) {
	v, ok := t.rows[k]
	if !ok {
		var zero V
		return zero, fmt.Errorf("%s %v: %w", what, k, ErrNotFound)
	}
	return t.cloneV(v), nil
}

func (t *table[K, V]) insert(v V, what string) error {
	k := t.keyOf(&v)
	if _, ok := t.rows[k]; ok {
		return fmt.Errorf("%s %v: %w", what, k, ErrConflict)
	}
	t.rows[k] = t.cloneV(v)
	i, _ := slices.BinarySearch(t.keys, k)
	t.keys = slices.Insert(t.keys, i, k)
	return nil
}

// insertAll inserts vs, or nothing when one conflicts with a stored record
// or another of vs. It sorts the keys once, not once a record.
func (t *table[K, V]) insertAll(vs []V, what string) error {
	added := make([]K, 0, len(vs))
	for _, v := range vs {
		k := t.keyOf(&v)
		if _, ok := t.rows[k]; ok {
			for _, a := range added {
				delete(t.rows, a)
			}
			return fmt.Errorf("%s %v: %w", what, k, ErrConflict)
		}
		t.rows[k] = t.cloneV(v)
		added = append(added, k)
	}
	t.keys = append(t.keys, added...)
	slices.Sort(t.keys)
	return nil
}

func (t *table[K, V]) update(v V, what string) error {
	k := t.keyOf(&v)
	if _, ok := t.rows[k]; !ok {
		return fmt.Errorf("%s %v: %w", what, k, ErrNotFound)
	}
	t.rows[k] = t.cloneV(v)
	return nil
}

func (t *table[K, V]) delete(k K, what string) error {
	if _, ok := t.rows[k]; !ok {
		return fmt.Errorf("%s %v: %w", what, k, ErrNotFound)
	}
	delete(t.rows, k)
	if i, found := slices.BinarySearch(t.keys, k); found {
		t.keys = slices.Delete(t.keys, i, i+1)
	}
	return nil
}

// list pages through the rows matching keep in key order. The cursor is the
// last key returned, written by enc and read by dec.
func (t *table[K, V]) list(p PageRequest, keep func(*V) bool, enc func(K) string, dec func(string) (K, error)) (Page[V], error) {
	keys := t.keys
	start := 0
	if p.After != "" {
		after, err := dec(string(p.After))
		if err != nil {
			return Page[V]{}, fmt.Errorf("%w: bad cursor %q", ErrInvalid, p.After)
		}
		start, _ = slices.BinarySearch(keys, after)
		if start < len(keys) && keys[start] == after {
			start++
		}
	}
	limit := p.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	var page Page[V]
	for i := start; i < len(keys); i++ {
		v := t.rows[keys[i]]
		if !keep(&v) {
			continue
		}
		if len(page.Items) == limit {
			page.Next = Cursor(enc(t.keyOf(&page.Items[len(page.Items)-1])))
			return page, nil
		}
		page.Items = append(page.Items, t.cloneV(v))
	}
	return page, nil
}

func encURN(u URN) string { return strconv.Itoa(int(u)) }
func decURN(s string) (URN, error) {
	n, err := strconv.Atoi(s)
	return URN(n), err
}
func encID[K ~string](k K) string { return "id:" + string(k) }
func decID[K ~string](s string) (K, error) {
	if len(s) < 3 || s[:3] != "id:" {
		return "", fmt.Errorf("bad cursor")
	}
	return K(s[3:]), nil
}
func all[V any](*V) bool { return true }

func cloneSchool(s School) School { s.Predecessors = slices.Clone(s.Predecessors); return s }
func cloneNetwork(n Network) Network {
	n.CoordinatingGroup = slices.Clone(n.CoordinatingGroup)
	return n
}
func clonePerson(p Person) Person {
	p.Expertise = slices.Clone(p.Expertise)
	p.Phases = slices.Clone(p.Phases)
	return p
}
func cloneProgramme(p Programme) Programme {
	p.Partners = slices.Clone(p.Partners)
	p.Areas = slices.Clone(p.Areas)
	p.Eligibility.Networks = slices.Clone(p.Eligibility.Networks)
	p.Eligibility.Phases = slices.Clone(p.Eligibility.Phases)
	p.Eligibility.Roles = slices.Clone(p.Eligibility.Roles)
	return p
}
func cloneInspection(in Inspection) Inspection {
	in.Areas = slices.Clone(in.Areas)
	in.Judgements = slices.Clone(in.Judgements)
	return in
}

// read runs f under the read lock after checking ctx.
func (s *MemoryStore) read(ctx context.Context, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return f()
}

// write runs f under the write lock after checking ctx.
func (s *MemoryStore) write(ctx context.Context, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return f()
}

// School implements SchoolReader.
func (s *MemoryStore) School(ctx context.Context, urn URN) (v School, err error) {
	err = s.read(ctx, func() error { v, err = s.schools.get(urn, "school"); return err })
	return v, err
}

// ListSchools implements SchoolReader.
func (s *MemoryStore) ListSchools(ctx context.Context, q SchoolQuery, p PageRequest) (pg Page[School], err error) {
	err = s.read(ctx, func() error { pg, err = s.schools.list(p, q.Match, encURN, decURN); return err })
	return pg, err
}

// InsertSchool implements SchoolWriter.
func (s *MemoryStore) InsertSchool(ctx context.Context, v School) error {
	return s.write(ctx, func() error { return s.schools.insert(v, "school") })
}

// UpdateSchool implements SchoolWriter.
func (s *MemoryStore) UpdateSchool(ctx context.Context, v School) error {
	return s.write(ctx, func() error { return s.schools.update(v, "school") })
}

// Organisation implements OrgStore.
func (s *MemoryStore) Organisation(ctx context.Context, id OrgID) (v Organisation, err error) {
	err = s.read(ctx, func() error { v, err = s.orgs.get(id, "organisation"); return err })
	return v, err
}

// ListOrganisations implements OrgStore.
func (s *MemoryStore) ListOrganisations(ctx context.Context, q OrgQuery, p PageRequest) (pg Page[Organisation], err error) {
	keep := func(o *Organisation) bool { return q.Kind == OrgUnknown || o.Kind == q.Kind }
	err = s.read(ctx, func() error { pg, err = s.orgs.list(p, keep, encID[OrgID], decID[OrgID]); return err })
	return pg, err
}

// InsertOrganisation implements OrgStore.
func (s *MemoryStore) InsertOrganisation(ctx context.Context, v Organisation) error {
	return s.write(ctx, func() error { return s.orgs.insert(v, "organisation") })
}

// UpdateOrganisation implements OrgStore.
func (s *MemoryStore) UpdateOrganisation(ctx context.Context, v Organisation) error {
	return s.write(ctx, func() error { return s.orgs.update(v, "organisation") })
}

// Network implements NetworkStore.
func (s *MemoryStore) Network(ctx context.Context, id NetworkID) (v Network, err error) {
	err = s.read(ctx, func() error { v, err = s.networks.get(id, "network"); return err })
	return v, err
}

// ListNetworks implements NetworkStore.
func (s *MemoryStore) ListNetworks(ctx context.Context, q NetworkQuery, p PageRequest) (pg Page[Network], err error) {
	keep := func(n *Network) bool { return q.Kind == NetworkUnknown || n.Kind == q.Kind }
	err = s.read(ctx, func() error { pg, err = s.networks.list(p, keep, encID[NetworkID], decID[NetworkID]); return err })
	return pg, err
}

// InsertNetwork implements NetworkStore.
func (s *MemoryStore) InsertNetwork(ctx context.Context, v Network) error {
	return s.write(ctx, func() error { return s.networks.insert(v, "network") })
}

// UpdateNetwork implements NetworkStore.
func (s *MemoryStore) UpdateNetwork(ctx context.Context, v Network) error {
	return s.write(ctx, func() error { return s.networks.update(v, "network") })
}

// Membership implements MembershipStore.
func (s *MemoryStore) Membership(ctx context.Context, id MembershipID) (v Membership, err error) {
	err = s.read(ctx, func() error { v, err = s.memberships.get(id, "membership"); return err })
	return v, err
}

// ListMemberships implements MembershipStore.
func (s *MemoryStore) ListMemberships(ctx context.Context, q MembershipQuery, p PageRequest) (pg Page[Membership], err error) {
	err = s.read(ctx, func() error {
		pg, err = s.memberships.list(p, q.Match, encID[MembershipID], decID[MembershipID])
		return err
	})
	return pg, err
}

// InsertMembership implements MembershipStore.
func (s *MemoryStore) InsertMembership(ctx context.Context, v Membership) error {
	return s.write(ctx, func() error {
		if _, ok := s.memberships.rows[v.ID]; ok {
			return fmt.Errorf("membership %v: %w", v.ID, ErrConflict)
		}
		if err := s.checkTenure(v); err != nil {
			return err
		}
		if err := s.memberships.insert(v, "membership"); err != nil {
			return err
		}
		k := tenureKey{v.Network, v.Member}
		s.tenure[k] = append(slices.Clip(s.tenure[k]), v.ID)
		return nil
	})
}

// checkTenure returns ErrConflict if m overlaps another membership (not
// itself) of its member in its network.
func (s *MemoryStore) checkTenure(m Membership) error {
	for _, id := range s.tenure[tenureKey{m.Network, m.Member}] {
		if other := s.memberships.rows[id]; id != m.ID && other.Period.Overlaps(m.Period) {
			return fmt.Errorf("membership %v: %w: %s is already a member of %s during that period (membership %s)",
				m.ID, ErrConflict, m.Member, m.Network, id)
		}
	}
	return nil
}

// UpdateMembership implements MembershipStore.
func (s *MemoryStore) UpdateMembership(ctx context.Context, v Membership) error {
	return s.write(ctx, func() error {
		old, ok := s.memberships.rows[v.ID]
		if !ok {
			return fmt.Errorf("membership %v: %w", v.ID, ErrNotFound)
		}
		if err := s.checkTenure(v); err != nil {
			return err
		}
		if err := s.memberships.update(v, "membership"); err != nil {
			return err
		}
		if ok, nk := (tenureKey{old.Network, old.Member}), (tenureKey{v.Network, v.Member}); ok != nk {
			s.tenure[ok] = slices.DeleteFunc(slices.Clone(s.tenure[ok]), func(id MembershipID) bool { return id == v.ID })
			s.tenure[nk] = append(slices.Clip(s.tenure[nk]), v.ID)
		}
		return nil
	})
}

// Person implements PersonStore.
func (s *MemoryStore) Person(ctx context.Context, id PersonID) (v Person, err error) {
	err = s.read(ctx, func() error { v, err = s.people.get(id, "person"); return err })
	return v, err
}

// ListPeople implements PersonStore.
func (s *MemoryStore) ListPeople(ctx context.Context, q PersonQuery, p PageRequest) (pg Page[Person], err error) {
	keep := func(v *Person) bool {
		return (q.Home == "" || v.Home == q.Home) && (q.Role == RoleNone || v.Role == q.Role) &&
			(q.Expertise == "" || slices.Contains(v.Expertise, q.Expertise))
	}
	err = s.read(ctx, func() error { pg, err = s.people.list(p, keep, encID[PersonID], decID[PersonID]); return err })
	return pg, err
}

// InsertPerson implements PersonStore.
func (s *MemoryStore) InsertPerson(ctx context.Context, v Person) error {
	return s.write(ctx, func() error { return s.people.insert(v, "person") })
}

// UpdatePerson implements PersonStore.
func (s *MemoryStore) UpdatePerson(ctx context.Context, v Person) error {
	return s.write(ctx, func() error { return s.people.update(v, "person") })
}

// DeletePerson implements PersonStore.
func (s *MemoryStore) DeletePerson(ctx context.Context, id PersonID) error {
	return s.write(ctx, func() error {
		if err := s.people.delete(id, "person"); err != nil {
			return err
		}
		for prog, es := range s.enrolments {
			if i := slices.IndexFunc(es, func(e Enrolment) bool { return e.Person == id }); i >= 0 {
				s.enrolments[prog] = slices.Delete(slices.Clone(es), i, i+1)
			}
		}
		return nil
	})
}

// Programme implements ProgrammeStore.
func (s *MemoryStore) Programme(ctx context.Context, id ProgrammeID) (v Programme, err error) {
	err = s.read(ctx, func() error { v, err = s.programmes.get(id, "programme"); return err })
	return v, err
}

// ListProgrammes implements ProgrammeStore.
func (s *MemoryStore) ListProgrammes(ctx context.Context, p PageRequest) (pg Page[Programme], err error) {
	err = s.read(ctx, func() error {
		pg, err = s.programmes.list(p, all[Programme], encID[ProgrammeID], decID[ProgrammeID])
		return err
	})
	return pg, err
}

// InsertProgramme implements ProgrammeStore.
func (s *MemoryStore) InsertProgramme(ctx context.Context, v Programme) error {
	return s.write(ctx, func() error { return s.programmes.insert(v, "programme") })
}

// InsertEnrolment implements ProgrammeStore.
func (s *MemoryStore) InsertEnrolment(ctx context.Context, e Enrolment) error {
	return s.write(ctx, func() error {
		prog, ok := s.programmes.rows[e.Programme]
		if !ok {
			return fmt.Errorf("enrolment of %s on %s: programme: %w", e.Person, e.Programme, ErrNotFound)
		}
		if _, ok := s.people.rows[e.Person]; !ok {
			return fmt.Errorf("enrolment of %s on %s: person: %w", e.Person, e.Programme, ErrNotFound)
		}
		es := s.enrolments[e.Programme]
		i, found := slices.BinarySearchFunc(es, e.Person, func(x Enrolment, id PersonID) int { return cmp.Compare(x.Person, id) })
		if found {
			return fmt.Errorf("enrolment of %s on %s: %w: already enrolled", e.Person, e.Programme, ErrConflict)
		}
		if prog.Capacity > 0 && len(es) >= prog.Capacity {
			return fmt.Errorf("enrolment of %s on %s: %w: all %d places taken", e.Person, e.Programme, ErrConflict, prog.Capacity)
		}
		s.enrolments[e.Programme] = slices.Insert(slices.Clip(es), i, e)
		return nil
	})
}

// Enrolments implements ProgrammeStore.
func (s *MemoryStore) Enrolments(ctx context.Context, programme ProgrammeID) (out []Enrolment, err error) {
	err = s.read(ctx, func() error {
		out = append([]Enrolment{}, s.enrolments[programme]...)
		return nil
	})
	return out, err
}

// InsertInspection implements InspectionStore.
func (s *MemoryStore) InsertInspection(ctx context.Context, in Inspection) error {
	return s.write(ctx, func() error { return s.insertInspection(in) })
}

func (s *MemoryStore) insertInspection(in Inspection) error {
	h := s.inspections[in.URN]
	i, found := slices.BinarySearchFunc(h, in.Date, func(x Inspection, d time.Time) int { return d.Compare(x.Date) })
	if found {
		return fmt.Errorf("inspection of %d on %s: %w", in.URN, in.Date.Format(time.DateOnly), ErrConflict)
	}
	// Clip so Insert copies: a forked store shares backing arrays.
	s.inspections[in.URN] = slices.Insert(slices.Clip(h), i, cloneInspection(in))
	return nil
}

// Inspections implements InspectionStore.
func (s *MemoryStore) Inspections(ctx context.Context, urn URN) (out []Inspection, err error) {
	err = s.read(ctx, func() error {
		out = make([]Inspection, 0, len(s.inspections[urn]))
		for _, in := range s.inspections[urn] {
			out = append(out, cloneInspection(in))
		}
		return nil
	})
	return out, err
}

// LoadDataset implements BulkLoader: it inserts all of d or, if any record
// conflicts with a stored one or another in d, nothing.
func (s *MemoryStore) LoadDataset(ctx context.Context, d *Dataset) error {
	return s.write(ctx, func() error {
		// Load into a scratch copy of the tables so a conflict leaves the
		// store as it was.
		scratch := &MemoryStore{
			schools: s.schools.fork(), orgs: s.orgs.fork(), networks: s.networks.fork(),
			memberships: s.memberships.fork(), people: s.people.fork(), programmes: s.programmes.fork(),
			inspections: maps.Clone(s.inspections),
			enrolments:  s.enrolments,
			tenure:      maps.Clone(s.tenure),
		}
		if err := scratch.loadAll(ctx, d); err != nil {
			return err
		}
		s.schools, s.orgs, s.networks = scratch.schools, scratch.orgs, scratch.networks
		s.memberships, s.people, s.programmes = scratch.memberships, scratch.people, scratch.programmes
		s.inspections, s.tenure = scratch.inspections, scratch.tenure
		return nil
	})
}

func (s *MemoryStore) loadAll(ctx context.Context, d *Dataset) error {
	steps := []func() error{
		func() error { return s.schools.insertAll(d.Schools, "school") },
		func() error { return s.orgs.insertAll(d.Organisations, "organisation") },
		func() error { return s.networks.insertAll(d.Networks, "network") },
		func() error {
			for _, m := range d.Memberships {
				if err := s.checkTenure(m); err != nil {
					return err
				}
				k := tenureKey{m.Network, m.Member}
				s.tenure[k] = append(slices.Clip(s.tenure[k]), m.ID)
				// checkTenure reads rows: add each before the next check.
				if _, dup := s.memberships.rows[m.ID]; dup {
					return fmt.Errorf("membership %v: %w", m.ID, ErrConflict)
				}
				s.memberships.rows[m.ID] = m
			}
			for _, m := range d.Memberships {
				s.memberships.keys = append(s.memberships.keys, m.ID)
			}
			slices.Sort(s.memberships.keys)
			return nil
		},
		func() error { return s.people.insertAll(d.People, "person") },
		func() error { return s.programmes.insertAll(d.Programmes, "programme") },
		func() error {
			for _, in := range d.Inspections {
				if err := s.insertInspection(in); err != nil {
					return err
				}
			}
			return nil
		},
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// fork returns a copy of t that shares no mutable state with it (rows are
// values whose slices are never changed in place).
func (t *table[K, V]) fork() table[K, V] {
	c := *t
	c.rows = maps.Clone(t.rows)
	c.keys = slices.Clone(t.keys)
	return c
}
