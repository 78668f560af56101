package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// LinkPlan proposes new links that would join isolated schools to existing
// networks. An isolated school is one in no network of two or more schools
// (IsolationReport.Alone). A network can reach an isolated school when one
// of the network's school members lies within the radius of it; the link
// is the school joining that network.
//
// The selection is the greedy algorithm for maximum coverage: repeatedly
// take the network that reaches the most isolated schools not yet joined
// (ties to the lower network ID), until the requested number of links is
// chosen or no network reaches a school not yet joined. Greedy selection is
// within a factor 1 − 1/e of the best possible choice of that many networks.
type LinkPlan struct {
	Area     string    `json:"area"`
	At       time.Time `json:"at,omitzero"`
	RadiusKm float64   `json:"radius_km"`
	// Isolated counts the isolated schools in the area; Reachable those
	// with a known location that some network reaches; Joined those the
	// selected links join.
	Isolated  int `json:"isolated"`
	Reachable int `json:"reachable"`
	Joined    int `json:"joined"`
	// Unlocated counts the isolated schools left out because their
	// location is unknown: no distance can be measured to them.
	Unlocated int `json:"unlocated"`
	// Links are the selected links, in order of selection.
	Links []Link `json:"links"`
	// Nearest gives, for each reachable isolated school, the network with
	// the nearest school member, ascending by URN.
	Nearest []NearestNetwork `json:"nearest"`
}

// Link is one proposed network and the isolated schools it would newly
// join, ascending by URN.
type Link struct {
	Network NetworkRef  `json:"network"`
	Schools []SchoolRef `json:"schools"`
}

// NearestNetwork is the network nearest to an isolated school: the one
// with the school member (Via) closest to it (ties to the lower network
// ID).
type NearestNetwork struct {
	School     SchoolRef       `json:"school"`
	Network    NetworkRef      `json:"network"`
	Via        partnership.URN `json:"via"`
	DistanceKm float64         `json:"distance_km"`
}

// Links plans up to opts.Links new links joining the isolated schools of
// opts.Area on opts.At to networks (of opts.LinkKinds, when set) with a
// school member within opts.LinkRadiusKm (see LinkPlan). Networks and their members may lie
// outside the area. It returns ctx's error if ctx is done first, or an error
// wrapping partnership.ErrInvalid for invalid options.
func Links(ctx context.Context, m *partnership.Model, opts *Options) (*LinkPlan, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	v := newView(m, o.At, o.Area)
	p := &LinkPlan{Area: o.Area.String(), At: o.At, RadiusKm: o.LinkRadiusKm, Links: []Link{}, Nearest: []NearestNetwork{}}
	var isolated []*partnership.School
	for _, s := range v.schools {
		if !v.connected(s.URN) {
			isolated = append(isolated, s)
		}
	}
	p.Isolated = len(isolated)
	// The member schools of multi-school networks, each once, on a grid.
	var pts []gridPoint
	at := map[partnership.URN]int{}
	for k := range v.nets {
		vn := &v.nets[k]
		if !vn.multiSchool() || (o.LinkKinds != nil && !slices.Contains(o.LinkKinds, vn.n.Kind)) {
			continue
		}
		for _, u := range vn.schools {
			i, ok := at[u]
			if !ok {
				s := m.School(u)
				if s == nil || !s.Location.Known() {
					continue
				}
				i = len(pts)
				at[u] = i
				pts = append(pts, gridPoint{loc: s.Location, urn: u})
			}
			pts[i].nets = append(pts[i].nets, int32(k))
		}
	}
	grid := newGrid(pts, o.LinkRadiusKm)
	reach := map[int32][]int{} // network → isolated schools (indexes) it reaches
	var nets []int32
	for i, s := range isolated {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !s.Location.Known() {
			p.Unlocated++
			continue
		}
		best := NearestNetwork{DistanceKm: math.Inf(1)}
		var bestNet int32 = -1
		nets = nets[:0]
		grid.near(s.Location, o.LinkRadiusKm, func(q *gridPoint, d float64) {
			for _, k := range q.nets {
				nets = append(nets, k)
				if bestNet < 0 || d < best.DistanceKm || (d == best.DistanceKm && (v.nets[k].n.ID < v.nets[bestNet].n.ID ||
					(k == bestNet && q.urn < best.Via))) {
					best.DistanceKm, best.Via, bestNet = d, q.urn, k
				}
			}
		})
		if bestNet < 0 {
			continue
		}
		p.Reachable++
		best.School, best.Network = schoolRef(s), v.nets[bestNet].ref()
		p.Nearest = append(p.Nearest, best)
		slices.Sort(nets)
		for _, k := range slices.Compact(nets) {
			reach[k] = append(reach[k], i)
		}
	}
	slices.SortFunc(p.Nearest, func(a, b NearestNetwork) int { return cmp.Compare(a.School.URN, b.School.URN) })
	// Greedy maximum coverage.
	joined := make([]bool, len(isolated))
	gain := map[int32]int{}
	for k, is := range reach {
		gain[k] = len(is)
	}
	for len(p.Links) < o.Links {
		var pick int32 = -1
		for k, g := range gain {
			if g == 0 {
				continue
			}
			if pick < 0 || g > gain[pick] || (g == gain[pick] && v.nets[k].n.ID < v.nets[pick].n.ID) {
				pick = k
			}
		}
		if pick < 0 {
			break
		}
		l := Link{Network: v.nets[pick].ref()}
		for _, i := range reach[pick] {
			if joined[i] {
				continue
			}
			joined[i] = true
			l.Schools = append(l.Schools, schoolRef(isolated[i]))
		}
		for k, is := range reach {
			if gain[k] == 0 {
				continue
			}
			n := 0
			for _, i := range is {
				if !joined[i] {
					n++
				}
			}
			gain[k] = n
		}
		slices.SortFunc(l.Schools, func(a, b SchoolRef) int { return cmp.Compare(a.URN, b.URN) })
		p.Joined += len(l.Schools)
		p.Links = append(p.Links, l)
	}
	return p, nil
}

