package riskpolicy_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

func TestServiceLies(t *testing.T) {
	riskpolicytest.RunLies(t, func(*testing.T) riskpolicy.Store { return riskpolicy.NewMemoryStore() })
}
