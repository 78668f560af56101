package riskpolicy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
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
	var recs []Record
	for r, err := range All(ctx, src) {
		if err != nil {
			return nil, fmt.Errorf("assess all under %s: %w", p.Name(), err)
		}
		recs = append(recs, r)
	}
	return s.assess(ctx, p, recs)
}

func (s *Service) assess(ctx context.Context, p *Policy, recs []Record) ([]*Assessment, error) {
	now := s.clock()
	opts := &EvalOptions{At: now, Previous: map[partnership.URN]*Assessment{}}
	for _, r := range recs {
		a, err := s.store.LatestAssessment(ctx, p.Name(), r.URN)
		switch {
		case err == nil:
			opts.Previous[r.URN] = a
		case !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("assess under %s: previous assessment of %d: %w", p.Name(), r.URN, err)
		}
	}
	var urn partnership.URN
	if len(recs) == 1 {
		urn = recs[0].URN
	}
	ovs, err := s.store.Overrides(ctx, p.Name(), urn)
	if err != nil {
		return nil, fmt.Errorf("assess under %s: overrides: %w", p.Name(), err)
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
	changed := 0
	for _, a := range as {
		if err := s.store.PutAssessment(ctx, a); err != nil {
			return nil, fmt.Errorf("assess %d under %s: %w", a.URN, p.Name(), err)
		}
		if a.Previous != "" && a.Previous != a.Level {
			changed++
			e := AuditEntry{At: now, Actor: "policy:" + p.Name(), Action: AuditLevelChanged, Policy: p.Name(), URN: a.URN,
				From: a.Previous, To: a.Level, Reason: reason(a)}
			if err := s.store.AppendAudit(ctx, e); err != nil {
				return nil, fmt.Errorf("assess %d under %s: audit: %w", a.URN, p.Name(), err)
			}
		}
	}
	s.log.Info("assessed", "policy", p.Name(), "schools", len(as), "changed", changed)
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
// Expires; the service sets ID, Policy and At (now). It returns an error
// wrapping ErrInvalid for a missing field, an unknown level or an expiry
// not after now.
func (s *Service) Override(ctx context.Context, p *Policy, o Override) (Override, error) {
	o.Policy = p.Name()
	o.At = s.clock()
	if o.URN <= 0 {
		return Override{}, fmt.Errorf("override: %w: no school", ErrInvalid)
	}
	if p.Level(o.Level) == nil {
		return Override{}, fmt.Errorf("override %d under %s: %w: unknown level %q", o.URN, p.Name(), ErrInvalid, o.Level)
	}
	if msg := o.check(); msg != "" {
		return Override{}, fmt.Errorf("override %d under %s: %w: %s", o.URN, p.Name(), ErrInvalid, msg)
	}
	o.ID = OverrideID(fmt.Sprintf("ovr-%d-%d", o.At.UnixNano(), s.seq.Add(1)))
	o.Ended = time.Time{}
	if err := s.store.PutOverride(ctx, o); err != nil {
		return Override{}, fmt.Errorf("override %d under %s: %w", o.URN, p.Name(), err)
	}
	e := AuditEntry{At: o.At, Actor: o.By, Action: AuditOverrideSet, Policy: o.Policy, URN: o.URN, Override: o.ID, To: o.Level,
		Reason: o.Reason}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return Override{}, fmt.Errorf("override %s: audit: %w", o.ID, err)
	}
	s.log.Info("override", "id", o.ID, "urn", o.URN, "level", o.Level, "by", o.By, "expires", o.Expires)
	return o, nil
}

// EndOverride withdraws an override before it expires, recording who and
// why. It returns an error wrapping ErrNotFound for an unknown override,
// ErrConflict for one already ended and ErrInvalid without a reason.
func (s *Service) EndOverride(ctx context.Context, p *Policy, id OverrideID, by, why string) error {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(why) == "" {
		return fmt.Errorf("end override %s: %w: say who and why", id, ErrInvalid)
	}
	var found *Override
	ovs, err := s.store.Overrides(ctx, p.Name(), 0)
	if err != nil {
		return fmt.Errorf("end override %s: %w", id, err)
	}
	for i := range ovs {
		if ovs[i].ID == id {
			found = &ovs[i]
		}
	}
	if found == nil {
		return fmt.Errorf("end override %s under %s: %w", id, p.Name(), ErrNotFound)
	}
	now := s.clock()
	if err := s.store.EndOverride(ctx, id, now); err != nil {
		return fmt.Errorf("end override %s: %w", id, err)
	}
	e := AuditEntry{At: now, Actor: by, Action: AuditOverrideEnded, Policy: p.Name(), URN: found.URN, Override: id,
		From: found.Level, Reason: why}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("end override %s: audit: %w", id, err)
	}
	return nil
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
