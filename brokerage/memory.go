package brokerage

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemoryStore is the in-memory Store: the zero-setup default and the
// reference implementation of the contract. The zero value is ready to
// use; it is safe for concurrent use.
type MemoryStore struct {
	mu sync.RWMutex
	m  map[EngagementID]Engagement
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

func clone(e Engagement) Engagement {
	e.Explanation = slices.Clone(e.Explanation)
	return e
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
	defer s.mu.RUnlock()
	var out []Engagement
	for _, e := range s.m {
		if q.Need != "" && e.Need != q.Need || q.Offer != "" && e.Offer != q.Offer ||
			len(q.Statuses) > 0 && !slices.Contains(q.Statuses, e.Status) {
			continue
		}
		out = append(out, clone(e))
	}
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
