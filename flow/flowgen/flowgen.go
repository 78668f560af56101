// Package flowgen generates realistic brokerage instances for benchmarking
// minimum-cost flow solvers: needs and providers placed in clustered towns
// on a 600 km square (about the size of England), each need connected to
// the nearest providers that offer its expertise area, with costs from
// distance, strength of evidence and noise, and a large penalty for leaving
// a need unmet so that every instance is feasible.
//
// The same Config and Seed always give the same instance.
package flowgen

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// Config describes an instance. Zero fields take the defaults documented on
// each.
type Config struct {
	Needs     int // number of needs
	Providers int // number of providers
	// Tight makes total capacity about equal to the number of needs;
	// otherwise it is about twice as large.
	Tight bool
	// MinArcs and MaxArcs bound the number of arcs per need (defaults 20
	// and 200); a need has fewer when fewer providers offer its area.
	MinArcs, MaxArcs int
	// Areas is the number of expertise areas (default 12).
	Areas int
	// Penalty is the cost of leaving a need unmet (default 1,000,000, far
	// above any arc cost).
	Penalty int64
	// Seed selects the instance.
	Seed uint64
}

// Size names the standard instance sizes of the benchmarks.
type Size struct {
	Name             string
	Needs, Providers int
}

// Sizes are the benchmark sizes: a small alliance, a region, England.
var Sizes = []Size{{"500x300", 500, 300}, {"5000x3000", 5000, 3000}, {"20000x10000", 20000, 10000}}

type point struct{ x, y float64 }

// Generate returns the instance described by c.
func Generate(c Config) *flow.Assignment {
	if c.MinArcs <= 0 {
		c.MinArcs = 20
	}
	if c.MaxArcs < c.MinArcs {
		c.MaxArcs = max(200, c.MinArcs)
	}
	if c.Areas <= 0 {
		c.Areas = 12
	}
	if c.Penalty <= 0 {
		c.Penalty = 1_000_000
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x9e3779b97f4a7c15))
	towns := make([]point, 60)
	for i := range towns {
		towns[i] = point{rng.Float64() * 600, rng.Float64() * 600}
	}
	place := func() point {
		t := towns[int(float64(len(towns))*rng.Float64()*rng.Float64())] // big towns first
		return point{t.x + rng.NormFloat64()*25, t.y + rng.NormFloat64()*25}
	}
	// Area popularity is skewed: demand and supply follow different
	// orders, so some areas are short everywhere.
	weight := func(k int, rev bool) float64 {
		if rev {
			k = c.Areas - 1 - k
		}
		return 1 / float64(k+2)
	}
	pick := func(rev bool) int {
		var total float64
		for k := 0; k < c.Areas; k++ {
			total += weight(k, rev)
		}
		x := rng.Float64() * total
		for k := 0; k < c.Areas; k++ {
			x -= weight(k, rev)
			if x < 0 {
				return k
			}
		}
		return c.Areas - 1
	}
	provAt := make([]point, c.Providers)
	byArea := make([][]int32, c.Areas)
	strength := make([]map[int]int64, c.Providers)
	slots := 2 * c.Needs
	if c.Tight {
		slots = c.Needs
	}
	a := flow.NewAssignment(c.Needs, c.Providers)
	given := 0
	for p := 0; p < c.Providers; p++ {
		provAt[p] = place()
		strength[p] = map[int]int64{}
		for n := 1 + rng.IntN(4); n > 0; n-- {
			k := pick(p%3 == 0)
			if _, ok := strength[p][k]; !ok {
				strength[p][k] = int64(rng.IntN(101))
				byArea[k] = append(byArea[k], int32(p))
			}
		}
		share := slots / c.Providers
		if p < slots%c.Providers {
			share++
		}
		capa := share
		if p%2 == 0 {
			capa = share + rng.IntN(share+1)
		} else if share > 0 {
			capa = max(share-rng.IntN(share+1), 0)
		}
		if p == c.Providers-1 {
			capa = max(slots-given, 0)
		}
		capa = min(capa, max(slots-given, 0))
		given += capa
		a.SetCapacity(p, int64(capa))
	}
	type cand struct {
		d float64
		p int32
	}
	var cs []cand
	for i := 0; i < c.Needs; i++ {
		at := place()
		k := pick(false)
		cs = cs[:0]
		for _, p := range byArea[k] {
			q := provAt[p]
			cs = append(cs, cand{math.Hypot(q.x-at.x, q.y-at.y), p})
		}
		want := c.MinArcs + rng.IntN(c.MaxArcs-c.MinArcs+1)
		if want < len(cs) {
			slices.SortFunc(cs, func(x, y cand) int {
				switch {
				case x.d < y.d:
					return -1
				case x.d > y.d:
					return 1
				}
				return int(x.p - y.p)
			})
			cs = cs[:want]
		}
		for _, e := range cs {
			cost := int64(e.d*10) + (100 - strength[e.p][k]) + int64(rng.IntN(50))
			a.AddArc(i, int(e.p), cost)
		}
		a.SetPenalty(i, c.Penalty)
	}
	return a
}
