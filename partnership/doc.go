// Package partnership models how English schools work together: the
// structure that every other Fulcrum package builds on.
//
// # Concepts
//
// A School is an establishment with a URN, of a Phase (nursery, primary,
// middle, secondary, all-through, 16-plus, special, alternative provision)
// and a Governance (maintained by its local authority, an academy converter
// or sponsor-led academy, a free school, an independent special school ...).
// It keeps its inspection history, including that of its Predecessors, so an
// academy converter is judged on the record of the school it replaced.
//
// An Organisation is any other body in the system: a multi- or
// single-academy trust, a federation, a local authority, a diocese, an
// alliance, a teaching school hub or subject hub, a university, an outside
// provider, or a connector organisation, which creates links between
// networks rather than adding nodes to them.
//
// A Network is a group that works together — a trust, an alliance, a hub
// with its spokes, a geographic learning community, a thematic network, a
// cluster with a fixed term, a community of practice, a programme cohort —
// with a stated purpose, a Basis (governance, geography or interest) and a
// coordinating group. Membership is a separate, time-bounded record with a
// MemberRole (lead, hub, spoke, member, partner), so a school is in many
// networks at once and "who belonged to X on date D" has an answer.
//
// People are recorded by Role and expertise rather than by name where
// possible: a headteacher, a director of education, a specialist leader, a
// peer reviewer, each with areas from an expertise Taxonomy (data, not
// code: DefaultTaxonomy plus the areas a deployment adds) and a capacity in
// days. A Programme is a course or event open across trust boundaries, with
// Eligibility rules and a number of places: a sixth-form programme open to
// any school whatever its trust, say, for practitioners who are the only
// person in their setting in their role (Eligibility.SoleInRole), on which
// Service.Enrol gives places until they run out.
//
// What makes a good partnership, in the research the model follows, maps
// onto these records: led locally by credible practitioners (a Network's
// CoordinatingGroup, people by role and expertise), with a clear purpose
// (Network.Purpose), mobilising local expertise against the barriers some
// learners meet (expertise and capacity, brokered by package brokerage),
// and inclusive of all local schools whatever their governance, which
// package partnership/analysis measures as coverage.
//
// # Using the package
//
// Users call a *Service, built over a Store with NewService. The Service
// validates input, assigns IDs, checks references and invariants, and wraps
// errors. For analysis, Service.Snapshot (or NewModel over a Dataset, such
// as the one partnership/england loads from the published data) gives an
// indexed, read-only Model; package partnership/analysis computes coverage,
// isolation, bridges, communities and families of similar schools on it.
//
// # Time and unknown values
//
// The zero time.Time means "not set", everywhere: in a record, a date not
// recorded (an open-ended Period, a school with no known opening date); in
// a query or a listing, "no date" (MembershipQuery.At, Model.Members,
// Service.Members: all memberships, past and present). An operation that
// needs a date (Service.Leave, Service.Enrol) refuses the zero time with
// ErrInvalid; Service.Now gives today by the Service's clock.
//
// A measure a source may lack says so in its type: School.FSMPercent and
// School.Pupils are Optional values, read through Get (or School.FSM and
// School.PupilCount), which says whether the value is known; an unknown is
// null in JSON, and 0% is a known value. Location.Known whether a location is. Analyses leave unknowns out and
// report how many (analysis.FamilyReport.Excluded, LinkPlan.Unlocated,
// CommunityReport.Unlocated).
//
// # Errors
//
// Failures that callers branch on wrap one of ErrNotFound, ErrConflict or
// ErrInvalid; test with errors.Is. Errors from the Service name the
// operation and the record, for example
// "partnership: join mem:1: invalid: unknown network n9". Context
// cancellation is reported as the context's error, also testable with
// errors.Is.
//
// # Concurrency
//
// Service, MemoryStore and Model are safe for concurrent use. Records are
// values: what a Store returns is the caller's to keep and change.
//
// # Implementing a Store
//
// A trust's own system can keep Fulcrum's records in its own database by
// implementing Store (see store.go for the contracts: which error each
// method returns, ordering, paging and concurrency). The Service does every
// check about one record and its references; the Store enforces, atomically
// with its writes, the two invariants that span records and that concurrent
// callers could otherwise break: one member's memberships of one network
// never overlap (InsertMembership, UpdateMembership), and a programme never
// holds more enrolments than its Capacity (InsertEnrolment). It also erases
// a person with their enrolments (DeletePerson: people are personal data).
// A SQL store keeps these with a constraint or a transaction, so several
// application servers sharing one database cannot break them. Run
// partnershiptest.Run against the implementation: a store that passes it
// behaves as MemoryStore does. A Store may also implement BulkLoader to
// load a whole Dataset at once.
package partnership
