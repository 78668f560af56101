package riskpolicy_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

func TestMemoryStore(t *testing.T) {
	riskpolicytest.Run(t, func(t *testing.T) riskpolicy.Store { return riskpolicy.NewMemoryStore() })
}
