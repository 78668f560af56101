package analysis_test

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/graph/network"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// pieces removes node v from g and counts the connected components its own
// component falls into, and how many of them hold a network node.
func pieces(g *analysis.Graph, v int64) (parts, withNetwork int) {
	seen := map[int64]bool{v: true}
	for _, start := range g.Neighbours(v) {
		s := int64(start)
		if seen[s] {
			continue
		}
		parts++
		net := false
		queue := []int64{s}
		seen[s] = true
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			if g.Nodes()[x].Kind == analysis.NodeNetwork {
				net = true
			}
			for _, y := range g.Neighbours(x) {
				if !seen[int64(y)] {
					seen[int64(y)] = true
					queue = append(queue, int64(y))
				}
			}
		}
		if net {
			withNetwork++
		}
	}
	return parts, withNetwork
}

func TestArticulationsMatchVertexRemoval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g, err := analysis.NewGraph(genModel(t), nil)
		require.NoError(t, err)
		var want []analysis.Articulation
		for _, n := range g.Nodes() {
			if p, w := pieces(g, n.ID); p >= 2 {
				want = append(want, analysis.Articulation{Node: n.ID, Pieces: p, JoinsNetworks: w})
			}
		}
		if diff := gocmp.Diff(want, analysis.Articulations(g), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("articulations (-brute force +Tarjan):\n%s", diff)
		}
	})
}

func TestBetweennessMatchesGonum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g, err := analysis.NewGraph(genModel(t), nil)
		require.NoError(t, err)
		got, err := analysis.Betweenness(context.Background(), g, nil)
		require.NoError(t, err)
		require.Zero(t, got.Sampled)
		want := network.Betweenness(g.Undirected())
		for i, v := range got.Values {
			require.InDelta(t, want[int64(i)], v, 1e-9, "node %d", i)
		}
	})
}

// With every node of a component as a sample the estimate is exact, and the
// same seed always gives the same estimate.
func TestBetweennessSampling(t *testing.T) {
	m := syntheticEnglandSmall()
	g, err := analysis.NewGraph(m, nil)
	require.NoError(t, err)
	exact, err := analysis.Betweenness(context.Background(), g, nil)
	require.NoError(t, err)
	all, err := analysis.Betweenness(context.Background(), g, &analysis.Options{ExactLimit: 1, Samples: len(g.Nodes())})
	require.NoError(t, err)
	for i := range exact.Values {
		require.InDelta(t, exact.Values[i], all.Values[i], 1e-6*(1+exact.Values[i]))
	}
	opts := &analysis.Options{ExactLimit: 10, Samples: 5, Seed: 9}
	a, err := analysis.Betweenness(context.Background(), g, opts)
	require.NoError(t, err)
	b, err := analysis.Betweenness(context.Background(), g, opts)
	require.NoError(t, err)
	require.Positive(t, a.Sampled)
	require.Equal(t, a.Values, b.Values)
}

func syntheticEnglandSmall() *partnership.Model {
	d := syntheticEngland(3).Dataset()
	// Keep the first 600 schools and the networks' memberships among them.
	small := partnership.Dataset{Schools: d.Schools[:600], Networks: d.Networks}
	keep := map[partnership.OrgID]bool{}
	for _, s := range small.Schools {
		keep[s.URN.OrgID()] = true
	}
	for _, ms := range d.Memberships {
		if keep[ms.Member] {
			small.Memberships = append(small.Memberships, ms)
		}
	}
	m, err := partnership.NewModel(small)
	if err != nil {
		panic(err)
	}
	return m
}

