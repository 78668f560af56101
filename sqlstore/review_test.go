package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
)

func TestReviewConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		newStore := func(t *testing.T) review.Store {
			db, _ := b.open(t)
			return db.Review()
		}
		reviewtest.Run(t, newStore)
		t.Run("Lies", func(t *testing.T) { reviewtest.RunLies(t, newStore) })
	})
}
