package review

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// penalty is the cost of an unfilled place, larger than the cost of any
// augmenting path, so the flow fills as many places as possible first.
const penalty = int64(1e12)

// costScale turns kilometre-equivalents into the solver's integer units.
const costScale = 100

// Allocate builds review teams for schools from reviewers under rules.
//
// It solves a minimum-cost flow in which each reviewer supplies Capacity
// places, each school demands one lead place and Rules.Peers peer places (at
// most Peers−MinExperiencedPeers of them for new reviewers), and an arc
// joins a reviewer to a place only when every rule allows the pair. A
// trained lead reaches a school's lead and peer places through one node of
// capacity one, so nobody holds two places on one team. The optimum of this
// flow is a lower bound; the reciprocal rule, which a flow cannot express,
// is then enforced by best-first branch and bound on the reciprocal pairs
// the flow uses (each branch forbids one direction), starting from an
// incumbent found by forbidding the cheaper-to-lose direction of each pair.
// The search stops after Rules.SearchNodes nodes per area, so the result
// depends only on the input. Large inputs are split into areas (see
// Partitioning) solved in parallel; each reviewer serves only their area.
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
	repeat    map[[2]int]bool // (home or -reviewer, school) pairs met recently
	recip     map[[2]int]bool // (home, school) pairs whose reverse happened this cycle
	revIndex  map[ReviewerID]int
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
		if len(r.Phases) == 0 {
			if j, ok := in.index[r.Home]; ok && r.Home > 0 {
				r.Phases = []partnership.Phase{in.schools[j].Phase}
			}
		}
		r.Phases = slices.Clone(r.Phases)
	}
	if len(errs) > 0 {
		return nil, joinErrs(errs)
	}
	for _, h := range rules.History {
		src := int(h.Home)
		if src <= 0 {
			j, ok := in.revIndex[h.Reviewer]
			if !ok {
				continue
			}
			src = -(j + 1)
		}
		if rules.RepeatWithin > 0 && h.Cycle < rules.Cycle && h.Cycle >= rules.Cycle-rules.RepeatWithin {
			in.repeat[[2]int{src, int(h.School)}] = true
		}
		if rules.ExcludeReciprocal && h.Cycle == rules.Cycle && h.Home > 0 {
			in.recip[[2]int{int(h.School), int(h.Home)}] = true
		}
	}
	return in, nil
}

func (in *instance) experienced(r *Reviewer) bool {
	return r.TrainedLead || r.Reviews >= in.rules.ExperiencedAfter
}

var relatedPhases = map[partnership.Phase][]partnership.Phase{
	partnership.PhaseNursery:              {partnership.PhasePrimary},
	partnership.PhasePrimary:              {partnership.PhaseNursery, partnership.PhaseMiddle, partnership.PhaseAllThrough},
	partnership.PhaseMiddle:               {partnership.PhasePrimary, partnership.PhaseSecondary, partnership.PhaseAllThrough},
	partnership.PhaseSecondary:            {partnership.PhaseMiddle, partnership.PhaseAllThrough, partnership.Phase16Plus},
	partnership.PhaseAllThrough:           {partnership.PhasePrimary, partnership.PhaseMiddle, partnership.PhaseSecondary},
	partnership.Phase16Plus:               {partnership.PhaseSecondary, partnership.PhaseAllThrough},
	partnership.PhaseSpecial:              {partnership.PhaseAlternativeProvision},
	partnership.PhaseAlternativeProvision: {partnership.PhaseSpecial, partnership.PhaseSecondary},
}

// PhaseCompatible reports whether experience of the phases has allows a
// reviewer to review a school of phase want under rule.
func PhaseCompatible(rule PhaseRule, want partnership.Phase, has []partnership.Phase) bool {
	if rule == PhaseAny {
		return true
	}
	for _, p := range has {
		if p == want || (rule == PhaseRelated && slices.Contains(relatedPhases[want], p)) {
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

// source is the key of a reviewer's origin in the pair rules: the home URN,
// or minus (index+1) for an external reviewer.
func (in *instance) source(ri int) int {
	if h := in.reviewers[ri].Home; h > 0 {
		return int(h)
	}
	return -(ri + 1)
}

// check returns the first rule that forbids reviewer ri in a place on school
// si's team (the lead's place when lead), or ConstraintNone. km is the
// distance, or NaN when a location is unknown.
func (in *instance) check(ri, si int, lead bool, km float64) Constraint {
	r, s, ru := &in.reviewers[ri], &in.schools[si], &in.rules
	if r.Home > 0 && r.Home == s.URN {
		return ConstraintOwnSchool
	}
	if lead {
		if !r.TrainedLead {
			return ConstraintTrainedLead
		}
		if (ru.ExternalLeads == ExternalLeadsRequired && !r.External) || (ru.ExternalLeads == ExternalLeadsForbidden && r.External) {
			return ConstraintExternalLead
		}
	}
	if ru.ExcludeSameTrust && r.Trust != "" && r.Trust == s.Trust {
		return ConstraintSameTrust
	}
	if !PhaseCompatible(ru.Phase, s.Phase, r.Phases) {
		return ConstraintPhase
	}
	if in.repeat[[2]int{in.source(ri), int(s.URN)}] {
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
	if r.Home > 0 && in.recip[[2]int{int(r.Home), int(s.URN)}] {
		return ConstraintReciprocal
	}
	return ConstraintNone
}

func (in *instance) km(ri, si int) float64 {
	a, b := in.reviewers[ri].Location, in.schools[si].Location
	if !a.Known() || !b.Known() {
		return math.NaN()
	}
	return a.DistanceKm(b)
}

// placeCost is the objective's term for reviewer ri on school si's team.
func (in *instance) placeCost(ri, si int, lead bool, km, fit float64) float64 {
	w := in.rules.Weights
	c := w.FocusMiss * (1 - fit)
	if !math.IsNaN(km) {
		c += w.Travel * km
	}
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
	n := len(in.schools)
	size := in.rules.AreaSize
	if size == 0 {
		size = 400
	}
	mode := in.rules.Partition
	if mode == PartitionAuto {
		mode = PartitionNone
		if n > 4*size {
			mode = PartitionLA
		}
	}
	var groups [][]int
	if mode == PartitionNone {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		groups = [][]int{all}
	} else {
		byLA := map[int][]int{}
		var las []int
		for i, s := range in.schools {
			if _, ok := byLA[s.LA]; !ok {
				las = append(las, s.LA)
			}
			byLA[s.LA] = append(byLA[s.LA], i)
		}
		slices.Sort(las)
		for _, la := range las {
			groups = append(groups, in.split(byLA[la], size)...)
		}
		groups = in.mergeSmall(groups, max(size/8, 2*(in.rules.Peers+2)))
	}
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
