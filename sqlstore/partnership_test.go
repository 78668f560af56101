package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
)

func TestPartnershipConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		newStore := func(t *testing.T) partnership.Store {
			db, _ := b.open(t)
			return db.Partnership()
		}
		partnershiptest.Run(t, newStore)
		t.Run("Lies", func(t *testing.T) { partnershiptest.RunLies(t, newStore) })
	})
}
