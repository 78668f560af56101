package flow

import (
	"fmt"
	"math"
	"math/bits"
)

// sumLimit bounds every flow quantity the solvers form (supplies after
// lower bounds are moved into them, flow on any arc, artificial flows) and
// every potential or distance (at most a few times nodes × the largest
// cost), so that adding two of them, or one of them to a cost, cannot
// overflow an int64.
const sumLimit = int64(1) << 61

// addAbs adds |x| to *acc and reports false once the sum passes sumLimit.
func addAbs(acc *int64, x int64) bool {
	if x < 0 {
		x = -x
	}
	if x > sumLimit || *acc > sumLimit-x {
		return false
	}
	*acc += x
	return true
}

// potentialFits reports whether potentials and distances over nodes nodes
// with costs of magnitude at most maxCost stay below sumLimit: a path in a
// spanning tree crosses at most nodes arcs, plus one artificial arc whose
// cost is (maxCost+1) × nodes, and a reduced cost adds two potentials.
func potentialFits(nodes int, maxCost int64) bool {
	hi, lo := bits.Mul64(uint64(nodes)+2, uint64(maxCost)+1)
	if hi != 0 || lo > uint64(sumLimit/8) {
		return false
	}
	return true
}

// costSum accumulates a total cost exactly as a 128-bit integer, so that a
// total outside the int64 range is detected instead of wrapping.
type costSum struct {
	hi int64
	lo uint64
}

// add adds x × c.
func (s *costSum) add(x, c int64) {
	neg := (x < 0) != (c < 0)
	ax, ac := abs64(x), abs64(c)
	hi, lo := bits.Mul64(ax, ac)
	if neg {
		// Two's complement of the 128-bit product.
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, lo, 0)
	s.hi = int64(uint64(s.hi) + hi + carry)
}

// int64 returns the sum, or ErrInvalid when it does not fit an int64.
func (s *costSum) int64() (int64, error) {
	v := int64(s.lo)
	if (s.hi == 0 && v >= 0) || (s.hi == -1 && v < 0) {
		return v, nil
	}
	return 0, fmt.Errorf("%w: the total cost of the optimal flow is outside the int64 range [%d, %d]", ErrInvalid, int64(math.MinInt64), int64(math.MaxInt64))
}

func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}
