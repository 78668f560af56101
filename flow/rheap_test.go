package flow_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// The solver's radix heap against a map: as a Dijkstra search uses it
// (distances queued at or above the last popped, a provider moved only to
// a shorter distance), every pop is a provider at the least distance
// queued, each provider is queued at most once, and Clear starts afresh.
func TestRadixHeap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const n = 16
		h := flow.NewRadixHeap(n)
		queued := map[int32]int64{}
		var last int64
		for range rapid.IntRange(0, 300).Draw(t, "ops") {
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op < 5: // queue or move
				v := rapid.Int32Range(0, n-1).Draw(t, "v")
				bits := rapid.IntRange(0, 44).Draw(t, "bits")
				d := last + rapid.Int64Range(0, 1<<bits).Draw(t, "delta")
				if old, ok := queued[v]; ok && old <= d {
					continue // a search moves a provider only closer
				}
				h.Set(d, v)
				queued[v] = d
			case op < 9:
				if len(queued) == 0 {
					continue
				}
				d, v := h.Pop()
				want, ok := queued[v]
				if !ok || want != d {
					t.Fatalf("popped %d at %d; queued: %v", v, d, queued)
				}
				for u, e := range queued {
					if e < d {
						t.Fatalf("popped %d at %d before %d at %d", v, d, u, e)
					}
				}
				delete(queued, v)
				last = d
			default:
				h.Clear()
				clear(queued)
				last = 0
			}
			if h.Len() != len(queued) {
				t.Fatalf("Len %d, want %d", h.Len(), len(queued))
			}
		}
	})
}
