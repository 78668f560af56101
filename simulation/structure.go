package simulation

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Structure is a partnership structure to simulate: networks and the
// memberships of schools (by URN.OrgID) and organisations in them, as
// package partnership records them. A network of kind
// partnership.NetworkConnector links the networks whose Coordinator is one
// of its members: needs left unmet inside those networks are brokered
// across them.
type Structure struct {
	Name          string
	Networks      []partnership.Network
	Memberships   []partnership.Membership
	Organisations []partnership.Organisation
}

// Structures lists the names Build accepts, in order.
func Structures() []string {
	return []string{"none", "learning-communities", "hub-and-spoke", "thematic", "trusts", "alliance"}
}

// StructureOptions parameterise the generators; zero values take the
// documented defaults.
type StructureOptions struct {
	// Communities is k for learning communities; 0 means one per 12
	// located schools.
	Communities int
	// Spokes is the most spokes a hub serves (default 6) and HubKm the
	// farthest a spoke may be from its hub (default 25 km).
	Spokes int
	HubKm  float64
	// Themes is how many thematic networks there are (default 6, at most
	// the evaluation areas) and ThemesPerSchool how many each school
	// joins (default 1).
	Themes          int
	ThemesPerSchool int
	// AllianceSize is the typical number of schools in an alliance
	// (default 50, as in the source documents' alliance of 50+ schools).
	AllianceSize int
	// Seed makes the generators that draw (learning communities' and
	// alliances' starting centres, thematic interests) reproducible.
	Seed uint64
}

// Build returns the named structure for w. The names are those of
// Structures.
func Build(name string, w *World, opts StructureOptions) (*Structure, error) {
	switch name {
	case "none":
		return None(), nil
	case "learning-communities":
		return LearningCommunities(w, opts), nil
	case "hub-and-spoke":
		return HubAndSpoke(w, opts), nil
	case "thematic":
		return Thematic(w, opts), nil
	case "trusts":
		return Trusts(w), nil
	case "alliance":
		return Alliance(w, opts), nil
	}
	return nil, fmt.Errorf("simulation: structure %q: %w%s", name, ErrNotFound, suggest(name, Structures()))
}

// None is the absence of partnership: no networks, so no brokered support,
// no peer review and no knowledge spread.
func None() *Structure { return &Structure{Name: "none"} }

func (s *Structure) add(w *World, n partnership.Network, members []int, role func(int) partnership.MemberRole) {
	s.Networks = append(s.Networks, n)
	for _, i := range members {
		u := w.Schools[i].URN
		s.Memberships = append(s.Memberships, partnership.Membership{
			ID: partnership.MembershipID(fmt.Sprintf("%s:%d", n.ID, u)), Network: n.ID, Member: u.OrgID(),
			Role: role(i), Period: partnership.Period{From: w.Start}})
	}
}

func member(int) partnership.MemberRole { return partnership.RoleMember }

// located returns the indices of w's schools with a known location.
func located(w *World) []int {
	var out []int
	for i, s := range w.Schools {
		if s.Location.Known() {
			out = append(out, i)
		}
	}
	return out
}

