package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

var englandOnce struct {
	sync.Once
	d   *p.Dataset
	err error
}

// englandDataset loads all of England from ../shared/data/raw once per
// test binary; it skips when the data is absent.
func englandDataset(tb testing.TB) *p.Dataset {
	tb.Helper()
	dir := rawdata.Dir(tb)
	if dir == "" {
		tb.Skip("../shared/data/raw is absent")
	}
	englandOnce.Do(func() {
		res, err := england.Load(context.Background(), dir, nil)
		if err != nil {
			englandOnce.err = err
			return
		}
		englandOnce.d = &res.Dataset
	})
	require.NoError(tb, englandOnce.err)
	return englandOnce.d
}

// TestEnglandImport imports all of England and reads every table's count
// and a sample of records back.
func TestEnglandImport(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("all of England, without concurrency: not under -short or -race")
	}
	d := englandDataset(t)
	ctx := context.Background()
	for _, b := range []backend{backends[0], backends[2]} {
		t.Run(b.name, func(t *testing.T) {
			db, _ := b.open(t)
			ps := db.Partnership()
			require.NoError(t, ps.LoadDataset(ctx, d))
			for table, want := range map[string]int{"schools": len(d.Schools), "organisations": len(d.Organisations),
				"networks": len(d.Networks), "memberships": len(d.Memberships), "inspections": len(d.Inspections)} {
				var n int
				require.NoError(t, db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n))
				assert.Equal(t, want, n, table)
			}
			for i := 0; i < len(d.Schools); i += len(d.Schools)/50 + 1 {
				got, err := ps.School(ctx, d.Schools[i].URN)
				require.NoError(t, err)
				assert.Equal(t, d.Schools[i].Name, got.Name)
				assert.True(t, d.Schools[i].Opened.Equal(got.Opened))
			}
			// Loading it again is a conflict and changes nothing.
			require.ErrorIs(t, ps.LoadDataset(ctx, d), p.ErrConflict)
		})
	}
}

// BenchmarkImportEngland measures LoadDataset of all of England into a new
// database: SQLite (a file) by INSERTs in one transaction, PostgreSQL by
// COPY in one transaction.
func BenchmarkImportEngland(b *testing.B) {
	d := englandDataset(b)
	ctx := context.Background()
	for _, be := range []backend{backends[0], backends[2]} {
		b.Run(be.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, _ := be.open(b)
				b.StartTimer()
				if err := db.Partnership().LoadDataset(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(d.Schools)), "schools")
		})
	}
}

// BenchmarkReadSchool measures reading one school with its memberships,
// reviews and risk assessments from a database holding all of England:
// through the four stores (four round trips), and with DB.SchoolRecord
// (one).
func BenchmarkReadSchool(b *testing.B) {
	d := englandDataset(b)
	ctx := context.Background()
	for _, be := range []backend{backends[0], backends[2]} {
		b.Run(be.name, func(b *testing.B) {
			db, _ := be.open(b)
			ps, rs, ks := db.Partnership(), db.Review(), db.Risk()
			require.NoError(b, ps.LoadDataset(ctx, d))
			// The school with the most memberships.
			count := map[p.OrgID]int{}
			for _, m := range d.Memberships {
				count[m.Member]++
			}
			urn := d.Schools[0].URN
			for _, s := range d.Schools {
				if count[s.URN.OrgID()] > count[urn.OrgID()] {
					urn = s.URN
				}
			}
			seedSchool(b, db, urn)
			b.Run("four-calls", func(b *testing.B) {
				for b.Loop() {
					readSchool(b, ctx, ps, rs, ks, urn)
				}
			})
			b.Run("one-query", func(b *testing.B) {
				for b.Loop() {
					r, err := db.SchoolRecord(ctx, urn)
					if err != nil || len(r.Memberships) == 0 || len(r.Reviews) != 4 || len(r.Assessments) != 4 {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// seedSchool gives the school reviews and assessments for other schools to
// stand beside.
func seedSchool(tb testing.TB, db *sqlstore.DB, urn p.URN) {
	ctx := context.Background()
	for i := range 4 {
		for _, u := range []p.URN{urn, urn + 1} {
			require.NoError(tb, db.Review().CreateReview(ctx, review.Review{ID: review.ReviewID(fmt.Sprintf("r%d-%d", u, i)), Cycle: "c", School: u, Version: 1}))
			require.NoError(tb, db.Risk().PutAssessment(ctx, &riskpolicy.Assessment{Policy: "dfe", URN: u, Level: "low",
				At: time.Date(2022+i, 9, 1, 0, 0, 0, 0, time.UTC)}))
		}
	}
}

func readSchool(tb testing.TB, ctx context.Context, ps *sqlstore.PartnershipStore, rs *sqlstore.ReviewStore, ks *sqlstore.RiskStore, urn p.URN) {
	if _, err := ps.School(ctx, urn); err != nil {
		tb.Fatal(err)
	}
	pg, err := ps.ListMemberships(ctx, p.MembershipQuery{Member: urn.OrgID()}, p.PageRequest{})
	if err != nil || len(pg.Items) == 0 {
		tb.Fatal(err, len(pg.Items))
	}
	rv, _, err := rs.ListReviews(ctx, review.ReviewQuery{School: urn}, "", 0)
	if err != nil || len(rv) != 4 {
		tb.Fatal(err, len(rv))
	}
	as, _, err := ks.Assessments(ctx, "dfe", urn, "", 0)
	if err != nil || len(as) != 4 {
		tb.Fatal(err, len(as))
	}
}
