package partnershiptest

// The suite measured: it runs against a correct store (which must pass) and
// against deliberately broken ones (each of which it must fail). This file
// is an internal test because the harness needs the suite's checks without
// a *testing.T that would fail the real test.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// recorder is a tb that records failure instead of reporting it.
type recorder struct {
	mu     sync.Mutex
	failed bool
	first  string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failed {
		// testify's report spans lines; keep its error and message.
		msg := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
		if i := strings.Index(msg, "Error: "); i >= 0 {
			msg = msg[i:]
		}
		r.first = msg
	}
	r.failed = true
}

func (r *recorder) FailNow() {
	r.Errorf("FailNow")
	runtime.Goexit()
}

// runChecks runs the suite's checks against stores from newStore until one
// fails, returning its name and first message, or "" when all pass.
func runChecks(newStore func() p.Store) (caughtBy, msg string) {
	for _, c := range checks {
		r := &recorder{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				if v := recover(); v != nil {
					r.Errorf("panic: %v", v)
				}
			}()
			c.fn(r, newStore())
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			r.Errorf("timed out")
		}
		if r.failed {
			return c.name, r.first
		}
	}
	return "", ""
}

// The bugs planted, by kind. Each is a way a real store goes wrong.
var bugs = []string{
	// aliasing
	"alias-school-insert", "alias-school-read", "alias-list", "alias-person-insert",
	"alias-programme-read", "alias-inspection-read", "alias-enrolments",
	// paging
	"page-offset", "page-limit-ignored", "page-filter-after-limit", "page-unsorted",
	"page-repeat-last", "page-never-last", "page-cursor-deleted",
	// time precision and zones
	"time-day", "time-second", "time-milli", "time-zone", "time-zero",
	// context
	"ctx-read", "ctx-list", "ctx-write-then-error", "ctx-enrol-then-error",
	"ctx-delete-then-error", "ctx-wrong-error", "ctx-bulk-then-error",
	// atomicity and each invariant
	"overlap-none", "overlap-racy", "overlap-update-none", "overlap-across-networks",
	"overlap-touching", "overlap-open-ended", "capacity-none", "capacity-racy",
	"capacity-off-by-one", "enrol-duplicate", "enrol-unknown", "erase-keeps-enrolments",
	"erase-missing-ok", "upsert-school", "conflict-overwrites", "update-creates",
	"contested-racy", "inspection-day-key", "inspections-oldest-first",
	"filter-person-expertise", "at-inclusive-end",
	// bulk loading
	"bulk-drops-people-programmes", "bulk-partial", "bulk-no-overlap-check",
}

func TestSuitePassesCorrectStores(t *testing.T) {
	for name, newStore := range map[string]func() p.Store{
		"MemoryStore":            func() p.Store { return p.NewMemoryStore() },
		"mutant harness, no bug": func() p.Store { return newMutant("") },
	} {
		if by, msg := runChecks(newStore); by != "" {
			t.Errorf("%s fails %s: %s", name, by, msg)
		}
	}
}

// TestSuiteCatchesEveryMutant is the suite's mutation score: it must fail
// on every broken store.
func TestSuiteCatchesEveryMutant(t *testing.T) {
	caught := 0
	for _, bug := range bugs {
		by, msg := runChecks(func() p.Store { return newMutant(bug) })
		if by == "" {
			t.Errorf("the suite passes a store with bug %q", bug)
			continue
		}
		caught++
		t.Logf("%-30s caught by %s: %.160s", bug, by, msg)
	}
	t.Logf("mutation score: %d of %d planted bugs caught", caught, len(bugs))
}

// mutant is a store with one planted bug. It keeps memberships and
// enrolments itself (so the invariants can be broken) and passes the rest
// to a MemoryStore; with bug "" it is correct.
type mutant struct {
	*p.MemoryStore
	bug   string
	mu    sync.Mutex
	mems  map[p.MembershipID]p.Membership
	enrol map[p.ProgrammeID][]p.Enrolment // by person
	// For the aliasing bugs.
	preds    map[p.URN][]p.URN
	experts  map[p.PersonID][]p.ExpertiseID
	eligNets map[p.ProgrammeID][]p.NetworkID
	areas    map[p.URN][]p.AreaGrade
}

