package flow

// Assignment reports whether g is a capacitated semi-assignment written as
// a flow network and, if so, returns it as an [Assignment] together with a
// function that turns the assignment's solution back into a flow on g.
//
// The shape recognised is the one [WriteDIMACS] produces for an Assignment
// and most hand-written transportation models have: one sink with supply
// −k; k needs with supply 1; providers with supply 0; every lower bound 0;
// arcs only from a need to a provider (capacity at least 1), from a need to
// the sink (leaving it unmet: the penalty is the cheapest such arc) and at
// most one arc from each provider to the sink with cost 0 (its capacity is
// the provider's).
func (g *Network) Assignment() (*Assignment, func(*AssignmentResult) *Flow, bool) {
	n := len(g.supply)
	sink := -1
	var needs int64
	idx := make([]int32, n) // need or provider index, by role
	role := make([]int8, n) // 0 provider, 1 need, 2 sink
	var nn, np int32
	if n >= 1<<31-2 || len(g.arcs) >= 1<<31-2 {
		return nil, nil, false
	}
	for v, b := range g.supply {
		switch {
		case b == 1:
			role[v], idx[v] = 1, nn
			nn++
			needs++
		case b == 0:
			role[v], idx[v] = 0, np
			np++
		case b < 0 && sink < 0:
			sink = v
			role[v] = 2
		default:
			return nil, nil, false
		}
	}
	if sink < 0 || g.supply[sink] != -needs {
		return nil, nil, false
	}
	capArc := make([]int32, np)
	for i := range capArc {
		capArc[i] = -1
	}
	penArc := make([]int32, nn)
	for i := range penArc {
		penArc[i] = -1
	}
	inner := 0
	for k, a := range g.arcs {
		if a.Low != 0 || a.Cap < 0 || a.From < 0 || a.From >= n || a.To < 0 || a.To >= n ||
			a.Cap > MaxValue || a.Cost > MaxValue || a.Cost < -MaxValue {
			return nil, nil, false
		}
		from, to := role[a.From], role[a.To]
		switch {
		case from == 1 && to == 0 && a.Cap >= 1:
			inner++
		case from == 1 && to == 2 && a.Cap >= 1:
			if p := penArc[idx[a.From]]; p < 0 || g.arcs[p].Cost > a.Cost {
				penArc[idx[a.From]] = int32(k)
			}
		case from == 0 && to == 2 && a.Cost == 0 && capArc[idx[a.From]] < 0:
			capArc[idx[a.From]] = int32(k)
		default:
			return nil, nil, false
		}
	}
	asg := NewAssignment(int(nn), int(np))
	asg.arcs = make([]assignArc, 0, inner)
	for p, k := range capArc {
		if k >= 0 {
			asg.SetCapacity(p, g.arcs[k].Cap)
		}
	}
	for i, k := range penArc {
		if k >= 0 {
			asg.SetPenalty(i, g.arcs[k].Cost)
		}
	}
	arcOf := make([]int32, 0, inner)
	for k, a := range g.arcs {
		if role[a.From] == 1 && role[a.To] == 0 {
			asg.arcs = append(asg.arcs, assignArc{idx[a.From], idx[a.To], a.Cost})
			arcOf = append(arcOf, int32(k))
		}
	}
	back := func(res *AssignmentResult) *Flow {
		f := &Flow{Cost: res.Cost, Arcs: make([]int64, len(g.arcs))}
		for i, k := range res.Arc {
			if k < 0 {
				f.Arcs[penArc[i]]++
				continue
			}
			f.Arcs[arcOf[k]]++
			if c := capArc[res.Provider[i]]; c >= 0 {
				f.Arcs[c]++
			}
		}
		return f
	}
	return asg, back, true
}
