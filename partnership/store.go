package partnership

import (
	"context"
	"time"
)

// This file holds the plugin point of the package: the storage interfaces
// that a trust's or an alliance's own system implements to keep Fulcrum's
// records in its own database. Users do not call them directly; they call
// a *Service, which validates input, assigns IDs and times, and wraps
// errors, so a Store only stores and loads.
//
// Contracts common to every method below:
//   - ctx is honoured: a method called with a context that is already
//     cancelled or expired returns an error for which
//     errors.Is(err, ctx.Err()) holds, reads nothing and changes nothing.
//     A write that fails for any reason (a conflict, the context) leaves
//     the store as it was: a write is all or nothing.
//   - Get-style methods return ErrNotFound (possibly wrapped) when no
//     record has the key; Insert-style methods return ErrConflict when one
//     does; Update- and Delete-style methods return ErrNotFound when none
//     does, and never create a record.
//   - Records are values: a Store keeps its own copies and returns fresh
//     ones, so neither side may observe the other's later changes to
//     slices inside a record.
//   - A record read back equals, field for field, the record written.
//     Times keep their instant to the microsecond at least (a Store may
//     drop the nanoseconds below it, as PostgreSQL does, but no more: not
//     the seconds, not the time of day) and compare equal with
//     time.Time.Equal; the zone (Location) need not be kept. The zero time
//     is stored as the zero time and read back as one (IsZero holds); in
//     every record the zero time means "not set" (see Period). nil and
//     empty slices may be returned as either.
//   - Methods are safe for concurrent use by multiple goroutines, and by
//     several processes sharing one database: the invariants below that a
//     write method checks (MembershipStore, ProgrammeStore) hold however
//     calls interleave, so the check and the write must be one atomic
//     step (a constraint, or a transaction that serialises them).
//
// Paging. List methods return records in ascending key order (URN or ID),
// one page at a time (PageRequest, Page), under these rules, each checked
// by partnershiptest:
//   - Following Next from the first page until Next is "" yields every
//     record matching the query exactly once, in ascending key order, when
//     nothing changes meanwhile.
//   - A page holds at most Limit records (the Store's default, at least
//     100, when Limit is zero or negative) and may hold fewer; only the
//     last page (Next == "") may be empty.
//   - A cursor is a position in key order, not a count: the page after
//     cursor c holds the matching records whose keys sort after the last
//     key of the page that returned c, as stored at the time of the call.
//     So a record inserted with a key before c is not returned by later
//     pages, and one inserted with a key after c is; no record that exists
//     throughout is skipped or repeated. (A SQL store keeps this with
//     "WHERE key > $last ORDER BY key LIMIT $n"; OFFSET paging does not
//     keep it.)
//   - A cursor stays valid after the record it was taken from is deleted.
//   - Filters (the Query types) apply before Limit: a page never counts
//     records that do not match.

// PageRequest asks for one page of a listing.
type PageRequest struct {
	// After is the cursor of the previous page's Next; "" for the first
	// page. Cursors are opaque to callers.
	After Cursor
	// Limit is the largest number of records wanted; a Store may return
	// fewer. Zero or negative means the Store's default (at least 100).
	Limit int
}

// Cursor marks a place in a listing. Stores choose its contents; callers
// only pass it back.
type Cursor string

// Page is one page of a listing: Items in ascending key order, and Next, the
// cursor for the following page, or "" when this is the last page. A page
// may be empty only when it is the last.
type Page[T any] struct {
	Items []T
	Next  Cursor
}

// SchoolQuery selects schools; zero fields match everything.
type SchoolQuery struct {
	LA         int
	Region     string
	Phase      Phase
	Governance Governance
}

// Match reports whether s satisfies the query.
func (q SchoolQuery) Match(s *School) bool {
	return (q.LA == 0 || s.LA == q.LA) && (q.Region == "" || s.Region == q.Region) &&
		(q.Phase == PhaseUnknown || s.Phase == q.Phase) &&
		(q.Governance == GovernanceUnknown || s.Governance == q.Governance)
}

