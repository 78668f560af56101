package analysis

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Articulation is a cut vertex of a Graph: a node whose removal splits its
// connected component.
type Articulation struct {
	Node int64 `json:"node"`
	// Pieces is the number of parts the node's component falls into when
	// the node is removed (at least 2).
	Pieces int `json:"pieces"`
	// JoinsNetworks is the number of those parts that hold a network. For a
	// school or organisation it equals Pieces: each part holds networks it
	// alone connects. For a network it leaves out parts that are a single
	// member belonging to no other network.
	JoinsNetworks int `json:"joins_networks"`
}

// Articulations returns the articulation points of g, ascending by node ID,
// found with Tarjan's depth-first search in time linear in the size of g.
func Articulations(g *Graph) []Articulation {
	n := len(g.nodes)
	disc := make([]int32, n) // 0 = unvisited; otherwise DFS order from 1
	low := make([]int32, n)
	size := make([]int32, n) // DFS subtree sizes
	cut := make([]int32, n)  // children whose subtree is cut off by the node
	cutSize := make([]int32, n)
	cutNets := make([]int32, n) // cut-off children subtrees with ≥ 2 nodes
	type frame struct {
		v, parent int32
		next      int32 // index into nbr of the next neighbour to visit
	}
	var stack []frame
	var out []Articulation
	var clock int32
	compSize := func(root int32) int32 { return size[root] }
	for r := range int32(n) {
		if disc[r] != 0 {
			continue
		}
		clock++
		disc[r], low[r], size[r] = clock, clock, 1
		stack = append(stack[:0], frame{v: r, parent: -1, next: g.off[r]})
		var order []int32
		order = append(order, r)
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < g.off[f.v+1] {
				w := g.nbr[f.next]
				f.next++
				if disc[w] == 0 {
					clock++
					disc[w], low[w], size[w] = clock, clock, 1
					order = append(order, w)
					stack = append(stack, frame{v: w, parent: f.v, next: g.off[w]})
				} else if w != f.parent {
					low[f.v] = min(low[f.v], disc[w])
				}
				continue
			}
			v, p := f.v, f.parent
			stack = stack[:len(stack)-1]
			if p >= 0 {
				low[p] = min(low[p], low[v])
				size[p] += size[v]
				if low[v] >= disc[p] {
					cut[p]++
					cutSize[p] += size[v]
					if size[v] >= 2 {
						cutNets[p]++
					}
				}
			}
		}
		total := compSize(r)
		for _, v := range order {
			pieces, nets := cut[v], cutNets[v]
			if v != r {
				// The part holding v's DFS parent stays joined above v.
				pieces++
				if rest := total - 1 - cutSize[v]; rest >= 2 {
					nets++
				}
			}
			if g.nodes[v].Kind != NodeNetwork {
				nets = pieces
			}
			if pieces >= 2 {
				out = append(out, Articulation{Node: int64(v), Pieces: int(pieces), JoinsNetworks: int(nets)})
			}
		}
	}
	slices.SortFunc(out, func(a, b Articulation) int { return cmp.Compare(a.Node, b.Node) })
	return out
}

