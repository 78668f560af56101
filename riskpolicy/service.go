package riskpolicy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ServiceOptions configure a Service. A nil *ServiceOptions means all
// defaults.
type ServiceOptions struct {
	// Clock gives the time of assessments, overrides and audit entries;
	// nil means time.Now.
	Clock func() time.Time
	// Logger receives a line per stored batch and per override; nil
	// discards.
	Logger *slog.Logger
}

// Service assesses schools against policies and keeps the outcome: it
// fetches each school's last assessment and the overrides in force from its
// Store, evaluates, stores the new assessments and records in the audit
// trail every override and every change of level. It owns IDs, time and
// validation; the Store only stores. It is safe for concurrent use.
type Service struct {
	store Store
	clock func() time.Time
	log   *slog.Logger
	seq   atomic.Int64
}

// AssessmentBatcher is what a Store may also implement so that the Service
// reads the previous assessments of a whole run in one call and records the
// run (its assessments and the audit of every change of level) in one,
// instead of a call per school: a database store does it in one query and
// one transaction. sqlstore.RiskStore implements it.
type AssessmentBatcher interface {
	// LatestAssessments returns, for each school that has one, what
	// LatestAssessment returns.
	LatestAssessments(ctx context.Context, policy string) (map[partnership.URN]*Assessment, error)
	// PutAssessments stores every assessment as PutAssessment does and
	// appends every audit entry as AppendAudit does, in order: all of
	// them or, on any error, none.
	PutAssessments(ctx context.Context, as []*Assessment, audit ...AuditEntry) error
}

