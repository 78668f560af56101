package brokerage

import "context"

// EngagementReader loads engagements.
type EngagementReader interface {
	// Get returns the engagement with the given ID, or an error wrapping
	// ErrNotFound. The result is the caller's to keep and change.
	Get(ctx context.Context, id EngagementID) (Engagement, error)
	// List returns the engagements matching q, ordered by ID ascending;
	// an empty result is a nil or empty slice, not an error. The results
	// are the caller's to keep and change.
	List(ctx context.Context, q Query) ([]Engagement, error)
}

// EngagementWriter stores engagements. The Ledger in front of it has
// already validated every engagement and checked every transition and
// capacity; the writer only stores.
type EngagementWriter interface {
	// Create stores a new engagement, or returns an error wrapping
	// ErrConflict when one with the same ID exists. The writer must not
	// keep e's slices.
	Create(ctx context.Context, e Engagement) error
	// Update replaces the stored engagement with the same ID. It returns
	// an error wrapping ErrNotFound when there is none, and one wrapping
	// ErrConflict unless the stored Version is e.Version − 1 (optimistic
	// concurrency: e is the next version of what the caller read).
	Update(ctx context.Context, e Engagement) error
}

// Store is the storage an engagement Ledger needs. Implementations must
// be safe for concurrent use; brokeragetest.Run checks the contract.
type Store interface {
	EngagementReader
	EngagementWriter
}

// Query selects engagements; zero fields match everything.
type Query struct {
	Need  NeedID
	Offer OfferID
	// Statuses, when not empty, matches engagements in any of them.
	Statuses []Status
}
