package brokerage

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemoryStore is the in-memory Store: the zero-setup default and the
// reference implementation of the contract. The zero value is ready to
// use; it is safe for concurrent use. Every operation holds one lock, so
// Reserve, PutNeed and PutOffer are atomic.
type MemoryStore struct {
	mu     sync.RWMutex
	m      map[EngagementID]Engagement
	needs  map[NeedID]Need
	offers map[OfferID]Offer
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

func clone(e Engagement) Engagement {
	e.Explanation = slices.Clone(e.Explanation)
	return e
}

func cloneNeed(n Need) Need {
	n.Networks = slices.Clone(n.Networks)
	return n
}

func cloneOffer(o Offer) Offer {
	o.Areas, o.Phases, o.Formats, o.Networks = slices.Clone(o.Areas), slices.Clone(o.Phases), slices.Clone(o.Formats), slices.Clone(o.Networks)
	return o
}

// Get implements EngagementReader.
func (s *MemoryStore) Get(ctx context.Context, id EngagementID) (Engagement, error) {
	if err := ctx.Err(); err != nil {
		return Engagement{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.m[id]
	if !ok {
		return Engagement{}, fmt.Errorf("engagement %s: %w", id, ErrNotFound)
	}
	return clone(e), nil
}

// List implements EngagementReader.
func (s *MemoryStore) List(ctx context.Context, q Query) ([]Engagement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []Engagement
	for _, e := range s.m {
		if q.Need != "" && e.Need != q.Need || q.Offer != "" && e.Offer != q.Offer ||
			len(q.Statuses) > 0 && !slices.Contains(q.Statuses, e.Status) {
			continue
		}
		out = append(out, clone(e))
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Engagement) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out, nil
}

// reserving counts the engagements reserving offer and returns one
// reserving need, "" if none; the caller holds the lock.
func (s *MemoryStore) reserving(need NeedID, offer OfferID) (n int, open EngagementID) {
	for _, e := range s.m {
		if !e.Status.Reserves() {
			continue
		}
		if offer != "" && e.Offer == offer {
			n++
		}
		if need != "" && e.Need == need && (open == "" || e.ID < open) {
			open = e.ID
		}
	}
	return n, open
}

// Reserve implements EngagementWriter.
func (s *MemoryStore) Reserve(ctx context.Context, need NeedID, offer OfferID, build func(Need, Offer, int) (Engagement, error)) (Engagement, error) {
	if err := ctx.Err(); err != nil {
		return Engagement{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.needs[need]
	if !ok {
		return Engagement{}, fmt.Errorf("need %s: %w", need, ErrNotFound)
	}
	o, ok := s.offers[offer]
	if !ok {
		return Engagement{}, fmt.Errorf("offer %s: %w", offer, ErrNotFound)
	}
	reserved, open := s.reserving(need, offer)
	e, err := build(cloneNeed(n), cloneOffer(o), reserved)
	if err != nil {
		return Engagement{}, err
	}
	switch {
	case e.Need != need || e.Offer != offer:
		return Engagement{}, fmt.Errorf("engagement %s: %w: built for need %s and offer %s, asked for %s and %s", e.ID, ErrInvalid, e.Need, e.Offer, need, offer)
	case !e.Status.Reserves():
		return Engagement{}, fmt.Errorf("engagement %s: %w: built with status %s, which reserves nothing", e.ID, ErrInvalid, e.Status)
	case reserved >= o.Capacity:
		return Engagement{}, fmt.Errorf("offer %s: %w (%d of %d reserved)", offer, ErrCapacity, reserved, o.Capacity)
	case open != "":
		return Engagement{}, fmt.Errorf("need %s: %w: open engagement %s", need, ErrConflict, open)
	}
	if _, ok := s.m[e.ID]; ok {
		return Engagement{}, fmt.Errorf("engagement %s: %w", e.ID, ErrConflict)
	}
	if s.m == nil {
		s.m = map[EngagementID]Engagement{}
	}
	s.m[e.ID] = clone(e)
	return clone(e), nil
}

// Create implements EngagementWriter.
func (s *MemoryStore) Create(ctx context.Context, e Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[e.ID]; ok {
		return fmt.Errorf("engagement %s: %w", e.ID, ErrConflict)
	}
	if s.m == nil {
		s.m = map[EngagementID]Engagement{}
	}
	s.m[e.ID] = clone(e)
	return nil
}

// Update implements EngagementWriter.
func (s *MemoryStore) Update(ctx context.Context, e Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.m[e.ID]
	if !ok {
		return fmt.Errorf("engagement %s: %w", e.ID, ErrNotFound)
	}
	if old.Version != e.Version-1 {
		return fmt.Errorf("engagement %s: %w: stored version %d, update to %d", e.ID, ErrConflict, old.Version, e.Version)
	}
	s.m[e.ID] = clone(e)
	return nil
}

// Need implements CatalogueReader.
func (s *MemoryStore) Need(ctx context.Context, id NeedID) (Need, error) {
	if err := ctx.Err(); err != nil {
		return Need{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	n, ok := s.needs[id]
	if !ok {
		return Need{}, fmt.Errorf("need %s: %w", id, ErrNotFound)
	}
	return cloneNeed(n), nil
}

// Offer implements CatalogueReader.
func (s *MemoryStore) Offer(ctx context.Context, id OfferID) (Offer, error) {
	if err := ctx.Err(); err != nil {
		return Offer{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.offers[id]
	if !ok {
		return Offer{}, fmt.Errorf("offer %s: %w", id, ErrNotFound)
	}
	return cloneOffer(o), nil
}

// PutNeed implements CatalogueWriter.
func (s *MemoryStore) PutNeed(ctx context.Context, n Need) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, open := s.reserving(n.ID, ""); open != "" {
		return fmt.Errorf("need %s: %w: open engagement %s", n.ID, ErrConflict, open)
	}
	if s.needs == nil {
		s.needs = map[NeedID]Need{}
	}
	s.needs[n.ID] = cloneNeed(n)
	return nil
}

// PutOffer implements CatalogueWriter.
func (s *MemoryStore) PutOffer(ctx context.Context, o Offer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, _ := s.reserving("", o.ID); n > o.Capacity {
		return fmt.Errorf("offer %s: %w: capacity %d, %d reserved", o.ID, ErrCapacity, o.Capacity, n)
	}
	if s.offers == nil {
		s.offers = map[OfferID]Offer{}
	}
	s.offers[o.ID] = cloneOffer(o)
	return nil
}