// NewService returns a service over store.
func NewService(store Store, opts *ServiceOptions) *Service {
	s := &Service{store: store, clock: time.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if opts != nil {
		if opts.Clock != nil {
			s.clock = opts.Clock
		}
		if opts.Logger != nil {
			s.log = opts.Logger
		}
	}
	return s
}

// Assess evaluates the school urn from src and stores the assessment.
func (s *Service) Assess(ctx context.Context, p *Policy, src Source, urn partnership.URN) (*Assessment, error) {
	rec, err := src.Record(ctx, urn)
	if err != nil {
		return nil, fmt.Errorf("assess %d under %s: %w", urn, p.Name(), err)
	}
	as, err := s.assess(ctx, p, []Record{rec})
	if err != nil {
		return nil, err
	}
	return as[0], nil
}

// AssessAll evaluates every school in src and stores the assessments,
// returned in URN order.
func (s *Service) AssessAll(ctx context.Context, p *Policy, src Source) ([]*Assessment, error) {
	recs, err := p.recordsFor(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("assess all under %s: %w", p.Name(), err)
	}
	return s.assess(ctx, p, recs)
}

func (s *Service) assess(ctx context.Context, p *Policy, recs []Record) ([]*Assessment, error) {
	now := s.clock()
	opts := &EvalOptions{At: now, Previous: map[partnership.URN]*Assessment{}}
	batch, _ := s.store.(AssessmentBatcher)
	if batch != nil && len(recs) > 1 {
		latest, err := batch.LatestAssessments(ctx, p.Name())
		if err != nil {
			return nil, fmt.Errorf("assess under %s: previous assessments: %w", p.Name(), err)
		}
		for _, r := range recs {
			if a := latest[r.URN]; a != nil {
				opts.Previous[r.URN] = a
			}
		}
	} else {
		for _, r := range recs {
			a, err := s.store.LatestAssessment(ctx, p.Name(), r.URN)
			switch {
			case err == nil:
				opts.Previous[r.URN] = a
			case !errors.Is(err, ErrNotFound):
				return nil, fmt.Errorf("assess under %s: previous assessment of %d: %w", p.Name(), r.URN, err)
			}
		}
	}
	var urn partnership.URN
	if len(recs) == 1 {
		urn = recs[0].URN
	}
	ovs, err := s.expire(ctx, p, urn, now)
	if err != nil {
		return nil, fmt.Errorf("assess under %s: %w", p.Name(), err)
	}
	opts.Overrides = ovs
	b, err := p.Bind(recs)
	if err != nil {
		return nil, fmt.Errorf("assess under %s: %w", p.Name(), err)
	}
	as, err := p.EvaluateBatch(ctx, b, opts)
	if err != nil {
		return nil, fmt.Errorf("assess under %s: %w", p.Name(), err)
	}
	var audit []AuditEntry
	for _, a := range as {
		if a.Previous != "" && a.Previous != a.Level {
			audit = append(audit, AuditEntry{At: now, Actor: "policy:" + p.Name(), Action: AuditLevelChanged, Policy: p.Name(), URN: a.URN,
				From: a.Previous, To: a.Level, Reason: reason(a)})
		}
	}
	if batch != nil {
		if err := batch.PutAssessments(ctx, as, audit...); err != nil {
			return nil, fmt.Errorf("assess under %s: %w", p.Name(), err)
		}
	} else {
		for _, a := range as {
			if err := s.store.PutAssessment(ctx, a); err != nil {
				return nil, fmt.Errorf("assess %d under %s: %w", a.URN, p.Name(), err)
			}
		}
		for _, e := range audit {
			if err := s.store.AppendAudit(ctx, e); err != nil {
				return nil, fmt.Errorf("assess %d under %s: audit: %w", e.URN, p.Name(), err)
			}
		}
	}
	s.log.Info("assessed", "policy", p.Name(), "schools", len(as), "changed", len(audit))
	// The evaluator shares each level's actions and powers with the
	// compiled policy (the rest of an assessment is its own); the
	// Service's callers get their own copies of those, so changing an
	// assessment cannot change the policy other callers use.
	for _, a := range as {
		a.Actions, a.Keeps, a.Withdraws = slices.Clone(a.Actions), slices.Clone(a.Keeps), slices.Clone(a.Withdraws)
	}
	return as, nil
}

// reason summarises why an assessment has its level.
func reason(a *Assessment) string {
	switch {
	case a.Override != nil:
		return "override " + string(a.Override.ID) + " by " + a.Override.By + ": " + a.Override.Reason
	case a.Held != "":
		return a.Held
	case len(a.Fired) > 0:
		var names []string
		for _, f := range a.Fired {
			names = append(names, f.Rule)
		}
		return "fired " + strings.Join(names, ", ")
	}
	return "no rule fired"
}

// Override records a professional judgement that sets a school's level
// under p until o.Expires. o needs URN, Level (a level of p), By, Reason and
// Expires; the service sets ID, Policy and At (now) and clears Ended. An
// override overlapping one in force for the same school is refused unless
// o.Supersedes names it: a conflicting judgement is a decision, not an
// accident. When it does, the superseded override ends at now, and the
// audit records the supersession with both authors before the new
// override. Expiries not yet in the audit are recorded first.
//
// It returns an error wrapping ErrInvalid for a missing field, an unknown
// level or an expiry not after now; ErrConflict for an overlap with an
// override in force that o does not supersede, or a Supersedes naming an
// override no longer in force; ErrNotFound for a Supersedes naming no
// override of the school under p.
func (s *Service) Override(ctx context.Context, p *Policy, o Override) (Override, error) {
	o.Policy = p.Name()
	o.At = s.clock()
	o.Ended, o.EndedHow = time.Time{}, EndNone
	if o.URN <= 0 {
		return Override{}, fmt.Errorf("override: %w: urn: no school", ErrInvalid)
	}
	if p.level(o.Level) == nil {
		return Override{}, fmt.Errorf("override %d under %s: %w: level: unknown level %q", o.URN, p.Name(), ErrInvalid, o.Level)
	}
	if msg := o.check(); msg != "" {
		return Override{}, fmt.Errorf("override %d under %s: %w: %s", o.URN, p.Name(), ErrInvalid, msg)
	}
	ovs, err := s.expire(ctx, p, o.URN, o.At)
	if err != nil {
		return Override{}, fmt.Errorf("override %d under %s: %w", o.URN, p.Name(), err)
	}
	var old *Override
	if o.Supersedes != "" {
		i := slices.IndexFunc(ovs, func(x Override) bool { return x.ID == o.Supersedes })
		if i < 0 {
			return Override{}, fmt.Errorf("override %d under %s: supersedes: %w: school %d has no override %s", o.URN, p.Name(), ErrNotFound, o.URN, o.Supersedes)
		}
		old = &ovs[i]
	}
	o.ID = OverrideID(fmt.Sprintf("ovr-%d-%d", o.At.UnixNano(), s.seq.Add(1)))
	if err := s.store.PutOverride(ctx, o); err != nil {
		return Override{}, fmt.Errorf("override %d under %s: %w", o.URN, p.Name(), err)
	}
	var entries []AuditEntry
	if old != nil {
		entries = append(entries, AuditEntry{At: o.At, Actor: o.By, Action: AuditOverrideSuperseded, Policy: o.Policy, URN: o.URN,
			Override: old.ID, Author: old.By, Related: o.ID, From: old.Level, To: o.Level, Reason: o.Reason})
	}
	entries = append(entries, AuditEntry{At: o.At, Actor: o.By, Action: AuditOverrideSet, Policy: o.Policy, URN: o.URN, Override: o.ID,
		Related: o.Supersedes, To: o.Level, Reason: o.Reason})
	for _, e := range entries {
		if err := s.store.AppendAudit(ctx, e); err != nil {
			return Override{}, fmt.Errorf("override %s: audit: %w", o.ID, err)
		}
	}
	s.log.Info("override", "id", o.ID, "urn", o.URN, "level", o.Level, "by", o.By, "expires", o.Expires, "supersedes", o.Supersedes)
	return o, nil
}

// EndOverride withdraws an override before it expires, recording who and
// why. It returns an error wrapping ErrNotFound for an unknown override,
// ErrConflict for one that has already ended (withdrawn, superseded, or
// expired: an expired override cannot be withdrawn, and its expiry is what
// the audit records) and ErrInvalid without who or why.
func (s *Service) EndOverride(ctx context.Context, p *Policy, id OverrideID, by, why string) error {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(why) == "" {
		return fmt.Errorf("end override %s: %w: by, why: say who and why", id, ErrInvalid)
	}
	now := s.clock()
	ovs, err := s.expire(ctx, p, 0, now)
	if err != nil {
		return fmt.Errorf("end override %s: %w", id, err)
	}
	i := slices.IndexFunc(ovs, func(o Override) bool { return o.ID == id })
	if i < 0 {
		return fmt.Errorf("end override %s under %s: %w", id, p.Name(), ErrNotFound)
	}
	found := ovs[i]
	if !found.Ended.IsZero() {
		return fmt.Errorf("end override %s: %w: already %s at %s", id, ErrConflict, found.EndedHow, found.Ended.Format(time.RFC3339))
	}
	if err := s.store.EndOverride(ctx, id, now, EndWithdrawn); err != nil {
		return fmt.Errorf("end override %s: %w", id, err)
	}
	e := AuditEntry{At: now, Actor: by, Action: AuditOverrideEnded, Policy: p.Name(), URN: found.URN, Override: id,
		Author: found.By, From: found.Level, Reason: why}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("end override %s: audit: %w", id, err)
	}
	return nil
}

