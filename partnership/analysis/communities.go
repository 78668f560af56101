package analysis

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// CommunityReport holds the natural communities of an area's schools: groups
// of schools more tied to one another than to the rest, found by Louvain
// modularity maximisation (gonum's community.Modularize) on the
// school–school projection of the partnership graph.
//
// In the projection two open schools of the area are joined by an edge whose
// weight is the number of current networks they share, counting only
// networks of two to opts.MaxNetworkSize schools that are not a local
// authority's (the projection of a network of n schools has n(n−1)/2
// edges). With opts.ProximityKm set, each school also gets an edge of
// weight opts.ProximityWeight to each of its opts.ProximityNeighbours
// nearest schools within that distance (added once per pair), so that
// neighbours in no common network can still fall together. Schools with no
// edge are counted as Singletons and belong to no community.
type CommunityReport struct {
	Area string    `json:"area"`
	At   time.Time `json:"at,omitzero"`
	// Schools counts the schools with at least one edge, Edges the edges.
	Schools    int `json:"schools"`
	Edges      int `json:"edges"`
	Singletons int `json:"singletons"`
	// Unlocated counts, when Options.ProximityKm adds geographic edges, the
	// schools of the area whose location is unknown and so have none.
	Unlocated int `json:"unlocated,omitempty"`
	// Modularity is the modularity Q of the partition at the resolution used.
	Modularity float64 `json:"modularity"`
	Resolution float64 `json:"resolution"`
	Seed       uint64  `json:"seed"`
	// Communities come largest first, then by lowest URN; Community.ID is
	// the index in this slice.
	Communities []Community `json:"communities"`
}

// Community is one natural community of schools, ascending by URN.
type Community struct {
	ID      int         `json:"id"`
	Schools []SchoolRef `json:"schools"`
}

