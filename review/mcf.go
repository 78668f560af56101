package review

import (
	"context"
	"math"
)

// flowGraph is a minimum-cost flow network solved by successive shortest
// paths with node potentials, repeated until the demand is met or no
// augmenting path is left. Every arc cost must be non-negative when
// the graph is built, so zero potentials are feasible at the start; the
// result is then an exact minimum-cost flow of maximum value up to need.
//
// Arcs are stored in pairs: arc a and its residual twin a^1.
type flowGraph struct {
	n    int
	to   []int32
	cap  []int32 // residual capacity
	cost []int64
	from []int32

	// built by finish
	start []int32 // CSR offsets into adj, len n+1
	adj   []int32 // arc indices by tail node

	pot     []int64
	dist    []int64
	pred    []int32
	touched []int32
	settled []int32
	heap    distHeap
}

const infDist = math.MaxInt64 / 4

func (g *flowGraph) addNode() int { g.n++; return g.n - 1 }

// addArc adds an arc u→v and returns its index; flow(a) reads its flow.
func (g *flowGraph) addArc(u, v int, c int32, cost int64) int {
	a := len(g.to)
	g.to = append(g.to, int32(v), int32(u))
	g.from = append(g.from, int32(u), int32(v))
	g.cap = append(g.cap, c, 0)
	g.cost = append(g.cost, cost, -cost)
	return a
}

// flow returns the flow on arc a (the residual capacity of its twin).
func (g *flowGraph) flow(a int) int32 { return g.cap[a^1] }

func (g *flowGraph) finish() {
	g.start = make([]int32, g.n+1)
	for _, u := range g.from {
		g.start[u+1]++
	}
	for i := 1; i <= g.n; i++ {
		g.start[i] += g.start[i-1]
	}
	g.adj = make([]int32, len(g.from))
	pos := make([]int32, g.n)
	copy(pos, g.start[:g.n])
	for a, u := range g.from {
		g.adj[pos[u]] = int32(a)
		pos[u]++
	}
	g.pot = make([]int64, g.n)
	g.dist = make([]int64, g.n)
	g.pred = make([]int32, g.n)
}

// solve sends units from s to the deficit nodes at minimum cost: demand[i]
// units to node deficits[i]. s is the only node with excess. It returns the
// units delivered and the total cost.
//
// Each round takes the next deficit node l and runs Dijkstra backwards from
// l on reduced costs until s is settled, augments one unit along that path
// and raises the potentials of the settled nodes. Any excess–deficit pair
// may be chosen in successive shortest paths, so the result is optimal; and
// a search from one deficit stays local (it stops at the nearest reviewer
// with room), which is what makes it fast on team-building instances.
func (g *flowGraph) solve(ctx context.Context, s int, deficits []int, demand []int) (int, int64, error) {
	g.finish()
	for i := range g.dist {
		g.dist[i] = infDist
	}
	total := 0
	round := 0
	for i, l := range deficits {
		for k := 0; k < demand[i]; k++ {
			if round++; round&63 == 0 {
				if err := ctx.Err(); err != nil {
					return total, 0, err
				}
			}
			if !g.reverseDijkstra(s, l) {
				break
			}
			for v := s; v != l; {
				a := g.pred[v]
				g.cap[a]--
				g.cap[a^1]++
				v = int(g.to[a])
			}
			total++
		}
	}
	var cost int64
	for a := 0; a < len(g.to); a += 2 {
		cost += int64(g.cap[a^1]) * g.cost[a]
	}
	return total, cost, nil
}

func (g *flowGraph) reduced(a int32) int64 {
	return g.cost[a] + g.pot[g.from[a]] - g.pot[g.to[a]]
}

// reverseDijkstra finds a shortest path from s to l on reduced costs by
// searching backwards from l, recording in pred[u] the arc leaving u on the
// path, and raises the potential of every settled node v by D − dist(v),
// where D = dist(s); that keeps every residual reduced cost non-negative and
// makes the path's zero. Every entry of dist is infDist again on return.
func (g *flowGraph) reverseDijkstra(s, l int) bool {
	g.touched = g.touched[:0]
	g.settled = g.settled[:0]
	g.dist[l] = 0
	g.touched = append(g.touched, int32(l))
	g.heap = g.heap[:0]
	g.heap.push(0, int32(l))
	var ds int64 = infDist
	for len(g.heap) > 0 {
		d, v := g.heap.pop()
		if d > g.dist[v] {
			continue
		}
		if int(v) == s {
			ds = d
			break
		}
		g.settled = append(g.settled, v)
		for _, b := range g.adj[g.start[v]:g.start[v+1]] {
			a := b ^ 1 // the arc u->v whose twin b leaves v
			if g.cap[a] <= 0 {
				continue
			}
			u := g.to[b]
			nd := d + g.cost[a] + g.pot[u] - g.pot[v]
			if nd < g.dist[u] {
				if g.dist[u] == infDist {
					g.touched = append(g.touched, u)
				}
				g.dist[u] = nd
				g.pred[u] = a
				g.heap.push(nd, u)
			}
		}
	}
	if ds != infDist {
		for _, v := range g.settled {
			g.pot[v] += ds - g.dist[v]
		}
	}
	for _, v := range g.touched {
		g.dist[v] = infDist
	}
	return ds != infDist
}

// distHeap is a binary min-heap of (distance, node), ties broken by node so
// that the search order is deterministic.
type distHeap []heapItem

type heapItem struct {
	d int64
	v int32
}

func (h heapItem) less(o heapItem) bool { return h.d < o.d || (h.d == o.d && h.v < o.v) }

func (h *distHeap) push(d int64, v int32) {
	*h = append(*h, heapItem{d, v})
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *distHeap) pop() (int64, int32) {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && s[r].less(s[l]) {
			m = r
		}
		if !s[m].less(s[i]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top.d, top.v
}
