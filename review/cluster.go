package review

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ContextMode says whether a cluster should bring together schools in
// similar or contrasting contexts (share of pupils eligible for free school
// meals).
type ContextMode int

// Context modes.
const (
	ContextIgnore ContextMode = iota
	ContextSimilar
	ContextContrast
)

var contextNames = enum.New[ContextMode]("context mode", []string{"ignore", "similar", "contrast"}, nil)

// String returns the ContextMode's name.
func (m ContextMode) String() string { return contextNames.String(m) }

// MarshalText implements encoding.TextMarshaler.
func (m ContextMode) MarshalText() ([]byte, error) { return contextNames.Marshal(m) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *ContextMode) UnmarshalText(b []byte) error { return contextNames.Unmarshal(b, m) }

// ClusterRules shape reciprocal clusters: self-formed groups of 3–7 schools
// that review each other with no grades, only enquiry questions.
type ClusterRules struct {
	// Size is the target size; 0 means 3 (triads). MaxSize is the largest
	// a cluster may grow to absorb schools left over; 0 means Size+1.
	// Both lie in 3..7.
	Size    int `json:"size" yaml:"size"`
	MaxSize int `json:"max_size" yaml:"max_size"`
	// SamePhase keeps primary-like, secondary-like and special schools in
	// separate clusters.
	SamePhase bool `json:"same_phase" yaml:"same_phase"`
	// MaxDistanceKm, when positive, bounds the distance between any two
	// schools of a cluster.
	MaxDistanceKm float64 `json:"max_distance_km" yaml:"max_distance_km"`
	// ExcludeSameTrust keeps schools of one trust apart.
	ExcludeSameTrust bool `json:"exclude_same_trust" yaml:"exclude_same_trust"`
	// Context and ContextWeight add, for every pair in a cluster,
	// ContextWeight km per percentage point of difference in free school
	// meals (similar) or per point short of a 30-point difference
	// (contrast).
	Context       ContextMode `json:"context" yaml:"context"`
	ContextWeight float64     `json:"context_weight" yaml:"context_weight"`
}

// DefaultClusterRules returns triads of same-phase schools within 30 km,
// with no two schools of one trust, ignoring context.
func DefaultClusterRules() ClusterRules {
	return ClusterRules{Size: 3, MaxSize: 4, SamePhase: true, MaxDistanceKm: 30, ExcludeSameTrust: true}
}

// Cluster is a group of schools that review each other reciprocally.
type Cluster struct {
	Schools []partnership.URN `json:"schools"`
	// SpanKm is the largest distance between two of its schools.
	SpanKm float64 `json:"span_km"`
	// Cost is the sum over its pairs of distance plus the context term.
	Cost float64 `json:"cost"`
}

// Unclustered is a school the clustering could not place, and why.
type Unclustered struct {
	School partnership.URN `json:"school"`
	Reason string          `json:"reason"`
}

// Clustering is the result of Clusters.
type Clustering struct {
	Clusters    []Cluster     `json:"clusters"`
	Unclustered []Unclustered `json:"unclustered,omitempty"`
	Cost        float64       `json:"cost"`
}

// Clusters partitions schools into reciprocal clusters. Within each phase
// group it repeatedly takes the school with the fewest compatible
// neighbours still free (the hardest to place; ties by URN) and forms a
// cluster with the free compatible schools that add least cost; schools
// left over join the cheapest compatible cluster with room, or are
// reported. A local search then swaps schools between nearby clusters while
// that lowers the total cost. The result depends only on the input.
func Clusters(ctx context.Context, schools []Reviewee, rules ClusterRules) (*Clustering, error) {
	if rules.Size == 0 {
		rules.Size = 3
	}
	if rules.MaxSize == 0 {
		rules.MaxSize = rules.Size + 1
	}
	if rules.Size < 3 || rules.MaxSize > 7 || rules.MaxSize < rules.Size || rules.MaxDistanceKm < 0 || rules.ContextWeight < 0 {
		return nil, fmt.Errorf("clusters: %w: size %d..%d must lie within 3..7, distances and weights not negative", ErrInvalid, rules.Size, rules.MaxSize)
	}
	ss := slices.Clone(schools)
	slices.SortFunc(ss, func(a, b Reviewee) int { return cmp.Compare(a.URN, b.URN) })
	for i := 1; i < len(ss); i++ {
		if ss[i].URN == ss[i-1].URN {
			return nil, fmt.Errorf("clusters: %w: school %d appears twice", ErrInvalid, ss[i].URN)
		}
	}
	groups := map[int][]int{}
	var keys []int
	for i, s := range ss {
		k := 0
		if rules.SamePhase {
			k = phaseGroup(s.Phase)
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	slices.Sort(keys)
	c := &clusterer{ss: ss, rules: rules, cosLat: make([]float64, len(ss))}
	for i, s := range ss {
		c.cosLat[i] = math.Cos(s.Location.Lat * math.Pi / 180)
	}
	out := &Clustering{}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("clusters: %w", err)
		}
		cl, un := c.group(groups[k])
		for _, m := range cl {
			out.Clusters = append(out.Clusters, c.describe(m))
		}
		out.Unclustered = append(out.Unclustered, un...)
	}
	slices.SortFunc(out.Clusters, func(a, b Cluster) int { return cmp.Compare(a.Schools[0], b.Schools[0]) })
	slices.SortFunc(out.Unclustered, func(a, b Unclustered) int { return cmp.Compare(a.School, b.School) })
	for _, cl := range out.Clusters {
		out.Cost += cl.Cost
	}
	return out, nil
}

