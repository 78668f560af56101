package review

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// costScale turns kilometre-equivalents into the solver's integer units.
const costScale = 100

// Allocate builds review teams for schools from reviewers under rules.
//
// It solves a minimum-cost flow in which each reviewer supplies Capacity
// places (through their school's node, capped at what it may give, when
// Rules.BalanceGiving is set), each school demands one lead place and
// Rules.Peers peer places (at most Peers−MinExperiencedPeers of them for
// new reviewers), and an arc joins a reviewer to a place only when every
// rule on the pair allows it. A trained lead reaches a school's lead and
// peer places through one node of capacity one, so nobody holds two places
// on one team. An unfilled place costs a penalty larger than any cost a
// change of places could save, and a missing lead twice that, so the flow's
// optimum is the lexicographic one documented on Allocation. The reciprocal
// and one-per-school rules, which a flow cannot express, are enforced
// afterwards, locally: the flow is solved once, then each team that breaks
// one of them loses the members that cost least to replace, and each place
// they leave is refilled by the cheapest ejection chain (a reviewer with room
// takes it, or moves from another team whose place a reviewer with room
// takes, up to three moves), every move checked against every rule. When a
// component has few conflicts (at most four times Rules.SearchNodes), a
// best-first branch and bound over them (each branch closes one side, every
// node re-optimised from the flow by flow.Incremental) then looks for a
// better allocation and can prove it optimal; it stops after
// Rules.SearchNodes nodes, so the result depends only on the input.
// Any place a reviewer with room could still take without breaking a rule
// is then filled, cheapest first.
//
// A component of at most 12 schools where this leaves open whether more
// leads or places could be had (the flow's bound has more) is searched
// exactly: a depth-first branch and bound over every allocation of the
// component, leads first, then each team's peers, least cost among those,
// with bounds that see the reciprocal and one-per-school rules (see
// exactSearch), for at most 400,000 nodes; it does not search when its
// root bound already settles leads and places. Such components are typically special schools and
// alternative provision, which under PhaseRelated only each other's
// reviewers may review: there those rules, not capacity, decide how many
// places can be filled (two schools fill places in one direction at most),
// and the flow, which fills every place, is a weak guide. When the search
// finishes, the component is proved optimal (AreaResult.Exact); when it
// does not, its root bound still bounds the component, and often proves
// that no allocation has more leads or fills more places. A larger
// component whose leads or places the bounds leave open is improved around
// each team still short: that team and up to 11 around it (the teams its
// possible reviewers are on, and those reviewers' schools) are searched in
// the same way with every other team fixed, 5,000 nodes each and 200,000 in
// all, keeping only what is better.
//
// The input is solved as one problem, split only into components that
// cannot share a reviewer (see Partitioning), solved in parallel.
//
// The same input always gives the same teams. Input errors are joined and
// each wraps ErrInvalid; a school that cannot get a full team is not an
// error but a Shortfall in the result.
func Allocate(ctx context.Context, schools []Reviewee, reviewers []Reviewer, rules Rules) (*Allocation, error) {
	if err := rules.Validate(); err != nil {
		return nil, fmt.Errorf("allocate: %w", err)
	}
	in, err := newInstance(schools, reviewers, rules)
	if err != nil {
		return nil, fmt.Errorf("allocate: %w", err)
	}
	areas := in.partition()
	results := make([]*areaSolution, len(areas))
	workers := min(runtime.GOMAXPROCS(0), len(areas))
	var wg sync.WaitGroup
	next := make(chan int)
	errs := make([]error, len(areas))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = in.solveArea(ctx, areas[i])
			}
		}()
	}
	// Largest areas first, so the workers finish together; results are
	// kept by area index, so the order of work does not change them.
	order := make([]int, len(areas))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(len(areas[y].schools), len(areas[x].schools)) })
	for _, i := range order {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("allocate: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("allocate: %w", err)
		}
	}
	return in.merge(areas, results), nil
}

