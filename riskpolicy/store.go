package riskpolicy

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// AssessmentStore keeps assessments. Implementations must be safe for
// concurrent use, must copy what they are given and return copies (callers
// may change what they get), and must return ctx's error once ctx is done.
type AssessmentStore interface {
	// PutAssessment stores a. It returns an error wrapping ErrConflict when
	// the store holds an assessment with the same Policy, URN and At.
	PutAssessment(ctx context.Context, a *Assessment) error
	// LatestAssessment returns the school's assessment under the policy
	// with the latest At, or an error wrapping ErrNotFound.
	LatestAssessment(ctx context.Context, policy string, urn partnership.URN) (*Assessment, error)
	// Assessments returns up to limit of the school's assessments under
	// the policy, newest (latest At) first, starting after the opaque
	// cursor ("" for the first page), and the cursor of the next page, ""
	// after the last. No assessments is an empty page and no error.
	// limit <= 0 means a store-chosen page size.
	Assessments(ctx context.Context, policy string, urn partnership.URN, cursor string, limit int) ([]*Assessment, string, error)
}

// OverrideStore keeps professional-judgement overrides. The same
// concurrency and copying rules as AssessmentStore apply. It keeps the
// rule that spans overrides, one judgement in force at a time for a policy
// and school, inside its own atomic operations, so that Services in
// several processes sharing it cannot break it.
//
// "Live" below means not ended: Ended is zero.
type OverrideStore interface {
	// PutOverride stores o, whose ID, Policy, URN, At and Expires are set
	// and whose Ended is zero, in one atomic operation (a transaction, a
	// lock held throughout) that fails and stores nothing:
	//   - with an error wrapping ErrConflict when an override with o.ID
	//     exists;
	//   - when o.Supersedes is set: with an error wrapping ErrNotFound
	//     when no override has that ID for o's Policy and URN, and one
	//     wrapping ErrConflict when that override is not live or not in
	//     force at o.At (ActiveAt);
	//   - with an error wrapping ErrConflict when a live override other
	//     than o.Supersedes overlaps o (Override.Overlaps, with o's Until
	//     its Expires).
	// When o.Supersedes is set, the same operation ends the superseded
	// override: its Ended becomes o.At and its EndedHow EndSuperseded.
	PutOverride(ctx context.Context, o Override) error
	// EndOverride records that the live override ended at the given time,
	// how: EndWithdrawn (at must be before its Expires) or EndExpired (at
	// must be its Expires), atomically with the checks. It returns an
	// error wrapping ErrNotFound for an unknown ID, ErrConflict for an
	// override that is not live, or that has expired by at when how is
	// EndWithdrawn, and ErrInvalid for any other how or an expiry at
	// another time than Expires.
	EndOverride(ctx context.Context, id OverrideID, at time.Time, how End) error
	// Overrides returns the policy's overrides of the school, or of every
	// school when urn is 0, ended and expired ones included, ordered by At
	// then by ID. None is an empty result and no error.
	Overrides(ctx context.Context, policy string, urn partnership.URN) ([]Override, error)
}

// AuditLog is an append-only record of who did what. The same concurrency
// rules as AssessmentStore apply.
type AuditLog interface {
	// AppendAudit appends e; the log assigns e.Seq, one more than the last.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit returns up to limit entries in the order they were appended,
	// starting after the opaque cursor ("" for the first), and the cursor
	// of the next page, "" after the last. limit <= 0 means a log-chosen
	// page size.
	Audit(ctx context.Context, cursor string, limit int) ([]AuditEntry, string, error)
}

// Store is everything a Service keeps. MemoryStore implements it; the
// riskpolicytest package checks any implementation.
type Store interface {
	AssessmentStore
	OverrideStore
	AuditLog
}

// AuditAction is what an audit entry records.
type AuditAction int

// Audited actions.
const (
	AuditUnknown AuditAction = iota
	// AuditOverrideSet: a professional-judgement override was made.
	AuditOverrideSet
	// AuditOverrideEnded: an override was withdrawn before it expired.
	AuditOverrideEnded
	// AuditLevelChanged: an assessment put a school at a different level
	// from its last one.
	AuditLevelChanged
	// AuditOverrideSuperseded: a later override replaced one in force;
	// Actor made the new one (Related), Author the one replaced.
	AuditOverrideSuperseded
	// AuditOverrideExpired: an override reached its expiry; At is the
	// expiry, the entry is appended when the Service first notices it.
	AuditOverrideExpired
)

var auditNames = []string{"unknown", "override-set", "override-ended", "level-changed", "override-superseded", "override-expired"}

// String returns the action's name, e.g. override-set.
func (a AuditAction) String() string {
	if a >= 0 && int(a) < len(auditNames) {
		return auditNames[a]
	}
	return fmt.Sprintf("audit(%d)", int(a))
}

// MarshalText implements encoding.TextMarshaler.
func (a AuditAction) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *AuditAction) UnmarshalText(b []byte) error {
	if i := slices.Index(auditNames, string(b)); i >= 0 {
		*a = AuditAction(i)
		return nil
	}
	return fmt.Errorf("%w: unknown audit action %q", ErrInvalid, b)
}

// AuditEntry is one entry of the audit trail.
type AuditEntry struct {
	// Seq is the entry's position in the log, from 1.
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Action AuditAction     `json:"action"`
	Policy string          `json:"policy"`
	URN    partnership.URN `json:"urn,omitempty"`
	// Override is the override concerned, if any.
	Override OverrideID `json:"override,omitempty"`
	// Author is who made the override concerned when that is not the
	// Actor (the author of a superseded, withdrawn or expired override).
	Author string `json:"author,omitempty"`
	// Related is the other override of a supersession: the one replaced
	// (on override-set) or the one replacing it (on override-superseded).
	Related OverrideID `json:"related,omitempty"`
	// From and To are the levels before and after, where they apply.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Reason is why, in the actor's words.
	Reason string `json:"reason,omitempty"`
}

// Clone returns a deep copy of the assessment, for stores that keep or
// return assessments.
func (a *Assessment) Clone() *Assessment {
	if a == nil {
		return nil
	}
	c := *a
	c.Fired = slices.Clone(a.Fired)
	for i := range c.Fired {
		c.Fired[i].Values = slices.Clone(c.Fired[i].Values)
	}
	c.NearMisses = slices.Clone(a.NearMisses)
	for i := range c.NearMisses {
		c.NearMisses[i].Values = slices.Clone(c.NearMisses[i].Values)
	}
	c.Skipped = slices.Clone(a.Skipped)
	for i := range c.Skipped {
		c.Skipped[i].Missing = slices.Clone(c.Skipped[i].Missing)
	}
	c.Actions = slices.Clone(a.Actions)
	c.Keeps = slices.Clone(a.Keeps)
	c.Withdraws = slices.Clone(a.Withdraws)
	if a.Override != nil {
		o := *a.Override
		c.Override = &o
	}
	return &c
}
