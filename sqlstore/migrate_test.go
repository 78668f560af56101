package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		db, _ := b.open(t)
		sc, err := db.Status(ctx)
		require.NoError(t, err)
		assert.Positive(t, sc.Latest)
		assert.Equal(t, sc.Latest, sc.Current)
		assert.Empty(t, sc.Pending)

		applied, err := db.Migrate(ctx)
		require.NoError(t, err)
		assert.Empty(t, applied, "a second Migrate applies nothing")

		// A newer Fulcrum migrated this database: this one must refuse it.
		_, err = db.SQL().ExecContext(ctx, versionInsert(db), sc.Latest+1, true)
		require.NoError(t, err)
		_, err = db.Migrate(ctx)
		require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
		sc, err = db.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, sc.Latest+1, sc.Current)
	})
}

// versionInsert records a schema version in goose's table.
func versionInsert(db *sqlstore.DB) string {
	if db.Dialect() == sqlstore.PostgreSQL {
		return "INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, $2)"
	}
	return "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)"
}

func TestNewRejects(t *testing.T) {
	_, err := sqlstore.New(nil, sqlstore.SQLite)
	assert.Error(t, err)
	db, _ := newSQLiteMemory(t)
	_, err = sqlstore.New(db.SQL(), sqlstore.Dialect(9))
	assert.Error(t, err)
}
