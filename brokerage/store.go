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

// EngagementWriter stores engagements. The Ledger in front of it validates
// every engagement and checks every transition; the writer stores, and
// keeps the two invariants that span records (an offer's capacity, one
// open engagement per need) inside one atomic operation, so that several
// Ledgers, in several processes, sharing one store cannot break them.
//
// "Reserving" below means an engagement whose Status.Reserves() is true
// (proposed, accepted, agreed or active).
type EngagementWriter interface {
	// Reserve creates a proposed engagement between the stored need and
	// the stored offer in one atomic operation (a transaction, a lock held
	// throughout): it loads the need and the offer, counts the engagements
	// reserving the offer, calls build with the three, and stores the
	// engagement build returns. In order, it fails and stores nothing:
	//   - with an error wrapping ErrNotFound when the need or the offer is
	//     not stored;
	//   - with build's error, returned as is (not wrapped), when build
	//     fails;
	//   - with an error wrapping ErrInvalid when the built engagement names
	//     another need or offer than the ones asked for, or its status
	//     does not reserve;
	//   - with an error wrapping ErrCapacity (which wraps ErrConflict) when
	//     the offer's reserving engagements already number its Capacity
	//     or more, whatever build decided;
	//   - with an error wrapping ErrConflict when the need has a reserving
	//     engagement, or an engagement with the built ID exists.
	// build may be called more than once (a store may retry a transaction)
	// and must not call the store. The need and offer it gets are copies.
	// Reserve returns the engagement stored; the writer must not keep its
	// slices.
	Reserve(ctx context.Context, need NeedID, offer OfferID, build func(n Need, o Offer, reserved int) (Engagement, error)) (Engagement, error)
	// Create stores a new engagement as it is, or returns an error
	// wrapping ErrConflict when one with the same ID exists. It is for
	// restoring engagements already checked (a backup, a migration): it
	// checks no capacity. The writer must not keep e's slices.
	Create(ctx context.Context, e Engagement) error
	// Update replaces the stored engagement with the same ID. It returns
	// an error wrapping ErrNotFound when there is none, and one wrapping
	// ErrConflict unless the stored Version is e.Version − 1 (optimistic
	// concurrency: e is the next version of what the caller read).
	Update(ctx context.Context, e Engagement) error
}

// CatalogueReader loads the needs and offers engagements are made
// between: the truth a Ledger checks a proposal against.
type CatalogueReader interface {
	// Need returns the need with the ID, or an error wrapping ErrNotFound.
	// The result is the caller's to keep and change.
	Need(ctx context.Context, id NeedID) (Need, error)
	// Offer returns the offer with the ID, or an error wrapping
	// ErrNotFound. The result is the caller's to keep and change.
	Offer(ctx context.Context, id OfferID) (Offer, error)
}

// CatalogueWriter stores needs and offers; the Ledger has validated them.
// The writer must not keep the slices of what it is given.
type CatalogueWriter interface {
	// PutNeed stores n, adding it or replacing the need with its ID. A
	// need with a reserving engagement is fixed until that engagement
	// closes: replacing it fails with an error wrapping ErrConflict and
	// stores nothing (the check and the write are one atomic operation).
	PutNeed(ctx context.Context, n Need) error
	// PutOffer stores o, adding it or replacing the offer with its ID.
	// Replacing it with a Capacity below the number of engagements
	// reserving it fails with an error wrapping ErrCapacity (which wraps
	// ErrConflict) and stores nothing (one atomic operation).
	PutOffer(ctx context.Context, o Offer) error
}

// Store is the storage an engagement Ledger needs. Implementations must
// be safe for concurrent use and return ctx.Err() once ctx is done;
// brokeragetest.Run checks the contract.
type Store interface {
	EngagementReader
	EngagementWriter
	CatalogueReader
	CatalogueWriter
}

// Query selects engagements; zero fields match everything.
type Query struct {
	Need  NeedID
	Offer OfferID
	// Statuses, when not empty, matches engagements in any of them.
	Statuses []Status
}