// instance is the validated, sorted input.
type instance struct {
	rules     Rules
	schools   []Reviewee
	reviewers []Reviewer
	index     map[partnership.URN]int
	revIndex  map[ReviewerID]int
	// repeat holds (home URN, school) and (−(reviewer index+1), school)
	// pairs met within RepeatWithin cycles.
	repeat map[[2]int]bool
	// recip holds (home, school) pairs whose reverse happened this cycle.
	recip map[[2]int]bool
	// conflict holds declared (reviewer index, school URN) conflicts.
	conflict map[[2]int]ConflictKind
	// given counts, per home school, the places its reviewers hold in
	// History entries of this cycle.
	given map[partnership.URN]int
	// sPos and rPos are the schools' and reviewers' locations prepared
	// for distances (see position).
	sPos, rPos []position
	// unknownKm is the distance an unknown one is priced at: the span
	// of the known locations (see Member.TravelUnknown).
	unknownKm float64
}

// position is a location prepared for many distances: its point on the
// unit sphere, for a cheap lower bound, and the cosine of its latitude,
// for the exact distance without recomputing it.
type position struct {
	x, y, z float64
	cosLat  float64
	known   bool
}

const rad = math.Pi / 180

func newPosition(l partnership.Location) position {
	if !l.Known() {
		return position{}
	}
	la, lo := l.Lat*rad, l.Lon*rad
	return position{x: math.Cos(la) * math.Cos(lo), y: math.Cos(la) * math.Sin(lo), z: math.Sin(la), cosLat: math.Cos(l.Lat * rad), known: true}
}

// lowKm is a lower bound on the distance between reviewer ri and school si
// (the chord between them; a great circle is never shorter), or 0 when a
// location is unknown (a lower bound on the distance it is priced at).
func (in *instance) lowKm(ri, si int) float64 {
	return chordKm(&in.rPos[ri], &in.sPos[si])
}

// chordKm is lowKm for two positions.
func chordKm(a, b *position) float64 {
	if !a.known || !b.known {
		return 0
	}
	dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
	// A little below the chord, so rounding never lifts it above the
	// great-circle distance.
	return partnership.EarthRadiusKm * math.Sqrt(dx*dx+dy*dy+dz*dz) * (1 - 1e-9)
}

func newInstance(schools []Reviewee, reviewers []Reviewer, rules Rules) (*instance, error) {
	in := &instance{
		rules:     rules,
		schools:   slices.Clone(schools),
		reviewers: slices.Clone(reviewers),
		index:     make(map[partnership.URN]int, len(schools)),
		revIndex:  make(map[ReviewerID]int, len(reviewers)),
		repeat:    map[[2]int]bool{},
		recip:     map[[2]int]bool{},
		conflict:  map[[2]int]ConflictKind{},
		given:     map[partnership.URN]int{},
	}
	slices.SortFunc(in.schools, func(a, b Reviewee) int { return cmp.Compare(a.URN, b.URN) })
	slices.SortFunc(in.reviewers, func(a, b Reviewer) int { return cmp.Compare(a.ID, b.ID) })
	var errs []error
	for i, s := range in.schools {
		if s.URN <= 0 {
			errs = append(errs, fmt.Errorf("%w: school %q has no URN", ErrInvalid, s.Name))
		} else if _, dup := in.index[s.URN]; dup {
			errs = append(errs, fmt.Errorf("%w: school %d appears twice", ErrInvalid, s.URN))
		}
		in.index[s.URN] = i
	}
	for i := range in.reviewers {
		r := &in.reviewers[i]
		switch {
		case r.ID == "":
			errs = append(errs, fmt.Errorf("%w: a reviewer has no ID", ErrInvalid))
		case i > 0 && in.reviewers[i-1].ID == r.ID:
			errs = append(errs, fmt.Errorf("%w: reviewer %s appears twice", ErrInvalid, r.ID))
		case r.Capacity < 0 || r.Capacity > 1000:
			errs = append(errs, fmt.Errorf("%w: reviewer %s: capacity %d out of range 0..1000", ErrInvalid, r.ID, r.Capacity))
		case r.Home < 0:
			errs = append(errs, fmt.Errorf("%w: reviewer %s: home URN %d", ErrInvalid, r.ID, r.Home))
		}
		in.revIndex[r.ID] = i
		if j, ok := in.index[r.Home]; ok && r.Home > 0 {
			if len(r.Phases) == 0 {
				r.Phases = []partnership.Phase{in.schools[j].Phase}
			}
			if r.Trust == "" {
				r.Trust = in.schools[j].Trust
			}
		}
		r.Phases = slices.Clone(r.Phases)
	}
	for i, c := range rules.Conflicts {
		j, ok := in.revIndex[c.Reviewer]
		if !ok {
			errs = append(errs, fmt.Errorf("%w: conflicts[%d]: reviewer %s is not among the reviewers", ErrInvalid, i, c.Reviewer))
			continue
		}
		in.conflict[[2]int{j, int(c.School)}] = c.Kind
	}
	if len(errs) > 0 {
		return nil, joinErrs(errs)
	}
	in.sPos = make([]position, len(in.schools))
	for i := range in.schools {
		in.sPos[i] = newPosition(in.schools[i].Location)
	}
	in.rPos = make([]position, len(in.reviewers))
	for i := range in.reviewers {
		in.rPos[i] = newPosition(in.reviewers[i].Location)
	}
	in.unknownKm = spanKm(func(yield func(partnership.Location) bool) {
		for i := range in.schools {
			if !yield(in.schools[i].Location) {
				return
			}
		}
		for i := range in.reviewers {
			if !yield(in.reviewers[i].Location) {
				return
			}
		}
	})
	for _, h := range rules.History {
		home := h.Home
		j, known := in.revIndex[h.Reviewer]
		if home <= 0 && known {
			home = in.reviewers[j].Home
		}
		if rules.RepeatWithin > 0 && h.Cycle < rules.Cycle && h.Cycle >= rules.Cycle-rules.RepeatWithin {
			if home > 0 {
				in.repeat[[2]int{int(home), int(h.School)}] = true
			}
			if known {
				in.repeat[[2]int{-(j + 1), int(h.School)}] = true
			}
		}
		if h.Cycle == rules.Cycle && home > 0 {
			if rules.ExcludeReciprocal {
				in.recip[[2]int{int(h.School), int(home)}] = true
			}
			in.given[home]++
		}
	}
	return in, nil
}

