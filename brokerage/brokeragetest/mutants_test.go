package brokeragetest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/brokerage/brokeragetest"
	"github.com/fulcrum-edu/fulcrum/internal/mutation"
)

// The suite passes the reference store.
func TestMemoryStorePasses(t *testing.T) {
	brokeragetest.Run(t, func(*testing.T) brokerage.Store { return brokerage.NewMemoryStore() })
}

// bugs are the deliberately broken stores the suite must fail on.
var bugs = []string{
	"reserve-ignores-capacity",
	"reserve-ignores-open-need",
	"reserve-not-atomic",
	"reserve-loses-build-error",
	"reserve-stores-before-build-error",
	"reserve-accepts-foreign-need",
	"reserve-accepts-non-reserving-status",
	"reserve-counts-closed-engagements",
	"reserve-overwrites-taken-id",
	"reserve-ignores-context",
	"reserve-full-is-not-conflict",
	"put-offer-below-reserved",
	"put-need-with-open-engagement",
	"need-returns-shared-slice",
	"offer-returns-shared-slice",
	"put-offer-keeps-caller-slice",
	"put-need-ignores-context",
	"missing-need-is-not-not-found",
}

// Each broken store fails the suite: the suite is run in a child process
// (this test binary, selecting the bug by environment) and must fail.
func TestSuiteCatchesEveryBug(t *testing.T) {
	mutation.Score(t, "BROKERAGETEST_BUG", "TestMutantChild", bugs)
}

// TestMutantChild runs the suite and the lies on the store with the bug named in the
// environment; it does nothing in a normal run.
func TestMutantChild(t *testing.T) {
	bug := mutation.Bug("BROKERAGETEST_BUG")
	if bug == "" {
		return
	}
	newStore := func(*testing.T) brokerage.Store { return &mutant{bug: bug} }
	brokeragetest.Run(t, newStore)
	brokeragetest.RunLies(t, newStore)
}

// mutant is a store with one planted bug.
type mutant struct {
	bug    string
	mu     sync.Mutex
	m      map[brokerage.EngagementID]brokerage.Engagement
	needs  map[brokerage.NeedID]brokerage.Need
	offers map[brokerage.OfferID]brokerage.Offer
}

func cloneE(e brokerage.Engagement) brokerage.Engagement {
	e.Explanation = slices.Clone(e.Explanation)
	return e
}