// RecordExpiries records in the store and the audit trail every override
// under p that has reached its expiry by now and is not yet recorded as
// ended, and returns how many it recorded. The Service also does this
// before every assessment and every override change, so an expiry reaches
// the audit at the latest when it first matters.
func (s *Service) RecordExpiries(ctx context.Context, p *Policy) (int, error) {
	ovs, err := s.store.Overrides(ctx, p.Name(), 0)
	if err != nil {
		return 0, fmt.Errorf("record expiries under %s: %w", p.Name(), err)
	}
	n, err := s.recordExpiries(ctx, ovs, s.clock())
	if err != nil {
		return n, fmt.Errorf("record expiries under %s: %w", p.Name(), err)
	}
	return n, nil
}

// expire loads the policy's overrides of urn (every school when 0),
// records the expiries due by now and returns the overrides as they stand.
func (s *Service) expire(ctx context.Context, p *Policy, urn partnership.URN, now time.Time) ([]Override, error) {
	ovs, err := s.store.Overrides(ctx, p.Name(), urn)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	if _, err := s.recordExpiries(ctx, ovs, now); err != nil {
		return nil, err
	}
	return ovs, nil
}

// recordExpiries ends, as expired, each live override of ovs whose expiry
// is not after now, updating ovs, and audits each. Another Service may
// record one first: the store's ErrConflict says so, and it is skipped.
func (s *Service) recordExpiries(ctx context.Context, ovs []Override, now time.Time) (int, error) {
	n := 0
	for i := range ovs {
		o := &ovs[i]
		if !o.Ended.IsZero() || o.Expires.After(now) {
			continue
		}
		err := s.store.EndOverride(ctx, o.ID, o.Expires, EndExpired)
		switch {
		case errors.Is(err, ErrConflict):
			continue
		case err != nil:
			return n, fmt.Errorf("expiry of override %s: %w", o.ID, err)
		}
		o.Ended, o.EndedHow = o.Expires, EndExpired
		e := AuditEntry{At: o.Expires, Actor: "expiry", Action: AuditOverrideExpired, Policy: o.Policy, URN: o.URN, Override: o.ID,
			Author: o.By, From: o.Level, Reason: "expired as set at " + o.At.Format(time.RFC3339)}
		if err := s.store.AppendAudit(ctx, e); err != nil {
			return n, fmt.Errorf("expiry of override %s: audit: %w", o.ID, err)
		}
		n++
	}
	return n, nil
}

// History returns the school's assessments under the policy, newest first.
func (s *Service) History(ctx context.Context, p *Policy, urn partnership.URN) iter.Seq2[*Assessment, error] {
	return func(yield func(*Assessment, error) bool) {
		cursor := ""
		for {
			page, next, err := s.store.Assessments(ctx, p.Name(), urn, cursor, 100)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, a := range page {
				if !yield(a, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			cursor = next
		}
	}
}

// Audit returns the audit trail, oldest first.
func (s *Service) Audit(ctx context.Context) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		cursor := ""
		for {
			page, next, err := s.store.Audit(ctx, cursor, 500)
			if err != nil {
				yield(AuditEntry{}, err)
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			cursor = next
		}
	}
}