// SchoolReader reads schools.
type SchoolReader interface {
	// School returns the school with the URN, or ErrNotFound.
	School(ctx context.Context, urn URN) (School, error)
	// ListSchools returns a page of the schools matching q, by URN.
	ListSchools(ctx context.Context, q SchoolQuery, p PageRequest) (Page[School], error)
}

// SchoolWriter writes schools.
type SchoolWriter interface {
	// InsertSchool stores a new school, or returns ErrConflict if its URN
	// is taken.
	InsertSchool(ctx context.Context, s School) error
	// UpdateSchool replaces a stored school, or returns ErrNotFound.
	UpdateSchool(ctx context.Context, s School) error
}

// OrgQuery selects organisations; zero fields match everything.
type OrgQuery struct {
	Kind OrgKind
}

// OrgStore stores organisations other than schools.
type OrgStore interface {
	// Organisation returns the organisation with the ID, or ErrNotFound.
	Organisation(ctx context.Context, id OrgID) (Organisation, error)
	// ListOrganisations returns a page of the organisations matching q,
	// by ID.
	ListOrganisations(ctx context.Context, q OrgQuery, p PageRequest) (Page[Organisation], error)
	// InsertOrganisation stores a new organisation, or returns
	// ErrConflict if its ID is taken.
	InsertOrganisation(ctx context.Context, o Organisation) error
	// UpdateOrganisation replaces a stored organisation, or returns
	// ErrNotFound.
	UpdateOrganisation(ctx context.Context, o Organisation) error
}

// NetworkQuery selects networks; zero fields match everything.
type NetworkQuery struct {
	Kind NetworkKind
}

// NetworkStore stores networks.
type NetworkStore interface {
	// Network returns the network with the ID, or ErrNotFound.
	Network(ctx context.Context, id NetworkID) (Network, error)
	// ListNetworks returns a page of the networks matching q, by ID.
	ListNetworks(ctx context.Context, q NetworkQuery, p PageRequest) (Page[Network], error)
	// InsertNetwork stores a new network, or returns ErrConflict if its ID
	// is taken.
	InsertNetwork(ctx context.Context, n Network) error
	// UpdateNetwork replaces a stored network, or returns ErrNotFound.
	UpdateNetwork(ctx context.Context, n Network) error
}

// MembershipQuery selects memberships; zero fields match everything.
type MembershipQuery struct {
	Network NetworkID
	Member  OrgID
	// At, when set, keeps only memberships whose Period contains it.
	At time.Time
}

// Match reports whether m satisfies the query.
func (q MembershipQuery) Match(m *Membership) bool {
	return (q.Network == "" || m.Network == q.Network) && (q.Member == "" || m.Member == q.Member) &&
		(q.At.IsZero() || m.Period.Contains(q.At))
}

// MembershipStore stores memberships. It need not check that the network
// and member exist (the Service does), but it enforces the invariant that
// one member's memberships of one network never overlap in time
// (Period.Overlaps), atomically with the write, so that concurrent Joins
// through several Services sharing one database cannot break it. (A SQL
// store: an exclusion constraint on (network, member, period), or a
// transaction at serializable isolation, or a lock on (network, member),
// around the check and the write.)
type MembershipStore interface {
	// Membership returns the membership with the ID, or ErrNotFound.
	Membership(ctx context.Context, id MembershipID) (Membership, error)
	// ListMemberships returns a page of the memberships matching q, by ID.
	ListMemberships(ctx context.Context, q MembershipQuery, p PageRequest) (Page[Membership], error)
	// InsertMembership stores a new membership. It returns ErrConflict,
	// storing nothing, if the ID is taken or if another membership of the
	// same member in the same network has a period that overlaps m's; the
	// error's text names the membership it overlaps.
	InsertMembership(ctx context.Context, m Membership) error
	// UpdateMembership replaces a stored membership, or returns
	// ErrNotFound. It returns ErrConflict, changing nothing, if the new
	// record would overlap another membership (not itself) of the same
	// member in the same network.
	UpdateMembership(ctx context.Context, m Membership) error
}

