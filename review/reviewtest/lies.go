package reviewtest

import (
	"context"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/lies"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

type liesFixture struct {
	svc   *review.Service
	store review.Store
}

const (
	liesSchool partnership.URN = 100001
	liesReview review.ReviewID = "c/100001"
)

// RunLies tells a review Service over stores made by newStore every kind
// of lie a caller can tell (a foreign ID, a duplicate, an out-of-range
// value, a conflicting instruction; a review has no capacity to inflate)
// and checks that each is refused with its typed error and leaves the
// store, audit trail included, as it was, one at a time and all at once.
func RunLies(t *testing.T, newStore func(t *testing.T) review.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	month := func(n int) time.Time { return now.AddDate(0, n, 0) }
	school := review.Reader{Org: liesSchool.OrgID()}
	team := []review.TeamMember{{Reviewer: "lead", Home: 100002, Lead: true}, {Reviewer: "peer", Home: 100003}}
	setup := func(t *testing.T) *liesFixture {
		s := newStore(t)
		svc, err := review.NewService(s, nil, &review.Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(svc.CreateProgramme(ctx, review.Programme{ID: "p", Name: "Alliance", Lead: "alliance:x", Framework: review.FrameworkPeerReview}))
		must(svc.CreateCycle(ctx, review.Cycle{ID: "c", Programme: "p", Period: partnership.Period{From: now, To: month(12)}}))
		_, err = svc.OpenReview(ctx, "c", liesSchool, "", []review.Deadline{{Stage: review.StageVisit, Due: month(2)}, {Stage: review.StageFollowUp, Due: month(9)}})
		must(err)
		_, err = svc.RecordSelfEvaluation(ctx, school, liesReview, []review.Estimate{{Area: "leadership-at-all-levels", Grade: "effective"}})
		must(err)
		_, err = svc.AssignTeam(ctx, liesReview, team)
		must(err)
		_, err = svc.RecordConsent(ctx, school, review.Consent{School: liesSchool, Grantee: "gias:1"})
		must(err)
		return &liesFixture{svc: svc, store: s}
	}
	snapshot := func(t *testing.T, f *liesFixture) any {
		p, err := f.store.Programme(ctx, "p")
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.store.Cycle(ctx, "c")
		if err != nil {
			t.Fatal(err)
		}
		var rs []review.Review
		for cursor := ""; ; {
			page, next, err := f.store.ListReviews(ctx, review.ReviewQuery{}, cursor, 0)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, page...)
			if cursor = next; next == "" {
				break
			}
		}
		cs, err := f.store.Consents(ctx, liesSchool)
		if err != nil {
			t.Fatal(err)
		}
		var audit []review.AuditEntry
		for cursor := ""; ; {
			page, next, err := f.store.Audit(ctx, liesSchool, cursor, 0)
			if err != nil {
				t.Fatal(err)
			}
			audit = append(audit, page...)
			if cursor = next; next == "" {
				break
			}
		}
		return []any{p, c, rs, cs, audit}
	}
	type F = *liesFixture
	open := func(cycle review.CycleID, u partnership.URN, ds ...review.Deadline) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.OpenReview(ctx, cycle, u, "", ds); return err }
	}
	assign := func(id review.ReviewID, team ...review.TeamMember) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.AssignTeam(ctx, id, team); return err }
	}
	consent := func(actor review.Reader, c review.Consent) func(context.Context, F) error {
		return func(ctx context.Context, f F) error { _, err := f.svc.RecordConsent(ctx, actor, c); return err }
	}
	d := func(s review.Stage, due time.Time) review.Deadline { return review.Deadline{Stage: s, Due: due} }
	lies.Run(t, setup, snapshot, []lies.Case[F]{
		lies.New(lies.ForeignID, "open a review in an unknown cycle", open("nope", 100009), review.ErrNotFound),
		lies.New(lies.ForeignID, "a cycle of an unknown programme", func(ctx context.Context, f F) error {
			return f.svc.CreateCycle(ctx, review.Cycle{ID: "c2", Programme: "nope", Period: partnership.Period{From: now, To: month(12)}})
		}, review.ErrNotFound),
		lies.New(lies.ForeignID, "a programme on an unknown framework", func(ctx context.Context, f F) error {
			return f.svc.CreateProgramme(ctx, review.Programme{ID: "p2", Lead: "alliance:x", Framework: "nope"})
		}, review.ErrNotFound),
		lies.New(lies.ForeignID, "assign a team to an unknown review", assign("c/999999", team...), review.ErrNotFound),
		lies.New(lies.ForeignID, "overdue in an unknown cycle", func(ctx context.Context, f F) error { _, err := f.svc.Overdue(ctx, "nope", now); return err }, review.ErrNotFound),
		lies.New(lies.ForeignID, "revoke an unknown consent", func(ctx context.Context, f F) error {
			return f.svc.RevokeConsent(ctx, school, liesSchool, "nope")
		}, review.ErrNotFound),
		lies.New(lies.Conflicting, "findings before the visit", func(ctx context.Context, f F) error {
			_, err := f.svc.AgreeFindings(ctx, liesReview, review.Findings{Estimates: []review.Estimate{{Area: "nope", Grade: "effective"}}})
			return err
		}, review.ErrTransition),
		lies.New(lies.Duplicate, "open the same review twice", open("c", liesSchool), review.ErrConflict),
		lies.New(lies.Duplicate, "the same programme twice", func(ctx context.Context, f F) error {
			return f.svc.CreateProgramme(ctx, review.Programme{ID: "p", Lead: "alliance:y", Framework: review.FrameworkEnquiry})
		}, review.ErrConflict),
		lies.New(lies.Duplicate, "a reviewer twice on a team", assign(liesReview, team[0], team[1], team[1]), review.ErrInvalid),
		lies.New(lies.Duplicate, "two deadlines for one stage", open("c", 100009, d(review.StageVisit, month(2)), d(review.StageVisit, month(3))), review.ErrInvalid),
		lies.New(lies.OutOfRange, "a deadline in the past", open("c", 100009, d(review.StageVisit, month(-1))), review.ErrInvalid),
		lies.New(lies.OutOfRange, "a deadline for the closed stage", open("c", 100009, d(review.StageClosed, month(2))), review.ErrInvalid),
		lies.New(lies.OutOfRange, "no school", open("c", 0), review.ErrInvalid),
		lies.New(lies.OutOfRange, "a consent to an unknown part", consent(school, review.Consent{School: liesSchool, Grantee: "gias:2", Parts: []review.Part{99}}), review.ErrInvalid),
		lies.New(lies.OutOfRange, "a cycle that ends before it starts", func(ctx context.Context, f F) error {
			return f.svc.CreateCycle(ctx, review.Cycle{ID: "c3", Programme: "p", Period: partnership.Period{From: month(12), To: now}})
		}, review.ErrInvalid),
		lies.New(lies.Conflicting, "deadlines out of stage order", open("c", 100009, d(review.StagePlanning, month(3)), d(review.StageVisit, month(2))), review.ErrInvalid),
		lies.New(lies.Conflicting, "two leads", assign(liesReview, review.TeamMember{Reviewer: "a", Home: 100002, Lead: true}, review.TeamMember{Reviewer: "b", Home: 100003, Lead: true}), review.ErrInvalid),
		lies.New(lies.Conflicting, "a reviewer from the school itself", assign(liesReview, review.TeamMember{Reviewer: "a", Home: liesSchool, Lead: true}), review.ErrInvalid),
		lies.New(lies.Conflicting, "a report before the visit", func(ctx context.Context, f F) error { _, err := f.svc.IssueReport(ctx, liesReview); return err }, review.ErrTransition),
		lies.New(lies.Conflicting, "a second self-evaluation", func(ctx context.Context, f F) error {
			_, err := f.svc.RecordSelfEvaluation(ctx, school, liesReview, nil)
			return err
		}, review.ErrTransition),
		lies.New(lies.Conflicting, "a consent recorded by someone else", consent(review.Reader{Org: "gias:2"}, review.Consent{School: liesSchool, Grantee: "gias:2"}), review.ErrForbidden),
	})
}
