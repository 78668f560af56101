package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// twoHandles opens the backend's database twice: two *sql.DB pools, as two
// processes would have. SQLite's :memory: is private to its handle and is
// skipped.
func twoHandles(t *testing.T, b backend) [2]*sqlstore.DB {
	first, dsn := b.open(t)
	if dsn == "" {
		t.Skip("an in-memory database has one handle")
	}
	second, err := sqlstore.Open(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { second.Close() })
	return [2]*sqlstore.DB{first, second}
}

// race runs n calls of fn at once, alternating the handles, and returns how
// many succeeded; every failure must match want.
func race(t *testing.T, n int, dbs [2]*sqlstore.DB, want error, fn func(i int, db *sqlstore.DB) error) int {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		won  int
		errs []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := fn(i, dbs[i%2])
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
			} else if !errors.Is(err, want) {
				errs = append(errs, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	return won
}

func TestInvariantsAcrossHandles(t *testing.T) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2024, 9, d, 0, 0, 0, 0, time.UTC) }
	eachBackend(t, func(t *testing.T, b backend) {
		t.Run("OverlappingMemberships", func(t *testing.T) {
			dbs := twoHandles(t, b)
			won := race(t, 16, dbs, p.ErrConflict, func(i int, db *sqlstore.DB) error {
				return db.Partnership().InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprintf("m%02d", i)),
					Network: "n", Member: "urn:1", Role: p.RoleMember, Period: p.Period{From: day(1 + i)}})
			})
			assert.Equal(t, 1, won, "open-ended memberships from different days all overlap")
			// Periods side by side do not overlap: all of them are stored.
			won = race(t, 16, dbs, p.ErrConflict, func(i int, db *sqlstore.DB) error {
				return db.Partnership().InsertMembership(ctx, p.Membership{ID: p.MembershipID(fmt.Sprintf("k%02d", i)),
					Network: "n", Member: "urn:2", Role: p.RoleMember, Period: p.Period{From: day(1 + i), To: day(2 + i)}})
			})
			assert.Equal(t, 16, won)
		})
		t.Run("ProgrammePlaces", func(t *testing.T) {
			dbs := twoHandles(t, b)
			ps := dbs[0].Partnership()
			require.NoError(t, ps.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G", Capacity: 5}))
			for i := range 20 {
				require.NoError(t, ps.InsertPerson(ctx, p.Person{ID: p.PersonID(fmt.Sprintf("p%02d", i)), Role: p.RoleTeacher, Home: "urn:1"}))
			}
			won := race(t, 20, dbs, p.ErrConflict, func(i int, db *sqlstore.DB) error {
				return db.Partnership().InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: p.PersonID(fmt.Sprintf("p%02d", i)), On: day(1)})
			})
			assert.Equal(t, 5, won)
			es, err := ps.Enrolments(ctx, "g")
			require.NoError(t, err)
			assert.Len(t, es, 5)
		})
		t.Run("OfferCapacityAndOneOpenPerNeed", func(t *testing.T) {
			dbs := twoHandles(t, b)
			bs := dbs[0].Brokerage()
			require.NoError(t, bs.PutOffer(ctx, brokerage.Offer{ID: "o", Capacity: 3}))
			for i := range 12 {
				require.NoError(t, bs.PutNeed(ctx, brokerage.Need{ID: brokerage.NeedID(fmt.Sprintf("n%02d", i))}))
				require.NoError(t, bs.PutOffer(ctx, brokerage.Offer{ID: brokerage.OfferID(fmt.Sprintf("o%02d", i)), Capacity: 10}))
			}
			reserve := func(db *sqlstore.DB, id string, need brokerage.NeedID, offer brokerage.OfferID) error {
				_, err := db.Brokerage().Reserve(ctx, need, offer, func(n brokerage.Need, o brokerage.Offer, _ int) (brokerage.Engagement, error) {
					return brokerage.Engagement{ID: brokerage.EngagementID(id), Need: n.ID, Offer: o.ID, Status: brokerage.StatusProposed, Version: 1}, nil
				})
				return err
			}
			won := race(t, 12, dbs, brokerage.ErrCapacity, func(i int, db *sqlstore.DB) error {
				return reserve(db, fmt.Sprintf("e%02d", i), brokerage.NeedID(fmt.Sprintf("n%02d", i)), "o")
			})
			assert.Equal(t, 3, won, "offer o has 3 places")
			require.NoError(t, bs.PutNeed(ctx, brokerage.Need{ID: "solo"}))
			won = race(t, 12, dbs, brokerage.ErrConflict, func(i int, db *sqlstore.DB) error {
				return reserve(db, fmt.Sprintf("s%02d", i), "solo", brokerage.OfferID(fmt.Sprintf("o%02d", i)))
			})
			assert.Equal(t, 1, won, "one open engagement per need")
		})
		t.Run("ReviewVersions", func(t *testing.T) {
			dbs := twoHandles(t, b)
			require.NoError(t, dbs[0].Review().CreateReview(ctx, review.Review{ID: "r", Cycle: "c", School: 1, Version: 1}))
			won := race(t, 10, dbs, review.ErrConflict, func(i int, db *sqlstore.DB) error {
				return db.Review().UpdateReview(ctx, review.Review{ID: "r", Cycle: "c", School: 1, Version: 1})
			})
			assert.Equal(t, 1, won)
		})
		t.Run("AuditGapFreeAndAppendOnly", func(t *testing.T) {
			dbs := twoHandles(t, b)
			won := race(t, 30, dbs, nil, func(i int, db *sqlstore.DB) error {
				return db.Risk().AppendAudit(ctx, riskpolicy.AuditEntry{At: day(1), Actor: fmt.Sprint(i), Action: riskpolicy.AuditLevelChanged, Policy: "p"})
			})
			require.Equal(t, 30, won)
			es, _, err := dbs[1].Risk().Audit(ctx, "", 100)
			require.NoError(t, err)
			require.Len(t, es, 30)
			for i, e := range es {
				assert.Equal(t, int64(i+1), e.Seq)
			}
			require.NoError(t, dbs[0].Review().AppendAudit(ctx, review.AuditEntry{At: day(1), School: 1, Method: "Review"}))
			for _, q := range []string{"UPDATE risk_audit SET doc = 'x'", "DELETE FROM risk_audit", "UPDATE review_audit SET doc = 'x'", "DELETE FROM review_audit"} {
				_, err := dbs[1].SQL().ExecContext(ctx, q)
				assert.Error(t, err, "%s: the audit logs are append-only", q)
			}
		})
	})
}
