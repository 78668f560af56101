package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// TestSQLitePragmasCallerWins checks that a pragma the DSN sets replaces the
// store's default for it, and that the other defaults still apply.
func TestSQLitePragmasCallerWins(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "p.db")
	for _, c := range []struct {
		dsn       string
		cacheSize int
	}{
		{dsn, -65536},
		{dsn + "?_pragma=cache_size(-2000)", -2000},
	} {
		db, err := sqlstore.Open(ctx, c.dsn)
		require.NoError(t, err)
		var cache, fk int
		var mode string
		require.NoError(t, db.SQL().QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache))
		require.NoError(t, db.SQL().QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, db.SQL().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
		require.NoError(t, db.Close())
		require.Equal(t, c.cacheSize, cache, c.dsn)
		require.Equal(t, 1, fk, c.dsn)
		require.Equal(t, "wal", mode, c.dsn)
	}
}
