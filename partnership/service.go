package partnership

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"time"
)

// Options configure a Service. The zero value (or nil) gives the defaults
// documented on each field.
type Options struct {
	// Clock returns the current time; nil means time.Now. The Service
	// uses it for "today" in queries that take no date.
	Clock func() time.Time
	// NewID returns a fresh unique ID for records created without one;
	// nil means 16 random hex digits.
	NewID func() string
	// Logger receives a debug line for each change; nil discards them.
	Logger *slog.Logger
	// Taxonomy checks the expertise areas of people and programmes; nil
	// means DefaultTaxonomy().
	Taxonomy *Taxonomy
}

// Service is what users call to read and change a partnership model. It
// validates input, assigns IDs, checks references and invariants (a
// membership names a known network and member; an organisation's
// memberships of one network never overlap in time), wraps errors with the
// operation and ID, and leaves storage to its Store. It is safe for
// concurrent use if the Store is.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
	log   *slog.Logger
	tax   *Taxonomy
}

// NewService returns a Service over store. opts may be nil.
func NewService(store Store, opts *Options) *Service {
	if store == nil {
		panic("partnership.NewService: nil Store")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Service{store: store, now: o.Clock, newID: o.NewID, log: o.Logger, tax: o.Taxonomy}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = randomID
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.tax == nil {
		s.tax = DefaultTaxonomy()
	} else {
		s.tax = s.tax.Clone() // the Service's own: the caller's later Adds change nothing
	}
	return s
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Taxonomy returns a copy of the expertise taxonomy the Service checks
// against: the Service's own is fixed when it is made (Options.Taxonomy),
// and adding to the copy changes nothing in it.
func (s *Service) Taxonomy() *Taxonomy { return s.tax.Clone() }

func invalid(op, id, format string, args ...any) error {
	return fmt.Errorf("partnership: %s %s: %w: %s", op, id, ErrInvalid, fmt.Sprintf(format, args...))
}

func wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("partnership: %s %s: %w", op, id, err)
}

// ValidateSchool reports what is wrong with a school record, or nil.
func ValidateSchool(sc *School) error {
	var errs []error
	if sc.URN <= 0 {
		errs = append(errs, errors.New("URN must be positive"))
	}
	if sc.Name == "" {
		errs = append(errs, errors.New("name is empty"))
	}
	if sc.Location.Known() && (sc.Location.Lat < -90 || sc.Location.Lat > 90 || sc.Location.Lon < -180 || sc.Location.Lon > 180) {
		errs = append(errs, fmt.Errorf("location %v out of range", sc.Location))
	}
	switch {
	case sc.DeemedPhase != PhaseUnknown && sc.Phase != PhaseMiddle:
		errs = append(errs, fmt.Errorf("deemed phase %v of a school whose phase is %v, not middle", sc.DeemedPhase, sc.Phase))
	case sc.DeemedPhase != PhaseUnknown && sc.DeemedPhase != PhasePrimary && sc.DeemedPhase != PhaseSecondary:
		errs = append(errs, fmt.Errorf("deemed phase %v is neither primary nor secondary", sc.DeemedPhase))
	}
	if n, ok := sc.Pupils.Get(); ok && n < 0 {
		errs = append(errs, errors.New("pupils is negative"))
	}
	if f, ok := sc.FSMPercent.Get(); ok && !(f >= 0 && f <= 100) {
		errs = append(errs, fmt.Errorf("FSM percent %g not between 0 and 100", f))
	}
	if !sc.Closed.IsZero() && !sc.Opened.IsZero() && sc.Closed.Before(sc.Opened) {
		errs = append(errs, errors.New("closed before opened"))
	}
	for _, p := range sc.Predecessors {
		if p == sc.URN {
			errs = append(errs, errors.New("school is its own predecessor"))
		}
	}
	return errors.Join(errs...)
}

// AddSchool stores a new school. It returns ErrInvalid for a record that
// fails ValidateSchool and ErrConflict if the URN is taken.
func (s *Service) AddSchool(ctx context.Context, sc School) error {
	id := sc.URN.String()
	if err := ValidateSchool(&sc); err != nil {
		return invalid("add school", id, "%v", err)
	}
	if err := s.store.InsertSchool(ctx, sc); err != nil {
		return wrap("add school", id, err)
	}
	s.log.DebugContext(ctx, "school added", "urn", sc.URN)
	return nil
}

// UpdateSchool replaces a stored school: ErrInvalid as for AddSchool,
// ErrNotFound if there is none with the URN.
func (s *Service) UpdateSchool(ctx context.Context, sc School) error {
	id := sc.URN.String()
	if err := ValidateSchool(&sc); err != nil {
		return invalid("update school", id, "%v", err)
	}
	return wrap("update school", id, s.store.UpdateSchool(ctx, sc))
}

// School returns the school with the URN, or ErrNotFound.
func (s *Service) School(ctx context.Context, urn URN) (School, error) {
	sc, err := s.store.School(ctx, urn)
	return sc, wrap("get school", urn.String(), err)
}

// Schools yields every school matching q, by URN, fetching pages from the
// Store as it goes. It stops at the first error, which it yields.
func (s *Service) Schools(ctx context.Context, q SchoolQuery) iter.Seq2[School, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[School], error) {
		return s.store.ListSchools(ctx, q, p)
	})
}

