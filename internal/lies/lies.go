// Package lies runs the table-driven "lies" tests each domain's conformance
// package exports (brokeragetest, partnershiptest, reviewtest,
// riskpolicytest): a Service is told something false, the way a caller
// embedding Fulcrum might tell it (a stale or inflated capacity, a foreign
// ID, a duplicate, an out-of-range value, a conflicting instruction), and
// must answer with the documented typed error and leave its store exactly
// as it was.
package lies

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Kind is the kind of lie a caller tells.
type Kind int

// Kinds of lie.
const (
	// Capacity: a stale or inflated capacity, or a place that is gone.
	Capacity Kind = iota + 1
	// ForeignID: an identifier the store does not hold, or holds for
	// something else.
	ForeignID
	// Duplicate: something that already exists, or the same thing twice.
	Duplicate
	// OutOfRange: a value outside its documented range.
	OutOfRange
	// Conflicting: an instruction that contradicts the stored state or
	// itself (an illegal transition, an overlap, dates out of order).
	Conflicting
)

var kindNames = []string{"", "capacity", "foreign-id", "duplicate", "out-of-range", "conflicting"}

// String returns the kind's name, e.g. "foreign-id".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Case is one lie told to a fixture F (a Service over a store, and the
// identifiers it holds).
type Case[F any] struct {
	Kind Kind
	Name string
	// Tell tells the lie and returns the Service's error.
	Tell func(ctx context.Context, f F) error
	// Want is the sentinel error the Service must return (errors.Is).
	Want error
}

// all compares unexported fields too (times by their Equal method).
var all = cmp.Exporter(func(reflect.Type) bool { return true })

// Run runs every case on a fresh fixture from setup, checking the error
// and that snapshot, which must read everything the store holds through
// its exported API, is the same before and after. Then it tells every lie
// at once, from concurrent goroutines, to one fixture and checks the
// snapshot again: lies told together change nothing either.
func Run[F any](t *testing.T, setup func(t *testing.T) F, snapshot func(t *testing.T, f F) any, cases []Case[F]) {
	t.Helper()
	ctx := context.Background()
	kinds := map[Kind]bool{}
	for _, c := range cases {
		kinds[c.Kind] = true
		t.Run(c.Kind.String()+"/"+c.Name, func(t *testing.T) {
			f := setup(t)
			before := snapshot(t, f)
			err := c.Tell(ctx, f)
			if !errors.Is(err, c.Want) {
				t.Errorf("got error %v, want %v", err, c.Want)
			}
			if d := cmp.Diff(before, snapshot(t, f), all); d != "" {
				t.Errorf("the lie changed the store (-before +after):\n%s", d)
			}
		})
	}
	t.Run("AllAtOnce", func(t *testing.T) {
		f := setup(t)
		before := snapshot(t, f)
		var wg sync.WaitGroup
		errs := make([]error, len(cases))
		for i, c := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = c.Tell(ctx, f)
			}()
		}
		wg.Wait()
		for i, c := range cases {
			if !errors.Is(errs[i], c.Want) {
				t.Errorf("%s/%s told with the others: got %v, want %v", c.Kind, c.Name, errs[i], c.Want)
			}
		}
		if d := cmp.Diff(before, snapshot(t, f), all); d != "" {
			t.Errorf("the lies changed the store (-before +after):\n%s", d)
		}
	})
	for k := Capacity; k <= Conflicting; k++ {
		if !kinds[k] {
			t.Logf("no lie of kind %s applies", k)
		}
	}
}

// New returns a case: telling tell is a lie of kind k, to be refused with
// an error wrapping want.
func New[F any](k Kind, name string, tell func(ctx context.Context, f F) error, want error) Case[F] {
	return Case[F]{Kind: k, Name: name, Tell: tell, Want: want}
}