// Communities finds the natural communities of the open schools of
// opts.Area on opts.At (see CommunityReport). The result is deterministic
// for a given model, options and opts.Seed. It returns ctx's error if ctx is
// done before the search starts, or an error wrapping partnership.ErrInvalid
// for invalid options.
func Communities(ctx context.Context, m *partnership.Model, opts *Options) (*CommunityReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := newView(m, o.At, o.Area)
	idx := make(map[partnership.URN]int32, len(v.schools))
	for i, s := range v.schools {
		idx[s.URN] = int32(i)
	}
	weights := map[[2]int32]float64{}
	for k := range v.nets {
		vn := &v.nets[k]
		if !vn.multiSchool() || len(vn.schools) > o.MaxNetworkSize {
			continue
		}
		var in []int32
		for _, u := range vn.schools {
			if i, ok := idx[u]; ok {
				in = append(in, i)
			}
		}
		for a := range in {
			for b := a + 1; b < len(in); b++ {
				weights[pairOf(in[a], in[b])]++
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.ProximityKm > 0 {
		addProximity(v, o, weights)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	unlocated := 0
	if o.ProximityKm > 0 {
		for _, s := range v.schools {
			if !s.Location.Known() {
				unlocated++
			}
		}
	}
	p := newProjection(len(v.schools), weights)
	r := &CommunityReport{Area: o.Area.String(), At: o.At, Edges: len(weights), Resolution: o.Resolution, Unlocated: unlocated,
		Seed: o.Seed, Communities: []Community{}}
	for i := range v.schools {
		if p.degree(int32(i)) == 0 {
			r.Singletons++
		}
	}
	r.Schools = len(v.schools) - r.Singletons
	if r.Schools == 0 {
		return r, nil
	}
	reduced := community.Modularize(p, o.Resolution, rand.NewPCG(o.Seed, 0x2545f4914f6cdd1d))
	parts := reduced.Communities()
	r.Modularity = community.Q(p, parts, o.Resolution)
	for _, part := range parts {
		c := Community{Schools: make([]SchoolRef, 0, len(part))}
		for _, n := range part {
			c.Schools = append(c.Schools, schoolRef(v.schools[n.ID()]))
		}
		slices.SortFunc(c.Schools, func(a, b SchoolRef) int { return cmp.Compare(a.URN, b.URN) })
		r.Communities = append(r.Communities, c)
	}
	slices.SortFunc(r.Communities, func(a, b Community) int {
		return cmp.Or(cmp.Compare(len(b.Schools), len(a.Schools)), cmp.Compare(a.Schools[0].URN, b.Schools[0].URN))
	})
	for i := range r.Communities {
		r.Communities[i].ID = i
	}
	return r, nil
}

func pairOf(a, b int32) [2]int32 {
	if a > b {
		a, b = b, a
	}
	return [2]int32{a, b}
}

// addProximity adds the geographic edges of the projection.
func addProximity(v *view, o Options, weights map[[2]int32]float64) {
	var pts []gridPoint
	for i, s := range v.schools {
		if s.Location.Known() {
			pts = append(pts, gridPoint{loc: s.Location, urn: s.URN, idx: int32(i)})
		}
	}
	g := newGrid(pts, o.ProximityKm)
	added := map[[2]int32]bool{}
	type near struct {
		i int32
		d float64
	}
	var ns []near
	for _, p := range pts {
		ns = ns[:0]
		g.near(p.loc, o.ProximityKm, func(q *gridPoint, d float64) {
			if q.idx != p.idx {
				ns = append(ns, near{q.idx, d})
			}
		})
		slices.SortFunc(ns, func(a, b near) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i)) })
		for _, n := range ns[:min(len(ns), o.ProximityNeighbours)] {
			k := pairOf(p.idx, n.i)
			if !added[k] {
				added[k] = true
				weights[k] += o.ProximityWeight
			}
		}
	}
}

// projection is the weighted school–school graph handed to gonum, with
// neighbours in ascending order so that community detection is
// deterministic. It implements graph.WeightedUndirected.
type projection struct {
	off []int32
	nbr []int32
	w   []float64
}

var _ graph.WeightedUndirected = (*projection)(nil)

func newProjection(n int, weights map[[2]int32]float64) *projection {
	p := &projection{off: make([]int32, n+1)}
	keys := make([][2]int32, 0, len(weights))
	for k := range weights {
		keys = append(keys, k)
		p.off[k[0]+1]++
		p.off[k[1]+1]++
	}
	for i := 1; i <= n; i++ {
		p.off[i] += p.off[i-1]
	}
	p.nbr = make([]int32, 2*len(keys))
	p.w = make([]float64, 2*len(keys))
	slices.SortFunc(keys, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	fill := slices.Clone(p.off[:n])
	// Sorted keys fill each row in ascending order: the lower end's row gets
	// its higher neighbours in order, and a row's lower neighbours (added
	// as the higher end) all come from earlier keys. Sort each row anyway.
	for _, k := range keys {
		wt := weights[k]
		p.nbr[fill[k[0]]], p.w[fill[k[0]]] = k[1], wt
		fill[k[0]]++
		p.nbr[fill[k[1]]], p.w[fill[k[1]]] = k[0], wt
		fill[k[1]]++
	}
	for i := range n {
		lo, hi := p.off[i], p.off[i+1]
		idx := make([]int, hi-lo)
		for j := range idx {
			idx[j] = int(lo) + j
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(p.nbr[a], p.nbr[b]) })
		nb := make([]int32, len(idx))
		ws := make([]float64, len(idx))
		for j, x := range idx {
			nb[j], ws[j] = p.nbr[x], p.w[x]
		}
		copy(p.nbr[lo:hi], nb)
		copy(p.w[lo:hi], ws)
	}
	return p
}

func (p *projection) degree(i int32) int { return int(p.off[i+1] - p.off[i]) }

// find returns the position of y in x's row, or -1.
func (p *projection) find(x, y int64) int {
	if x < 0 || y < 0 || x >= int64(len(p.off)-1) || y >= int64(len(p.off)-1) {
		return -1
	}
	row := p.nbr[p.off[x]:p.off[x+1]]
	if j, ok := slices.BinarySearch(row, int32(y)); ok {
		return int(p.off[x]) + j
	}
	return -1
}

// Node implements graph.Graph; only schools with an edge are nodes.
func (p *projection) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(p.off)-1) || p.degree(int32(id)) == 0 {
		return nil
	}
	return simple.Node(id)
}

// Nodes implements graph.Graph.
func (p *projection) Nodes() graph.Nodes {
	var ns []graph.Node
	for i := range int32(len(p.off) - 1) {
		if p.degree(i) > 0 {
			ns = append(ns, simple.Node(i))
		}
	}
	return iterator.NewOrderedNodes(ns)
}

// From implements graph.Graph.
func (p *projection) From(id int64) graph.Nodes {
	if p.Node(id) == nil {
		return graph.Empty
	}
	row := p.nbr[p.off[id]:p.off[id+1]]
	ns := make([]graph.Node, len(row))
	for j, y := range row {
		ns[j] = simple.Node(y)
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeBetween implements graph.Graph.
func (p *projection) HasEdgeBetween(x, y int64) bool { return p.find(x, y) >= 0 }

// Edge implements graph.Graph.
func (p *projection) Edge(u, v int64) graph.Edge { return p.WeightedEdgeBetween(u, v) }

// EdgeBetween implements graph.Undirected.
func (p *projection) EdgeBetween(x, y int64) graph.Edge { return p.WeightedEdgeBetween(x, y) }

// WeightedEdge implements graph.Weighted.
func (p *projection) WeightedEdge(u, v int64) graph.WeightedEdge { return p.WeightedEdgeBetween(u, v) }

// WeightedEdgeBetween implements graph.WeightedUndirected.
func (p *projection) WeightedEdgeBetween(x, y int64) graph.WeightedEdge {
	j := p.find(x, y)
	if j < 0 {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(x), T: simple.Node(y), W: p.w[j]}
}

// Weight implements graph.Weighted: 0 for a node with itself.
func (p *projection) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	j := p.find(x, y)
	if j < 0 {
		return 0, false
	}
	return p.w[j], true
}