// kmeans groups the points idx of w into k clusters by location (Lloyd's
// algorithm from k-means++ seeds, on an equirectangular projection, to
// convergence or 50 rounds). It returns each point's cluster; every
// cluster is non-empty and each point is in the cluster whose centre is
// nearest.
func kmeans(w *World, idx []int, k int, seed uint64) []int {
	k = max(1, min(k, len(idx)))
	if len(idx) == 0 {
		return nil
	}
	lat0 := 0.0
	for _, i := range idx {
		lat0 += w.Schools[i].Location.Lat
	}
	lat0 /= float64(len(idx))
	cx := math.Cos(lat0 * math.Pi / 180)
	pts := make([][2]float64, len(idx))
	for p, i := range idx {
		l := w.Schools[i].Location
		pts[p] = [2]float64{l.Lon * cx * 111.2, l.Lat * 111.2}
	}
	d2 := func(a, b [2]float64) float64 { dx, dy := a[0]-b[0], a[1]-b[1]; return dx*dx + dy*dy }
	r := rand.New(rand.NewPCG(seed, 0x6b6d65616e73))
	cent := [][2]float64{pts[r.IntN(len(pts))]}
	best := make([]float64, len(pts))
	for p := range pts {
		best[p] = d2(pts[p], cent[0])
	}
	for len(cent) < k {
		total := 0.0
		for _, b := range best {
			total += b
		}
		pick := len(pts) - 1
		if total > 0 {
			u := r.Float64() * total
			for p, b := range best {
				if u -= b; u < 0 {
					pick = p
					break
				}
			}
		} else {
			pick = r.IntN(len(pts))
		}
		cent = append(cent, pts[pick])
		for p := range pts {
			best[p] = min(best[p], d2(pts[p], pts[pick]))
		}
	}
	assign := make([]int, len(pts))
	for round := 0; round < 50; round++ {
		changed := false
		for p := range pts {
			b, bd := 0, math.Inf(1)
			for c := range cent {
				if d := d2(pts[p], cent[c]); d < bd {
					b, bd = c, d
				}
			}
			if assign[p] != b || round == 0 {
				changed = changed || assign[p] != b
				assign[p] = b
			}
		}
		sum := make([][3]float64, len(cent))
		for p, c := range assign {
			sum[c][0] += pts[p][0]
			sum[c][1] += pts[p][1]
			sum[c][2]++
		}
		for c := range cent {
			if sum[c][2] == 0 {
				// An empty cluster takes the point farthest from its centre.
				far, fd := 0, -1.0
				for p := range pts {
					if d := d2(pts[p], cent[assign[p]]); d > fd {
						far, fd = p, d
					}
				}
				assign[far] = c
				cent[c] = pts[far]
				changed = true
				continue
			}
			cent[c] = [2]float64{sum[c][0] / sum[c][2], sum[c][1] / sum[c][2]}
		}
		if !changed && round > 0 {
			break
		}
	}
	return assign
}

// LearningCommunities forms geographic learning communities: the located
// schools are split into k groups by k-means on their coordinates (k =
// opts.Communities, default one per 12 schools), each a network of kind
// learning-community and basis geography whose members are all the
// schools of the group, whatever their phase or governance. Every located
// school is in exactly one community; schools with no location are in none.
func LearningCommunities(w *World, opts StructureOptions) *Structure {
	s := &Structure{Name: "learning-communities"}
	idx := located(w)
	k := opts.Communities
	if k <= 0 {
		k = max(1, (len(idx)+11)/12)
	}
	groups := group(idx, kmeans(w, idx, k, opts.Seed))
	for c, g := range groups {
		s.add(w, partnership.Network{ID: partnership.NetworkID(fmt.Sprintf("lc:%d", c+1)), Kind: partnership.NetworkLearningCommunity,
			Name: fmt.Sprintf("Learning community %d", c+1), Basis: partnership.BasisGeography,
			Purpose: "Nearby schools improving together", Active: partnership.Period{From: w.Start}}, g, member)
	}
	return s
}

// group turns an assignment into non-empty groups, in cluster order.
func group(idx, assign []int) [][]int {
	k := 0
	for _, a := range assign {
		k = max(k, a+1)
	}
	out := make([][]int, k)
	for p, a := range assign {
		out[a] = append(out[a], idx[p])
	}
	return slices.DeleteFunc(out, func(g []int) bool { return len(g) == 0 })
}

// strength orders schools for choosing hubs: the standing of the latest
// inspection (best first), then of the one before; an inspection that
// graded nothing, or none, sorts after inadequate (5).
func strength(s *School) [2]int {
	out := [2]int{5, 5}
	for k := 0; k < 2 && k < len(s.History); k++ {
		if r := standing(&s.History[k]); r > 0 {
			out[k] = int(r)
		}
	}
	return out
}

