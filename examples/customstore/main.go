// Command customstore shows a trust's own storage behind Fulcrum: the
// brokerage Store implemented over a key-value store (store.go, over the
// stand-in KV in kv.go), proved by brokeragetest (store_test.go), and a
// Ledger that proposes and agrees an engagement over it.
//
//	go run ./examples/customstore
//	go test ./examples/customstore
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "customstore:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	ledger := brokerage.NewLedger(NewStore(NewKV()), nil)
	need := brokerage.Need{ID: "n-107000-maths", School: 107000, Name: "Moorside Primary", Area: "maths",
		Phase: partnership.PhasePrimary, Priority: 4, Days: 3}
	offer := brokerage.Offer{ID: "o-hub-maths", Provider: "Maths hub", Kind: brokerage.ProviderHub,
		Areas: []brokerage.AreaEvidence{{Area: "maths"}}, Phases: []partnership.Phase{partnership.PhasePrimary}, Capacity: 1}
	if err := ledger.PutNeeds(ctx, need); err != nil {
		return err
	}
	if err := ledger.PutOffers(ctx, offer); err != nil {
		return err
	}
	e, err := ledger.Propose(ctx, "e1", need.ID, offer.ID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "proposed %s: %s for %s, %s\n", e.ID, offer.Provider, need.Name, e.Status)
	// The offer has one place: a second need is refused by the store.
	other := need
	other.ID, other.School, other.Name = "n-107001-maths", 107001, "Hillside Primary"
	if err := ledger.PutNeeds(ctx, other); err != nil {
		return err
	}
	_, err = ledger.Propose(ctx, "e2", other.ID, offer.ID, nil)
	fmt.Fprintf(w, "a second proposal on the same offer: %v\n", err)
	e, err = ledger.Accept(ctx, e.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s is %s (version %d)\n", e.ID, e.Status, e.Version)
	return nil
}
