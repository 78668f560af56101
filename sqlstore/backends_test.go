package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// pgEnv names the environment variable with the DSN of a PostgreSQL server
// the tests may create schemas in; .ci/postgres sets it.
const pgEnv = "FULCRUM_TEST_POSTGRES"

// backend makes new, empty, migrated databases of one kind.
type backend struct {
	name string
	// open returns a new empty database and a DSN that opens the same one
	// again (a second *sql.DB, as a second process would have).
	open func(t testing.TB) (*sqlstore.DB, string)
}

var pgAdmin struct {
	once sync.Once
	db   *sql.DB
	err  error
	n    atomic.Int64
}

// postgresDSN returns the server's DSN, or skips the test when there is
// none (fails it when CI is set: CI must run the PostgreSQL tests).
func postgresDSN(t testing.TB) string {
	dsn := os.Getenv(pgEnv)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set and CI is: CI must run the PostgreSQL tests (.ci/run starts a server)", pgEnv)
		}
		t.Skipf("no PostgreSQL server: set %s=postgres://user@host:port/db?sslmode=disable, "+
			"or start a throwaway one with `bash .ci/postgres start /tmp/pg` and use the DSN it prints", pgEnv)
	}
	return dsn
}

// newPostgres makes a schema of its own for the test on the server and
// opens a database whose search_path starts with it.
func newPostgres(t testing.TB) (*sqlstore.DB, string) {
	base := postgresDSN(t)
	pgAdmin.once.Do(func() {
		pgAdmin.db, pgAdmin.err = sql.Open("pgx", base)
		if pgAdmin.err == nil {
			_, pgAdmin.err = pgAdmin.db.Exec("CREATE EXTENSION IF NOT EXISTS btree_gist")
		}
	})
	require.NoError(t, pgAdmin.err)
	schema := fmt.Sprintf("fulcrum_test_%d_%d", os.Getpid(), pgAdmin.n.Add(1))
	_, err := pgAdmin.db.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	sep := "?"
	if containsQuery(base) {
		sep = "&"
	}
	dsn := base + sep + "search_path=" + schema + ",public"
	db, err := sqlstore.Open(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		db.Close()
		_, err := pgAdmin.db.Exec("DROP SCHEMA " + schema + " CASCADE")
		require.NoError(t, err)
	})
	return db, dsn
}

func containsQuery(s string) bool {
	for _, r := range s {
		if r == '?' {
			return true
		}
	}
	return false
}

func newSQLiteFile(t testing.TB) (*sqlstore.DB, string) {
	name := filepath.Join(t.TempDir(), "fulcrum.db")
	db, err := sqlstore.Open(context.Background(), name)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, name
}

func newSQLiteMemory(t testing.TB) (*sqlstore.DB, string) {
	db, err := sqlstore.Open(context.Background(), ":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, ""
}

var backends = []backend{
	{"sqlite-file", newSQLiteFile},
	{"sqlite-memory", newSQLiteMemory},
	{"postgres", newPostgres},
}

// eachBackend runs fn once per backend, as a subtest.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}
