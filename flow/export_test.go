package flow

import (
	"context"
	"io"
)

// SolveSSP exposes the successive-shortest-paths solver to the tests, as
// an independent check of the network simplex.
func (g *Network) SolveSSP(ctx context.Context) (*Flow, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	return g.solveSSP(ctx)
}

// ParseDIMACSFieldByField is ParseDIMACS reading every arc line field by
// field, without the one-pass reader of plain arc lines.
func ParseDIMACSFieldByField(r io.Reader) (*Network, error) { return parseDIMACS(r, false) }