// gridPoint is a school on a grid: for Links with the networks it belongs
// to, for community detection with its index among the view's schools.
type gridPoint struct {
	loc  partnership.Location
	urn  partnership.URN
	nets []int32
	idx  int32
}

type cell struct{ x, y int32 }

// grid buckets points into cells at least radius kilometres wide, so every
// point within radius of a location lies in its cell or the eight around it.
type grid struct {
	latStep, lonStep float64
	cells            map[cell][]gridPoint
}

func newGrid(pts []gridPoint, radiusKm float64) *grid {
	const kmPerDegree = partnership.EarthRadiusKm * math.Pi / 180
	maxLat := 0.0
	for _, p := range pts {
		maxLat = max(maxLat, math.Abs(p.loc.Lat))
	}
	cos := math.Max(math.Cos(math.Min(maxLat+1, 89)*math.Pi/180), 0.01)
	g := &grid{latStep: math.Max(radiusKm/kmPerDegree, 1e-6), cells: map[cell][]gridPoint{}}
	g.lonStep = math.Max(radiusKm/(kmPerDegree*cos), 1e-6)
	for _, p := range pts {
		c := g.cellOf(p.loc)
		g.cells[c] = append(g.cells[c], p)
	}
	return g
}

func (g *grid) cellOf(l partnership.Location) cell {
	return cell{int32(math.Floor(l.Lat / g.latStep)), int32(math.Floor(l.Lon / g.lonStep))}
}

// near calls f for every point within radiusKm of l with its distance.
func (g *grid) near(l partnership.Location, radiusKm float64, f func(*gridPoint, float64)) {
	const kmPerDegree = partnership.EarthRadiusKm * math.Pi / 180
	maxDLat := radiusKm / kmPerDegree // a great circle is never shorter than its change in latitude
	c := g.cellOf(l)
	for dx := int32(-1); dx <= 1; dx++ {
		for dy := int32(-1); dy <= 1; dy++ {
			ps := g.cells[cell{c.x + dx, c.y + dy}]
			for i := range ps {
				if math.Abs(ps[i].loc.Lat-l.Lat) > maxDLat {
					continue
				}
				if d := l.DistanceKm(ps[i].loc); d <= radiusKm {
					f(&ps[i], d)
				}
			}
		}
	}
}