// pages turns a paged listing into an iterator.
func pages[T any](ctx context.Context, list func(context.Context, PageRequest) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var req PageRequest
		for {
			pg, err := list(ctx, req)
			if err != nil {
				var zero T
				yield(zero, fmt.Errorf("partnership: list: %w", err))
				return
			}
			for _, v := range pg.Items {
				if !yield(v, nil) {
					return
				}
			}
			if pg.Next == "" {
				return
			}
			req.After = pg.Next
		}
	}
}

// AddOrganisation stores a new organisation, giving it an ID when it has
// none, and returns it as stored. A school is added with AddSchool, not
// here. Errors: ErrInvalid (no name, unknown kind, OrgSchool, bad period),
// ErrConflict (ID taken).
func (s *Service) AddOrganisation(ctx context.Context, o Organisation) (Organisation, error) {
	if o.ID == "" {
		o.ID = OrgID(o.Kind.String() + ":" + s.newID())
	}
	id := string(o.ID)
	switch {
	case o.Name == "":
		return o, invalid("add organisation", id, "name is empty")
	case o.Kind <= OrgSchool || o.Kind > OrgChildrensCentreGroup:
		return o, invalid("add organisation", id, "kind %v is not an organisation kind (schools are added with AddSchool)", o.Kind)
	case !o.Active.Valid():
		return o, invalid("add organisation", id, "active period ends before it starts")
	}
	if _, isSchool := SchoolOf(o.ID); isSchool {
		return o, invalid("add organisation", id, "IDs starting urn: are reserved for schools")
	}
	if err := s.store.InsertOrganisation(ctx, o); err != nil {
		return o, wrap("add organisation", id, err)
	}
	return o, nil
}

// Organisation returns the organisation with the ID, or ErrNotFound.
func (s *Service) Organisation(ctx context.Context, id OrgID) (Organisation, error) {
	o, err := s.store.Organisation(ctx, id)
	return o, wrap("get organisation", string(id), err)
}

// Organisations yields the organisations matching q, by ID.
func (s *Service) Organisations(ctx context.Context, q OrgQuery) iter.Seq2[Organisation, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[Organisation], error) {
		return s.store.ListOrganisations(ctx, q, p)
	})
}

// AddNetwork stores a new network, giving it an ID when it has none, and
// returns it. Errors: ErrInvalid (no name, unknown kind, bad period, unknown
// coordinator), ErrConflict (ID taken).
func (s *Service) AddNetwork(ctx context.Context, n Network) (Network, error) {
	if n.ID == "" {
		n.ID = NetworkID("net:" + s.newID())
	}
	id := string(n.ID)
	switch {
	case n.Name == "":
		return n, invalid("add network", id, "name is empty")
	case n.Kind <= NetworkUnknown || n.Kind > NetworkOther:
		return n, invalid("add network", id, "unknown kind %v", n.Kind)
	case !n.Active.Valid():
		return n, invalid("add network", id, "active period ends before it starts")
	}
	if n.Coordinator != "" {
		if err := s.checkMember(ctx, n.Coordinator); err != nil {
			return n, wrap("add network", id, err)
		}
	}
	if err := s.store.InsertNetwork(ctx, n); err != nil {
		return n, wrap("add network", id, err)
	}
	return n, nil
}