var _ p.BulkLoader = (*mutant)(nil)

func newMutant(bug string) *mutant {
	return &mutant{MemoryStore: p.NewMemoryStore(), bug: bug, mems: map[p.MembershipID]p.Membership{},
		enrol: map[p.ProgrammeID][]p.Enrolment{}, preds: map[p.URN][]p.URN{}, experts: map[p.PersonID][]p.ExpertiseID{},
		eligNets: map[p.ProgrammeID][]p.NetworkID{}, areas: map[p.URN][]p.AreaGrade{}}
}

// tm applies the time bugs to a time written.
func (m *mutant) tm(t time.Time) time.Time {
	switch m.bug {
	case "time-day":
		return t.Truncate(24 * time.Hour)
	case "time-second":
		return t.Truncate(time.Second)
	case "time-milli":
		return t.Truncate(time.Millisecond)
	case "time-zone":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	case "time-zero":
		if t.IsZero() {
			return time.Unix(0, 0).UTC()
		}
	}
	return t
}

func (m *mutant) period(pr p.Period) p.Period { return p.Period{From: m.tm(pr.From), To: m.tm(pr.To)} }

func (m *mutant) ctxOf(ctx context.Context, bug string) context.Context {
	if m.bug == bug {
		return context.Background()
	}
	return ctx
}

// thenErr reports ctx's error after a write made regardless of it.
func thenErr(ctx context.Context, err error) error {
	if err == nil {
		return ctx.Err()
	}
	return err
}

func (m *mutant) School(ctx context.Context, u p.URN) (p.School, error) {
	sc, err := m.MemoryStore.School(m.ctxOf(ctx, "ctx-read"), u)
	if err != nil {
		return sc, err
	}
	switch m.bug {
	case "alias-school-insert":
		sc.Predecessors = m.preds[u]
	case "alias-school-read":
		m.mu.Lock()
		if _, ok := m.preds[u]; !ok {
			m.preds[u] = sc.Predecessors
		}
		sc.Predecessors = m.preds[u]
		m.mu.Unlock()
	}
	return sc, nil
}

func (m *mutant) schoolTimes(sc p.School) p.School {
	sc.Opened, sc.Closed = m.tm(sc.Opened), m.tm(sc.Closed)
	return sc
}

func (m *mutant) InsertSchool(ctx context.Context, sc p.School) error {
	sc = m.schoolTimes(sc)
	switch m.bug {
	case "alias-school-insert":
		m.mu.Lock()
		m.preds[sc.URN] = sc.Predecessors
		m.mu.Unlock()
	case "ctx-write-then-error":
		return thenErr(ctx, m.MemoryStore.InsertSchool(context.Background(), sc))
	case "upsert-school":
		if ctx.Err() == nil {
			if err := m.MemoryStore.UpdateSchool(ctx, sc); err == nil {
				return nil
			}
		}
	}
	return m.MemoryStore.InsertSchool(ctx, sc)
}

func (m *mutant) UpdateSchool(ctx context.Context, sc p.School) error {
	return m.MemoryStore.UpdateSchool(ctx, m.schoolTimes(sc))
}

