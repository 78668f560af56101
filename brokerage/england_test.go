package brokerage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// rawDir returns ../shared/data/raw relative to the module root (found by
// walking up to go.mod), or "" when it does not exist.
func rawDir(t *testing.T) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	raw := filepath.Join(dir, "..", "shared", "data", "raw")
	if fi, err := os.Stat(raw); err == nil && fi.IsDir() {
		return raw
	}
	return ""
}

// TestRealEngland matches needs and offers drawn from real schools and
// their real inspection outcomes: all of England when the raw extracts are
// present, otherwise the embedded regional subset.
func TestRealEngland(t *testing.T) {
	ctx := context.Background()
	var res *england.Result
	var err error
	if raw := rawDir(t); raw != "" {
		res, err = england.Load(ctx, raw, &england.Options{Lenient: true})
	} else {
		res, err = england.LoadEmbedded(ctx)
	}
	require.NoError(t, err)
	m, err := res.Model()
	require.NoError(t, err)
	needs, offers := brokerage.FromInspections(m, nil)
	require.NotEmpty(t, needs)
	require.NotEmpty(t, offers)
	t.Logf("%s: %d needs, %d offers", res.Source, len(needs), len(offers))
	for _, n := range needs {
		require.True(t, n.Synthetic)
		require.GreaterOrEqual(t, n.Priority, 3)
	}
	// Every area a mainstream need has is offered by some mainstream
	// (key-stage) school: the synthetic supply creates no artefactual gap.
	mainstreamAreas := map[partnership.ExpertiseID]bool{}
	for _, o := range offers {
		require.True(t, o.Synthetic)
		for _, ph := range o.Phases {
			if brokerage.PhaseKeyStages(ph) != 0 {
				for _, a := range o.Areas {
					mainstreamAreas[a.Area] = true
				}
			}
		}
	}
	for _, n := range needs {
		if brokerage.PhaseKeyStages(n.Phase) != 0 {
			require.True(t, mainstreamAreas[n.Area], "no mainstream school offers %s (need %s)", n.Area, n.ID)
		}
	}
	again, _ := brokerage.FromInspections(m, nil)
	require.Equal(t, needs, again, "the instance is deterministic")

	r, err := brokerage.NewBroker().Match(ctx, needs, offers)
	require.NoError(t, err)
	checkResult(t, needs, offers, r)
	assert.Positive(t, r.Met)
	g := brokerage.Gaps(needs, offers, r)
	require.NotEmpty(t, g.ByRegion)
	for _, row := range g.ByRegion {
		assert.NotEmpty(t, row.Region)
		assert.Equal(t, row.Needs, row.Met+row.Unmet)
		assert.Equal(t, row.Unmet, row.NoProvider+row.Excluded+row.CapacityFull)
	}
	t.Logf("met %d of %d; largest regional gap: %s, %d unmet", r.Met, r.Needs, g.ByRegion[0].Region, g.ByRegion[0].Unmet)

	most, err := brokerage.NewBroker(brokerage.WithStrategy(brokerage.Optimal{Objective: brokerage.MostNeeds})).Match(ctx, needs, offers)
	require.NoError(t, err)
	for _, s := range []brokerage.Strategy{brokerage.Greedy{}, brokerage.Stable{}} {
		other, err := brokerage.NewBroker(brokerage.WithStrategy(s)).Match(ctx, needs, offers)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, most.Met, other.Met, "most-needs meets at least as many needs as %s", s.Name())
		assert.False(t, lexLess(metByPriority(needs, r), metByPriority(needs, other)), "urgent-first serves the urgent at least as well as %s", s.Name())
		t.Logf("%s: met by priority 5..1 %v; urgent-first %v; most-needs %v", s.Name(), metByPriority(needs, other), metByPriority(needs, r), metByPriority(needs, most))
	}
}
