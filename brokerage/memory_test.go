package brokerage_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
)

func TestMemoryStore(t *testing.T) {
	brokeragetest.Run(t, func(*testing.T) brokerage.Store { return brokerage.NewMemoryStore() })
}