// phaseGroup puts phases that can review each other together: primary-like,
// secondary-like, special and alternative provision.
func phaseGroup(p partnership.Phase) int {
	switch p {
	case partnership.PhaseNursery, partnership.PhasePrimary:
		return 1
	case partnership.PhaseMiddle, partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.Phase16Plus:
		return 2
	case partnership.PhaseSpecial, partnership.PhaseAlternativeProvision:
		return 3
	}
	return 0
}

type clusterer struct {
	ss     []Reviewee
	rules  ClusterRules
	cosLat []float64
}

// km is the equirectangular distance between schools i and j, within a
// few metres of the great-circle distance at cluster scale and far cheaper.
func (c *clusterer) km(i, j int) float64 {
	a, b := c.ss[i].Location, c.ss[j].Location
	if !a.Known() || !b.Known() {
		return math.Inf(1)
	}
	const r = partnership.EarthRadiusKm * math.Pi / 180
	x := (b.Lon - a.Lon) * (c.cosLat[i] + c.cosLat[j]) / 2
	y := b.Lat - a.Lat
	return r * math.Sqrt(x*x+y*y)
}

// compatible reports whether schools i and j may share a cluster.
func (c *clusterer) compatible(i, j int) bool {
	if c.rules.ExcludeSameTrust && c.ss[i].Trust != "" && c.ss[i].Trust == c.ss[j].Trust {
		return false
	}
	d := c.km(i, j)
	return !math.IsInf(d, 1) && (c.rules.MaxDistanceKm == 0 || d <= c.rules.MaxDistanceKm)
}

func (c *clusterer) pairCost(i, j int) float64 {
	d := c.km(i, j)
	if c.rules.Context != ContextIgnore && c.ss[i].FSMPercent >= 0 && c.ss[j].FSMPercent >= 0 {
		diff := math.Abs(c.ss[i].FSMPercent - c.ss[j].FSMPercent)
		if c.rules.Context == ContextSimilar {
			d += c.rules.ContextWeight * diff
		} else {
			d += c.rules.ContextWeight * math.Max(0, 30-diff)
		}
	}
	return d
}

// addCost is the cost of adding i to members, or +Inf if incompatible.
func (c *clusterer) addCost(members []int, i int) float64 {
	s := 0.0
	for _, m := range members {
		if !c.compatible(m, i) {
			return math.Inf(1)
		}
		s += c.pairCost(m, i)
	}
	return s
}

func (c *clusterer) neighbours(idx []int) map[int][]int {
	// Grid of ~0.25° cells; neighbours are compatible schools in the 3x3
	// block (or everyone when there is no distance limit).
	nb := map[int][]int{}
	if len(idx) < 200 {
		for _, i := range idx {
			for _, j := range idx {
				if i != j && c.compatible(i, j) {
					nb[i] = append(nb[i], j)
				}
			}
		}
		return nb
	}
	cell := math.Max(0.05, c.rules.MaxDistanceKm/111) // a degree of latitude is 111 km
	if c.rules.MaxDistanceKm == 0 {
		cell = 0.5 // no limit: look within about 80 km on large inputs
	}
	key := func(i int) [2]int {
		l := c.ss[i].Location
		return [2]int{int(math.Floor(l.Lat / cell)), int(math.Floor(l.Lon / (cell * 1.6)))}
	}
	grid := map[[2]int][]int{}
	for _, i := range idx {
		grid[key(i)] = append(grid[key(i)], i)
	}
	for _, i := range idx {
		k := key(i)
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, j := range grid[[2]int{k[0] + dx, k[1] + dy}] {
					if i != j && c.compatible(i, j) {
						nb[i] = append(nb[i], j)
					}
				}
			}
		}
		slices.Sort(nb[i])
	}
	return nb
}

