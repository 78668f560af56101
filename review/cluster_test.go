package review_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

func TestClustersProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, _, _ := genInstance(t, 25, 1)
		rules := review.ClusterRules{
			Size: rapid.IntRange(3, 5).Draw(t, "size"), SamePhase: rapid.Bool().Draw(t, "phase"),
			ExcludeSameTrust: rapid.Bool().Draw(t, "trust"), Context: review.ContextMode(rapid.IntRange(0, 2).Draw(t, "ctx")), ContextWeight: 0.5,
		}
		rules.MaxSize = rapid.IntRange(rules.Size, 7).Draw(t, "max")
		if rapid.Bool().Draw(t, "limit") {
			rules.MaxDistanceKm = rapid.Float64Range(5, 40).Draw(t, "km")
		}
		got, err := review.Clusters(context.Background(), schools, rules)
		require.NoError(t, err)
		by := map[partnership.URN]review.Reviewee{}
		for _, s := range schools {
			by[s.URN] = s
		}
		seen := map[partnership.URN]int{}
		for _, c := range got.Clusters {
			require.GreaterOrEqual(t, len(c.Schools), rules.Size)
			require.LessOrEqual(t, len(c.Schools), rules.MaxSize)
			for i, a := range c.Schools {
				seen[a]++
				for _, b := range c.Schools[i+1:] {
					sa, sb := by[a], by[b]
					if rules.SamePhase {
						require.Equal(t, phaseGroupOf(sa.Phase), phaseGroupOf(sb.Phase))
					}
					if rules.ExcludeSameTrust && sa.Trust != "" {
						require.NotEqual(t, sa.Trust, sb.Trust)
					}
					if rules.MaxDistanceKm > 0 {
						require.LessOrEqual(t, review.DistanceKm(sa.Location, sb.Location), rules.MaxDistanceKm*1.001)
					}
				}
			}
		}
		for _, u := range got.Unclustered {
			seen[u.School]++
			require.NotEmpty(t, u.Reason)
		}
		require.Len(t, seen, len(schools), "every school placed or explained")
		for _, n := range seen {
			require.Equal(t, 1, n)
		}
		again, err := review.Clusters(context.Background(), schools, rules)
		require.NoError(t, err)
		require.Equal(t, got, again)
	})
}

func phaseGroupOf(p partnership.Phase) int {
	switch p {
	case partnership.PhasePrimary, partnership.PhaseNursery:
		return 1
	case partnership.PhaseSpecial, partnership.PhaseAlternativeProvision:
		return 3
	}
	return 2
}

func TestClustersTriadsByDefault(t *testing.T) {
	schools := hub(t, 90)
	got, err := review.Clusters(context.Background(), schools, review.DefaultClusterRules())
	require.NoError(t, err)
	triads := 0
	for _, c := range got.Clusters {
		if len(c.Schools) == 3 {
			triads++
		}
	}
	assert.Greater(t, triads, len(got.Clusters)/2)
	_, err = review.Clusters(context.Background(), schools, review.ClusterRules{Size: 2})
	assert.ErrorIs(t, err, review.ErrInvalid)
}
