package riskpolicytest

import (
	"context"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/lies"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const liesPolicy = `
policy: lies
indicators:
  attendance: {type: percentage, source: MIS}
levels:
  - name: none
  - name: watch
  - name: at_risk
rules:
  - name: low_attendance
    when: attendance < 90.0
    level: watch
`

type liesFixture struct {
	svc   *riskpolicy.Service
	store riskpolicy.Store
	p     *riskpolicy.Policy
	// inForce, withdrawn and expired are overrides of school 1 and 2.
	inForce, withdrawn, expired, other riskpolicy.OverrideID
}

// RunLies tells a riskpolicy Service over stores made by newStore every
// kind of lie a caller can tell about overrides (a foreign ID, a
// duplicate, an out-of-range value, a conflicting instruction, a stale
// belief that an override is still in force) and checks that each is
// refused with its typed error and leaves the store, audit trail included,
// as it was, one at a time and all at once.
func RunLies(t *testing.T, newStore func(t *testing.T) riskpolicy.Store) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	setup := func(t *testing.T) *liesFixture {
		p, err := riskpolicy.Compile("lies.yaml", []byte(liesPolicy))
		if err != nil {
			t.Fatal(err)
		}
		now := t0
		s := newStore(t)
		svc := riskpolicy.NewService(s, &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
		f := &liesFixture{svc: svc, store: s, p: p}
		set := func(urn partnership.URN, level string, expires time.Duration) riskpolicy.OverrideID {
			o, err := svc.Override(ctx, p, riskpolicy.Override{URN: urn, Level: level, By: "CEO", Reason: "judgement", Expires: now.Add(expires)})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		f.expired = set(1, "watch", 10*day)
		f.withdrawn = set(2, "watch", 90*day)
		must(t, svc.EndOverride(ctx, p, f.withdrawn, "CEO", "resolved"))
		now = now.Add(20 * day)
		if _, err := svc.RecordExpiries(ctx, p); err != nil {
			t.Fatal(err)
		}
		f.inForce = set(1, "at_risk", 60*day)
		f.other = set(3, "watch", 60*day)
		now = now.Add(day)
		return f
	}
	snapshot := func(t *testing.T, f *liesFixture) any {
		ovs, err := f.store.Overrides(ctx, "lies", 0)
		must(t, err)
		var audit []riskpolicy.AuditEntry
		for e, err := range f.svc.Audit(ctx) {
			must(t, err)
			audit = append(audit, e)
		}
		return []any{ovs, audit}
	}
	type F = *liesFixture
	override := func(o riskpolicy.Override, supersedes func(F) riskpolicy.OverrideID) func(context.Context, F) error {
		return func(ctx context.Context, f F) error {
			if supersedes != nil {
				o.Supersedes = supersedes(f)
			}
			if o.By == "" {
				o.By = "Director"
			}
			if o.Reason == "" {
				o.Reason = "universal support"
			}
			if o.Expires.IsZero() {
				o.Expires = t0.Add(40 * day)
			}
			_, err := f.svc.Override(ctx, f.p, o)
			return err
		}
	}
	end := func(id func(F) riskpolicy.OverrideID, why string) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { return f.svc.EndOverride(ctx, f.p, id(f), "CEO", why) }
	}
	lies.Run(t, setup, snapshot, []lies.Case[F]{
		lies.New(lies.Capacity, "withdraw an override that has expired", end(func(f F) riskpolicy.OverrideID { return f.expired }, "no longer needed"), riskpolicy.ErrConflict),
		lies.New(lies.Capacity, "supersede an override that has expired", override(riskpolicy.Override{URN: 1, Level: "none"},
			func(f F) riskpolicy.OverrideID { return f.expired }), riskpolicy.ErrConflict),
		lies.New(lies.ForeignID, "end an unknown override", end(func(F) riskpolicy.OverrideID { return "nope" }, "why"), riskpolicy.ErrNotFound),
		lies.New(lies.ForeignID, "supersede an unknown override", override(riskpolicy.Override{URN: 1, Level: "none"},
			func(F) riskpolicy.OverrideID { return "nope" }), riskpolicy.ErrNotFound),
		lies.New(lies.ForeignID, "supersede another school's override", override(riskpolicy.Override{URN: 1, Level: "none"},
			func(f F) riskpolicy.OverrideID { return f.other }), riskpolicy.ErrNotFound),
		lies.New(lies.Duplicate, "withdraw an override twice", end(func(f F) riskpolicy.OverrideID { return f.withdrawn }, "again"), riskpolicy.ErrConflict),
		lies.New(lies.Duplicate, "supersede a withdrawn override", override(riskpolicy.Override{URN: 2, Level: "none"},
			func(f F) riskpolicy.OverrideID { return f.withdrawn }), riskpolicy.ErrConflict),
		lies.New(lies.OutOfRange, "an unknown level", override(riskpolicy.Override{URN: 4, Level: "special-measures"}, nil), riskpolicy.ErrInvalid),
		lies.New(lies.OutOfRange, "no school", override(riskpolicy.Override{Level: "watch"}, nil), riskpolicy.ErrInvalid),
		lies.New(lies.OutOfRange, "an expiry in the past", override(riskpolicy.Override{URN: 4, Level: "watch", Expires: t0}, nil), riskpolicy.ErrInvalid),
		lies.New(lies.OutOfRange, "no reason to end", end(func(f F) riskpolicy.OverrideID { return f.inForce }, " "), riskpolicy.ErrInvalid),
		lies.New(lies.Conflicting, "a second override while one is in force", override(riskpolicy.Override{URN: 1, Level: "none"}, nil), riskpolicy.ErrConflict),
		lies.New(lies.Conflicting, "a second override for another in force", override(riskpolicy.Override{URN: 3, Level: "at_risk"}, nil), riskpolicy.ErrConflict),
	})
}
