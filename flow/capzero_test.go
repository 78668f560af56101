package flow_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// TestAssignmentIgnoresEmptyProviders checks that providers of capacity 0,
// whose arcs the solver leaves out, change nothing: a random problem solved
// with and without extra providers of capacity 0 and arcs to them (the
// cheapest arcs of their needs, negative costs and fees included, some needs
// having no other arc) has the same optimal cost, or is infeasible both
// ways, and no need is assigned to such a provider.
func TestAssignmentIgnoresEmptyProviders(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := randomAssignment(t)
		n, m := a.Needs(), a.Providers()
		extra := rapid.IntRange(1, 3).Draw(t, "extra")
		b := flow.NewAssignment(n, m+extra)
		// Copy a through its network: node 0 the sink, needs 1..n, then
		// providers.
		g := a.Network()
		for k := 0; k < g.NumArcs(); k++ {
			arc := g.Arc(k)
			switch {
			case arc.From >= 1 && arc.From <= n && arc.To > n:
				b.AddArc(arc.From-1, arc.To-1-n, arc.Cost)
			case arc.From >= 1 && arc.From <= n && arc.To == 0:
				b.SetPenalty(arc.From-1, arc.Cost)
			case arc.From > n && arc.To == 0:
				b.SetCapacity(arc.From-1-n, arc.Cap)
				if arc.Cost != 0 {
					b.SetFee(arc.From-1-n, arc.Cost)
				}
			}
		}
		for p := m; p < m+extra; p++ {
			if rapid.Bool().Draw(t, "fee") {
				b.SetFee(p, rapid.Int64Range(-20, 5).Draw(t, "fee"))
			}
			if n == 0 {
				continue
			}
			for k := rapid.IntRange(0, 6).Draw(t, "arcs"); k > 0; k-- {
				b.AddArc(rapid.IntRange(0, n-1).Draw(t, "need"), p, rapid.Int64Range(-30, 5).Draw(t, "cost"))
			}
		}
		want, errA := a.Solve(context.Background())
		got, errB := b.Solve(context.Background())
		if errA != nil {
			require.ErrorIs(t, errA, flow.ErrInfeasible)
			require.ErrorIs(t, errB, flow.ErrInfeasible)
			return
		}
		require.NoError(t, errB)
		require.Equal(t, want.Cost, got.Cost)
		require.Equal(t, want.Unmet, got.Unmet)
		for i, p := range got.Provider {
			require.Less(t, p, m, "need %d assigned to a provider of capacity 0", i)
		}
		// And the network form, through Network.Solve's fast path,
		// against the general solver.
		gb := b.Network()
		f, err := gb.Solve(context.Background())
		require.NoError(t, err)
		checkFlow(t, gb, f)
		require.Equal(t, want.Cost, f.Cost)
	})
}

// TestAssignmentOnlyEmptyProviders: a need without a penalty whose every
// arc goes to a provider of capacity 0 is reported as it was before those
// arcs were left out: as a need its providers cannot take, not as a need
// without arcs.
func TestAssignmentOnlyEmptyProviders(t *testing.T) {
	a := flow.NewAssignment(2, 2)
	a.SetCapacity(1, 1)
	a.AddArc(0, 1, 5)
	a.AddArc(1, 0, -3)
	a.AddArc(1, 0, 2)
	_, err := a.Solve(context.Background())
	require.ErrorIs(t, err, flow.ErrInfeasible)
	assert.Contains(t, err.Error(), "need 1 has no penalty and cannot be assigned: every provider it has an arc to is full")

	a.SetPenalty(1, 7)
	res, err := a.Solve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(5+7), res.Cost)
	assert.Equal(t, []int{1, -1}, res.Provider)
	assert.Equal(t, []int{0, -1}, res.Arc)
}