func (in *instance) experienced(r *Reviewer) bool {
	return r.TrainedLead || r.Reviews >= in.rules.ExperiencedAfter
}

// relatedPairs are the related phases PhaseRelated documents, each pair
// once; the relation is their symmetric closure and nothing more.
var relatedPairs = [][2]partnership.Phase{
	{partnership.PhasePrimary, partnership.PhaseNursery},
	{partnership.PhasePrimary, partnership.PhaseMiddle},
	{partnership.PhasePrimary, partnership.PhaseAllThrough},
	{partnership.PhaseSecondary, partnership.PhaseMiddle},
	{partnership.PhaseSecondary, partnership.PhaseAllThrough},
	{partnership.PhaseSecondary, partnership.Phase16Plus},
	{partnership.PhaseSpecial, partnership.PhaseAlternativeProvision},
}

func related(a, b partnership.Phase) bool {
	for _, p := range relatedPairs {
		if (p[0] == a && p[1] == b) || (p[0] == b && p[1] == a) {
			return true
		}
	}
	return false
}

// PhaseCompatible reports whether experience of the phases has allows a
// reviewer to review a school of phase want under rule.
func PhaseCompatible(rule PhaseRule, want partnership.Phase, has []partnership.Phase) bool {
	if rule == PhaseAny {
		return true
	}
	for _, p := range has {
		if p == want || (rule == PhaseRelated && related(want, p)) {
			return true
		}
	}
	return false
}