func (m *mutant) ListSchools(ctx context.Context, q p.SchoolQuery, r p.PageRequest) (p.Page[p.School], error) {
	if err := ctx.Err(); err != nil {
		return p.Page[p.School]{}, err
	}
	all := listAll(func(r p.PageRequest) (p.Page[p.School], error) {
		if m.bug == "page-filter-after-limit" {
			return m.MemoryStore.ListSchools(ctx, p.SchoolQuery{}, r)
		}
		return m.MemoryStore.ListSchools(ctx, q, r)
	})
	key := func(sc p.School) string { return strconv.Itoa(int(sc.URN)) }
	cmpKey := func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return cmp.Compare(x, y) }
	pg := pageOf(m.bug, all, key, cmpKey, r)
	switch m.bug {
	case "page-filter-after-limit":
		pg.Items = slices.DeleteFunc(pg.Items, func(sc p.School) bool { return !q.Match(&sc) })
	case "alias-list":
		m.mu.Lock()
		for i, sc := range pg.Items {
			if _, ok := m.preds[sc.URN]; !ok {
				m.preds[sc.URN] = sc.Predecessors
			}
			pg.Items[i].Predecessors = m.preds[sc.URN]
		}
		m.mu.Unlock()
	}
	return pg, nil
}

// listAll reads a whole listing from the MemoryStore.
func listAll[T any](list func(p.PageRequest) (p.Page[T], error)) []T {
	var out []T
	r := p.PageRequest{Limit: 1 << 20}
	for {
		pg, err := list(r)
		if err != nil {
			return out
		}
		out = append(out, pg.Items...)
		if pg.Next == "" {
			return out
		}
		r.After = pg.Next
	}
}

// pageOf pages all (in key order) by the rules of store.go, or by the
// paging bugs.
func pageOf[T any](bug string, all []T, key func(T) string, cmpKey func(a, b string) int, r p.PageRequest) p.Page[T] {
	limit := r.Limit
	if limit <= 0 {
		limit = 100
	}
	start := 0
	switch {
	case bug == "page-offset":
		start, _ = strconv.Atoi(string(r.After))
	case bug == "page-cursor-deleted" && r.After != "":
		start = slices.IndexFunc(all, func(v T) bool { return key(v) == string(r.After) }) + 1
	case r.After != "":
		start = len(all)
		for i, v := range all {
			if cmpKey(key(v), string(r.After)) > 0 {
				start = i
				break
			}
		}
	}
	start = min(start, len(all))
	end := min(start+limit, len(all))
	if bug == "page-limit-ignored" {
		end = len(all)
	}
	pg := p.Page[T]{Items: slices.Clone(all[start:end])}
	if end < len(all) {
		pg.Next = p.Cursor(key(all[end-1]))
		switch bug {
		case "page-offset":
			pg.Next = p.Cursor(strconv.Itoa(end))
		case "page-repeat-last":
			if len(pg.Items) >= 2 {
				pg.Next = p.Cursor(key(pg.Items[len(pg.Items)-2]))
			}
		}
	} else if bug == "page-never-last" {
		pg.Next = r.After
		if len(pg.Items) > 0 {
			pg.Next = p.Cursor(key(pg.Items[len(pg.Items)-1]))
		}
	}
	if bug == "page-unsorted" {
		slices.Reverse(pg.Items)
	}
	return pg
}

func (m *mutant) Person(ctx context.Context, id p.PersonID) (p.Person, error) {
	if m.bug == "ctx-wrong-error" && ctx.Err() != nil {
		return p.Person{}, errors.New("context canceled")
	}
	pe, err := m.MemoryStore.Person(ctx, id)
	if err == nil && m.bug == "alias-person-insert" {
		m.mu.Lock()
		pe.Expertise = m.experts[id]
		m.mu.Unlock()
	}
	return pe, err
}

func (m *mutant) InsertPerson(ctx context.Context, pe p.Person) error {
	switch m.bug {
	case "alias-person-insert":
		m.mu.Lock()
		m.experts[pe.ID] = pe.Expertise
		m.mu.Unlock()
	case "conflict-overwrites":
		if ctx.Err() == nil && m.MemoryStore.UpdatePerson(ctx, pe) == nil {
			return fmt.Errorf("person %s: %w", pe.ID, p.ErrConflict)
		}
	}
	return m.MemoryStore.InsertPerson(ctx, pe)
}

func (m *mutant) UpdatePerson(ctx context.Context, pe p.Person) error {
	err := m.MemoryStore.UpdatePerson(ctx, pe)
	if m.bug == "update-creates" && errors.Is(err, p.ErrNotFound) {
		return m.MemoryStore.InsertPerson(ctx, pe)
	}
	return err
}

func (m *mutant) ListPeople(ctx context.Context, q p.PersonQuery, r p.PageRequest) (p.Page[p.Person], error) {
	ctx = m.ctxOf(ctx, "ctx-list")
	if err := ctx.Err(); err != nil {
		return p.Page[p.Person]{}, err
	}
	if m.bug == "filter-person-expertise" {
		q.Expertise = ""
	}
	all := listAll(func(r p.PageRequest) (p.Page[p.Person], error) { return m.MemoryStore.ListPeople(ctx, q, r) })
	return pageOf(m.bug, all, func(v p.Person) string { return string(v.ID) }, cmp.Compare[string], r), nil
}

func (m *mutant) Programme(ctx context.Context, id p.ProgrammeID) (p.Programme, error) {
	pr, err := m.MemoryStore.Programme(ctx, id)
	if err == nil && m.bug == "alias-programme-read" {
		m.mu.Lock()
		if _, ok := m.eligNets[id]; !ok {
			m.eligNets[id] = pr.Eligibility.Networks
		}
		pr.Eligibility.Networks = m.eligNets[id]
		m.mu.Unlock()
	}
	return pr, err
}

func (m *mutant) InsertProgramme(ctx context.Context, pr p.Programme) error {
	pr.Period = m.period(pr.Period)
	return m.MemoryStore.InsertProgramme(ctx, pr)
}

func (m *mutant) InsertOrganisation(ctx context.Context, o p.Organisation) error {
	if m.bug == "contested-racy" && ctx.Err() == nil {
		if _, err := m.MemoryStore.Organisation(ctx, o.ID); errors.Is(err, p.ErrNotFound) {
			time.Sleep(time.Millisecond)
			if err := m.MemoryStore.InsertOrganisation(ctx, o); errors.Is(err, p.ErrConflict) {
				return m.MemoryStore.UpdateOrganisation(ctx, o) // last writer wins
			}
			return nil
		}
	}
	return m.MemoryStore.InsertOrganisation(ctx, o)
}

func (m *mutant) InsertInspection(ctx context.Context, in p.Inspection) error {
	in.Date = m.tm(in.Date)
	if m.bug == "inspection-day-key" && ctx.Err() == nil {
		h, _ := m.MemoryStore.Inspections(ctx, in.URN)
		for _, x := range h {
			if x.Date.Truncate(24 * time.Hour).Equal(in.Date.Truncate(24 * time.Hour)) {
				return fmt.Errorf("inspection: %w", p.ErrConflict)
			}
		}
	}
	return m.MemoryStore.InsertInspection(ctx, in)
}

func (m *mutant) Inspections(ctx context.Context, u p.URN) ([]p.Inspection, error) {
	h, err := m.MemoryStore.Inspections(ctx, u)
	switch {
	case err != nil:
	case m.bug == "inspections-oldest-first":
		slices.Reverse(h)
	case m.bug == "alias-inspection-read" && len(h) > 0:
		m.mu.Lock()
		if _, ok := m.areas[u]; !ok {
			m.areas[u] = h[0].Areas
		}
		h[0].Areas = m.areas[u]
		m.mu.Unlock()
	}
	return h, err
}

// Memberships, kept here so that the invariant can be broken.

