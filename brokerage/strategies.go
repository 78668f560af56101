package brokerage

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/internal/enum"
)

// Objective is what the Optimal strategy optimises, lexicographically.
type Objective int

// Objectives.
const (
	// UrgentFirst, the default, meets as many needs of priority 5 as
	// possible; among those solutions, as many of priority 4; and so on
	// down to priority 1 (so, at the end, as many needs as that allows);
	// then it minimises the total cost. No number of routine needs met
	// makes up for one more urgent need left unmet.
	UrgentFirst Objective = iota
	// MostNeeds meets as many needs as possible, whatever their priority,
	// then minimises the total cost (in which PriorityWeight makes urgent
	// needs cheaper, but only as one cost among others).
	MostNeeds
)

var objectives = enum.New[Objective]("objective", []string{"urgent-first", "most-needs"}, map[string]Objective{"": UrgentFirst})

// String returns the objective's name: "urgent-first" or "most-needs".
func (o Objective) String() string { return objectives.String(o) }

// MarshalText implements encoding.TextMarshaler.
func (o Objective) MarshalText() ([]byte, error) { return objectives.Marshal(o) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Objective) UnmarshalText(b []byte) error { return objectives.Unmarshal(b, o) }

// Optimal is the strategy that solves the matching exactly for its
// Objective: by default UrgentFirst (the most urgent needs first, then the
// next priority, ..., then least total cost), or MostNeeds (the most needs,
// then least cost). It solves a capacitated assignment exactly as a
// minimum-cost flow (flow.Assignment): a need of priority p may stay unmet
// at a penalty of p × B (UrgentFirst) or B (MostNeeds), where B is larger
// than any difference in cost that an exchange of needs can bring. An
// exchange of two optimal-or-not assignments decomposes into alternating
// paths that each add at most one need and drop at most one, so with these
// penalties no path may drop a need of higher priority to add one of lower
// priority, or drop a need without adding one: the result is
// lexicographically optimal (tested against exhaustive search). Costs are
// rounded to Precision decimal places (default 2) for the solver; a coarser
// precision is used when needed to keep the integers in range.
type Optimal struct {
	// Precision is the number of decimal places of cost the solver
	// distinguishes; 0 means 2.
	Precision int
	// Objective is what is optimised; the zero value is UrgentFirst.
	Objective Objective
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
	levels := int64(1)
	if s.Objective == UrgentFirst {
		levels = 5
	}
	scale := math.Pow(10, float64(prec))
	// B > 2 n maxCost: any exchange adding a need outweighs its cost.
	for scale > 1e-9 && (2*maxAbs*scale+1)*float64(n+1)*float64(levels) > flow.MaxValue/4 {
		scale /= 10
	}
	maxInt := int64(math.Round(maxAbs * scale))
	penalty := (2*maxInt+1)*int64(n+1) + 1
	a := flow.NewAssignment(n, len(p.Offers))
	for j, o := range p.Offers {
		a.SetCapacity(j, int64(o.Capacity))
	}
	for i, cs := range p.Candidates {
		w := int64(1)
		if s.Objective == UrgentFirst {
			w = int64(min(max(p.Needs[i].Priority, 1), 5))
		}
		a.SetPenalty(i, w*penalty)
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
