package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// SchoolRecord gives, in one query, what the four stores give the school
// one call at a time.
func TestSchoolRecord(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend) {
		db, _ := b.open(t)
		ps := db.Partnership()
		for _, urn := range []p.URN{107000, 107001} {
			require.NoError(t, ps.InsertSchool(ctx, p.School{URN: urn, Name: "School " + urn.String()}))
		}
		require.NoError(t, ps.InsertNetwork(ctx, p.Network{ID: "n1", Kind: p.NetworkTrust, Name: "T"}))
		require.NoError(t, ps.InsertNetwork(ctx, p.Network{ID: "n2", Kind: p.NetworkTrust, Name: "U"}))
		for _, m := range []p.Membership{
			{ID: "m2", Network: "n2", Member: p.URN(107000).OrgID()},
			{ID: "m1", Network: "n1", Member: p.URN(107000).OrgID(), Period: p.Period{To: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}},
			{ID: "m3", Network: "n1", Member: p.URN(107001).OrgID()},
		} {
			require.NoError(t, ps.InsertMembership(ctx, m))
		}
		seedSchool(t, db, 107000)
		require.NoError(t, db.Risk().PutAssessment(ctx, &riskpolicy.Assessment{Policy: "aaa", URN: 107000, Level: "x",
			At: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}))

		r, err := db.SchoolRecord(ctx, 107000)
		require.NoError(t, err)
		sc, err := ps.School(ctx, 107000)
		require.NoError(t, err)
		assert.Equal(t, sc.Name, r.School.Name)
		ms, err := ps.ListMemberships(ctx, p.MembershipQuery{Member: p.URN(107000).OrgID()}, p.PageRequest{})
		require.NoError(t, err)
		require.Len(t, r.Memberships, 2)
		for i := range ms.Items {
			assert.Equal(t, ms.Items[i].ID, r.Memberships[i].ID)
			assert.True(t, ms.Items[i].Period.To.Equal(r.Memberships[i].Period.To))
		}
		rv, _, err := db.Review().ListReviews(ctx, review.ReviewQuery{School: 107000}, "", 0)
		require.NoError(t, err)
		require.Len(t, r.Reviews, len(rv))
		for i := range rv {
			assert.Equal(t, rv[i].ID, r.Reviews[i].ID)
		}
		require.Len(t, r.Assessments, 5)
		assert.Equal(t, "aaa", r.Assessments[0].Policy, "2025 is the newest")
		as, _, err := db.Risk().Assessments(ctx, "dfe", 107000, "", 0)
		require.NoError(t, err)
		for i := range as {
			assert.True(t, as[i].At.Equal(r.Assessments[i+1].At))
		}

		_, err = db.SchoolRecord(ctx, 999999)
		require.ErrorIs(t, err, p.ErrNotFound)
	})
}