// HubAndSpoke forms hub-and-spoke networks: schools whose latest
// inspection stands at outstanding (Standing: an outstanding judgement, or
// with none every key judgement outstanding and every report-card area
// exceptional; strongest first: outstanding at the inspection before too,
// then by URN) become hubs while some school is left to serve; every
// other located school joins, as a spoke, the nearest hub of its phase
// group within opts.HubKm (default 25 km) that has fewer than opts.Spokes
// spokes (default 6). A hub with no spoke is not a network. A school with
// no hub in reach is in none.
func HubAndSpoke(w *World, opts StructureOptions) *Structure {
	if opts.Spokes <= 0 {
		opts.Spokes = 6
	}
	if opts.HubKm <= 0 {
		opts.HubKm = 25
	}
	s := &Structure{Name: "hub-and-spoke"}
	var hubs []int
	isHub := make([]bool, len(w.Schools))
	for _, i := range located(w) {
		if strength(&w.Schools[i])[0] == int(partnership.RatingOutstanding) {
			hubs = append(hubs, i)
		}
	}
	slices.SortFunc(hubs, func(a, b int) int {
		sa, sb := strength(&w.Schools[a]), strength(&w.Schools[b])
		return cmp.Or(cmp.Compare(sa[0], sb[0]), cmp.Compare(sa[1], sb[1]), cmp.Compare(a, b))
	})
	for _, h := range hubs {
		isHub[h] = true
	}
	spokes := make(map[int][]int)
	// Spokes in order of distance to their nearest hub, so the closest
	// pairs form first.
	type pair struct {
		spoke, hub int
		km         float64
	}
	var pairs []pair
	for _, i := range located(w) {
		if isHub[i] {
			continue
		}
		for _, h := range hubs {
			if phaseGroup(w.Schools[h].Phase) != phaseGroup(w.Schools[i].Phase) {
				continue
			}
			if d := w.Schools[i].Location.DistanceKm(w.Schools[h].Location); d <= opts.HubKm {
				pairs = append(pairs, pair{i, h, d})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.km, b.km), cmp.Compare(a.spoke, b.spoke), cmp.Compare(a.hub, b.hub))
	})
	placed := make([]bool, len(w.Schools))
	for _, p := range pairs {
		if placed[p.spoke] || len(spokes[p.hub]) >= opts.Spokes {
			continue
		}
		placed[p.spoke] = true
		spokes[p.hub] = append(spokes[p.hub], p.spoke)
	}
	for _, h := range hubs {
		if len(spokes[h]) == 0 {
			continue
		}
		hs := w.Schools[h]
		slices.Sort(spokes[h])
		s.add(w, partnership.Network{ID: partnership.NetworkID(fmt.Sprintf("hub:%d", hs.URN)), Kind: partnership.NetworkHub,
			Name: hs.Name + " hub", Basis: partnership.BasisGeography, Coordinator: hs.URN.OrgID(),
			Purpose: "Inter-school support from a strong school to its spokes", Active: partnership.Period{From: w.Start}},
			append([]int{h}, spokes[h]...), func(i int) partnership.MemberRole {
				if i == h {
					return partnership.RoleHub
				}
				return partnership.RoleSpoke
			})
	}
	return s
}

// themes are the thematic networks' interests, one per evaluation area the
// model simulates.
var themes = []partnership.EvaluationArea{partnership.AreaInclusion, partnership.AreaCurriculumAndTeaching,
	partnership.AreaAchievement, partnership.AreaAttendanceAndBehaviour, partnership.AreaPersonalDevelopment,
	partnership.AreaLeadershipAndGovernance}

// Thematic forms thematic networks, one per interest (the first
// opts.Themes evaluation areas the model simulates, default all six), of
// basis interest and with no regard to place: each school joins
// opts.ThemesPerSchool (default 1) distinct themes, chosen by a draw that
// depends only on its URN and opts.Seed, so a school's interests do not
// change when other schools are added.
func Thematic(w *World, opts StructureOptions) *Structure {
	k := opts.Themes
	if k <= 0 || k > len(themes) {
		k = len(themes)
	}
	m := min(max(opts.ThemesPerSchool, 1), k)
	s := &Structure{Name: "thematic"}
	members := make([][]int, k)
	for i, sc := range w.Schools {
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%d", opts.Seed, sc.URN)
		r := rand.New(rand.NewPCG(h.Sum64(), 0x7468656d65))
		for _, t := range r.Perm(k)[:m] {
			members[t] = append(members[t], i)
		}
	}
	for t := range k {
		if len(members[t]) == 0 {
			continue
		}
		s.add(w, partnership.Network{ID: partnership.NetworkID("theme:" + themes[t].String()), Kind: partnership.NetworkThematic,
			Name: "Thematic network: " + themes[t].String(), Basis: partnership.BasisInterest,
			Purpose: "Schools sharing an interest in " + themes[t].String(), Active: partnership.Period{From: w.Start}}, members[t], member)
	}
	return s
}

