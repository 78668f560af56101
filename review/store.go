package review

import (
	"context"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ProgrammeStore keeps programmes and their cycles.
//
// Put methods return an error wrapping ErrConflict when the ID exists; get
// methods return one wrapping ErrNotFound when it does not. Values are
// copied in and out: the caller may keep or change what it passes or gets.
// Every method may be called concurrently and must return ctx.Err() once ctx
// is done.
type ProgrammeStore interface {
	PutProgramme(ctx context.Context, p Programme) error
	Programme(ctx context.Context, id ProgrammeID) (Programme, error)
	PutCycle(ctx context.Context, c Cycle) error
	Cycle(ctx context.Context, id CycleID) (Cycle, error)
}

// ReviewQuery selects reviews; an empty field matches every review.
type ReviewQuery struct {
	Cycle  CycleID
	School partnership.URN
}

// ReviewStore keeps reviews, whole, confidential parts included. Only the
// Service should hold it: the Service is where the access policy is
// enforced.
//
// CreateReview fails with ErrConflict when the ID exists. UpdateReview
// replaces the stored review when r.Version equals the stored Version, and
// stores it with Version+1; otherwise it fails with ErrConflict (ErrNotFound
// when there is none). ListReviews returns up to limit reviews matching q in
// increasing ID order after the opaque cursor ("" to start), and the cursor
// of the next page, "" after the last; limit <= 0 means a store-chosen page
// size. IDs order byte by byte, as Go compares strings (a SQL store must
// not order them by a locale's collation). Times keep their instant to the
// microsecond at least and compare equal with time.Time.Equal; their
// Location need not be kept. Concurrency and copying as for
// ProgrammeStore.
type ReviewStore interface {
	CreateReview(ctx context.Context, r Review) error
	Review(ctx context.Context, id ReviewID) (Review, error)
	UpdateReview(ctx context.Context, r Review) error
	ListReviews(ctx context.Context, q ReviewQuery, cursor string, limit int) ([]Review, string, error)
}

// ConsentStore keeps the consents schools record.
//
// AddConsent fails with ErrConflict when the ID exists. Consents returns
// every consent of the school, revoked ones included, in the order added (an
// empty slice, not an error, when there are none). RevokeConsent stores a
// consent's RevokedAt, failing with ErrNotFound for an unknown ID.
type ConsentStore interface {
	AddConsent(ctx context.Context, c Consent) error
	Consents(ctx context.Context, school partnership.URN) ([]Consent, error)
	RevokeConsent(ctx context.Context, c Consent) error
}

// AuditLog keeps the record of reads. AppendAudit adds an entry; Audit
// returns up to limit entries about the school in the order appended after
// the opaque cursor, and the next cursor ("" after the last). Entries are
// never changed or removed.
type AuditLog interface {
	AppendAudit(ctx context.Context, e AuditEntry) error
	Audit(ctx context.Context, school partnership.URN, cursor string, limit int) ([]AuditEntry, string, error)
}

// Store is everything the Service needs. MemoryStore implements it; the
// conformance suite review/reviewtest checks any implementation.
type Store interface {
	ProgrammeStore
	ReviewStore
	ConsentStore
	AuditLog
}