func (s *mutant) Get(ctx context.Context, id brokerage.EngagementID) (brokerage.Engagement, error) {
	if err := ctx.Err(); err != nil {
		return brokerage.Engagement{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[id]
	if !ok {
		return e, fmt.Errorf("engagement %s: %w", id, brokerage.ErrNotFound)
	}
	return cloneE(e), nil
}

func (s *mutant) List(ctx context.Context, q brokerage.Query) ([]brokerage.Engagement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []brokerage.Engagement
	for _, e := range s.m {
		if q.Need != "" && e.Need != q.Need || q.Offer != "" && e.Offer != q.Offer || len(q.Statuses) > 0 && !slices.Contains(q.Statuses, e.Status) {
			continue
		}
		out = append(out, cloneE(e))
	}
	slices.SortFunc(out, func(a, b brokerage.Engagement) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out, nil
}

func (s *mutant) reserving(need brokerage.NeedID, offer brokerage.OfferID) (int, bool) {
	n, open := 0, false
	for _, e := range s.m {
		if !e.Status.Reserves() && s.bug != "reserve-counts-closed-engagements" {
			continue
		}
		if e.Offer == offer {
			n++
		}
		if e.Need == need && e.Status.Reserves() {
			open = true
		}
	}
	return n, open
}

func (s *mutant) Reserve(ctx context.Context, need brokerage.NeedID, offer brokerage.OfferID, build func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error)) (brokerage.Engagement, error) {
	if err := ctx.Err(); err != nil && s.bug != "reserve-ignores-context" {
		return brokerage.Engagement{}, err
	}
	s.mu.Lock()
	n, ok := s.needs[need]
	o, ok2 := s.offers[offer]
	if !ok || !ok2 {
		s.mu.Unlock()
		if s.bug == "missing-need-is-not-not-found" {
			return brokerage.Engagement{}, errors.New("missing")
		}
		return brokerage.Engagement{}, fmt.Errorf("need %s or offer %s: %w", need, offer, brokerage.ErrNotFound)
	}
	reserved, open := s.reserving(need, offer)
	if s.bug == "reserve-not-atomic" {
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
	defer s.mu.Unlock()
	e, err := build(n, o, reserved)
	if err != nil {
		if s.bug == "reserve-stores-before-build-error" {
			s.m[brokerage.EngagementID("partial-"+string(need))] = brokerage.Engagement{ID: "partial", Need: need, Offer: offer, Status: brokerage.StatusProposed, Version: 1}
		}
		if s.bug == "reserve-loses-build-error" {
			return brokerage.Engagement{}, brokerage.ErrInvalid
		}
		return brokerage.Engagement{}, err
	}
	switch {
	case (e.Need != need || e.Offer != offer) && s.bug != "reserve-accepts-foreign-need":
		return brokerage.Engagement{}, brokerage.ErrInvalid
	case !e.Status.Reserves() && s.bug != "reserve-accepts-non-reserving-status":
		return brokerage.Engagement{}, brokerage.ErrInvalid
	case reserved >= o.Capacity && s.bug != "reserve-ignores-capacity":
		if s.bug == "reserve-full-is-not-conflict" {
			return brokerage.Engagement{}, errors.New("full")
		}
		return brokerage.Engagement{}, brokerage.ErrCapacity
	case open && s.bug != "reserve-ignores-open-need":
		return brokerage.Engagement{}, brokerage.ErrConflict
	}
	if _, taken := s.m[e.ID]; taken && s.bug != "reserve-overwrites-taken-id" {
		return brokerage.Engagement{}, brokerage.ErrConflict
	}
	if s.m == nil {
		s.m = map[brokerage.EngagementID]brokerage.Engagement{}
	}
	s.m[e.ID] = cloneE(e)
	return cloneE(e), nil
}

func (s *mutant) Create(ctx context.Context, e brokerage.Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[e.ID]; ok {
		return brokerage.ErrConflict
	}
	if s.m == nil {
		s.m = map[brokerage.EngagementID]brokerage.Engagement{}
	}
	s.m[e.ID] = cloneE(e)
	return nil
}

func (s *mutant) Update(ctx context.Context, e brokerage.Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.m[e.ID]
	if !ok {
		return brokerage.ErrNotFound
	}
	if old.Version != e.Version-1 {
		return brokerage.ErrConflict
	}
	s.m[e.ID] = cloneE(e)
	return nil
}

func (s *mutant) Need(ctx context.Context, id brokerage.NeedID) (brokerage.Need, error) {
	if err := ctx.Err(); err != nil {
		return brokerage.Need{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.needs[id]
	if !ok {
		return n, brokerage.ErrNotFound
	}
	if s.bug != "need-returns-shared-slice" {
		n.Networks = slices.Clone(n.Networks)
	}
	return n, nil
}

func cloneO(o brokerage.Offer) brokerage.Offer {
	o.Areas, o.Phases, o.Formats, o.Networks = slices.Clone(o.Areas), slices.Clone(o.Phases), slices.Clone(o.Formats), slices.Clone(o.Networks)
	return o
}

func (s *mutant) Offer(ctx context.Context, id brokerage.OfferID) (brokerage.Offer, error) {
	if err := ctx.Err(); err != nil {
		return brokerage.Offer{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.offers[id]
	if !ok {
		return o, brokerage.ErrNotFound
	}
	if s.bug == "offer-returns-shared-slice" {
		return o, nil
	}
	return cloneO(o), nil
}

func (s *mutant) PutNeed(ctx context.Context, n brokerage.Need) error {
	if err := ctx.Err(); err != nil && s.bug != "put-need-ignores-context" {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, open := s.reserving(n.ID, ""); open && s.bug != "put-need-with-open-engagement" {
		return brokerage.ErrConflict
	}
	if s.needs == nil {
		s.needs = map[brokerage.NeedID]brokerage.Need{}
	}
	n.Networks = slices.Clone(n.Networks)
	s.needs[n.ID] = n
	return nil
}

func (s *mutant) PutOffer(ctx context.Context, o brokerage.Offer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, _ := s.reserving("", o.ID); n > o.Capacity && s.bug != "put-offer-below-reserved" {
		return brokerage.ErrCapacity
	}
	if s.offers == nil {
		s.offers = map[brokerage.OfferID]brokerage.Offer{}
	}
	if s.bug != "put-offer-keeps-caller-slice" {
		o = cloneO(o)
	}
	s.offers[o.ID] = o
	return nil
}