// Trusts is the structure in the data: one network per trust with at least
// two of the world's schools, of the schools whose trust it was at the
// world's start (School.Trust). Single-school trusts have no partner to
// work with and are left out.
func Trusts(w *World) *Structure {
	s := &Structure{Name: "trusts"}
	byTrust := map[partnership.NetworkID][]int{}
	var ids []partnership.NetworkID
	for i, sc := range w.Schools {
		if sc.Trust == "" {
			continue
		}
		if _, ok := byTrust[sc.Trust]; !ok {
			ids = append(ids, sc.Trust)
		}
		byTrust[sc.Trust] = append(byTrust[sc.Trust], i)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if len(byTrust[id]) < 2 {
			continue
		}
		n := partnership.Network{ID: id, Kind: partnership.NetworkTrust, Basis: partnership.BasisGovernance, Name: string(id),
			Active: partnership.Period{From: w.Start}}
		if m := w.model; m != nil {
			if real := m.Network(id); real != nil {
				n.Name, n.Coordinator, n.Purpose = real.Name, real.Coordinator, real.Purpose
			}
		}
		s.add(w, n, byTrust[id], member)
	}
	return s
}

// Alliance forms alliances of mixed governance linked by a connector: the
// located schools are split by k-means into alliances of about
// opts.AllianceSize schools (default 50), each a network of kind alliance
// whose members are every school in its area whatever its trust or local
// authority, led by an alliance organisation; a connector organisation
// leads a network of kind connector whose members are every alliance's
// organisation, so needs an alliance cannot meet are brokered across the
// alliances it links.
func Alliance(w *World, opts StructureOptions) *Structure {
	size := opts.AllianceSize
	if size <= 0 {
		size = 50
	}
	s := &Structure{Name: "alliance"}
	idx := located(w)
	groups := group(idx, kmeans(w, idx, max(1, (len(idx)+size/2)/size), opts.Seed+1))
	conn := partnership.Organisation{ID: "connector", Kind: partnership.OrgConnector, Name: "Connector",
		Active: partnership.Period{From: w.Start}}
	s.Organisations = append(s.Organisations, conn)
	cn := partnership.Network{ID: "connector", Kind: partnership.NetworkConnector, Name: "Connector network",
		Basis: partnership.BasisInterest, Coordinator: conn.ID, Purpose: "Links the alliances",
		Active: partnership.Period{From: w.Start}}
	for a, g := range groups {
		org := partnership.Organisation{ID: partnership.OrgID(fmt.Sprintf("alliance:%d", a+1)), Kind: partnership.OrgAlliance,
			Name: fmt.Sprintf("Alliance %d", a+1), Active: partnership.Period{From: w.Start}}
		s.Organisations = append(s.Organisations, org)
		s.add(w, partnership.Network{ID: partnership.NetworkID(org.ID), Kind: partnership.NetworkAlliance, Name: org.Name,
			Basis: partnership.BasisGeography, Coordinator: org.ID, Purpose: "An alliance of mixed governance",
			Active: partnership.Period{From: w.Start}}, g, member)
	}
	s.Networks = append(s.Networks, cn)
	for _, o := range s.Organisations[1:] {
		s.Memberships = append(s.Memberships, partnership.Membership{ID: partnership.MembershipID("connector:" + string(o.ID)),
			Network: cn.ID, Member: o.ID, Role: partnership.RolePartner, Period: partnership.Period{From: w.Start}})
	}
	return s
}

// FromModel takes any structure a user built with package partnership:
// the networks of m active at `at`, with the memberships active then of
// the world's schools (and, in connector networks, of the organisations
// that coordinate other networks kept). Networks of kind local-authority
// and other (GIAS's umbrella groups) are left out unless keepAll is set,
// since they do not broker support. Memberships of schools outside the
// world are left out and counted in the second result.
func FromModel(w *World, m *partnership.Model, at time.Time, name string, keepAll bool) (*Structure, int) {
	s := &Structure{Name: name}
	dropped := 0
	coords := map[partnership.OrgID]bool{}
	for _, n := range m.Networks() {
		if !n.Active.Contains(at) || (!keepAll && (n.Kind == partnership.NetworkLocalAuthority || n.Kind == partnership.NetworkOther)) {
			continue
		}
		s.Networks = append(s.Networks, n)
		if n.Coordinator != "" {
			coords[n.Coordinator] = true
		}
	}
	for _, n := range s.Networks {
		for _, ms := range m.Members(n.ID, at) {
			if u, ok := partnership.SchoolOf(ms.Member); ok {
				if _, in := w.Index(u); !in {
					dropped++
					continue
				}
			} else if n.Kind != partnership.NetworkConnector || !coords[ms.Member] {
				dropped++
				continue
			} else if o := m.Organisation(ms.Member); o != nil && !slices.ContainsFunc(s.Organisations, func(x partnership.Organisation) bool { return x.ID == o.ID }) {
				s.Organisations = append(s.Organisations, *o)
			}
			s.Memberships = append(s.Memberships, ms)
		}
	}
	return s, dropped
}
