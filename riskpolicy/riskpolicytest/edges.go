package riskpolicytest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// The contracts a database store must keep that the in-memory one keeps
// without trying: ties in ordering, empty results, long and non-ASCII
// text, and instants given in other zones and to the nanosecond.

// testOverridesTies: Overrides orders by At, then by ID among overrides
// with the same At.
func testOverridesTies(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	for _, o := range []riskpolicy.Override{override("c", 3, t0), override("a", 1, t0), override("0", 4, t0.Add(time.Hour)), override("b", 2, t0)} {
		must(t, s.PutOverride(ctx, o))
	}
	got, err := s.Overrides(ctx, "p", 0)
	must(t, err)
	var ids []string
	for _, o := range got {
		ids = append(ids, string(o.ID))
	}
	if strings.Join(ids, " ") != "a b c 0" {
		t.Fatalf("overrides = %v, want by At then ID: [a b c 0]", ids)
	}
}

// testEmptyResults: an empty log, and a policy or school without
// overrides or assessments, give empty results and no error.
func testEmptyResults(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	es, next, err := s.Audit(ctx, "", 10)
	if err != nil || len(es) != 0 || next != "" {
		t.Fatalf("Audit of an empty log = %d entries, %q, %v; want none, \"\", nil", len(es), next, err)
	}
	must(t, s.PutOverride(ctx, override("a", 1, t0)))
	for _, q := range []struct {
		policy string
		urn    int
	}{{"other", 0}, {"other", 1}, {"p", 2}} {
		os, err := s.Overrides(ctx, q.policy, partnership.URN(q.urn))
		if err != nil || len(os) != 0 {
			t.Fatalf("Overrides(%s, %d) = %d, %v; want none and no error", q.policy, q.urn, len(os), err)
		}
	}
	// An assessment with no firings and no actions comes back with none
	// (nil or empty alike), not an error.
	a := assessment(1, t0, "none")
	a.Fired, a.Actions, a.Keeps = nil, []riskpolicy.Action{}, nil
	must(t, s.PutAssessment(ctx, a))
	got, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if len(got.Fired) != 0 || len(got.Actions) != 0 || len(got.Keeps) != 0 {
		t.Fatalf("empty lists came back as %v, %v, %v", got.Fired, got.Actions, got.Keeps)
	}
}

// testLongText: text of any length and script is kept byte for byte (a
// reason of 64 KiB, names outside ASCII).
func testLongText(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	o := override("long-"+strings.Repeat("é", 100), 1, t0)
	o.Reason = strings.Repeat("Safeguarding concern — école Ōtautahi ✓ ", 1600)
	o.By = strings.Repeat("Ms Ní Bhriain ", 80)
	must(t, s.PutOverride(ctx, o))
	got, err := s.Overrides(ctx, "p", 1)
	must(t, err)
	if len(got) != 1 || got[0].ID != o.ID || got[0].Reason != o.Reason || got[0].By != o.By {
		t.Fatalf("long text not kept: %d overrides; reason %d bytes, want %d", len(got), len(firstReason(got)), len(o.Reason))
	}
	a := assessment(1, t0, strings.Repeat("λ", 2000))
	must(t, s.PutAssessment(ctx, a))
	la, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if la.Level != a.Level {
		t.Fatalf("long level not kept: %d bytes, want %d", len(la.Level), len(a.Level))
	}
}

func firstReason(os []riskpolicy.Override) string {
	if len(os) == 0 {
		return ""
	}
	return os[0].Reason
}

// testInstants: times are instants, whatever zone they are given in, kept
// to the nanosecond. An assessment later in wall-clock time in a zone east
// of UTC may be earlier; the same instant in another zone is the same At
// (ErrConflict); instants a nanosecond apart are different.
func testInstants(t *testing.T, s riskpolicy.Store) {
	ctx := context.Background()
	east := time.FixedZone("UTC+05:30", 5*3600+1800)
	must(t, s.PutAssessment(ctx, assessment(1, t0, "utc")))                                        // 09:00 UTC
	must(t, s.PutAssessment(ctx, assessment(1, time.Date(2025, 9, 1, 13, 0, 0, 0, east), "east"))) // 07:30 UTC
	got, err := s.LatestAssessment(ctx, "p", 1)
	must(t, err)
	if got.Level != "utc" || !got.At.Equal(t0) {
		t.Fatalf("latest = %s at %v, want utc at %v (13:00+05:30 is earlier)", got.Level, got.At, t0)
	}
	if err := s.PutAssessment(ctx, assessment(1, t0.In(east), "again")); !errors.Is(err, riskpolicy.ErrConflict) {
		t.Fatalf("the same instant in another zone: %v, want ErrConflict", err)
	}
	n1, n2 := t0.Add(time.Hour+time.Nanosecond), t0.Add(time.Hour+2*time.Nanosecond)
	must(t, s.PutAssessment(ctx, assessment(2, n2, "second")))
	if err := s.PutAssessment(ctx, assessment(2, n1, "first")); err != nil {
		t.Fatalf("an assessment a nanosecond earlier than another: %v", err)
	}
	got, err = s.LatestAssessment(ctx, "p", 2)
	must(t, err)
	if got.Level != "second" || !got.At.Equal(n2) {
		t.Fatalf("latest = %s at %v, want second at %v", got.Level, got.At, n2)
	}
	o := override("z", 5, time.Date(2025, 9, 1, 23, 30, 0, 123456789, east))
	must(t, s.PutOverride(ctx, o))
	os, err := s.Overrides(ctx, "p", 5)
	must(t, err)
	if len(os) != 1 || !os[0].At.Equal(o.At) || !os[0].Expires.Equal(o.Expires) {
		t.Fatalf("override times not kept as instants: %+v", os)
	}
}