// Network returns the network with the ID, or ErrNotFound.
func (s *Service) Network(ctx context.Context, id NetworkID) (Network, error) {
	n, err := s.store.Network(ctx, id)
	return n, wrap("get network", string(id), err)
}

// Networks yields the networks matching q, by ID.
func (s *Service) Networks(ctx context.Context, q NetworkQuery) iter.Seq2[Network, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[Network], error) {
		return s.store.ListNetworks(ctx, q, p)
	})
}

// checkMember returns ErrInvalid unless id names a stored school or
// organisation.
func (s *Service) checkMember(ctx context.Context, id OrgID) error {
	var err error
	if u, ok := SchoolOf(id); ok {
		_, err = s.store.School(ctx, u)
	} else {
		_, err = s.store.Organisation(ctx, id)
	}
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: unknown organisation or school %s", ErrInvalid, id)
	}
	return err
}

// Join records that an organisation or school belongs to a network in a
// role for a period, giving the membership an ID when it has none. The
// network and member must exist (ErrInvalid otherwise), the role must be
// set (ErrInvalid), and the period must not overlap another membership of
// the same member in the same network (ErrConflict, enforced by the Store
// atomically with the insert).
func (s *Service) Join(ctx context.Context, m Membership) (Membership, error) {
	if m.ID == "" {
		m.ID = MembershipID("mem:" + s.newID())
	}
	id := string(m.ID)
	if m.Role <= RoleUnknown || m.Role > RolePartner {
		return m, invalid("join", id, "unknown role %v", m.Role)
	}
	if !m.Period.Valid() {
		return m, invalid("join", id, "period ends before it starts")
	}
	if _, err := s.store.Network(ctx, m.Network); err != nil {
		if errors.Is(err, ErrNotFound) {
			return m, invalid("join", id, "unknown network %s", m.Network)
		}
		return m, wrap("join", id, err)
	}
	if err := s.checkMember(ctx, m.Member); err != nil {
		return m, wrap("join", id, err)
	}
	// The Store checks for an overlapping membership atomically with the
	// insert (see MembershipStore), so concurrent Joins, through this
	// Service or another over the same database, cannot both succeed.
	if err := s.store.InsertMembership(ctx, m); err != nil {
		return m, wrap("join", id, err)
	}
	s.log.DebugContext(ctx, "joined", "network", m.Network, "member", m.Member, "role", m.Role)
	return m, nil
}

// Now returns the current time by the Service's clock (Options.Clock): the
// date to pass to Leave, Enrol, Members and NetworksOf for "today".
func (s *Service) Now() time.Time { return s.now() }

// Leave ends a membership on the given date. Errors: ErrNotFound (no such
// membership), ErrConflict (already ended), ErrInvalid (on is the zero
// time, which means "not set", or is not after the membership's start).
func (s *Service) Leave(ctx context.Context, id MembershipID, on time.Time) (Membership, error) {
	if on.IsZero() {
		return Membership{}, invalid("leave", string(id), "no date: the zero time means not set (Service.Now gives today)")
	}
	m, err := s.store.Membership(ctx, id)
	if err != nil {
		return m, wrap("leave", string(id), err)
	}
	if !m.Period.To.IsZero() {
		return m, wrap("leave", string(id), fmt.Errorf("%w: membership ended on %s", ErrConflict, m.Period.To.Format(time.DateOnly)))
	}
	if !m.Period.From.IsZero() && !on.After(m.Period.From) {
		return m, invalid("leave", string(id), "leaving on %s, not after joining on %s", on.Format(time.DateOnly), m.Period.From.Format(time.DateOnly))
	}
	m.Period.To = on
	return m, wrap("leave", string(id), s.store.UpdateMembership(ctx, m))
}

