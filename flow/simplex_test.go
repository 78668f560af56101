package flow

import (
	"testing"

	"pgregory.net/rapid"
)

// checkTree verifies every invariant of the simplex's spanning tree: parent
// arcs join each node to its parent in the recorded direction and are in
// the tree; the thread is a preorder through all nodes, prev its inverse;
// each subtree is the run of the thread from the node to its last node and
// has the recorded size; tree arcs have reduced cost 0; flows are within
// the capacities and balance every node's supply; the tree is strongly
// feasible.
func checkTree(t *rapid.T, s *simplex, supply []int64) {
	N := int32(s.n + 1)
	inTree := 0
	for a := range s.state {
		if s.state[a] == stateTree {
			inTree++
		}
		if s.flow[a] < 0 || s.flow[a] > s.cap[a] {
			t.Fatalf("arc %d flow %d outside [0, %d]", a, s.flow[a], s.cap[a])
		}
	}
	if inTree != s.n {
		t.Fatalf("%d tree arcs for %d nodes", inTree, s.n)
	}
	for v := range N {
		if v == s.root {
			continue
		}
		a, p := s.pred[v], s.parent[v]
		if s.state[a] != stateTree {
			t.Fatalf("node %d: parent arc %d not in the tree", v, a)
		}
		if s.up[v] && (s.src[a] != v || s.tgt[a] != p) || !s.up[v] && (s.src[a] != p || s.tgt[a] != v) {
			t.Fatalf("node %d: arc %d does not join it to parent %d (up %v)", v, a, p, s.up[v])
		}
		if rc := s.cost[a] + s.pi[s.src[a]] - s.pi[s.tgt[a]]; rc != 0 {
			t.Fatalf("tree arc %d has reduced cost %d", a, rc)
		}
		// Strongly feasible: every node can send flow up to its parent.
		if r := s.flow[a]; s.up[v] && s.cap[a]-r == 0 || !s.up[v] && r == 0 {
			t.Fatalf("node %d cannot send flow up arc %d (flow %d of %d)", v, a, r, s.cap[a])
		}
	}
	// The thread from the root: a permutation, prev its inverse, parents
	// before children.
	pos := make([]int32, N)
	for i := range pos {
		pos[i] = -1
	}
	v := s.root
	for i := range N {
		if pos[v] >= 0 {
			t.Fatalf("thread visits node %d twice", v)
		}
		pos[v] = i
		if s.prev[s.next[v]] != v {
			t.Fatalf("prev[next[%d]] = %d", v, s.prev[s.next[v]])
		}
		v = s.next[v]
	}
	if v != s.root {
		t.Fatalf("thread does not return to the root")
	}
	isAncestor := func(a, x int32) bool {
		for ; x >= 0; x = s.parent[x] {
			if x == a {
				return true
			}
		}
		return false
	}
	for v := range N {
		// The run from v to last[v] is exactly v's subtree.
		k, x := int32(1), v
		for x != s.last[v] {
			x = s.next[x]
			k++
			if !isAncestor(v, x) {
				t.Fatalf("node %d in the thread run of %d is not its descendant", x, v)
			}
			if k > N {
				t.Fatalf("run of %d does not end", v)
			}
		}
		if k != s.size[v] {
			t.Fatalf("node %d: run of %d nodes, size %d", v, k, s.size[v])
		}
		if nx := s.next[s.last[v]]; nx != s.root && isAncestor(v, nx) {
			t.Fatalf("node %d: descendant %d after its last", v, nx)
		}
	}
	bal := make([]int64, s.n)
	for a := range s.flow {
		if u := s.src[a]; u != s.root {
			bal[u] += s.flow[a]
		}
		if w := s.tgt[a]; w != s.root {
			bal[w] -= s.flow[a]
		}
	}
	for v := range s.n {
		if bal[v] != supply[v] {
			t.Fatalf("node %d: net outflow %d, supply %d", v, bal[v], supply[v])
		}
	}
}

// TestSimplexTreeInvariants pivots the simplex one step at a time on random
// networks (negative costs, parallel and zero-capacity arcs, degenerate
// pivots) and checks the whole tree after every pivot, the crash pivots
// included.
func TestSimplexTreeInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 25).Draw(t, "nodes")
		g := NewNetwork(n)
		sup := make([]int64, n)
		for range rapid.IntRange(0, 80).Draw(t, "arcs") {
			u, v := rapid.IntRange(0, n-1).Draw(t, "from"), rapid.IntRange(0, n-1).Draw(t, "to")
			c := rapid.Int64Range(0, 6).Draw(t, "cap")
			x := rapid.Int64Range(0, c).Draw(t, "x")
			sup[u] += x
			sup[v] -= x
			g.AddArc(Arc{From: u, To: v, Cap: c, Cost: rapid.Int64Range(-10, 30).Draw(t, "cost")})
		}
		for v, b := range sup {
			g.SetSupply(v, b)
		}
		var maxCost int64
		for _, a := range g.arcs {
			maxCost = max(maxCost, a.Cost, -a.Cost)
		}
		s := newSimplex(g, maxCost)
		// The supplies the flow must balance, the artificial arcs included.
		checkTree(t, s, sup)
		s.crash()
		checkTree(t, s, sup)
		for range 10000 {
			in := s.findEntering()
			if in < 0 {
				break
			}
			s.pivot(in)
			checkTree(t, s, sup)
		}
		if s.findEntering() >= 0 {
			t.Fatalf("no optimum after 10000 pivots")
		}
		// Feasible by construction: no artificial flow is left.
		for v := range n {
			if f := s.flow[s.m+v]; f != 0 {
				t.Fatalf("artificial arc of node %d carries %d", v, f)
			}
		}
	})
}
