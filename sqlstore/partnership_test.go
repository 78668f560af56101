package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/partnershiptest"
)

func TestPartnershipConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		partnershiptest.Run(t, func(t *testing.T) partnership.Store {
			db, _ := b.open(t)
			return db.Partnership()
		})
	})
}
