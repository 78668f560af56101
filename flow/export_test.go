package flow

import "context"

// SolveSSP exposes the successive-shortest-paths solver to the tests, as
// an independent check of the network simplex.
func (g *Network) SolveSSP(ctx context.Context) (*Flow, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	return g.solveSSP(ctx)
}