// Members yields the memberships of network n that are current on date at,
// or all of them, past and present, when at is the zero time ("no date"),
// as Model.Members and MembershipQuery.At read it; by membership ID. Pass
// Service.Now for today's members.
func (s *Service) Members(ctx context.Context, n NetworkID, at time.Time) iter.Seq2[Membership, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[Membership], error) {
		return s.store.ListMemberships(ctx, MembershipQuery{Network: n, At: at}, p)
	})
}

// NetworksOf yields the memberships that organisation or school member
// holds on date at, or all of them when at is the zero time, by membership
// ID.
func (s *Service) NetworksOf(ctx context.Context, member OrgID, at time.Time) iter.Seq2[Membership, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[Membership], error) {
		return s.store.ListMemberships(ctx, MembershipQuery{Member: member, At: at}, p)
	})
}

// AddPerson stores a new person, giving them an ID when they have none.
// Errors: ErrInvalid (no role, unknown home, expertise not in the taxonomy,
// negative capacity), ErrConflict (ID taken).
func (s *Service) AddPerson(ctx context.Context, p Person) (Person, error) {
	if p.ID == "" {
		p.ID = PersonID("person:" + s.newID())
	}
	if err := s.checkPerson(ctx, "add person", &p); err != nil {
		return p, err
	}
	return p, wrap("add person", string(p.ID), s.store.InsertPerson(ctx, p))
}

func (s *Service) checkPerson(ctx context.Context, op string, p *Person) error {
	id := string(p.ID)
	if p.Role <= RoleNone || p.Role > RoleGovernor {
		return invalid(op, id, "unknown role %v", p.Role)
	}
	if p.CapacityDays < 0 {
		return invalid(op, id, "negative capacity")
	}
	for _, e := range p.Expertise {
		if !s.tax.Has(e) {
			return invalid(op, id, "unknown expertise area %q", e)
		}
	}
	return wrap(op, id, s.checkMember(ctx, p.Home))
}

// CorrectPerson replaces a stored person's record (UK GDPR's right to
// rectification), after the checks of AddPerson. Errors: ErrInvalid as for
// AddPerson, ErrNotFound (no such person).
func (s *Service) CorrectPerson(ctx context.Context, p Person) error {
	if err := s.checkPerson(ctx, "correct person", &p); err != nil {
		return err
	}
	return wrap("correct person", string(p.ID), s.store.UpdatePerson(ctx, p))
}

// ErasePerson deletes a person and every enrolment of theirs (UK GDPR's
// right to erasure), in one atomic Store operation. Errors: ErrNotFound (no
// such person).
func (s *Service) ErasePerson(ctx context.Context, id PersonID) error {
	if err := s.store.DeletePerson(ctx, id); err != nil {
		return wrap("erase person", string(id), err)
	}
	s.log.DebugContext(ctx, "person erased", "person", id)
	return nil
}

// Person returns the person with the ID, or ErrNotFound.
func (s *Service) Person(ctx context.Context, id PersonID) (Person, error) {
	p, err := s.store.Person(ctx, id)
	return p, wrap("get person", string(id), err)
}

// People yields the people matching q, by ID.
func (s *Service) People(ctx context.Context, q PersonQuery) iter.Seq2[Person, error] {
	return pages(ctx, func(ctx context.Context, p PageRequest) (Page[Person], error) {
		return s.store.ListPeople(ctx, q, p)
	})
}

// AddProgramme stores a programme or event, giving it an ID when it has
// none. Errors: ErrInvalid (no name, unknown provider or eligible network,
// area not in the taxonomy, negative capacity, bad period), ErrConflict.
func (s *Service) AddProgramme(ctx context.Context, p Programme) (Programme, error) {
	if p.ID == "" {
		p.ID = ProgrammeID("prog:" + s.newID())
	}
	id := string(p.ID)
	switch {
	case p.Name == "":
		return p, invalid("add programme", id, "name is empty")
	case p.Capacity < 0:
		return p, invalid("add programme", id, "negative capacity")
	case !p.Period.Valid():
		return p, invalid("add programme", id, "period ends before it starts")
	}
	for _, a := range p.Areas {
		if !s.tax.Has(a) {
			return p, invalid("add programme", id, "unknown expertise area %q", a)
		}
	}
	if err := s.checkMember(ctx, p.Provider); err != nil {
		return p, wrap("add programme", id, err)
	}
	for _, n := range p.Eligibility.Networks {
		if _, err := s.store.Network(ctx, n); err != nil {
			if errors.Is(err, ErrNotFound) {
				return p, invalid("add programme", id, "unknown eligible network %s", n)
			}
			return p, wrap("add programme", id, err)
		}
	}
	return p, wrap("add programme", id, s.store.InsertProgramme(ctx, p))
}

