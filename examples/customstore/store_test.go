package main

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
)

// The adapter needs no tests of its own for the Store contract: the
// conformance suite is the test, and the lies a Ledger is told over it.
func TestStoreConformance(t *testing.T) {
	newStore := func(*testing.T) brokerage.Store { return NewStore(NewKV()) }
	brokeragetest.Run(t, newStore)
	t.Run("Lies", func(t *testing.T) { brokeragetest.RunLies(t, newStore) })
}

func TestRun(t *testing.T) {
	if err := run(t.Context(), testWriter{t}); err != nil {
		t.Fatal(err)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
