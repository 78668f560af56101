package brokerage_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
)

func TestLedgerLies(t *testing.T) {
	brokeragetest.RunLies(t, func(*testing.T) brokerage.Store { return brokerage.NewMemoryStore() })
}