func (m *mutant) Membership(ctx context.Context, id p.MembershipID) (p.Membership, error) {
	if err := ctx.Err(); err != nil {
		return p.Membership{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.mems[id]
	if !ok {
		return v, fmt.Errorf("membership %s: %w", id, p.ErrNotFound)
	}
	return v, nil
}

func (m *mutant) ListMemberships(ctx context.Context, q p.MembershipQuery, r p.PageRequest) (p.Page[p.Membership], error) {
	if err := ctx.Err(); err != nil {
		return p.Page[p.Membership]{}, err
	}
	m.mu.Lock()
	var all []p.Membership
	for _, v := range m.mems {
		match := q.Match(&v)
		if m.bug == "at-inclusive-end" && !q.At.IsZero() && v.Period.To.Equal(q.At) {
			match = (q.Network == "" || v.Network == q.Network) && (q.Member == "" || v.Member == q.Member)
		}
		if match {
			all = append(all, v)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(all, func(a, b p.Membership) int { return cmp.Compare(a.ID, b.ID) })
	return pageOf("", all, func(v p.Membership) string { return string(v.ID) }, cmp.Compare[string], r), nil
}

// overlap returns the membership v overlaps, if any, under the bugs.
func (m *mutant) overlap(v p.Membership) (p.MembershipID, bool) {
	for id, o := range m.mems {
		if id == v.ID || o.Member != v.Member {
			continue
		}
		if o.Network != v.Network && m.bug != "overlap-across-networks" {
			continue
		}
		over := o.Period.Overlaps(v.Period)
		switch m.bug {
		case "overlap-touching":
			over = over || (!o.Period.To.IsZero() && o.Period.To.Equal(v.Period.From)) || (!v.Period.To.IsZero() && v.Period.To.Equal(o.Period.From))
		case "overlap-open-ended":
			over = over && !o.Period.To.IsZero() && !v.Period.To.IsZero()
		}
		if over {
			return id, true
		}
	}
	return "", false
}

func (m *mutant) InsertMembership(ctx context.Context, v p.Membership) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.Period = m.period(v.Period)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.mems[v.ID]; ok {
		return fmt.Errorf("membership %s: %w", v.ID, p.ErrConflict)
	}
	if id, ok := m.overlap(v); ok && m.bug != "overlap-none" {
		return fmt.Errorf("membership %s: %w: overlaps %s", v.ID, p.ErrConflict, id)
	}
	if m.bug == "overlap-racy" {
		m.mu.Unlock()
		time.Sleep(time.Millisecond)
		m.mu.Lock()
	}
	m.mems[v.ID] = v
	return nil
}

func (m *mutant) UpdateMembership(ctx context.Context, v p.Membership) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.Period = m.period(v.Period)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.mems[v.ID]; !ok {
		return fmt.Errorf("membership %s: %w", v.ID, p.ErrNotFound)
	}
	if id, ok := m.overlap(v); ok && m.bug != "overlap-update-none" {
		return fmt.Errorf("membership %s: %w: overlaps %s", v.ID, p.ErrConflict, id)
	}
	m.mems[v.ID] = v
	return nil
}

// Enrolments, kept here so that capacity can be broken.

func (m *mutant) InsertEnrolment(ctx context.Context, e p.Enrolment) error {
	if m.bug == "ctx-enrol-then-error" {
		return thenErr(ctx, m.insertEnrolment(context.Background(), e))
	}
	return m.insertEnrolment(ctx, e)
}

func (m *mutant) insertEnrolment(ctx context.Context, e p.Enrolment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.On = m.tm(e.On)
	m.mu.Lock()
	defer m.mu.Unlock()
	pr, err := m.MemoryStore.Programme(ctx, e.Programme)
	if err != nil && m.bug != "enrol-unknown" {
		return err
	}
	if _, err := m.MemoryStore.Person(ctx, e.Person); err != nil && m.bug != "enrol-unknown" {
		return err
	}
	es := m.enrol[e.Programme]
	i, found := slices.BinarySearchFunc(es, e.Person, func(x p.Enrolment, id p.PersonID) int { return cmp.Compare(x.Person, id) })
	if found && m.bug != "enrol-duplicate" {
		return fmt.Errorf("enrolment: %w", p.ErrConflict)
	}
	limit := pr.Capacity
	if m.bug == "capacity-off-by-one" {
		limit++
	}
	if pr.Capacity > 0 && len(es) >= limit && m.bug != "capacity-none" {
		return fmt.Errorf("enrolment: %w: full", p.ErrConflict)
	}
	if m.bug == "capacity-racy" {
		m.mu.Unlock()
		time.Sleep(time.Millisecond)
		m.mu.Lock()
		es = m.enrol[e.Programme]
		i, _ = slices.BinarySearchFunc(es, e.Person, func(x p.Enrolment, id p.PersonID) int { return cmp.Compare(x.Person, id) })
	}
	m.enrol[e.Programme] = slices.Insert(slices.Clone(es), i, e)
	return nil
}

func (m *mutant) Enrolments(ctx context.Context, id p.ProgrammeID) ([]p.Enrolment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bug == "alias-enrolments" {
		return m.enrol[id], nil
	}
	return append([]p.Enrolment{}, m.enrol[id]...), nil
}

func (m *mutant) DeletePerson(ctx context.Context, id p.PersonID) error {
	if m.bug == "ctx-delete-then-error" {
		return thenErr(ctx, m.deletePerson(context.Background(), id))
	}
	return m.deletePerson(ctx, id)
}

func (m *mutant) deletePerson(ctx context.Context, id p.PersonID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.MemoryStore.DeletePerson(ctx, id)
	if m.bug == "erase-missing-ok" && errors.Is(err, p.ErrNotFound) {
		return nil
	}
	if err != nil || m.bug == "erase-keeps-enrolments" {
		return err
	}
	for g, es := range m.enrol {
		m.enrol[g] = slices.DeleteFunc(slices.Clone(es), func(e p.Enrolment) bool { return e.Person == id })
	}
	return nil
}

func (m *mutant) LoadDataset(ctx context.Context, d *p.Dataset) error {
	switch m.bug {
	case "ctx-bulk-then-error":
		return thenErr(ctx, m.loadDataset(context.Background(), d))
	case "bulk-partial":
		return m.loadOneByOne(ctx, d)
	}
	return m.loadDataset(ctx, d)
}

func (m *mutant) loadDataset(ctx context.Context, d *p.Dataset) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	// Check the memberships first, so that a conflict writes nothing.
	added := map[p.MembershipID]bool{}
	for _, v := range d.Memberships {
		if _, dup := m.mems[v.ID]; dup {
			m.removeMems(added)
			return fmt.Errorf("membership %s: %w", v.ID, p.ErrConflict)
		}
		if _, ok := m.overlap(v); ok && m.bug != "bulk-no-overlap-check" {
			m.removeMems(added)
			return fmt.Errorf("membership %s: %w", v.ID, p.ErrConflict)
		}
		v.Period = m.period(v.Period)
		m.mems[v.ID] = v
		added[v.ID] = true
	}
	rest := *d
	rest.Memberships = nil
	if m.bug == "bulk-drops-people-programmes" {
		rest.People, rest.Programmes = nil, nil
	}
	if err := m.MemoryStore.LoadDataset(ctx, &rest); err != nil {
		m.removeMems(added)
		return err
	}
	return nil
}

func (m *mutant) removeMems(ids map[p.MembershipID]bool) {
	for id := range ids {
		delete(m.mems, id)
	}
}

// loadOneByOne is a LoadDataset that is not all or nothing.
func (m *mutant) loadOneByOne(ctx context.Context, d *p.Dataset) error {
	var errs []error
	for _, v := range d.Schools {
		errs = append(errs, m.InsertSchool(ctx, v))
	}
	for _, v := range d.Organisations {
		errs = append(errs, m.InsertOrganisation(ctx, v))
	}
	for _, v := range d.Networks {
		errs = append(errs, m.InsertNetwork(ctx, v))
	}
	for _, v := range d.Memberships {
		errs = append(errs, m.InsertMembership(ctx, v))
	}
	for _, v := range d.People {
		errs = append(errs, m.InsertPerson(ctx, v))
	}
	for _, v := range d.Programmes {
		errs = append(errs, m.InsertProgramme(ctx, v))
	}
	for _, v := range d.Inspections {
		errs = append(errs, m.InsertInspection(ctx, v))
	}
	return errors.Join(errs...)
}
