package flow

// maxCopies bounds the unit copies that the recognition of needs of
// several units may create; beyond it the general solver is used.
const maxCopies = 1 << 24

// Assignment reports whether g is a transportation problem that the
// assignment solver handles and, if so, returns it as an [Assignment]
// together with a function that turns the assignment's solution back into a
// flow on g. [Network.Solve] uses it to choose the fast path.
//
// The shapes recognised (the fast path) are those [WriteDIMACS] produces
// for an Assignment and that transportation models of brokerage have:
//
//   - one sink, the only node with a negative supply, −(total of the needs);
//   - needs: nodes with a positive supply k (a need of k units);
//   - providers: every other node, supply 0;
//   - every lower bound 0, and arcs only from a need to a provider, from a
//     need to the sink (leaving units unmet: the penalty is the cheapest
//     such arc) and at most one arc from each provider to the sink (its
//     capacity is the provider's; its cost, of any sign, is a fee per unit,
//     Assignment.SetFee);
//   - every arc from a need of k units has capacity at least k (so the k
//     units may be routed independently: each becomes a unit need, and the
//     copies' arcs are the need's).
//
// Anything else (lower bounds, transshipment nodes, arcs between providers,
// several sinks, a need whose arcs limit how its units split, more than 16
// million units) takes the general path, [Network.SolveGeneral].
func (g *Network) Assignment() (*Assignment, func(*AssignmentResult) *Flow, bool) {
	a, back, _, ok := g.assignment()
	return a, back, ok
}

// assignment is Assignment that also returns the node of each unit need.
func (g *Network) assignment() (*Assignment, func(*AssignmentResult) *Flow, []int32, bool) {
	n := len(g.supply)
	sink := -1
	var units int64
	idx := make([]int32, n) // first copy (needs) or provider index
	role := make([]int8, n) // 0 provider, 1 need, 2 sink
	var np int32
	if n >= 1<<31-2 || len(g.arcs) >= 1<<31-2 {
		return nil, nil, nil, false
	}
	for v, b := range g.supply {
		switch {
		case b >= 1:
			if units += b; units > maxCopies {
				return nil, nil, nil, false
			}
			role[v], idx[v] = 1, int32(units-b)
		case b == 0:
			role[v], idx[v] = 0, np
			np++
		case b < 0 && sink < 0:
			sink = v
			role[v] = 2
		default:
			return nil, nil, nil, false
		}
	}
	if sink < 0 || g.supply[sink] != -units {
		return nil, nil, nil, false
	}
	capArc := make([]int32, np)
	for i := range capArc {
		capArc[i] = -1
	}
	penArc := make([]int32, n) // by need node
	inner := 0
	for k, a := range g.arcs {
		if a.Low != 0 || a.Cap < 0 || a.From < 0 || a.From >= n || a.To < 0 || a.To >= n ||
			a.Cap > MaxValue || a.Cost > MaxValue || a.Cost < -MaxValue {
			return nil, nil, nil, false
		}
		from, to := role[a.From], role[a.To]
		if from == 1 && a.Cap < g.supply[a.From] {
			return nil, nil, nil, false
		}
		switch {
		case from == 1 && to == 0:
			inner += int(g.supply[a.From])
		case from == 1 && to == 2:
			if p := penArc[a.From]; p == 0 || g.arcs[p-1].Cost > a.Cost {
				penArc[a.From] = int32(k + 1)
			}
		case from == 0 && to == 2 && capArc[idx[a.From]] < 0:
			capArc[idx[a.From]] = int32(k)
		default:
			return nil, nil, nil, false
		}
	}
	if inner > maxCopies*4 {
		return nil, nil, nil, false
	}
	asg := NewAssignment(int(units), int(np))
	for p, k := range capArc {
		if k >= 0 {
			asg.SetCapacity(p, g.arcs[k].Cap)
			if c := g.arcs[k].Cost; c != 0 {
				asg.SetFee(p, c)
			}
		}
	}
	needOf := make([]int32, units) // node of each unit copy
	for v, b := range g.supply {
		if role[v] != 1 {
			continue
		}
		for c := int64(0); c < b; c++ {
			i := int(idx[v]) + int(c)
			needOf[i] = int32(v)
			if k := penArc[v]; k > 0 {
				asg.SetPenalty(i, g.arcs[k-1].Cost)
			}
		}
	}
	// The solver reads the arcs from the network, each need's once per
	// unit; a result's Arc is then the network arc's index.
	asg.source = func(yield func(need, provider int32, cost int64, orig int32)) {
		for k, a := range g.arcs {
			if role[a.From] == 1 && role[a.To] == 0 {
				for c := int32(0); c < int32(g.supply[a.From]); c++ {
					yield(idx[a.From]+c, idx[a.To], a.Cost, int32(k))
				}
			}
		}
	}
	back := func(res *AssignmentResult) *Flow {
		f := &Flow{Cost: res.Cost, Arcs: make([]int64, len(g.arcs))}
		for i, k := range res.Arc {
			if k < 0 {
				f.Arcs[penArc[needOf[i]]-1]++
				continue
			}
			f.Arcs[k]++
			if c := capArc[res.Provider[i]]; c >= 0 {
				f.Arcs[c]++
			}
		}
		return f
	}
	return asg, back, needOf, true
}