// PersonQuery selects people; zero fields match everything.
type PersonQuery struct {
	Home      OrgID
	Role      Role
	Expertise ExpertiseID
}

// PersonStore stores people. People are personal data (UK GDPR): the
// Store must be able to correct a person's record (UpdatePerson) and erase
// it with everything that names them (DeletePerson).
type PersonStore interface {
	// Person returns the person with the ID, or ErrNotFound.
	Person(ctx context.Context, id PersonID) (Person, error)
	// ListPeople returns a page of the people matching q, by ID.
	ListPeople(ctx context.Context, q PersonQuery, p PageRequest) (Page[Person], error)
	// InsertPerson stores a new person, or returns ErrConflict if the ID
	// is taken.
	InsertPerson(ctx context.Context, p Person) error
	// UpdatePerson replaces a stored person, or returns ErrNotFound.
	UpdatePerson(ctx context.Context, p Person) error
	// DeletePerson erases the person and all their enrolments, in one
	// atomic step, or returns ErrNotFound (erasing nothing). Afterwards
	// Person returns ErrNotFound, ListPeople and Enrolments omit them, and
	// the ID may be inserted again as a new person with no enrolments.
	DeletePerson(ctx context.Context, id PersonID) error
}

// ProgrammeStore stores programmes and events, and the places taken on
// them. It enforces, atomically with the write, that a programme with a
// positive Capacity never holds more enrolments than that, so concurrent
// Enrols through several Services sharing one database cannot overfill it.
// (A SQL store: lock the programme's row, count, insert, in one
// transaction.)
type ProgrammeStore interface {
	// Programme returns the programme with the ID, or ErrNotFound.
	Programme(ctx context.Context, id ProgrammeID) (Programme, error)
	// ListProgrammes returns a page of all programmes, by ID.
	ListProgrammes(ctx context.Context, p PageRequest) (Page[Programme], error)
	// InsertProgramme stores a new programme, or returns ErrConflict if
	// the ID is taken.
	InsertProgramme(ctx context.Context, p Programme) error
	// InsertEnrolment stores a place on a programme. It returns
	// ErrNotFound if the programme or the person is not stored, and
	// ErrConflict, storing nothing, if the person already holds a place
	// on it or if the programme's Capacity is positive and that many
	// places are taken. It need not check eligibility or dates: the
	// Service does.
	InsertEnrolment(ctx context.Context, e Enrolment) error
	// Enrolments returns the places taken on a programme, by person ID; an
	// empty slice when there are none (whether or not the programme
	// exists).
	Enrolments(ctx context.Context, programme ProgrammeID) ([]Enrolment, error)
}

// InspectionStore stores inspection outcomes. An inspection is keyed by its
// URN and date.
type InspectionStore interface {
	// InsertInspection stores an inspection, or returns ErrConflict if the
	// school already has one on that date.
	InsertInspection(ctx context.Context, in Inspection) error
	// Inspections returns the inspections recorded under the URN (not its
	// predecessors), newest first; an empty slice and no error when there
	// are none.
	Inspections(ctx context.Context, urn URN) ([]Inspection, error)
}

// Store is everything the Service needs. Implementations may also implement
// BulkLoader.
type Store interface {
	SchoolReader
	SchoolWriter
	OrgStore
	NetworkStore
	MembershipStore
	PersonStore
	ProgrammeStore
	InspectionStore
}

// BulkLoader is an optional interface for a Store that can take a whole
// Dataset faster than record by record (one transaction, a COPY). LoadDataset
// inserts every record of d (every school, organisation, network,
// membership, person, programme and inspection; each read back as the
// Insert methods would have stored it) or, on any error, none of them. An
// ID already stored (or twice in d), an inspection of a school on a date
// already recorded, and a membership overlapping another of the same member
// in the same network are ErrConflict. Service.Import uses it when the
// Store has it and falls back to the Insert methods otherwise.
type BulkLoader interface {
	LoadDataset(ctx context.Context, d *Dataset) error
}