// RecordInspection stores an inspection outcome. Errors: ErrInvalid (no
// date, unknown school, no overall rating, key judgements or area grades),
// ErrConflict (the school already has an inspection on that date).
func (s *Service) RecordInspection(ctx context.Context, in Inspection) error {
	id := in.URN.String()
	if in.Date.IsZero() {
		return invalid("record inspection", id, "no date")
	}
	if in.Overall == RatingNone && len(in.Judgements) == 0 && len(in.Areas) == 0 {
		return invalid("record inspection", id, "no overall rating, key judgements or area grades")
	}
	if _, err := s.store.School(ctx, in.URN); err != nil {
		if errors.Is(err, ErrNotFound) {
			return invalid("record inspection", id, "unknown school")
		}
		return wrap("record inspection", id, err)
	}
	return wrap("record inspection", id, s.store.InsertInspection(ctx, in))
}

// Inspections returns a school's inspections newest first, including those
// of its predecessors (followed transitively), so an academy converter keeps
// the history of the school it replaced.
func (s *Service) Inspections(ctx context.Context, urn URN) ([]Inspection, error) {
	var out []Inspection
	seen := map[URN]bool{}
	queue := []URN{urn}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		h, err := s.store.Inspections(ctx, u)
		if err != nil {
			return nil, wrap("inspections", urn.String(), err)
		}
		out = append(out, h...)
		sc, err := s.store.School(ctx, u)
		switch {
		case err == nil:
			queue = append(queue, sc.Predecessors...)
		case !errors.Is(err, ErrNotFound):
			return nil, wrap("inspections", urn.String(), err)
		}
	}
	sortNewestFirst(out)
	return out, nil
}

