package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const attendancePolicy = `
policy: attendance
period: term
history: 4
indicators:
  attendance: {type: percentage, source: MIS}
levels:
  - name: none
    review: termly
  - name: watch
    review: half-termly
  - name: at_risk
    review: monthly
rules:
  - name: low
    when: attendance < 90.0
    level: watch
  - name: very_low
    when: attendance < 80.0
    level: at_risk
`

// TestServiceBatchesLikeMemory runs riskpolicy.Service over the SQL stores,
// which it drives through AssessmentBatcher (one query for the previous
// levels, one transaction for the run), and over the in-memory store, which
// it drives school by school: two runs give the same assessments and the
// same audit trail. A third run at the same instant conflicts and records
// nothing, not even the audit of its changes.
func TestServiceBatchesLikeMemory(t *testing.T) {
	ctx := context.Background()
	pol, err := riskpolicy.Compile("attendance.yaml", []byte(attendancePolicy))
	require.NoError(t, err)
	source := func(shift float64) riskpolicy.Source {
		var recs []riskpolicy.Record
		for i := range 40 {
			v := min(70+float64((i*7)%30)+shift, 100)
			recs = append(recs, riskpolicy.Record{URN: p.URN(100000 + i), Name: fmt.Sprint("School ", i),
				Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{"attendance": riskpolicy.Number(v)}}}})
		}
		return riskpolicy.NewMemorySource(recs...)
	}
	type outcome struct {
		assessments []string
		audit       []string
	}
	run := func(t *testing.T, store riskpolicy.Store) outcome {
		now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
		svc := riskpolicy.NewService(store, &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
		var o outcome
		for _, shift := range []float64{0, 8} {
			as, err := svc.AssessAll(ctx, pol, source(shift))
			require.NoError(t, err)
			for _, a := range as {
				o.assessments = append(o.assessments, fmt.Sprintf("%d %s %s %s", a.URN, a.Level, a.Previous, a.Change))
			}
			now = now.Add(90 * 24 * time.Hour)
		}
		for e, err := range svc.Audit(ctx) {
			require.NoError(t, err)
			o.audit = append(o.audit, fmt.Sprintf("%d %d %s>%s", e.Seq, e.URN, e.From, e.To))
		}
		return o
	}
	want := run(t, riskpolicy.NewMemoryStore())
	require.NotEmpty(t, want.audit, "the second run changes levels")
	eachBackend(t, func(t *testing.T, b backend) {
		db, _ := b.open(t)
		assert.Equal(t, want, run(t, db.Risk()))

		// The same instant again: the batch conflicts, and neither the
		// assessments nor the audit of its changes are recorded.
		svc := riskpolicy.NewService(db.Risk(), &riskpolicy.ServiceOptions{Clock: func() time.Time {
			return time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
		}})
		_, err := svc.AssessAll(ctx, pol, source(-20))
		require.ErrorIs(t, err, riskpolicy.ErrConflict)
		n := 0
		for _, err := range svc.Audit(ctx) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, len(want.audit), n)
		latest, err := db.Risk().LatestAssessments(ctx, pol.Name())
		require.NoError(t, err)
		assert.Len(t, latest, 40)
		for _, a := range latest {
			assert.True(t, a.At.Equal(time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)))
		}
	})
}
