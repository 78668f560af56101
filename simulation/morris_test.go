package simulation_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/simulation"
)

const morrisExperiment = `experiment: morris
data: generated
generate: {schools: 150, seed: 2}
terms: 6
seed: 3
variants:
  - {name: none, structure: none}
sensitivity:
  variant: none
  metric: mean_effectiveness
  trajectories: 4
  levels: 4
  parameters:
    support_effect: [0, 0.1]
    head_effect: [0, 1]
`

// TestMorris: a parameter that cannot act (support with no partnership)
// has no effect at all; one that does (the fall when a head leaves) lowers
// mean effectiveness; the result does not depend on the workers.
func TestMorris(t *testing.T) {
	x, err := simulation.ParseExperiment("m.yaml", []byte(morrisExperiment), fstest.MapFS{})
	require.NoError(t, err)
	w := simulation.Generate(x.Generate)
	e1, err := simulation.Morris(context.Background(), x, w, 1, nil)
	require.NoError(t, err)
	e2, err := simulation.Morris(context.Background(), x, w, 2, nil)
	require.NoError(t, err)
	require.Equal(t, e1, e2)
	require.Equal(t, "head_effect", e1[0].Param)
	require.Less(t, e1[0].Mu, 0.0)
	require.Equal(t, 4, e1[0].N)
	require.Equal(t, "support_effect", e1[1].Param)
	require.Zero(t, e1[1].MuStar)
}