// bruteFamilies computes families straight from the definition: standardise
// within phase, compute every distance, sort.
func bruteFamilies(m *partnership.Model, k int) map[partnership.URN][]analysis.Similar {
	type pt struct {
		s *partnership.School
		x [3]float64
	}
	byPhase := map[partnership.Phase][]pt{}
	for i := range m.Schools() {
		s := &m.Schools()[i]
		pupils, knownPupils := s.PupilCount()
		fsm, knownFSM := s.FSM()
		if !knownPupils || !knownFSM {
			continue
		}
		r := 0.0
		if strings.HasPrefix(s.UrbanRural, "Rural") {
			r = 1
		}
		byPhase[s.Phase] = append(byPhase[s.Phase], pt{s, [3]float64{float64(pupils), fsm, r}})
	}
	out := map[partnership.URN][]analysis.Similar{}
	for _, ps := range byPhase {
		for f := range 3 {
			var mean, sq float64
			for _, p := range ps {
				mean += p.x[f]
			}
			mean /= float64(len(ps))
			for _, p := range ps {
				sq += (p.x[f] - mean) * (p.x[f] - mean)
			}
			sd := math.Sqrt(sq / float64(len(ps)))
			for i := range ps {
				if sd > 0 {
					ps[i].x[f] = (ps[i].x[f] - mean) / sd
				} else {
					ps[i].x[f] = 0
				}
			}
		}
		for _, p := range ps {
			type c struct {
				d float64
				s *partnership.School
			}
			var cs []c
			for _, q := range ps {
				if q.s.URN != p.s.URN {
					var d float64
					for f := range 3 {
						d += (p.x[f] - q.x[f]) * (p.x[f] - q.x[f])
					}
					cs = append(cs, c{d, q.s})
				}
			}
			slices.SortFunc(cs, func(a, b c) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.s.URN, b.s.URN)) })
			sim := []analysis.Similar{}
			for _, c := range cs[:min(k, len(cs))] {
				sim = append(sim, analysis.Similar{School: analysis.SchoolRef{URN: c.s.URN, Name: c.s.Name, Phase: c.s.Phase,
					Governance: c.s.Governance, LAName: c.s.LAName}, Distance: math.Sqrt(c.d)})
			}
			out[p.s.URN] = sim
		}
	}
	return out
}

func TestFamiliesMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(t)
		k := rapid.IntRange(1, 6).Draw(t, "k")
		r, err := analysis.Families(context.Background(), m, &analysis.Options{FamilySize: k})
		require.NoError(t, err)
		want := bruteFamilies(m, k)
		require.Len(t, r.Families, len(want))
		require.Equal(t, len(m.Schools())-len(want), r.Excluded)
		for _, f := range r.Families {
			if diff := gocmp.Diff(want[f.School.URN], f.Similar, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("family of %d (-brute force +got):\n%s", f.School.URN, diff)
			}
		}
	})
}

func TestDuplicatesMatchBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(t)
		th := rapid.SampledFrom([]float64{0.3, 0.5, 0.8, 1}).Draw(t, "threshold")
		anyKind := rapid.Bool().Draw(t, "anyKind")
		got, err := analysis.Duplicates(m, &analysis.Options{DuplicateThreshold: th, DuplicateAnyKind: anyKind})
		require.NoError(t, err)
		members := func(n partnership.NetworkID) map[partnership.OrgID]bool {
			s := map[partnership.OrgID]bool{}
			for _, ms := range m.Members(n, time.Time{}) {
				s[ms.Member] = true
			}
			return s
		}
		type pair struct{ a, b partnership.NetworkID }
		want := map[pair]float64{}
		ns := m.Networks()
		for i := range ns {
			for j := i + 1; j < len(ns); j++ {
				a, b := ns[i], ns[j]
				ma, mb := members(a.ID), members(b.ID)
				if len(ma) < 2 || len(mb) < 2 ||
					(!anyKind && (a.Kind != b.Kind || (a.Purpose != "" && b.Purpose != "" && a.Purpose != b.Purpose))) {
					continue
				}
				shared := 0
				for x := range ma {
					if mb[x] {
						shared++
					}
				}
				if jac := float64(shared) / float64(len(ma)+len(mb)-shared); jac >= th {
					want[pair{min(a.ID, b.ID), max(a.ID, b.ID)}] = jac
				}
			}
		}
		gotm := map[pair]float64{}
		for _, d := range got {
			require.Less(t, d.A.ID, d.B.ID)
			require.Equal(t, d.A.Kind == d.B.Kind, d.SameKind)
			gotm[pair{d.A.ID, d.B.ID}] = d.Jaccard
		}
		if diff := gocmp.Diff(want, gotm, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("duplicates (-brute force +got):\n%s", diff)
		}
	})
}

func TestCoverageMatchesDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(t)
		r, err := analysis.Coverage(m, nil)
		require.NoError(t, err)
		var covered, connected int
		for _, s := range m.Schools() {
			mine := m.MembershipsOf(s.URN.OrgID(), time.Time{})
			own := map[partnership.OrgID]bool{s.URN.OrgID(): true}
			for _, ms := range mine {
				if n := m.Network(ms.Network); n.Kind == partnership.NetworkTrust || n.Kind == partnership.NetworkFederation {
					for _, o := range m.Members(n.ID, time.Time{}) {
						if _, ok := partnership.SchoolOf(o.Member); ok {
							own[o.Member] = true
						}
					}
				}
			}
			cov, con := false, false
			for _, ms := range mine {
				n := m.Network(ms.Network)
				schools := map[partnership.URN]bool{}
				for _, o := range m.Members(n.ID, time.Time{}) {
					if u, ok := partnership.SchoolOf(o.Member); ok {
						schools[u] = true
					}
					cov = cov || (n.Kind.Collaborative() && !own[o.Member])
				}
				con = con || (n.Kind != partnership.NetworkLocalAuthority && len(schools) >= 2)
			}
			if cov {
				covered++
			}
			if con {
				connected++
			}
		}
		require.Equal(t, len(m.Schools()), r.Schools)
		require.Equal(t, covered, r.Covered)
		require.Equal(t, connected, r.Connected)
		require.Len(t, r.Uncovered, r.Schools-r.Covered)
		require.Len(t, r.Unconnected, r.Schools-r.Connected)
		var sum analysis.CoverageCount
		for _, g := range r.ByGovernance {
			sum.Schools += g.Schools
			sum.Covered += g.Covered
			sum.Connected += g.Connected
		}
		require.Equal(t, analysis.CoverageCount{Schools: r.Schools, Covered: r.Covered, Connected: r.Connected}, sum)
	})
}

// The first greedy link is a network reaching the most isolated schools, and
// every proposed school is isolated, within the radius, and proposed once.
func TestLinksGreedy(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(t)
		radius := float64(rapid.IntRange(1, 15).Draw(t, "radius"))
		p, err := analysis.Links(context.Background(), m, &analysis.Options{LinkRadiusKm: radius, Links: 3})
		require.NoError(t, err)
		cov, err := analysis.Coverage(m, nil)
		require.NoError(t, err)
		alone := map[partnership.URN]bool{}
		for _, s := range cov.Unconnected {
			alone[s.URN] = true
		}
		require.Equal(t, len(alone), p.Isolated)
		seen := map[partnership.URN]bool{}
		total := 0
		for _, l := range p.Links {
			require.NotEmpty(t, l.Schools)
			for _, s := range l.Schools {
				require.True(t, alone[s.URN])
				require.False(t, seen[s.URN], "school %d joined twice", s.URN)
				seen[s.URN] = true
				total++
			}
		}
		require.Equal(t, total, p.Joined)
		if len(p.Links) > 0 {
			best := 0
			for _, n := range m.Networks() {
				best = max(best, reach(m, n.ID, alone, radius))
			}
			require.Equal(t, best, len(p.Links[0].Schools))
		}
	})
}

// reach counts the isolated schools within radius of a school member of a
// multi-school network n.
func reach(m *partnership.Model, n partnership.NetworkID, alone map[partnership.URN]bool, radius float64) int {
	var members []*partnership.School
	for _, ms := range m.Members(n, time.Time{}) {
		if u, ok := partnership.SchoolOf(ms.Member); ok {
			if !slices.ContainsFunc(members, func(s *partnership.School) bool { return s.URN == u }) {
				members = append(members, m.School(u))
			}
		}
	}
	if len(members) < 2 || m.Network(n).Kind == partnership.NetworkLocalAuthority {
		return 0
	}
	count := 0
	for u := range alone {
		s := m.School(u)
		for _, o := range members {
			if haversine(s.Location, o.Location) <= radius {
				count++
				break
			}
		}
	}
	return count
}

func haversine(p, q partnership.Location) float64 {
	const rad = math.Pi / 180
	a := math.Sin((q.Lat-p.Lat)*rad/2)*math.Sin((q.Lat-p.Lat)*rad/2) +
		math.Cos(p.Lat*rad)*math.Cos(q.Lat*rad)*math.Sin((q.Lon-p.Lon)*rad/2)*math.Sin((q.Lon-p.Lon)*rad/2)
	return 2 * 6371.0088 * math.Asin(math.Min(1, math.Sqrt(a)))
}

func TestCommunitiesPartitionAndDeterminism(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(t)
		opts := &analysis.Options{Seed: rapid.Uint64Range(1, 100).Draw(t, "seed"),
			ProximityKm: float64(rapid.IntRange(0, 5).Draw(t, "km"))}
		a, err := analysis.Communities(context.Background(), m, opts)
		require.NoError(t, err)
		b, err := analysis.Communities(context.Background(), m, opts)
		require.NoError(t, err)
		require.Equal(t, a, b)
		seen := map[partnership.URN]bool{}
		for i, c := range a.Communities {
			require.Equal(t, i, c.ID)
			for _, s := range c.Schools {
				require.False(t, seen[s.URN])
				seen[s.URN] = true
			}
		}
		require.Len(t, seen, a.Schools)
		require.Equal(t, len(m.Schools()), a.Schools+a.Singletons)
	})
}
