package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

func TestRiskConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		newStore := func(t *testing.T) riskpolicy.Store {
			db, _ := b.open(t)
			return db.Risk()
		}
		riskpolicytest.Run(t, newStore)
		t.Run("Lies", func(t *testing.T) { riskpolicytest.RunLies(t, newStore) })
	})
}