// focusFit is the share of the school's focus areas the expertise covers.
func focusFit(tax *partnership.Taxonomy, focus, expertise []partnership.ExpertiseID) float64 {
	if len(focus) == 0 {
		return 1
	}
	n := 0
	for _, f := range focus {
		for _, e := range expertise {
			if e == f || (tax != nil && tax.Covers(e, f)) {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(focus))
}

// check returns the first rule that forbids reviewer ri in a place on school
// si's team (the lead's place when lead), or ConstraintNone, looking only at
// the pair (not at the rest of the allocation). km is the distance, or NaN
// when a location is unknown.
func (in *instance) check(ri, si int, lead bool, km float64) Constraint {
	r, s, ru := &in.reviewers[ri], &in.schools[si], &in.rules
	if r.Home > 0 && r.Home == s.URN {
		return ConstraintOwnSchool
	}
	if lead {
		if c := in.leadOnly(ri); c != ConstraintNone {
			return c
		}
	}
	if ru.RequireAccreditation && (r.AccreditedUntil.IsZero() || r.AccreditedUntil.Before(ru.AccreditedOn)) {
		return ConstraintAccreditation
	}
	if ru.ExcludeSameTrust && r.Trust != "" && r.Trust == s.Trust {
		return ConstraintSameTrust
	}
	if len(in.conflict) > 0 {
		if _, ok := in.conflict[[2]int{ri, int(s.URN)}]; ok {
			return ConstraintConflict
		}
	}
	if !PhaseCompatible(ru.Phase, s.Phase, r.Phases) {
		return ConstraintPhase
	}
	if len(in.repeat) > 0 && (in.repeat[[2]int{-(ri + 1), int(s.URN)}] || (r.Home > 0 && in.repeat[[2]int{int(r.Home), int(s.URN)}])) {
		return ConstraintRepeat
	}
	if math.IsNaN(km) && (ru.MaxTravelKm > 0 || ru.MinDistanceKm > 0) {
		return ConstraintLocation
	}
	if ru.MaxTravelKm > 0 && km > ru.MaxTravelKm {
		return ConstraintMaxTravel
	}
	if ru.MinDistanceKm > 0 && km < ru.MinDistanceKm {
		return ConstraintProfessionalDistance
	}
	if r.Home > 0 && len(in.recip) > 0 && in.recip[[2]int{int(r.Home), int(s.URN)}] {
		return ConstraintReciprocal
	}
	return ConstraintNone
}

// leadOnly returns the first rule that forbids reviewer ri in a lead's
// place whatever the school (trained lead, external lead), or
// ConstraintNone.
func (in *instance) leadOnly(ri int) Constraint {
	r, ru := &in.reviewers[ri], &in.rules
	if !r.TrainedLead {
		return ConstraintTrainedLead
	}
	if (ru.ExternalLeads == ExternalLeadsRequired && !r.External) || (ru.ExternalLeads == ExternalLeadsForbidden && r.External) {
		return ConstraintExternalLead
	}
	return ConstraintNone
}

// quota is how many places home school h's reviewers may fill under
// Rules.BalanceGiving: the places it receives plus the slack, less what
// History already records it giving this cycle.
func (in *instance) quota(h partnership.URN) int {
	recv := 0
	if _, ok := in.index[h]; ok {
		recv = 1 + in.rules.Peers
	}
	return max(0, recv+in.rules.GivingSlack-in.given[h])
}

// km is the distance between reviewer ri and school si, exactly as
// partnership.Location.DistanceKm computes it, or NaN when a location is
// unknown.
func (in *instance) km(ri, si int) float64 {
	pa, pb := &in.rPos[ri], &in.sPos[si]
	if !pa.known || !pb.known {
		return math.NaN()
	}
	a, b := in.reviewers[ri].Location, in.schools[si].Location
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + pa.cosLat*pb.cosLat*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * partnership.EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// placeCost is the objective's term for reviewer ri on school si's team.
func (in *instance) placeCost(ri, si int, lead bool, km, fit float64) float64 {
	w := in.rules.Weights
	c := w.FocusMiss * (1 - fit)
	if math.IsNaN(km) {
		km = in.unknownKm // never 0: see Member.TravelUnknown
	}
	c += w.Travel * km
	if !lead && in.experienced(&in.reviewers[ri]) {
		c += w.ExperiencedPeer
	}
	return c
}

// area is a set of schools and reviewers solved together.
type area struct {
	name      string
	schools   []int
	reviewers []int
}

func (in *instance) partition() []area {
	switch in.rules.Partition {
	case PartitionLA:
		return in.partitionLA()
	case PartitionAuto:
		return in.components()
	}
	all := area{name: "all", schools: make([]int, len(in.schools)), reviewers: make([]int, len(in.reviewers))}
	for i := range all.schools {
		all.schools[i] = i
	}
	for i := range all.reviewers {
		all.reviewers[i] = i
	}
	return []area{all}
}

// components splits the input into sets of schools and reviewers such that
// no reviewer may review schools in two sets: every pair the phase rule and
// Rules.MaxTravelKm allow is inside one set (a reviewer who may review no
// school is in none). Under PhaseRelated, for instance, special schools and
// alternative provision are a set of their own, reviewed only by reviewers
// with that experience. Schools join through the reviewers who can reach
// them, found on a grid of cells MaxTravelKm wide, or, without a travel
// limit, through one node per phase that joins every school of the phase
// with every reviewer whose experience allows it.
func (in *instance) components() []area {
	ns, nr := len(in.schools), len(in.reviewers)
	// The phases present, each with its node after the reviewers'.
	hubs := map[partnership.Phase]int32{}
	var phases []partnership.Phase
	for si := range in.schools {
		if p := in.schools[si].Phase; !slices.Contains(phases, p) {
			phases = append(phases, p)
		}
	}
	slices.Sort(phases)
	for i, p := range phases {
		hubs[p] = int32(ns + nr + i)
	}
	parent := make([]int32, ns+nr+len(phases))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	joined := make([]bool, nr) // reviewers who may review some school
	union := func(x, y int32) {
		if int(x) >= ns && int(x) < ns+nr {
			joined[int(x)-ns] = true
		}
		if a, b := find(x), find(y); a != b {
			parent[a] = b
		}
	}
	ru := &in.rules
	if maxKm := ru.MaxTravelKm; maxKm > 0 {
		g := newGrid(ns, func(i int) partnership.Location { return in.schools[i].Location }, maxKm)
		for ri, r := range in.reviewers {
			if !r.Location.Known() || r.Capacity == 0 {
				continue
			}
			me := int32(ns + ri)
			g.rings(r.Location, func(lb float64) bool { return lb > maxKm }, func(si int32) {
				s := &in.schools[si]
				if !s.Location.Known() || (joined[ri] && find(me) == find(si)) {
					return
				}
				if PhaseCompatible(ru.Phase, s.Phase, r.Phases) && r.Location.DistanceKm(s.Location) <= maxKm {
					union(me, si)
				}
			})
		}
	} else {
		for si := range in.schools {
			union(int32(si), hubs[in.schools[si].Phase])
		}
		for ri, r := range in.reviewers {
			if r.Capacity == 0 {
				continue
			}
			for _, p := range phases {
				if PhaseCompatible(ru.Phase, p, r.Phases) {
					union(int32(ns+ri), hubs[p])
				}
			}
		}
	}
	// A reviewer's home school joins their set: the reciprocal and giving
	// rules tie what its team receives to what its reviewers give.
	for ri, r := range in.reviewers {
		if h, ok := in.index[r.Home]; ok && r.Home > 0 && joined[ri] {
			union(int32(ns+ri), int32(h))
		}
	}
	byRoot := map[int32]int{}
	var areas []area
	for si := range in.schools {
		root := find(int32(si))
		k, ok := byRoot[root]
		if !ok {
			k = len(areas)
			byRoot[root] = k
			areas = append(areas, area{})
		}
		areas[k].schools = append(areas[k].schools, si)
	}
	for ri := range in.reviewers {
		if k, ok := byRoot[find(int32(ns+ri))]; ok {
			areas[k].reviewers = append(areas[k].reviewers, ri)
		}
	}
	for k := range areas {
		areas[k].name = fmt.Sprintf("component:%d", in.schools[areas[k].schools[0]].URN)
		if len(areas) == 1 {
			areas[k].name = "all"
		}
	}
	return areas
}

// partitionLA is PartitionLA.
func (in *instance) partitionLA() []area {
	n := len(in.schools)
	size := in.rules.AreaSize
	if size == 0 {
		size = 400
	}
	byLA := map[int][]int{}
	var las []int
	for i, s := range in.schools {
		if _, ok := byLA[s.LA]; !ok {
			las = append(las, s.LA)
		}
		byLA[s.LA] = append(byLA[s.LA], i)
	}
	slices.Sort(las)
	var groups [][]int
	for _, la := range las {
		groups = append(groups, in.split(byLA[la], size)...)
	}
	groups = in.mergeSmall(groups, max(size/8, 2*(in.rules.Peers+2)))
	areas := make([]area, len(groups))
	home := make(map[partnership.URN]int, n)
	cent := make([]partnership.Location, len(groups))
	for g, ss := range groups {
		slices.Sort(ss)
		areas[g] = area{schools: ss, name: in.areaName(ss, len(groups) == 1)}
		for _, i := range ss {
			home[in.schools[i].URN] = g
		}
		cent[g] = in.centroid(ss)
	}
	for ri, r := range in.reviewers {
		g, ok := home[r.Home]
		if !ok || r.Home <= 0 {
			g = 0
			if r.Location.Known() {
				best := math.Inf(1)
				for j, c := range cent {
					if d := r.Location.DistanceKm(c); d < best {
						best, g = d, j
					}
				}
			}
		}
		areas[g].reviewers = append(areas[g].reviewers, ri)
	}
	return areas
}

func (in *instance) areaName(ss []int, whole bool) string {
	if whole {
		return "all"
	}
	las := map[int]bool{}
	for _, i := range ss {
		las[in.schools[i].LA] = true
	}
	keys := make([]string, 0, len(las))
	for la := range las {
		keys = append(keys, fmt.Sprint(la))
	}
	slices.Sort(keys)
	return fmt.Sprintf("la:%s/%d", strings.Join(keys, "+"), in.schools[ss[0]].URN)
}

func (in *instance) centroid(ss []int) partnership.Location {
	var c partnership.Location
	k := 0
	for _, i := range ss {
		if l := in.schools[i].Location; l.Known() {
			c.Lat += l.Lat
			c.Lon += l.Lon
			k++
		}
	}
	if k > 0 {
		c.Lat /= float64(k)
		c.Lon /= float64(k)
	}
	return c
}

// split cuts a group larger than size at the median of its longer axis,
// recursively.
func (in *instance) split(ss []int, size int) [][]int {
	if len(ss) <= size {
		return [][]int{ss}
	}
	minLa, maxLa, minLo, maxLo := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, i := range ss {
		l := in.schools[i].Location
		minLa, maxLa = math.Min(minLa, l.Lat), math.Max(maxLa, l.Lat)
		minLo, maxLo = math.Min(minLo, l.Lon), math.Max(maxLo, l.Lon)
	}
	byLat := (maxLa - minLa) > (maxLo-minLo)*0.62 // a degree of longitude is ~0.62 of latitude in England
	sorted := slices.Clone(ss)
	slices.SortStableFunc(sorted, func(a, b int) int {
		la, lb := in.schools[a].Location, in.schools[b].Location
		if byLat {
			return cmp.Or(cmp.Compare(la.Lat, lb.Lat), cmp.Compare(a, b))
		}
		return cmp.Or(cmp.Compare(la.Lon, lb.Lon), cmp.Compare(a, b))
	})
	h := len(sorted) / 2
	return append(in.split(sorted[:h], size), in.split(sorted[h:], size)...)
}

// mergeSmall merges groups below minSize into the group with the nearest
// centroid, smallest first.
func (in *instance) mergeSmall(groups [][]int, minSize int) [][]int {
	for len(groups) > 1 {
		small := -1
		for g, ss := range groups {
			if len(ss) < minSize && (small < 0 || len(ss) < len(groups[small])) {
				small = g
			}
		}
		if small < 0 {
			break
		}
		c := in.centroid(groups[small])
		best, bd := -1, math.Inf(1)
		for g, ss := range groups {
			if g == small {
				continue
			}
			if d := c.DistanceKm(in.centroid(ss)); d < bd {
				best, bd = g, d
			}
		}
		groups[best] = append(groups[best], groups[small]...)
		groups = slices.Delete(groups, small, small+1)
	}
	return groups
}

// grid buckets points into cells at least km wide (north–south and
// east–west, at every latitude of the points), so that everything in ring
// k ≥ 1 around a point's cell is at least (k−1)·km from it.
type grid struct {
	km               float64
	cellLat, cellLon float64
	cells            map[[2]int32][]int32
	lo, hi           [2]int32
	unknown          []int32 // points without a location
	all              []int32
}

func newGrid(n int, loc func(int) partnership.Location, km float64) *grid {
	g := &grid{km: km, cells: map[[2]int32][]int32{}}
	maxLat := 0.0
	for i := range n {
		if l := loc(i); l.Known() {
			maxLat = max(maxLat, math.Abs(l.Lat))
		}
	}
	// 111.0 km is a little less than a degree of latitude (111.19 km), so
	// cells are at least km wide.
	g.cellLat = km / 111.0
	g.cellLon = km / (111.0 * math.Max(math.Cos(math.Min(maxLat, 89)*math.Pi/180), 0.01))
	first := true
	for i := range n {
		g.all = append(g.all, int32(i))
		l := loc(i)
		if !l.Known() {
			g.unknown = append(g.unknown, int32(i))
			continue
		}
		k := g.key(l)
		g.cells[k] = append(g.cells[k], int32(i))
		if first {
			g.lo, g.hi, first = k, k, false
		}
		g.lo = [2]int32{min(g.lo[0], k[0]), min(g.lo[1], k[1])}
		g.hi = [2]int32{max(g.hi[0], k[0]), max(g.hi[1], k[1])}
	}
	return g
}

func (g *grid) key(l partnership.Location) [2]int32 {
	return [2]int32{int32(math.Floor(l.Lat / g.cellLat)), int32(math.Floor(l.Lon / g.cellLon))}
}

// rings calls fn for every point, ring by ring outwards from l's cell
// (points without a location first, with ring 0). Before each ring k ≥ 1 it
// calls stop with a lower bound on the distance from l of every point in
// that ring and beyond, and stops if it returns true. For an unknown l it
// visits every point.
func (g *grid) rings(l partnership.Location, stop func(lb float64) bool, fn func(int32)) {
	g.cellRings(l, stop, func(pts []int32, _ float64) {
		for _, p := range pts {
			fn(p)
		}
	})
}

// cellRings is rings a cell at a time: fn gets the points of a cell (or
// those without a location) and a lower bound on their distance from l.
func (g *grid) cellRings(l partnership.Location, stop func(lb float64) bool, fn func(pts []int32, lb float64)) {
	if !l.Known() {
		fn(g.all, 0)
		return
	}
	if len(g.unknown) > 0 {
		fn(g.unknown, 0)
	}
	if len(g.cells) == 0 {
		return
	}
	c := g.key(l)
	maxK := max(c[0]-g.lo[0], g.hi[0]-c[0], c[1]-g.lo[1], g.hi[1]-c[1])
	for k := int32(0); k <= maxK; k++ {
		lb := 0.0
		if k > 0 {
			lb = 0.98 * float64(k-1) * g.km
			if stop(lb) {
				return
			}
		}
		for i := c[0] - k; i <= c[0]+k; i++ {
			if i < g.lo[0] || i > g.hi[0] {
				continue
			}
			step := int32(1)
			if i != c[0]-k && i != c[0]+k {
				step = 2 * k // only the first and last column of a middle row
			}
			for j := c[1] - k; j <= c[1]+k; j += max(step, 1) {
				if pts := g.cells[[2]int32{i, j}]; len(pts) > 0 {
					fn(pts, lb)
				}
			}
		}
	}
}

// spanKm bounds the distance between any two of the known locations: the
// diagonal of the latitude–longitude box holding them, plus its width
// along its parallel nearest the equator (the widest) and its height, plus
// 1 km (any two points in the box are joined by a path along a meridian
// and then a parallel). It is 1 km when no location is known.
func spanKm(locs iter.Seq[partnership.Location]) float64 {
	lo := partnership.Location{Lat: math.Inf(1), Lon: math.Inf(1)}
	hi := partnership.Location{Lat: math.Inf(-1), Lon: math.Inf(-1)}
	for l := range locs {
		if l.Known() {
			lo = partnership.Location{Lat: min(lo.Lat, l.Lat), Lon: min(lo.Lon, l.Lon)}
			hi = partnership.Location{Lat: max(hi.Lat, l.Lat), Lon: max(hi.Lon, l.Lon)}
		}
	}
	if math.IsInf(lo.Lat, 0) {
		return 1
	}
	wide := min(max(0, lo.Lat), hi.Lat) // the box's latitude nearest the equator
	return lo.DistanceKm(hi) + partnership.Location{Lat: wide, Lon: lo.Lon}.DistanceKm(partnership.Location{Lat: wide, Lon: hi.Lon}) +
		(hi.Lat-lo.Lat)*112 + 1
}
