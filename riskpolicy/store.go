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
// concurrency and copying rules as AssessmentStore apply.
type OverrideStore interface {
	// PutOverride stores o, whose ID is set. It returns an error wrapping
	// ErrConflict when an override with the ID exists.
	PutOverride(ctx context.Context, o Override) error
	// EndOverride records that the override ended early at the given
	// time. It returns an error wrapping ErrNotFound for an unknown ID and
	// ErrConflict for an override already ended.
	EndOverride(ctx context.Context, id OverrideID, at time.Time) error
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
)

var auditNames = []string{"unknown", "override-set", "override-ended", "level-changed"}

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
