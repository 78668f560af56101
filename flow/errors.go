package flow

import (
	"errors"
	"fmt"
)

// ErrInfeasible is returned by the solvers when no flow satisfies every
// supply and demand within the capacities.
var ErrInfeasible = errors.New("flow: infeasible")

// ErrInvalid is returned for a malformed problem: a node or provider out of
// range, a negative capacity, a lower bound above the capacity, a value
// outside [-MaxValue, MaxValue], sums that could overflow (supplies and
// lower bounds whose magnitudes sum past 2^61; nodes × largest cost past
// 2^58), or an optimal total cost that does not fit an int64. No sum
// overflows silently: each is either bounded before solving or computed
// exactly and refused.
var ErrInvalid = errors.New("flow: invalid problem")

// MaxValue bounds the magnitude of every single cost, capacity and supply.
// Sums are bounded separately (see [ErrInvalid]).
const MaxValue = 1 << 40

// MaxNodes bounds the number of nodes a DIMACS file may declare.
const MaxNodes = 1 << 26

// SyntaxError is an error in a DIMACS file: its 1-based line and what is
// wrong there.
type SyntaxError struct {
	Line int    // 1-based line number
	Msg  string // what is wrong
}

// Error returns "line N: message".
func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }
