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

// RadixHeap is the assignment solver's queue of providers, for the tests.
type RadixHeap = rheap

// NewRadixHeap returns an empty heap of providers 0..n-1.
func NewRadixHeap(n int) *RadixHeap {
	h := &rheap{}
	h.init(n)
	return h
}

func (h *rheap) Set(d int64, v int32) { h.set(d, v) }
func (h *rheap) Pop() (int64, int32)  { return h.pop() }
func (h *rheap) Len() int             { return h.n }
func (h *rheap) Clear()               { h.clear() }
