package flowgen_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

func TestGenerate(t *testing.T) {
	for _, tight := range []bool{false, true} {
		c := flowgen.Config{Needs: 500, Providers: 300, Tight: tight, Seed: 7}
		a := flowgen.Generate(c)
		b := flowgen.Generate(c)
		require.Equal(t, a, b, "deterministic")
		assert.Equal(t, 500, a.Needs())
		perNeed := float64(a.NumArcs()) / 500
		assert.GreaterOrEqual(t, perNeed, 10.0)
		assert.LessOrEqual(t, perNeed, 200.0)
		g := a.Network()
		var slots int64
		for k := 0; k < g.NumArcs(); k++ {
			if arc := g.Arc(k); arc.To == 0 && arc.From > 500 {
				slots += arc.Cap
			}
		}
		if tight {
			assert.Equal(t, int64(500), slots)
		} else {
			assert.Equal(t, int64(1000), slots)
		}
		res, err := a.Solve(context.Background())
		require.NoError(t, err, "every instance is feasible")
		assert.Len(t, res.Provider, 500)
	}
}