// components labels each node of g with its connected component, numbered
// from 0 in order of each component's lowest node ID, and returns the labels
// and the components' sizes.
func components(g *Graph) (label []int32, sizes []int) {
	label = make([]int32, len(g.nodes))
	for i := range label {
		label[i] = -1
	}
	var queue []int32
	for r := range int32(len(g.nodes)) {
		if label[r] >= 0 {
			continue
		}
		c := int32(len(sizes))
		label[r] = c
		queue = append(queue[:0], r)
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			for _, w := range g.nbr[g.off[v]:g.off[v+1]] {
				if label[w] < 0 {
					label[w] = c
					queue = append(queue, w)
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return label, sizes
}

// BetweennessResult is the betweenness centrality of every node of a Graph.
type BetweennessResult struct {
	// Values holds node i's betweenness at index i: the sum over ordered
	// pairs of other nodes (s, t) of the share of shortest s–t paths that
	// pass through the node, the convention of gonum's network.Betweenness
	// (twice the count over unordered pairs). In a sampled component it is
	// the estimate of Brandes and Pich: the sum over the sampled sources,
	// times the component's size over the number of samples.
	Values []float64 `json:"values"`
	// Sampled is the number of components whose betweenness was sampled
	// rather than computed exactly.
	Sampled int `json:"sampled"`
	// Samples is the number of sources sampled in each such component.
	Samples int `json:"samples"`
	// Seed is the seed of the sampling.
	Seed uint64 `json:"seed"`
}

// Betweenness computes the betweenness centrality of g's nodes with Brandes'
// algorithm, component by component: exactly in components of at most
// opts.ExactLimit nodes, and from opts.Samples source nodes drawn without
// replacement (a PCG generator seeded with opts.Seed, components taken in
// order) in larger ones, which bounds the work at Samples breadth-first
// searches per large component. It returns ctx's error if ctx is done
// first, or an error wrapping partnership.ErrInvalid for invalid options.
func Betweenness(ctx context.Context, g *Graph, opts *Options) (*BetweennessResult, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	n := len(g.nodes)
	r := &BetweennessResult{Values: make([]float64, n), Samples: o.Samples, Seed: o.Seed}
	label, sizes := components(g)
	members := make([][]int32, len(sizes))
	for v, c := range label {
		if sizes[c] >= 3 {
			members[c] = append(members[c], int32(v))
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	b := newBrandes(g)
	for _, vs := range members {
		if len(vs) == 0 {
			continue
		}
		sources, scale := vs, 1.0
		if len(vs) > o.ExactLimit && o.Samples < len(vs) {
			r.Sampled++
			pick := slices.Clone(vs)
			for i := range o.Samples {
				j := i + rng.IntN(len(pick)-i)
				pick[i], pick[j] = pick[j], pick[i]
			}
			sources = pick[:o.Samples]
			scale = float64(len(vs)) / float64(o.Samples)
		}
		for i, s := range sources {
			if i%64 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			b.from(s, scale, r.Values)
		}
	}
	return r, nil
}

// brandes holds the work arrays of single-source shortest-path counting.
type brandes struct {
	g     *Graph
	dist  []int32
	sigma []float64
	delta []float64
	order []int32
}

func newBrandes(g *Graph) *brandes {
	n := len(g.nodes)
	b := &brandes{g: g, dist: make([]int32, n), sigma: make([]float64, n), delta: make([]float64, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// from adds scale times source s's dependencies to cb.
func (b *brandes) from(s int32, scale float64, cb []float64) {
	g := b.g
	b.order = append(b.order[:0], s)
	b.dist[s], b.sigma[s] = 0, 1
	for i := 0; i < len(b.order); i++ {
		v := b.order[i]
		for _, w := range g.nbr[g.off[v]:g.off[v+1]] {
			if b.dist[w] < 0 {
				b.dist[w] = b.dist[v] + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == b.dist[v]+1 {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	for i := len(b.order) - 1; i >= 0; i-- {
		w := b.order[i]
		for _, v := range g.nbr[g.off[w]:g.off[w+1]] {
			if b.dist[v] == b.dist[w]-1 {
				b.delta[v] += b.sigma[v] / b.sigma[w] * (1 + b.delta[w])
			}
		}
		if w != s {
			cb[w] += scale * b.delta[w]
		}
	}
	for _, v := range b.order {
		b.dist[v], b.sigma[v], b.delta[v] = -1, 0, 0
	}
}

// BridgeReport says which organisations and networks hold the partnership
// graph together (see Graph): the cut vertices whose loss would split it and
// the nodes most shortest paths pass through. The source documents' connector
// organisations, which create "connections between" networks "rather than
// add nodes", show here as organisations of high betweenness joining
// several networks.
type BridgeReport struct {
	Area string    `json:"area"`
	At   time.Time `json:"at,omitzero"`
	// Nodes and Edges measure the graph; Components counts its connected
	// components (isolated schools included) and LargestComponent is the
	// size of the largest, in nodes.
	Nodes            int `json:"nodes"`
	Edges            int `json:"edges"`
	Components       int `json:"components"`
	LargestComponent int `json:"largest_component"`
	// Sampled, Samples and Seed say how betweenness was computed (see
	// BetweennessResult).
	Sampled int    `json:"sampled_components"`
	Samples int    `json:"samples"`
	Seed    uint64 `json:"seed"`
	// Connectors are the articulation points that join two or more parts
	// holding networks (JoinsNetworks ≥ 2), most parts first, then by
	// betweenness (highest first), then by node ID.
	Connectors []Bridge `json:"connectors"`
	// Central are the opts.Top nodes of highest betweenness, highest first,
	// then by node ID, leaving out nodes of zero betweenness.
	Central []Bridge `json:"central"`
}

// Bridge is one node of a BridgeReport with its measures.
type Bridge struct {
	Node        Node    `json:"node"`
	Degree      int     `json:"degree"`
	Betweenness float64 `json:"betweenness"`
	// Pieces and JoinsNetworks are those of the node's Articulation; both
	// are 0 for a node that is not a cut vertex.
	Pieces        int `json:"pieces"`
	JoinsNetworks int `json:"joins_networks"`
}

// Bridges builds the school–network graph of m on opts.At for opts.Area and
// reports its connectors and most central nodes (see BridgeReport,
// Articulations and Betweenness). It returns ctx's error if ctx is done
// first, or an error wrapping partnership.ErrInvalid for invalid options.
func Bridges(ctx context.Context, m *partnership.Model, opts *Options) (*BridgeReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	g := newGraph(newView(m, o.At, o.Area), o.LocalAuthorityNetworks)
	bc, err := Betweenness(ctx, g, &o)
	if err != nil {
		return nil, err
	}
	_, sizes := components(g)
	r := &BridgeReport{Area: o.Area.String(), At: o.At, Nodes: len(g.nodes), Edges: len(g.edges),
		Components: len(sizes), Sampled: bc.Sampled, Samples: bc.Samples, Seed: bc.Seed,
		Connectors: []Bridge{}, Central: []Bridge{}}
	if len(sizes) > 0 {
		r.LargestComponent = slices.Max(sizes)
	}
	arts := map[int64]Articulation{}
	for _, a := range Articulations(g) {
		arts[a.Node] = a
	}
	bridge := func(id int64) Bridge {
		a := arts[id]
		return Bridge{Node: g.nodes[id], Degree: g.degree(int(id)), Betweenness: bc.Values[id],
			Pieces: a.Pieces, JoinsNetworks: a.JoinsNetworks}
	}
	for id, a := range arts {
		if a.JoinsNetworks >= 2 {
			r.Connectors = append(r.Connectors, bridge(id))
		}
	}
	slices.SortFunc(r.Connectors, func(x, y Bridge) int {
		return cmp.Or(cmp.Compare(y.JoinsNetworks, x.JoinsNetworks), cmp.Compare(y.Betweenness, x.Betweenness),
			cmp.Compare(x.Node.ID, y.Node.ID))
	})
	ids := make([]int64, 0, len(g.nodes))
	for i, v := range bc.Values {
		if v > 0 {
			ids = append(ids, int64(i))
		}
	}
	slices.SortFunc(ids, func(x, y int64) int {
		return cmp.Or(cmp.Compare(bc.Values[y], bc.Values[x]), cmp.Compare(x, y))
	})
	for _, id := range ids[:min(len(ids), o.Top)] {
		r.Central = append(r.Central, bridge(id))
	}
	return r, nil
}
