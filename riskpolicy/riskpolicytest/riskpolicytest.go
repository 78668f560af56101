// Package riskpolicytest checks that an implementation of riskpolicy.Store
// keeps the contracts the riskpolicy package documents, so that a store
// written for another database needs no tests of its own for them:
//
//	func TestMyStore(t *testing.T) {
//		riskpolicytest.Run(t, func(t *testing.T) riskpolicy.Store { return mystore.New(t.TempDir()) })
//	}
//
// It uses only the exported API.
package riskpolicytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// Run runs the conformance tests, each on a fresh empty store from
// newStore.
func Run(t *testing.T, newStore func(t *testing.T) riskpolicy.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s riskpolicy.Store)
	}{
		{"AssessmentRoundTrip", testAssessmentRoundTrip},
		{"AssessmentNotFound", testAssessmentNotFound},
		{"AssessmentConflict", testAssessmentConflict},
		{"AssessmentsNewestFirstAndPaged", testAssessmentsPaged},
		{"AssessmentCopies", testAssessmentCopies},
		{"Overrides", testOverrides},
		{"EndOverride", testEndOverride},
		{"OverrideOverlapRefused", testOverrideOverlap},
		{"OverrideSupersedes", testOverrideSupersedes},
		{"OverrideConcurrentOverlap", testOverrideConcurrent},
		{"AuditAppendAndPages", testAudit},
		{"OverridesTiesByID", testOverridesTies},
		{"EmptyResults", testEmptyResults},
		{"LongText", testLongText},
		{"InstantsAcrossZones", testInstants},
		{"CancelledContext", testCancelled},
		{"Concurrent", testConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var t0 = time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

func assessment(urn partnership.URN, at time.Time, level string) *riskpolicy.Assessment {
	return &riskpolicy.Assessment{
		Policy: "p", URN: urn, At: at, Level: level, Computed: level, Period: at.Format("2006-01"),
		Fired:   []riskpolicy.Firing{{Rule: "r", Level: level, Values: []riskpolicy.Observation{{Name: "x", Value: "1"}}}},
		Actions: []riskpolicy.Action{{ID: "a", Text: "act"}}, Keeps: []string{"k"}, Review: riskpolicy.CadenceMonthly,
	}
}

func testAssessmentRoundTrip(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	must(t, s.PutAssessment(ctx, assessment(1, t0, "a")))
	must(t, s.PutAssessment(ctx, assessment(1, t0.Add(48*time.Hour), "b")))
	must(t, s.PutAssessment(ctx, assessment(1, t0.Add(24*time.Hour), "c"))) // out of order
	must(t, s.PutAssessment(ctx, assessment(2, t0, "z")))
	got, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if got.Level != "b" || !got.At.Equal(t0.Add(48*time.Hour)) {
		t.Fatalf("latest = %s at %v, want b at %v", got.Level, got.At, t0.Add(48*time.Hour))
	}
	if len(got.Fired) != 1 || got.Fired[0].Values[0].Value != "1" || got.Review != riskpolicy.CadenceMonthly || got.Keeps[0] != "k" {
		t.Fatalf("assessment not kept whole: %+v", got)
	}
}

func testAssessmentNotFound(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	if _, err := s.LatestAssessment(ctx, "p", 9); !errors.Is(err, riskpolicy.ErrNotFound) {
		t.Fatalf("LatestAssessment of nothing: %v, want ErrNotFound", err)
	}
	must(t, s.PutAssessment(ctx, assessment(9, t0, "a")))
	if _, err := s.LatestAssessment(ctx, "other", 9); !errors.Is(err, riskpolicy.ErrNotFound) {
		t.Fatalf("LatestAssessment under another policy: %v, want ErrNotFound", err)
	}
	page, next, err := s.Assessments(ctx, "p", 10, "", 10)
	must(t, err)
	if len(page) != 0 || next != "" {
		t.Fatalf("Assessments of nothing = %d, %q; want empty", len(page), next)
	}
}

func testAssessmentConflict(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	must(t, s.PutAssessment(ctx, assessment(1, t0, "a")))
	if err := s.PutAssessment(ctx, assessment(1, t0, "b")); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("second assessment at the same time: %v, want ErrConflict", err)
	}
	got, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if got.Level != "a" {
		t.Fatalf("conflicting put changed the stored assessment to %s", got.Level)
	}
}

func testAssessmentsPaged(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	const n = 7
	for i := range n {
		must(t, s.PutAssessment(ctx, assessment(1, t0.Add(time.Duration(i)*time.Hour), fmt.Sprint(i))))
	}
	var levels []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > n {
			t.Fatal("paging does not end")
		}
		page, next, err := s.Assessments(ctx, "p", 1, cursor, 3)
		must(t, err)
		if len(page) > 3 {
			t.Fatalf("page of %d, limit 3", len(page))
		}
		for _, a := range page {
			levels = append(levels, a.Level)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(levels) != "[6 5 4 3 2 1 0]" {
		t.Fatalf("assessments = %v, want newest first [6 5 4 3 2 1 0]", levels)
	}
}

func testAssessmentCopies(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	a := assessment(1, t0, "a")
	must(t, s.PutAssessment(ctx, a))
	a.Level = "changed"
	a.Fired[0].Values[0].Value = "changed"
	got, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if got.Level != "a" || got.Fired[0].Values[0].Value != "1" {
		t.Fatal("the store kept the caller's assessment, not a copy")
	}
	got.Fired[0].Rule = "changed"
	again, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if again.Fired[0].Rule != "r" {
		t.Fatal("the store returned its own assessment, not a copy")
	}
}

func override(id string, urn partnership.URN, at time.Time) riskpolicy.Override {
	return riskpolicy.Override{ID: riskpolicy.OverrideID(id), Policy: "p", URN: urn, Level: "high", By: "CEO",
		Reason: "judgement", At: at, Expires: at.Add(90 * 24 * time.Hour)}
}

func testOverrides(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	got, err := s.Overrides(ctx, "p", 1)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("overrides of an empty store: %v", got)
	}
	// School 1's overrides follow one another without overlapping.
	day := 24 * time.Hour
	b := override("b", 1, t0.Add(20*day))
	a := override("a", 1, t0.Add(10*day))
	c := override("c", 1, t0)
	c.Expires, a.Expires = t0.Add(10*day), t0.Add(20*day)
	must(t, s.PutOverride(ctx, b))
	must(t, s.PutOverride(ctx, a))
	must(t, s.PutOverride(ctx, c))
	must(t, s.PutOverride(ctx, override("d", 2, t0)))
	o := override("e", 1, t0)
	o.Policy = "other"
	must(t, s.PutOverride(ctx, o))
	dup := override("a", 3, t0)
	if err := s.PutOverride(ctx, dup); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("duplicate override ID: %v, want ErrConflict", err)
	}
	got, err = s.Overrides(ctx, "p", 1)
	must(t, err)
	if ids(got) != "[c a b]" {
		t.Fatalf("overrides of school 1 = %s, want [c a b] (by At, then ID)", ids(got))
	}
	if got[2].By != "CEO" || got[2].Reason != "judgement" || !got[2].Expires.Equal(t0.Add(110*day)) {
		t.Fatalf("override not kept whole: %+v", got[2])
	}
	all, err := s.Overrides(ctx, "p", 0)
	must(t, err)
	if ids(all) != "[c d a b]" {
		t.Fatalf("overrides of every school = %s, want [c d a b]", ids(all))
	}
}

