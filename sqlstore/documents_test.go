package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

func TestImportDocumentsAndDataset(t *testing.T) {
	ctx := context.Background()
	type meta struct{ Source string }
	eachBackend(t, func(t *testing.T, b backend) {
		db, _ := b.open(t)
		d := syntheticDataset(100, 30)
		require.NoError(t, db.Import(ctx, d, map[string]any{"meta": meta{"test"}}))
		var m meta
		require.NoError(t, db.Document(ctx, "meta", &m))
		assert.Equal(t, "test", m.Source)
		assert.ErrorIs(t, db.Document(ctx, "other", &m), sqlstore.ErrNoDocument)

		got, err := db.Partnership().Dataset(ctx)
		require.NoError(t, err)
		if diff := cmp.Diff(d, got, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b p.Network) bool { return a.ID < b.ID }),
			cmpopts.SortSlices(func(a, b p.Membership) bool { return a.ID < b.ID })); diff != "" {
			t.Errorf("dataset read back (-want +got):\n%s", diff)
		}

		// A second import, even of other records, is refused whole when a
		// document name is taken.
		err = db.Import(ctx, syntheticDataset(1000, 10), map[string]any{"meta": meta{"again"}})
		require.ErrorIs(t, err, p.ErrConflict)
		_, err = db.Partnership().School(ctx, 1000)
		require.ErrorIs(t, err, p.ErrNotFound)
	})
}

func TestAssessmentBatches(t *testing.T) {
	ctx := context.Background()
	at := func(y int) time.Time { return time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC) }
	eachBackend(t, func(t *testing.T, b backend) {
		rs := func() *sqlstore.RiskStore { db, _ := b.open(t); return db.Risk() }()
		batch := func(y int, levels ...string) []*riskpolicy.Assessment {
			var as []*riskpolicy.Assessment
			for i, l := range levels {
				as = append(as, &riskpolicy.Assessment{Policy: "p", URN: p.URN(i + 1), At: at(y), Level: l})
			}
			return as
		}
		require.NoError(t, rs.PutAssessments(ctx, batch(2023, "low", "high")))
		require.NoError(t, rs.PutAssessments(ctx, batch(2024, "high", "high", "low")))
		// A batch with one conflict stores nothing.
		require.ErrorIs(t, rs.PutAssessments(ctx, append(batch(2025, "low"), batch(2024, "low")...)), riskpolicy.ErrConflict)
		latest, err := rs.LatestAssessments(ctx, "p")
		require.NoError(t, err)
		require.Len(t, latest, 3)
		for urn, want := range map[p.URN]string{1: "high", 2: "high", 3: "low"} {
			assert.Equal(t, want, latest[urn].Level)
			assert.True(t, latest[urn].At.Equal(at(2024)))
		}
	})
}
