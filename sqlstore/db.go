package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver for Open
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver for Open
)

// Dialect is the SQL dialect of a database.
type Dialect int

// Dialects.
const (
	// SQLite is SQLite 3, as modernc.org/sqlite (pure Go) provides it.
	SQLite Dialect = iota + 1
	// PostgreSQL is PostgreSQL 13 or later, through any database/sql
	// driver (github.com/jackc/pgx/v5/stdlib in Open).
	PostgreSQL
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case PostgreSQL:
		return "postgres"
	}
	return fmt.Sprintf("dialect(%d)", int(d))
}

// ErrSchemaTooNew is returned by Migrate and Open when the database's schema
// version is newer than the latest migration this code knows: a newer
// Fulcrum has migrated it, and this one must not write to it.
var ErrSchemaTooNew = errors.New("sqlstore: database schema is newer than this code knows")

//go:embed migrations
var migrations embed.FS

// DB is a Fulcrum database: it holds one *sql.DB and hands out the stores of
// every domain over it. It is safe for concurrent use, as the stores are.
type DB struct {
	sql     *sql.DB
	dialect Dialect
}

// New returns a DB over an opened database of the given dialect. It does no
// I/O: call Migrate before using the stores of a new or older database. The
// caller keeps ownership of db (Close does not close it). For SQLite, the
// connection should have foreign keys on and a busy timeout set, and
// transactions should begin IMMEDIATE (modernc.org/sqlite's _txlock=immediate)
// so that concurrent writers wait for each other instead of failing; Open
// does all of this.
func New(db *sql.DB, d Dialect) (*DB, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sql.DB")
	}
	if d != SQLite && d != PostgreSQL {
		return nil, fmt.Errorf("sqlstore: unknown dialect %v", d)
	}
	return &DB{sql: db, dialect: d}, nil
}

// Open opens the database named by dsn, applies any pending migrations and
// returns it; Close closes it. A dsn beginning postgres:// or postgresql://
// is a PostgreSQL connection string (opened with pgx); anything else is a
// SQLite file name, ":memory:" for a private in-memory database, or a
// file: URI. SQLite databases are opened in WAL mode with foreign keys on, a
// 10-second busy timeout, IMMEDIATE transactions, synchronous=NORMAL and a
// page cache of up to 64 MiB per connection. synchronous=NORMAL in WAL mode
// keeps every committed transaction across a crash of the process, and the
// database is never corrupted; a power failure or an operating-system crash
// may lose the last transactions committed before it (they are synced at the
// next checkpoint), never part of one. The cache lets a large import keep
// its pages in memory until it commits instead of spilling them to the WAL.
// A pragma the dsn sets itself (e.g. "fulcrum.db?_pragma=cache_size(-2000)")
// replaces the default for that pragma; the other defaults still apply.
func Open(ctx context.Context, dsn string) (*DB, error) {
	s, err := Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect opens the database named by dsn as Open does, but applies no
// migrations: for a tool that shows the schema's status, or migrates on
// request.
func Connect(ctx context.Context, dsn string) (*DB, error) {
	var (
		db  *sql.DB
		d   Dialect
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d = PostgreSQL
		db, err = sql.Open("pgx", dsn)
	} else {
		d = SQLite
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	s := &DB{sql: db, dialect: d}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	return s, nil
}

// openSQLite opens a SQLite database with the settings every connection of
// the pool needs, set through modernc.org/sqlite's DSN parameters so that
// each new connection gets them.
func openSQLite(name string) (*sql.DB, error) {
	memory := name == ":memory:" || name == ""
	path, query, _ := strings.Cut(name, "?")
	if memory {
		path = ":memory:"
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// The caller's own pragmas win: a default is added only where the DSN
	// does not set that pragma itself (e.g. "?_pragma=cache_size(-2000)").
	set := map[string]bool{}
	for _, p := range v["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		set[strings.ToLower(strings.TrimSpace(name))] = true
	}
	defaults := []string{"foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "cache_size(-65536)"}
	if !memory {
		defaults = append(defaults, "journal_mode(WAL)")
	}
	for _, p := range defaults {
		if name, _, _ := strings.Cut(p, "("); !set[name] {
			v.Add("_pragma", p)
		}
	}
	if !v.Has("_txlock") {
		v.Set("_txlock", "immediate")
	}
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + path
	}
	db, err := sql.Open("sqlite", path+"?"+v.Encode())
	if err != nil {
		return nil, err
	}
	if memory {
		// Every connection to :memory: is a database of its own: keep one.
		db.SetMaxOpenConns(1)
	}
	return db, nil
}

// SQL returns the underlying *sql.DB.
func (s *DB) SQL() *sql.DB { return s.sql }

// Dialect returns the database's dialect.
func (s *DB) Dialect() Dialect { return s.dialect }

// Close closes the underlying *sql.DB.
func (s *DB) Close() error { return s.sql.Close() }

// Schema is the state of a database's schema.
type Schema struct {
	// Current is the version applied to the database, 0 for none.
	Current int64
	// Latest is the newest version this code knows.
	Latest int64
	// Pending lists the versions not yet applied, oldest first.
	Pending []int64
}

func (s *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.String())
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger())}
	gd := goose.DialectSQLite3
	if s.dialect == PostgreSQL {
		gd = goose.DialectPostgres
		// Several application servers may start at once: one migrates,
		// the others wait for it.
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	return goose.NewProvider(gd, s.sql, sub, opts...)
}

// Status reports the database's schema version, the latest this code knows,
// and the versions pending. It creates goose's version table if it is
// missing.
func (s *DB) Status(ctx context.Context) (Schema, error) {
	p, err := s.provider()
	if err != nil {
		return Schema{}, fmt.Errorf("sqlstore: status: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return Schema{}, fmt.Errorf("sqlstore: status: %w", err)
	}
	var sc Schema
	for _, m := range st {
		if m.State == goose.StatePending {
			sc.Pending = append(sc.Pending, m.Source.Version)
		}
		sc.Latest = max(sc.Latest, m.Source.Version)
	}
	if sc.Current, err = p.GetDBVersion(ctx); err != nil {
		return Schema{}, fmt.Errorf("sqlstore: status: %w", err)
	}
	return sc, nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions applied. It refuses, with ErrSchemaTooNew and without
// changing anything, a database whose schema is newer than this code knows.
func (s *DB) Migrate(ctx context.Context) ([]int64, error) {
	sc, err := s.Status(ctx)
	if err != nil {
		return nil, err
	}
	if sc.Current > sc.Latest {
		return nil, fmt.Errorf("%w: database at version %d, code at %d", ErrSchemaTooNew, sc.Current, sc.Latest)
	}
	p, err := s.provider()
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}
