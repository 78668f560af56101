package simulation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

var regionOnce = sync.OnceValues(func() (*simulation.World, error) {
	ctx := context.Background()
	r, err := england.LoadEmbedded(ctx)
	if err != nil {
		return nil, err
	}
	m, err := r.Model()
	if err != nil {
		return nil, err
	}
	return simulation.NewWorld(m, time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC), "embedded")
})

func region(t testing.TB) *simulation.World {
	t.Helper()
	w, err := regionOnce()
	require.NoError(t, err)
	return w
}

// Tolerances of the calibration: total variation distance per row of the
// transition matrix between consecutive graded inspections, and of the
// distribution of judgements. The rows from outstanding and inadequate
// rest on 248 and 191 real pairs, whose sampling error alone is about 0.05
// in total variation.
const (
	rowTolerance   = 0.12
	gradeTolerance = 0.03
)

// TestCalibrationWithinTolerance: with interventions off, the default
// (fitted) parameters reproduce the real transition matrix and grade
// distribution of the embedded region's Ofsted history.
func TestCalibrationWithinTolerance(t *testing.T) {
	w := region(t)
	real, err := simulation.RealTransitions(w, nil)
	require.NoError(t, err)
	sim, err := simulation.SimulatedTransitions(context.Background(), w, simulation.DefaultParams(), 45, 2, 0)
	require.NoError(t, err)
	rows, grades := real.Distance(sim)
	t.Logf("real\n%s\nsimulated\n%s\nTV per row %.3f, grades %.3f", real, sim, rows, grades)
	for r, d := range rows {
		require.LessOrEqual(t, d, rowTolerance, "row %d", r)
	}
	require.LessOrEqual(t, grades, gradeTolerance)
	// The test can fail: a model with no persistence is far off.
	p := simulation.DefaultParams()
	require.NoError(t, p.Set("persistence", 0))
	require.NoError(t, p.Set("school_effect", 0))
	bad, err := simulation.SimulatedTransitions(context.Background(), w, p, 45, 1, 0)
	require.NoError(t, err)
	rows, _ = real.Distance(bad)
	require.Greater(t, max(rows[0], rows[1], rows[2], rows[3]), rowTolerance)
}

// TestCalibrationEngland: the defaults, fitted on the embedded region, also
// reproduce the whole of England's Ofsted history (shared/data/raw) within
// the same tolerance. Skipped when the data is absent.
func TestCalibrationEngland(t *testing.T) {
	if raceEnabled {
		// One goroutine, run ten times slower: the race detector has
		// nothing to find here that TestDeterminism does not cover.
		t.Skip("single-threaded and slow under the race detector")
	}
	if rawdata.Dir(t) == "" {
		t.Skip("shared/data/raw is absent")
	}
	w := englandWorldFor(t)
	real, err := simulation.RealTransitions(w, nil)
	require.NoError(t, err)
	sim, err := simulation.SimulatedTransitions(context.Background(), w, simulation.DefaultParams(), 45, 1, 0)
	require.NoError(t, err)
	rows, grades := real.Distance(sim)
	t.Logf("real\n%s\nsimulated\n%s\nTV per row %.3f, grades %.3f", real, sim, rows, grades)
	for r, d := range rows {
		require.LessOrEqual(t, d, rowTolerance, "row %d", r)
	}
	require.LessOrEqual(t, grades, gradeTolerance)
}