// Import validates a whole Dataset (as NewModel does, and each school as
// ValidateSchool) and stores it. Nothing is written when validation fails.
// With a Store that implements BulkLoader the write is all or nothing;
// otherwise records are inserted one by one, and a Store error part-way
// leaves the records before it stored.
func (s *Service) Import(ctx context.Context, d *Dataset) error {
	if _, err := NewModel(*d); err != nil {
		return fmt.Errorf("partnership: import: %w", err)
	}
	var errs []error
	for i := range d.Schools {
		if err := ValidateSchool(&d.Schools[i]); err != nil {
			errs = append(errs, fmt.Errorf("%w: school %d: %v", ErrInvalid, d.Schools[i].URN, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("partnership: import: %w", errors.Join(errs...))
	}
	if bl, ok := s.store.(BulkLoader); ok {
		return wrap("import", "dataset", bl.LoadDataset(ctx, d))
	}
	for _, sc := range d.Schools {
		if err := s.store.InsertSchool(ctx, sc); err != nil {
			return wrap("import school", sc.URN.String(), err)
		}
	}
	for _, o := range d.Organisations {
		if err := s.store.InsertOrganisation(ctx, o); err != nil {
			return wrap("import organisation", string(o.ID), err)
		}
	}
	for _, n := range d.Networks {
		if err := s.store.InsertNetwork(ctx, n); err != nil {
			return wrap("import network", string(n.ID), err)
		}
	}
	for _, m := range d.Memberships {
		if err := s.store.InsertMembership(ctx, m); err != nil {
			return wrap("import membership", string(m.ID), err)
		}
	}
	for _, p := range d.People {
		if err := s.store.InsertPerson(ctx, p); err != nil {
			return wrap("import person", string(p.ID), err)
		}
	}
	for _, p := range d.Programmes {
		if err := s.store.InsertProgramme(ctx, p); err != nil {
			return wrap("import programme", string(p.ID), err)
		}
	}
	for _, in := range d.Inspections {
		if err := s.store.InsertInspection(ctx, in); err != nil {
			return wrap("import inspection", in.URN.String(), err)
		}
	}
	return nil
}

// Snapshot reads every record from the Store into a Model, for analysis.
func (s *Service) Snapshot(ctx context.Context) (*Model, error) {
	var d Dataset
	collect := func(err error) error { return wrap("snapshot", "", err) }
	for v, err := range s.Schools(ctx, SchoolQuery{}) {
		if err != nil {
			return nil, collect(err)
		}
		d.Schools = append(d.Schools, v)
		h, err := s.store.Inspections(ctx, v.URN)
		if err != nil {
			return nil, collect(err)
		}
		d.Inspections = append(d.Inspections, h...)
	}
	for v, err := range s.Organisations(ctx, OrgQuery{}) {
		if err != nil {
			return nil, collect(err)
		}
		d.Organisations = append(d.Organisations, v)
	}
	for v, err := range s.Networks(ctx, NetworkQuery{}) {
		if err != nil {
			return nil, collect(err)
		}
		d.Networks = append(d.Networks, v)
	}
	for v, err := range pages(ctx, func(ctx context.Context, p PageRequest) (Page[Membership], error) {
		return s.store.ListMemberships(ctx, MembershipQuery{}, p)
	}) {
		if err != nil {
			return nil, collect(err)
		}
		d.Memberships = append(d.Memberships, v)
	}
	for v, err := range s.People(ctx, PersonQuery{}) {
		if err != nil {
			return nil, collect(err)
		}
		d.People = append(d.People, v)
	}
	for v, err := range pages(ctx, s.store.ListProgrammes) {
		if err != nil {
			return nil, collect(err)
		}
		d.Programmes = append(d.Programmes, v)
	}
	return NewModel(d)
}

// Enrol gives a person a place on a programme on date on (required: the
// zero time is ErrInvalid),
// after checking the programme's Eligibility against the person's home
// school's phase, the networks their home belongs to on that date, and how
// many people at their home hold their role. Errors: ErrNotFound (no such
// programme or person), ErrInvalid (not eligible, with the reason, or the
// programme is not running on that date), ErrConflict (already enrolled, or
// no places left). The Store takes the place and checks capacity in one
// atomic step (see ProgrammeStore), so concurrent enrolments, through one
// Service or several over a shared database, never overfill a programme.
func (s *Service) Enrol(ctx context.Context, prog ProgrammeID, person PersonID, on time.Time) (Enrolment, error) {
	id := string(prog) + "/" + string(person)
	if on.IsZero() {
		return Enrolment{Programme: prog, Person: person}, invalid("enrol", id, "no date: the zero time means not set (Service.Now gives today)")
	}
	e := Enrolment{Programme: prog, Person: person, On: on}
	pr, err := s.store.Programme(ctx, prog)
	if err != nil {
		return e, wrap("enrol", id, err)
	}
	pe, err := s.store.Person(ctx, person)
	if err != nil {
		return e, wrap("enrol", id, err)
	}
	if !pr.Period.To.IsZero() && !on.Before(pr.Period.To) {
		return e, invalid("enrol", id, "programme ended on %s", pr.Period.To.Format(time.DateOnly))
	}
	a := Applicant{Person: pe, ApplicationOn: on}
	if u, ok := SchoolOf(pe.Home); ok {
		sc, err := s.store.School(ctx, u)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return e, wrap("enrol", id, err)
		}
		a.Phase = sc.Phase
	}
	for m, err := range s.NetworksOf(ctx, pe.Home, on) {
		if err != nil {
			return e, wrap("enrol", id, err)
		}
		a.Networks = append(a.Networks, m.Network)
	}
	for _, err := range s.People(ctx, PersonQuery{Home: pe.Home, Role: pe.Role}) {
		if err != nil {
			return e, wrap("enrol", id, err)
		}
		a.PeersInRole++
	}
	if ok, why := pr.Eligibility.Eligible(a); !ok {
		return e, invalid("enrol", id, "not eligible: %s", why)
	}
	return e, wrap("enrol", id, s.store.InsertEnrolment(ctx, e))
}
