package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
)

func TestBrokerageConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		newStore := func(t *testing.T) brokerage.Store {
			db, _ := b.open(t)
			return db.Brokerage()
		}
		brokeragetest.Run(t, newStore)
		t.Run("Lies", func(t *testing.T) { brokeragetest.RunLies(t, newStore) })
	})
}
