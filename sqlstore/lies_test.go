package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

// The Services refuse every lie over the SQL stores as over the in-memory
// ones, and leave the database as it was. Each case opens a fresh
// database, so the SQLite engine is exercised once, in memory (the file
// backend runs the same SQL); PostgreSQL runs when a server is configured.
func TestServiceLies(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		if b.name == "sqlite-file" {
			return
		}
		t.Run("partnership", func(t *testing.T) {
			partnershiptest.RunLies(t, func(t *testing.T) partnership.Store { db, _ := b.open(t); return db.Partnership() })
		})
		t.Run("review", func(t *testing.T) {
			reviewtest.RunLies(t, func(t *testing.T) review.Store { db, _ := b.open(t); return db.Review() })
		})
		t.Run("riskpolicy", func(t *testing.T) {
			riskpolicytest.RunLies(t, func(t *testing.T) riskpolicy.Store { db, _ := b.open(t); return db.Risk() })
		})
	})
}
