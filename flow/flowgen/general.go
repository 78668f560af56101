package flowgen

import (
	"math/rand/v2"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// GeneralConfig describes a general minimum-cost flow instance: not a
// brokerage assignment, but a network with transshipment nodes, negative
// costs, lower bounds and supplies spread over many nodes, for comparing
// general solvers.
type GeneralConfig struct {
	Nodes int
	// ArcsPerNode is the average out-degree (default 8). Half of each
	// node's arcs go to nearby nodes (index within ±50), half anywhere.
	ArcsPerNode int
	// Seed selects the instance.
	Seed uint64
}

// GeneralSizes are the node counts of the general benchmark instances.
var GeneralSizes = []int{2000, 5000, 10000, 20000}

// General returns the instance described by c. It is feasible by
// construction: a random flow x (on about a third of the arcs) is drawn
// first, every supply is x's net outflow, and the lower bounds of about
// one arc in ten are set at or below x. Capacities are 1-100; costs are
// -20-100 on near arcs and 0-1000 on far ones, so negative-cost cycles
// exist and must be saturated.
func General(c GeneralConfig) *flow.Network {
	if c.ArcsPerNode <= 0 {
		c.ArcsPerNode = 8
	}
	n := c.Nodes
	r := rand.New(rand.NewPCG(c.Seed, 0x9e3779b97f4a7c15))
	g := flow.NewNetwork(n)
	supply := make([]int64, n)
	for u := 0; u < n; u++ {
		for k := 0; k < c.ArcsPerNode; k++ {
			var v int
			var cost int64
			if k%2 == 0 {
				v = min(max(u+r.IntN(101)-50, 0), n-1)
				cost = int64(r.IntN(121)) - 20
			} else {
				v = r.IntN(n)
				cost = int64(r.IntN(1001))
			}
			if v == u {
				continue
			}
			capacity := int64(1 + r.IntN(100))
			var x, low int64
			if r.IntN(3) == 0 {
				x = int64(r.IntN(int(capacity) + 1))
			}
			if r.IntN(10) == 0 {
				low = int64(r.IntN(int(x) + 1))
			}
			supply[u] += x
			supply[v] -= x
			g.AddArc(flow.Arc{From: u, To: v, Low: low, Cap: capacity, Cost: cost})
		}
	}
	for v, b := range supply {
		g.SetSupply(v, b)
	}
	return g
}