func (c *clusterer) group(idx []int) ([][]int, []Unclustered) {
	nb := c.neighbours(idx)
	free := map[int]bool{}
	degree := map[int]int{}
	for _, i := range idx {
		free[i] = true
		degree[i] = len(nb[i])
	}
	// A heap of (free degree, index) with lazy entries: an entry is stale
	// when its degree is no longer the school's.
	h := &degreeHeap{}
	for _, i := range idx {
		heap.Push(h, degreeItem{degree[i], i})
	}
	take := func(i int) {
		delete(free, i)
		for _, j := range nb[i] {
			if free[j] {
				degree[j]--
				heap.Push(h, degreeItem{degree[j], j})
			}
		}
	}
	var clusters [][]int
	var left []int
	for h.Len() > 0 {
		it := heap.Pop(h).(degreeItem)
		seed := it.v
		if !free[seed] || it.d != degree[seed] {
			continue
		}
		members := []int{seed}
		take(seed)
		for len(members) < c.rules.Size {
			pick, pc := -1, math.Inf(1)
			for _, j := range nb[seed] {
				if free[j] {
					if cost := c.addCost(members, j); cost < pc {
						pick, pc = j, cost
					}
				}
			}
			if pick < 0 {
				break
			}
			members = append(members, pick)
			take(pick)
		}
		if len(members) == c.rules.Size {
			clusters = append(clusters, members)
		} else {
			left = append(left, members...)
		}
	}
	var un []Unclustered
	slices.Sort(left)
	for _, i := range left {
		best, bc := -1, math.Inf(1)
		for k, m := range clusters {
			if len(m) < c.rules.MaxSize {
				if cost := c.addCost(m, i); cost < bc {
					best, bc = k, cost
				}
			}
		}
		if best < 0 {
			un = append(un, Unclustered{School: c.ss[i].URN, Reason: fmt.Sprintf(
				"no cluster with room (at most %d) has only compatible schools (phase group, within %g km, other trusts) and too few such schools are left to form one of %d",
				c.rules.MaxSize, c.rules.MaxDistanceKm, c.rules.Size)})
			continue
		}
		clusters[best] = append(clusters[best], i)
	}
	c.improve(clusters, nb)
	return clusters, un
}

func (c *clusterer) clusterCost(m []int) float64 {
	s := 0.0
	for a := range m {
		for b := a + 1; b < len(m); b++ {
			s += c.pairCost(m[a], m[b])
		}
	}
	return s
}

// improve swaps schools between a cluster and the eight nearest clusters
// that hold neighbours of its schools, while a swap lowers the total cost
// (at most four passes).
func (c *clusterer) improve(clusters [][]int, nb map[int][]int) {
	without := func(m []int, i int) []int {
		out := make([]int, 0, len(m))
		for _, x := range m {
			if x != i {
				out = append(out, x)
			}
		}
		return out
	}
	for pass := 0; pass < 4; pass++ {
		of := map[int]int{}
		for k, m := range clusters {
			for _, i := range m {
				of[i] = k
			}
		}
		improved := false
		cents := make([]partnership.Location, len(clusters))
		for k, m := range clusters {
			cents[k] = c.centroid(m)
		}
		type cand struct {
			b int
			d float64
		}
		for a := range clusters {
			var near []cand
			seen := map[int]bool{}
			for _, i := range clusters[a] {
				for _, j := range nb[i] {
					if b, ok := of[j]; ok && b > a && !seen[b] {
						seen[b] = true
						x := (cents[b].Lon - cents[a].Lon) * c.cosLat[i]
						y := cents[b].Lat - cents[a].Lat
						near = append(near, cand{b, x*x + y*y})
					}
				}
			}
			// Only the nearest few clusters are worth a swap.
			slices.SortFunc(near, func(x, y cand) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.b, y.b)) })
			if len(near) > 8 {
				near = near[:8]
			}
			for _, nc := range near {
				b := nc.b
				swapped := false
				for _, i := range clusters[a] {
					for _, j := range clusters[b] {
						ra, rb := without(clusters[a], i), without(clusters[b], j)
						na, nb := c.addCost(ra, j), c.addCost(rb, i)
						if math.IsInf(na, 1) || math.IsInf(nb, 1) {
							continue
						}
						before := c.clusterCost(clusters[a]) + c.clusterCost(clusters[b])
						after := c.clusterCost(ra) + na + c.clusterCost(rb) + nb
						if after < before-1e-9 {
							clusters[a], clusters[b] = append(ra, j), append(rb, i)
							of[i], of[j] = b, a
							cents[a], cents[b] = c.centroid(clusters[a]), c.centroid(clusters[b])
							improved, swapped = true, true
							break
						}
					}
					if swapped {
						break
					}
				}
			}
		}
		if !improved {
			return
		}
	}
}

func (c *clusterer) centroid(m []int) partnership.Location {
	var l partnership.Location
	for _, i := range m {
		l.Lat += c.ss[i].Location.Lat
		l.Lon += c.ss[i].Location.Lon
	}
	l.Lat /= float64(len(m))
	l.Lon /= float64(len(m))
	return l
}

func (c *clusterer) describe(m []int) Cluster {
	cl := Cluster{Cost: c.clusterCost(m)}
	for a, i := range m {
		cl.Schools = append(cl.Schools, c.ss[i].URN)
		for _, j := range m[a+1:] {
			cl.SpanKm = math.Max(cl.SpanKm, c.km(i, j))
		}
	}
	slices.Sort(cl.Schools)
	return cl
}

// degreeItem is a school and its free degree; degreeHeap orders them by
// degree, then index, so the clustering is deterministic.
type degreeItem struct{ d, v int }

type degreeHeap []degreeItem

func (h degreeHeap) Len() int { return len(h) }
func (h degreeHeap) Less(i, j int) bool {
	return h[i].d < h[j].d || (h[i].d == h[j].d && h[i].v < h[j].v)
}
func (h degreeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *degreeHeap) Push(x any)   { *h = append(*h, x.(degreeItem)) }
func (h *degreeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