func ids(os []riskpolicy.Override) string {
	var s []string
	for _, o := range os {
		s = append(s, string(o.ID))
	}
	return fmt.Sprint(s)
}

func testEndOverride(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	must(t, s.PutOverride(ctx, override("a", 1, t0)))
	end := t0.Add(24 * time.Hour)
	if err := s.EndOverride(ctx, "a", end, riskpolicy.EndSuperseded); !errors.Is(err, riskpolicy.ErrInvalid) {
		t.Fatalf("ending as superseded (only PutOverride supersedes): %v, want ErrInvalid", err)
	}
	if err := s.EndOverride(ctx, "a", end, riskpolicy.EndExpired); !errors.Is(err, riskpolicy.ErrInvalid) {
		t.Fatalf("expiring before the expiry: %v, want ErrInvalid", err)
	}
	must(t, s.EndOverride(ctx, "a", end, riskpolicy.EndWithdrawn))
	if err := s.EndOverride(ctx, "a", end, riskpolicy.EndWithdrawn); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("ending twice: %v, want ErrConflict", err)
	}
	if err := s.EndOverride(ctx, "nope", end, riskpolicy.EndWithdrawn); !errors.Is(err, riskpolicy.ErrNotFound) {
		t.Fatalf("ending an unknown override: %v, want ErrNotFound", err)
	}
	got, err := s.Overrides(ctx, "p", 1)
	must(t, err)
	if len(got) != 1 || !got[0].Ended.Equal(end) || got[0].EndedHow != riskpolicy.EndWithdrawn {
		t.Fatalf("ended override = %+v, want Ended %v, withdrawn", got, end)
	}

	// An override past its expiry cannot be withdrawn; its expiry is
	// recorded at Expires, once.
	b := override("b", 2, t0)
	must(t, s.PutOverride(ctx, b))
	if err := s.EndOverride(ctx, "b", b.Expires.Add(time.Hour), riskpolicy.EndWithdrawn); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("withdrawing an expired override: %v, want ErrConflict", err)
	}
	must(t, s.EndOverride(ctx, "b", b.Expires, riskpolicy.EndExpired))
	if err := s.EndOverride(ctx, "b", b.Expires, riskpolicy.EndExpired); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("recording an expiry twice: %v, want ErrConflict", err)
	}
	got, err = s.Overrides(ctx, "p", 2)
	must(t, err)
	if len(got) != 1 || !got[0].Ended.Equal(b.Expires) || got[0].EndedHow != riskpolicy.EndExpired {
		t.Fatalf("expired override = %+v, want Ended at its expiry, expired", got)
	}
}

