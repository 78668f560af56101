package analysis

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// FamilyReport gives each school of an area its family: the schools most
// like it in context, the basis for benchmarking a school against others
// that face similar circumstances.
//
// Similarity is measured within a phase. Each open school of the model with
// a known headcount (School.PupilCount) and a known FSM percentage
// (School.FSM) is described by three features: its number of pupils, its FSM
// percentage and its rural flag (1 when School.Rural, otherwise 0, so a
// school without an urban–rural classification counts as urban). Each
// feature is standardised over the open schools of the same phase that have
// known features (z = (x − mean) / standard deviation, or 0 when the
// deviation is 0), and the distance between two schools is the Euclidean
// distance between their standardised features. A school's family is the
// opts.FamilySize schools of its phase nearest to it, anywhere in the model,
// nearest first, ties to the lower URN.
type FamilyReport struct {
	Area string    `json:"area"`
	At   time.Time `json:"at,omitzero"`
	Size int       `json:"size"`
	// Excluded counts the area's open schools left out for want of a known
	// headcount or FSM percentage.
	Excluded int `json:"excluded"`
	// Families has one entry per included school of the area, ascending by
	// URN.
	Families []Family `json:"families"`
}

// Family is a school and the schools most similar to it.
type Family struct {
	School  SchoolRef `json:"school"`
	Similar []Similar `json:"similar"`
}

// Similar is one member of a family and its distance from the family's
// school.
type Similar struct {
	School   SchoolRef `json:"school"`
	Distance float64   `json:"distance"`
}

// famPoint is a school in standardised feature space.
type famPoint struct {
	s       *partnership.School
	z       [3]float64
	inArea  bool
	ordinal int // position in the phase's order by z[0]
}

// Families computes the family of every open school of opts.Area on opts.At
// (see FamilyReport). It searches each phase's schools in order of
// standardised headcount outwards from the school, stopping once the
// headcount difference alone exceeds the farthest of the family found so
// far, which gives the same families as comparing every pair. It returns
// ctx's error if ctx is done first, or an error wrapping
// partnership.ErrInvalid for invalid options.
func Families(ctx context.Context, m *partnership.Model, opts *Options) (*FamilyReport, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &FamilyReport{Area: o.Area.String(), At: o.At, Size: o.FamilySize, Families: []Family{}}
	byPhase := map[partnership.Phase][]*famPoint{}
	all := m.Schools()
	for i := range all {
		s := &all[i]
		if !open(s, o.At) {
			continue
		}
		in := o.Area.Contains(s)
		pupils, knownPupils := s.PupilCount()
		fsm, knownFSM := s.FSM()
		if !knownPupils || !knownFSM {
			if in {
				r.Excluded++
			}
			continue
		}
		rural := 0.0
		if s.Rural() {
			rural = 1
		}
		byPhase[s.Phase] = append(byPhase[s.Phase], &famPoint{s: s, z: [3]float64{float64(pupils), fsm, rural}, inArea: in})
	}
	for _, ph := range sortedKeys(byPhase) {
		pts := byPhase[ph]
		standardise(pts)
		slices.SortFunc(pts, func(a, b *famPoint) int { return cmp.Or(cmp.Compare(a.z[0], b.z[0]), cmp.Compare(a.s.URN, b.s.URN)) })
		for i, p := range pts {
			p.ordinal = i
		}
		h := &famHeap{}
		for n, p := range pts {
			if !p.inArea {
				continue
			}
			if n%512 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			r.Families = append(r.Families, familyOf(pts, p, o.FamilySize, h))
		}
	}
	slices.SortFunc(r.Families, func(a, b Family) int { return cmp.Compare(a.School.URN, b.School.URN) })
	return r, nil
}

func standardise(pts []*famPoint) {
	for f := range 3 {
		var mean, sq float64
		for _, p := range pts {
			mean += p.z[f]
		}
		mean /= float64(len(pts))
		for _, p := range pts {
			d := p.z[f] - mean
			sq += d * d
		}
		sd := math.Sqrt(sq / float64(len(pts)))
		for _, p := range pts {
			if sd > 0 {
				p.z[f] = (p.z[f] - mean) / sd
			} else {
				p.z[f] = 0
			}
		}
	}
}

func dist2(a, b *famPoint) float64 {
	var d float64
	for f := range 3 {
		x := a.z[f] - b.z[f]
		d += x * x
	}
	return d
}

func familyOf(pts []*famPoint, p *famPoint, k int, h *famHeap) Family {
	*h = (*h)[:0]
	consider := func(q *famPoint) bool {
		d0 := q.z[0] - p.z[0]
		if h.Len() == k && d0*d0 > (*h)[0].d2 {
			return false
		}
		c := famCand{d2: dist2(p, q), q: q}
		if h.Len() < k {
			heap.Push(h, c)
		} else if c.less((*h)[0]) {
			(*h)[0] = c
			heap.Fix(h, 0)
		}
		return true
	}
	for lo, hi := p.ordinal-1, p.ordinal+1; lo >= 0 || hi < len(pts); {
		if lo >= 0 && !consider(pts[lo]) {
			lo = -1
		} else if lo >= 0 {
			lo--
		}
		if hi < len(pts) && !consider(pts[hi]) {
			hi = len(pts)
		} else if hi < len(pts) {
			hi++
		}
	}
	cands := slices.Clone(*h)
	slices.SortFunc(cands, func(a, b famCand) int {
		if a.less(b) {
			return -1
		}
		if b.less(a) {
			return 1
		}
		return 0
	})
	f := Family{School: schoolRef(p.s), Similar: make([]Similar, len(cands))}
	for i, c := range cands {
		f.Similar[i] = Similar{School: schoolRef(c.q.s), Distance: math.Sqrt(c.d2)}
	}
	return f
}

type famCand struct {
	d2 float64
	q  *famPoint
}

// less orders candidates nearest first, ties to the lower URN.
func (a famCand) less(b famCand) bool {
	return a.d2 < b.d2 || (a.d2 == b.d2 && a.q.s.URN < b.q.s.URN)
}

// famHeap is a max-heap of candidates: the farthest on top.
type famHeap []famCand

func (h famHeap) Len() int           { return len(h) }
func (h famHeap) Less(i, j int) bool { return h[j].less(h[i]) }
func (h famHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *famHeap) Push(x any)        { *h = append(*h, x.(famCand)) }
func (h *famHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
