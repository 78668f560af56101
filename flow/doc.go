// Package flow is Fulcrum's exported minimum-cost flow solver. It solves
// minimum-cost flow problems exactly and reads and writes the DIMACS format.
// It imports no domain package, so every part of Fulcrum (brokerage, review)
// and any user of the module can build on it.
//
// It has two solvers. [Network] is a general minimum-cost flow problem:
// nodes with supplies and demands, arcs with lower bounds, capacities and
// integer costs (negative costs allowed). [Network.SolveGeneral] finds an
// optimal flow by the primal network simplex method: a strongly feasible
// spanning-tree basis rooted at an artificial node (so degenerate pivots
// cannot cycle), stored with parent pointers, a preorder thread and subtree
// sizes so that each pivot costs time in the length of the paths it
// changes, and block search pivoting (the arcs are scanned cyclically in
// blocks of 1.5√m; the most violating arc of the first block holding one
// enters), the rule LEMON's NetworkSimplex uses by default with blocks of
// √m. It is exact
// on every instance and is checked against successive shortest paths and
// cycle cancelling in the tests.
//
// [Assignment] is the special case that brokerage produces and that general
// solvers handle slowly because they ignore its structure: a capacitated
// semi-assignment (a transportation problem with unit supplies). Each need is
// assigned to at most one provider through one of its arcs, each provider
// takes at most its capacity, and a need left unassigned costs its penalty.
// [Assignment.Solve] starts from a greedy assignment that is optimal for
// reduced costs of zero, then augments one need at a time along shortest
// alternating paths with a Dijkstra search that runs over providers only and
// stops at the first provider with a free slot, updating potentials only on
// the nodes it scanned. Every step keeps complementary slackness, so the
// result is optimal, not approximate.
//
// [ParseDIMACS] reads the DIMACS minimum-cost flow format ("p min", "n" and
// "a" lines) and [WriteDIMACS] writes it, so any instance can be checked
// against any other solver. [Network.Assignment] recognises a network that is
// really a capacitated semi-assignment so that such files can be solved by the
// faster solver.
//
// # Errors
//
// Solvers return [ErrInfeasible] when supplies cannot be routed (or a need
// without a penalty cannot be assigned), [ErrInvalid] for a malformed problem
// (an arc to a missing node, a negative capacity, values out of range), and
// ctx.Err() when the context ends. DIMACS errors are a [*SyntaxError] naming
// the line.
//
// # Concurrency
//
// A Network or Assignment is built by one goroutine. Solve does not modify the
// problem, so several goroutines may call Solve on the same built problem at
// once.
package flow