func testOverrideOverlap(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	first := override("first", 1, t0)
	must(t, s.PutOverride(ctx, first))
	for _, tc := range []struct {
		name string
		o    riskpolicy.Override
	}{
		{"same period", override("x", 1, t0)},
		{"starts inside", override("x", 1, t0.Add(24*time.Hour))},
		{"ends inside", override("x", 1, t0.Add(-24*time.Hour))},
		{"supersedes another school's", func() riskpolicy.Override {
			o := override("x", 1, t0.Add(time.Hour))
			o.Supersedes = "other-school"
			return o
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.o.Supersedes != "" {
				must(t, s.PutOverride(ctx, override("other-school", 2, t0)))
			}
			before, err := s.Overrides(ctx, "p", 0)
			must(t, err)
			err = s.PutOverride(ctx, tc.o)
			want := riskpolicy.ErrConflict
			if tc.o.Supersedes != "" {
				want = riskpolicy.ErrNotFound
			}
			if !errors.Is(err, want) {
				t.Fatalf("PutOverride overlapping %s: %v, want %v", first.ID, err, want)
			}
			after, err := s.Overrides(ctx, "p", 0)
			must(t, err)
			if ids(after) != ids(before) || !after[0].Ended.IsZero() {
				t.Fatalf("a refused PutOverride changed the store: %s, then %s %+v", ids(before), ids(after), after[0])
			}
		})
	}
	// Another policy, another school, or a period after the first's expiry
	// or after its early end does not overlap.
	other := override("other-policy", 1, t0)
	other.Policy = "q"
	must(t, s.PutOverride(ctx, other))
	must(t, s.PutOverride(ctx, override("later", 1, first.Expires)))
	must(t, s.PutOverride(ctx, override("school-3", 3, t0)))
	must(t, s.EndOverride(ctx, "school-3", t0.Add(time.Hour), riskpolicy.EndWithdrawn))
	must(t, s.PutOverride(ctx, override("after-end", 3, t0.Add(2*time.Hour))))
}

func testOverrideSupersedes(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	first := override("first", 1, t0)
	must(t, s.PutOverride(ctx, first))
	next := override("next", 1, t0.Add(24*time.Hour))
	next.Supersedes, next.By = "first", "director"
	must(t, s.PutOverride(ctx, next))
	got, err := s.Overrides(ctx, "p", 1)
	must(t, err)
	if ids(got) != "[first next]" || !got[0].Ended.Equal(next.At) || got[0].EndedHow != riskpolicy.EndSuperseded ||
		got[1].Supersedes != "first" || !got[1].Ended.IsZero() {
		t.Fatalf("after superseding: %+v, want first ended at %v as superseded, next live naming it", got, next.At)
	}
	again := override("again", 1, t0.Add(48*time.Hour))
	again.Supersedes = "first"
	if err := s.PutOverride(ctx, again); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("superseding an override already superseded: %v, want ErrConflict", err)
	}
	missing := override("missing", 1, t0.Add(48*time.Hour))
	missing.Supersedes = "nope"
	if err := s.PutOverride(ctx, missing); !errors.Is(err, riskpolicy.ErrNotFound) {
		t.Fatalf("superseding an unknown override: %v, want ErrNotFound", err)
	}
	got2, err := s.Overrides(ctx, "p", 1)
	must(t, err)
	if fmt.Sprint(got2) != fmt.Sprint(got) {
		t.Fatalf("refused supersessions changed the store:\n%+v\n%+v", got, got2)
	}
}

func testOverrideConcurrent(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	must(t, s.PutOverride(ctx, override("first", 1, t0)))
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := override(fmt.Sprintf("o%d", w), 1+partnership.URN(w%2), t0.Add(time.Hour))
			if w%2 == 0 {
				o.Supersedes = "first" // eight try to supersede the same override
			}
			errs[w] = s.PutOverride(ctx, o)
		}()
	}
	wg.Wait()
	won := [2]int{}
	for w, err := range errs {
		switch {
		case err == nil:
			won[w%2]++
		case !errors.Is(err, riskpolicy.ErrConflict):
			t.Errorf("losing PutOverride: %v, want ErrConflict", err)
		}
	}
	if won != [2]int{1, 1} {
		t.Fatalf("concurrent overlapping overrides stored %v (superseding school 1, new for school 2), want one each", won)
	}
	for _, urn := range []partnership.URN{1, 2} {
		got, err := s.Overrides(ctx, "p", urn)
		must(t, err)
		live := 0
		for _, o := range got {
			if o.Ended.IsZero() {
				live++
			}
		}
		if live != 1 {
			t.Errorf("school %d has %d live overrides, want 1", urn, live)
		}
	}
}

func testAudit(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	page, next, err := s.Audit(ctx, "", 10)
	must(t, err)
	if len(page) != 0 || next != "" {
		t.Fatalf("audit of an empty store = %v, %q", page, next)
	}
	for i := range 5 {
		must(t, s.AppendAudit(ctx, riskpolicy.AuditEntry{At: t0, Actor: fmt.Sprint(i), Action: riskpolicy.AuditOverrideSet, Policy: "p"}))
	}
	var actors []string
	var seqs []int64
	cursor := ""
	for range 10 {
		page, next, err := s.Audit(ctx, cursor, 2)
		must(t, err)
		for _, e := range page {
			actors = append(actors, e.Actor)
			seqs = append(seqs, e.Seq)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(actors) != "[0 1 2 3 4]" || fmt.Sprint(seqs) != "[1 2 3 4 5]" {
		t.Fatalf("audit = %v seq %v, want [0 1 2 3 4] seq [1 2 3 4 5]", actors, seqs)
	}
}

func testCancelled(t *testing.T, s riskpolicy.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.PutAssessment(ctx, assessment(1, t0, "a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("PutAssessment with a cancelled context: %v", err)
	}
	if _, err := s.Overrides(ctx, "p", 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Overrides with a cancelled context: %v", err)
	}
	if err := s.AppendAudit(ctx, riskpolicy.AuditEntry{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("AppendAudit with a cancelled context: %v", err)
	}
	// Reads too, of records that exist: a store that ignores ctx would
	// find them.
	bg := context.Background()
	if err := s.PutAssessment(bg, assessment(1, t0, "a")); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendAudit(bg, riskpolicy.AuditEntry{At: t0, Actor: "a", Action: riskpolicy.AuditLevelChanged, Policy: "p"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LatestAssessment(ctx, "p", 1); !errors.Is(err, context.Canceled) {
		t.Errorf("LatestAssessment with a cancelled context: %v", err)
	}
	if _, _, err := s.Assessments(ctx, "p", 1, "", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Assessments with a cancelled context: %v", err)
	}
	if _, _, err := s.Audit(ctx, "", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Audit with a cancelled context: %v", err)
	}
}

func testConcurrent(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if err := s.PutAssessment(ctx, assessment(partnership.URN(g+1), t0.Add(time.Duration(i)*time.Minute), "a")); err != nil {
					errs <- err
					return
				}
				if _, err := s.LatestAssessment(ctx, "p", partnership.URN(g+1)); err != nil {
					errs <- err
					return
				}
				if err := s.AppendAudit(ctx, riskpolicy.AuditEntry{Actor: "x"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	cursor := ""
	for {
		page, next, err := s.Audit(ctx, cursor, 50)
		must(t, err)
		n += len(page)
		if next == "" {
			break
		}
		cursor = next
	}
	if n != 160 {
		t.Fatalf("audit has %d entries after 160 concurrent appends", n)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
