package sqlstore_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

func TestRiskConformance(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		riskpolicytest.Run(t, func(t *testing.T) riskpolicy.Store {
			db, _ := b.open(t)
			return db.Risk()
		})
	})
}
