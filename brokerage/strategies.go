package brokerage

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// Optimal is the strategy that meets as many needs as possible and, among
// the ways of meeting that many, minimises the total cost. It solves a
// capacitated assignment exactly as a minimum-cost flow (flow.Assignment):
// each need may stay unmet at a penalty larger than any saving that
// dropping it could bring, so the number met comes first. Costs are rounded
// to Precision decimal places (default 2) for the solver; a coarser
// precision is used when needed to keep the integers in range.
type Optimal struct {
	// Precision is the number of decimal places of cost the solver
	// distinguishes; 0 means 2.
	Precision int
}

// Name returns "optimal".
func (Optimal) Name() string { return "optimal" }

// Match solves p exactly.
func (s Optimal) Match(ctx context.Context, p *Problem) ([]int, error) {
	prec := s.Precision
	if prec <= 0 {
		prec = 2
	}
	var maxAbs float64
	for _, cs := range p.Candidates {
		for _, c := range cs {
			maxAbs = math.Max(maxAbs, math.Abs(c.Cost))
		}
	}
	n := len(p.Needs)
	scale := math.Pow(10, float64(prec))
	// penalty > 2 n maxCost: any solution meeting more needs is cheaper.
	for scale > 1e-9 && (2*maxAbs*scale+1)*float64(n+1) > flow.MaxValue/4 {
		scale /= 10
	}
	maxInt := int64(math.Round(maxAbs * scale))
	penalty := (2*maxInt+1)*int64(n+1) + 1
	a := flow.NewAssignment(n, len(p.Offers))
	for j, o := range p.Offers {
		a.SetCapacity(j, int64(o.Capacity))
	}
	for i, cs := range p.Candidates {
		a.SetPenalty(i, penalty)
		for _, c := range cs {
			a.AddArc(i, c.Offer, int64(math.Round(c.Cost*scale)))
		}
	}
	res, err := a.Solve(ctx)
	if err != nil {
		return nil, err
	}
	choice := make([]int, n)
	// Arcs were added need by need in candidate order.
	first := 0
	for i, cs := range p.Candidates {
		choice[i] = -1
		if k := res.Arc[i]; k >= 0 {
			choice[i] = k - first
		}
		first += len(cs)
	}
	return choice, nil
}

// Greedy is the transparent baseline: needs in order of priority (most
// urgent first, then fewest candidates, then input order) each take their
// cheapest candidate that still has capacity.
type Greedy struct{}

// Name returns "greedy".
func (Greedy) Name() string { return "greedy" }

// Match assigns greedily.
func (Greedy) Match(ctx context.Context, p *Problem) ([]int, error) {
	order := make([]int, len(p.Needs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(p.Needs[y].Priority, p.Needs[x].Priority),
			cmp.Compare(len(p.Candidates[x]), len(p.Candidates[y])))
	})
	left := make([]int, len(p.Offers))
	for j, o := range p.Offers {
		left[j] = o.Capacity
	}
	choice := make([]int, len(p.Needs))
	for c, i := range order {
		if c&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		choice[i] = -1
		for k, cand := range p.Candidates[i] {
			if left[cand.Offer] > 0 {
				left[cand.Offer]--
				choice[i] = k
				break
			}
		}
	}
	return choice, nil
}

// Stable is a many-to-one stable matching (hospitals and residents with
// capacities) by need-proposing deferred acceptance. Each need ranks its
// candidates by cost (the order of Problem.Candidates); each offer ranks
// needs by priority (most urgent first), then by the pair's cost, then by
// input order. The result has no blocking pair: no need and offer that
// both prefer each other to what they have. It is the need-optimal stable
// matching, for programmes where schools and providers state preferences
// and stability matters more than total cost.
type Stable struct{}

// Name returns "stable".
func (Stable) Name() string { return "stable" }

// Match runs deferred acceptance.
func (Stable) Match(ctx context.Context, p *Problem) ([]int, error) {
	n := len(p.Needs)
	next := make([]int, n) // next candidate each need proposes to
	choice := make([]int, n)
	held := make([][]int, len(p.Offers)) // needs each offer holds
	// better reports whether an offer prefers need i (through its
	// candidate k1) to need i2 (through k2).
	better := func(i, k1, i2, k2 int) bool {
		a, b := p.Needs[i].Priority, p.Needs[i2].Priority
		if a != b {
			return a > b
		}
		c1, c2 := p.Candidates[i][k1].Cost, p.Candidates[i2][k2].Cost
		if c1 != c2 {
			return c1 < c2
		}
		return i < i2
	}
	free := make([]int, 0, n)
	for i := n - 1; i >= 0; i-- {
		choice[i] = -1
		free = append(free, i)
	}
	steps := 0
	for len(free) > 0 {
		steps++
		if steps&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		i := free[len(free)-1]
		free = free[:len(free)-1]
		if next[i] >= len(p.Candidates[i]) {
			continue // exhausted: stays unmet
		}
		k := next[i]
		next[i]++
		j := p.Candidates[i][k].Offer
		if len(held[j]) < p.Offers[j].Capacity {
			held[j] = append(held[j], i)
			choice[i] = k
			continue
		}
		// Full: find the offer's least preferred held need.
		worst := 0
		for x := 1; x < len(held[j]); x++ {
			if better(held[j][worst], choice[held[j][worst]], held[j][x], choice[held[j][x]]) {
				worst = x
			}
		}
		w := held[j][worst]
		if better(i, k, w, choice[w]) {
			held[j][worst] = i
			choice[i] = k
			choice[w] = -1
			free = append(free, w)
		} else {
			free = append(free, i)
		}
	}
	return choice, nil
}
