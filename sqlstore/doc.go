// Package sqlstore keeps Fulcrum's records in a SQL database: SQLite, the
// embedded default (one file on disk), or PostgreSQL, for a trust's systems
// with several application servers on one database. It implements every
// domain's Store interfaces, and passes the same conformance suites as the
// in-memory stores.
//
//	db, err := sqlstore.Open(ctx, "fulcrum.db") // or "postgres://..."
//	svc := partnership.NewService(db.Partnership(), nil)
//
// New wraps a *sql.DB the caller opened (with whatever driver and pool
// settings it likes) in a given Dialect; Open opens one from a DSN with the
// settings this package recommends and migrates it.
//
// # Schema and migrations
//
// The schema is versioned, embedded, and applied by
// github.com/pressly/goose/v3, each migration in a transaction (on
// PostgreSQL under an advisory lock, so servers starting together migrate
// once). Migrate refuses a database whose schema is newer than the code
// (ErrSchemaTooNew): an older Fulcrum never writes to a newer schema. Status
// reports the version.
//
// Each record is kept whole as a JSON document beside the columns that the
// Store contracts look it up, filter, order and constrain by, so a field
// added to a record needs no migration while every rule between records is
// still the database's. Times in those columns are UTC text of fixed width,
// so that ordering and comparison are exact to the nanosecond in both
// dialects (PostgreSQL's timestamptz keeps microseconds); records keep their
// times exactly, zone offset included. Times outside years 1 to 9999 are
// refused with the domain's ErrInvalid. Text keys order byte by byte (the C
// collation on PostgreSQL), as Go compares strings.
//
// # Invariants
//
// The database, not the caller, enforces the rules between records, so two
// processes with their own connections cannot break them: a member's
// memberships of one network never overlap (a trigger on SQLite, an
// exclusion constraint on PostgreSQL), and audit logs are append-only
// (triggers refuse UPDATE and DELETE). Every multi-row write is one
// transaction: a crash or a cancelled context leaves the previous state.
//
// # Errors
//
// A constraint violation is the domain's ErrConflict and a missing row its
// ErrNotFound, with the driver's error kept in the chain for errors.As; a
// done context's error is kept too. ErrSchemaTooNew is described above.
//
// # Concurrency
//
// A DB and its stores are safe for concurrent use. SQLite serialises
// writers (Open begins transactions IMMEDIATE and waits up to ten seconds
// for the lock); PostgreSQL retries a transaction that failed to serialise.
package sqlstore
