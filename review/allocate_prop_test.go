package review_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// genInstance draws a small random instance: schools and reviewers in a
// 30 km box, a few trusts, mixed phases, history and rules.
func genInstance(t *rapid.T, maxSchools, maxReviewers int) ([]review.Reviewee, []review.Reviewer, review.Rules) {
	phases := []partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary, partnership.PhaseSpecial}
	ns := rapid.IntRange(1, maxSchools).Draw(t, "schools")
	nr := rapid.IntRange(1, maxReviewers).Draw(t, "reviewers")
	loc := func(label string) partnership.Location {
		if rapid.IntRange(0, 9).Draw(t, label+"unknown") == 0 {
			return partnership.Location{} // no location: the distance is unknown
		}
		return partnership.Location{Lat: 53.7 + rapid.Float64Range(0, 0.27).Draw(t, label+"lat"), Lon: -1.6 + rapid.Float64Range(0, 0.45).Draw(t, label+"lon")}
	}
	trust := func(label string) partnership.OrgID {
		if k := rapid.IntRange(0, 2).Draw(t, label); k > 0 {
			return partnership.OrgID(fmt.Sprintf("trust:%d", k))
		}
		return ""
	}
	areas := []partnership.ExpertiseID{"maths", "send", "early-reading"}
	var schools []review.Reviewee
	for i := range ns {
		s := review.Reviewee{URN: partnership.URN(100 + i), Phase: rapid.SampledFrom(phases).Draw(t, "phase"),
			Trust: trust("strust"), Location: loc("s")}
		if rapid.Bool().Draw(t, "focus") {
			s.Focus = []partnership.ExpertiseID{rapid.SampledFrom(areas).Draw(t, "f")}
		}
		schools = append(schools, s)
	}
	var revs []review.Reviewer
	for i := range nr {
		r := review.Reviewer{ID: review.ReviewerID(fmt.Sprintf("r%02d", i)), Capacity: rapid.IntRange(0, 2).Draw(t, "cap"),
			TrainedLead: rapid.Bool().Draw(t, "lead"), Reviews: rapid.IntRange(0, 3).Draw(t, "reviews"), Location: loc("r")}
		if rapid.IntRange(0, 4).Draw(t, "external") == 0 {
			r.External = true
		} else {
			h := schools[rapid.IntRange(0, ns-1).Draw(t, "home")]
			r.Home, r.Location = h.URN, h.Location
			if rapid.Bool().Draw(t, "trustcolumn") {
				r.Trust = h.Trust // else blank: the home school's trust applies
			}
		}
		if rapid.Bool().Draw(t, "accredited") {
			r.AccreditedUntil = time.Date(2025, time.Month(rapid.IntRange(1, 12).Draw(t, "accmonth")), 1, 0, 0, 0, 0, time.UTC)
		}
		r.Phases = []partnership.Phase{rapid.SampledFrom(phases).Draw(t, "rphase")}
		if rapid.Bool().Draw(t, "exp") {
			r.Expertise = []partnership.ExpertiseID{rapid.SampledFrom(areas).Draw(t, "e")}
		}
		revs = append(revs, r)
	}
	rules := review.Rules{
		Cycle:             5,
		Peers:             rapid.IntRange(0, 2).Draw(t, "peers"),
		ExternalLeads:     review.ExternalLeads(rapid.IntRange(0, 2).Draw(t, "extlead")),
		ExcludeSameTrust:  rapid.Bool().Draw(t, "sametrust"),
		ExcludeReciprocal: rapid.Bool().Draw(t, "recip"),
		RepeatWithin:      rapid.IntRange(0, 2).Draw(t, "repeat"),
		Phase:             review.PhaseRule(rapid.IntRange(0, 2).Draw(t, "phaserule")),
		ExperiencedAfter:  2,
		Weights:           review.Weights{Travel: 1, FocusMiss: 10, ExperiencedPeer: 5},
		SearchNodes:       100000,
		MaxPerSchool:      rapid.IntRange(0, 2).Draw(t, "maxperschool"),
		BalanceGiving:     rapid.IntRange(0, 3).Draw(t, "giving") == 0,
		GivingSlack:       rapid.IntRange(0, 2).Draw(t, "slack"),
	}
	if rapid.IntRange(0, 3).Draw(t, "accreditation") == 0 {
		rules.RequireAccreditation = true
		rules.AccreditedOn = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	for range rapid.IntRange(0, 2).Draw(t, "conflicts") {
		rules.Conflicts = append(rules.Conflicts, review.Conflict{Reviewer: revs[rapid.IntRange(0, nr-1).Draw(t, "cr")].ID,
			School: schools[rapid.IntRange(0, ns-1).Draw(t, "cs")].URN, Kind: review.ConflictKind(rapid.IntRange(0, 3).Draw(t, "ck"))})
	}
	rules.MinExperiencedPeers = rapid.IntRange(0, rules.Peers).Draw(t, "minexp")
	if rapid.Bool().Draw(t, "maxtravel") {
		rules.MaxTravelKm = rapid.Float64Range(5, 40).Draw(t, "maxkm")
	}
	if rapid.Bool().Draw(t, "mindist") {
		rules.MinDistanceKm = rapid.Float64Range(0, 3).Draw(t, "minkm")
	}
	for range rapid.IntRange(0, 3).Draw(t, "history") {
		r := revs[rapid.IntRange(0, nr-1).Draw(t, "hr")]
		h := review.PastReview{Cycle: rapid.IntRange(2, 5).Draw(t, "hc"), Reviewer: r.ID, Home: r.Home,
			School: schools[rapid.IntRange(0, ns-1).Draw(t, "hs")].URN}
		switch rapid.IntRange(0, 2).Draw(t, "hform") {
		case 1:
			h.Home = 0 // by reviewer only: the reviewer's home applies
		case 2:
			if h.Home > 0 {
				h.Reviewer = "" // by school only
			}
		}
		rules.History = append(rules.History, h)
	}
	return schools, revs, rules
}

// related is the test's own statement of the documented related phases.
func related(a, b partnership.Phase) bool {
	pairs := [][2]partnership.Phase{
		{partnership.PhasePrimary, partnership.PhaseNursery}, {partnership.PhasePrimary, partnership.PhaseMiddle},
		{partnership.PhasePrimary, partnership.PhaseAllThrough}, {partnership.PhaseSecondary, partnership.PhaseMiddle},
		{partnership.PhaseSecondary, partnership.PhaseAllThrough}, {partnership.PhaseSecondary, partnership.Phase16Plus},
		{partnership.PhaseSpecial, partnership.PhaseAlternativeProvision},
	}
	return a == b || slices.Contains(pairs, [2]partnership.Phase{a, b}) || slices.Contains(pairs, [2]partnership.Phase{b, a})
}

// world is what the independent checker knows of an instance.
type world struct {
	ru      review.Rules
	schools map[partnership.URN]review.Reviewee
	revs    map[review.ReviewerID]review.Reviewer
	// unknownKm is the documented price of an unknown distance.
	unknownKm float64
}

func newWorld(schools []review.Reviewee, revs []review.Reviewer, ru review.Rules) world {
	w := world{ru: ru, schools: map[partnership.URN]review.Reviewee{}, revs: map[review.ReviewerID]review.Reviewer{}}
	var known []partnership.Location
	for _, s := range schools {
		w.schools[s.URN] = s
		if s.Location.Known() {
			known = append(known, s.Location)
		}
	}
	for _, r := range revs {
		w.revs[r.ID] = r
		if r.Location.Known() {
			known = append(known, r.Location)
		}
	}
	// The documented price of an unknown distance: the span of the known
	// locations (the box's diagonal, its width along its parallel nearest
	// the equator, its height, and 1 km), or 1 km when none is known.
	w.unknownKm = 1
	if len(known) > 0 {
		lo, hi := known[0], known[0]
		for _, l := range known {
			lo = partnership.Location{Lat: min(lo.Lat, l.Lat), Lon: min(lo.Lon, l.Lon)}
			hi = partnership.Location{Lat: max(hi.Lat, l.Lat), Lon: max(hi.Lon, l.Lon)}
		}
		wide := min(max(0, lo.Lat), hi.Lat)
		w.unknownKm = review.DistanceKm(lo, hi) + review.DistanceKm(partnership.Location{Lat: wide, Lon: lo.Lon}, partnership.Location{Lat: wide, Lon: hi.Lon}) +
			(hi.Lat-lo.Lat)*112 + 1
	}
	return w
}

// km is the distance the objective prices a pair at: the distance when
// both locations are known, else the documented price of an unknown one.
func (w world) km(r review.Reviewer, s review.Reviewee) float64 {
	if !r.Location.Known() || !s.Location.Known() {
		return w.unknownKm
	}
	return review.DistanceKm(r.Location, s.Location)
}

// historyHome is the home school a history entry stands for.
func (w world) historyHome(h review.PastReview) partnership.URN {
	if h.Home > 0 {
		return h.Home
	}
	return w.revs[h.Reviewer].Home
}

// eligible is the test's own statement of the per-pair rules.
func (w world) eligible(r review.Reviewer, s review.Reviewee, lead bool) bool {
	ru := w.ru
	if r.Home > 0 && r.Home == s.URN {
		return false
	}
	if lead && (!r.TrainedLead || (ru.ExternalLeads == review.ExternalLeadsRequired && !r.External) ||
		(ru.ExternalLeads == review.ExternalLeadsForbidden && r.External)) {
		return false
	}
	if ru.RequireAccreditation && (r.AccreditedUntil.IsZero() || r.AccreditedUntil.Before(ru.AccreditedOn)) {
		return false
	}
	trust := r.Trust
	if home, ok := w.schools[r.Home]; ok && trust == "" && r.Home > 0 {
		trust = home.Trust
	}
	if ru.ExcludeSameTrust && trust != "" && trust == s.Trust {
		return false
	}
	for _, c := range ru.Conflicts {
		if c.Reviewer == r.ID && c.School == s.URN {
			return false
		}
	}
	phases := r.Phases
	if home, ok := w.schools[r.Home]; ok && len(phases) == 0 && r.Home > 0 {
		phases = []partnership.Phase{home.Phase}
	}
	if ru.Phase != review.PhaseAny && !slices.ContainsFunc(phases, func(p partnership.Phase) bool {
		return p == s.Phase || (ru.Phase == review.PhaseRelated && related(p, s.Phase))
	}) {
		return false
	}
	if !r.Location.Known() || !s.Location.Known() {
		// An unknown distance never satisfies a distance rule.
		if ru.MaxTravelKm > 0 || ru.MinDistanceKm > 0 {
			return false
		}
	} else {
		km := review.DistanceKm(r.Location, s.Location)
		if ru.MaxTravelKm > 0 && km > ru.MaxTravelKm || ru.MinDistanceKm > 0 && km < ru.MinDistanceKm {
			return false
		}
	}
	for _, h := range ru.History {
		hh := w.historyHome(h)
		sameSource := h.Reviewer == r.ID || (r.Home > 0 && hh == r.Home)
		if ru.RepeatWithin > 0 && sameSource && h.School == s.URN && h.Cycle < ru.Cycle && h.Cycle >= ru.Cycle-ru.RepeatWithin {
			return false
		}
		if ru.ExcludeReciprocal && h.Cycle == ru.Cycle && r.Home > 0 && hh == s.URN && h.School == r.Home {
			return false
		}
	}
	return true
}

// quota is the places a home school may give under BalanceGiving.
func (w world) quota(h partnership.URN) int {
	recv := 0
	if _, ok := w.schools[h]; ok {
		recv = 1 + w.ru.Peers
	}
	for _, e := range w.ru.History {
		if e.Cycle == w.ru.Cycle && w.historyHome(e) == h {
			recv--
		}
	}
	return max(0, recv+w.ru.GivingSlack)
}

func experienced(ru review.Rules, r review.Reviewer) bool {
	return r.TrainedLead || r.Reviews >= ru.ExperiencedAfter
}

// placeCost is the documented objective term, in hundredths.
func (w world) placeCost(r review.Reviewer, s review.Reviewee, lead bool) int64 {
	ru := w.ru
	fit := 1.0
	if len(s.Focus) > 0 {
		n := 0
		for _, f := range s.Focus {
			if slices.Contains(r.Expertise, f) {
				n++
			}
		}
		fit = float64(n) / float64(len(s.Focus))
	}
	c := ru.Weights.Travel*w.km(r, s) + ru.Weights.FocusMiss*(1-fit)
	if !lead && experienced(ru, r) {
		c += ru.Weights.ExperiencedPeer
	}
	return int64(math.Round(100 * c))
}

// violations checks an allocation against every rule, independently of the
// allocator.
func violations(schools []review.Reviewee, revs []review.Reviewer, ru review.Rules, a *review.Allocation) []string {
	var out []string
	w := newWorld(schools, revs, ru)
	load := map[review.ReviewerID]int{}
	given := map[partnership.URN]int{}
	reviews := map[[2]partnership.URN]bool{}
	unfilled, leadsMissing := 0, 0
	if len(a.Teams) != len(schools) {
		out = append(out, fmt.Sprintf("%d teams for %d schools", len(a.Teams), len(schools)))
	}
	for _, t := range a.Teams {
		s := w.schools[t.School]
		seen := map[review.ReviewerID]bool{}
		fromHome := map[partnership.URN]int{}
		leads, peers, newPeers := 0, 0, 0
		for _, m := range t.Members {
			r, ok := w.revs[m.Reviewer]
			if !ok {
				out = append(out, fmt.Sprintf("unknown reviewer %s", m.Reviewer))
				continue
			}
			if seen[r.ID] {
				out = append(out, fmt.Sprintf("%s twice on %d", r.ID, s.URN))
			}
			seen[r.ID] = true
			load[r.ID]++
			if !w.eligible(r, s, m.Lead) {
				out = append(out, fmt.Sprintf("%s not eligible for %d (lead %v)", r.ID, s.URN, m.Lead))
			}
			if got, want := int64(math.Round(m.Cost*100)), w.placeCost(r, s, m.Lead); got != want {
				out = append(out, fmt.Sprintf("%s on %d costs %d hundredths, want %d", r.ID, s.URN, got, want))
			}
			if unknown := !r.Location.Known() || !s.Location.Known(); m.TravelUnknown != unknown || (unknown && m.TravelKm != 0) {
				out = append(out, fmt.Sprintf("%s on %d: travel_unknown %v, travel %g km", r.ID, s.URN, m.TravelUnknown, m.TravelKm))
			}
			if m.Lead {
				leads++
			} else {
				peers++
				if !experienced(ru, r) {
					newPeers++
				}
			}
			if r.Home > 0 {
				reviews[[2]partnership.URN{r.Home, s.URN}] = true
				given[r.Home]++
				fromHome[r.Home]++
				if ru.MaxPerSchool > 0 && fromHome[r.Home] > ru.MaxPerSchool {
					out = append(out, fmt.Sprintf("team %d has %d from school %d", s.URN, fromHome[r.Home], r.Home))
				}
			}
		}
		if leads > 1 || peers > ru.Peers {
			out = append(out, fmt.Sprintf("team %d has %d leads and %d peers", s.URN, leads, peers))
		}
		if newPeers > ru.Peers-ru.MinExperiencedPeers {
			out = append(out, fmt.Sprintf("team %d has %d new peers", s.URN, newPeers))
		}
		unfilled += 1 - leads + ru.Peers - peers
		leadsMissing += 1 - leads
	}
	for id, n := range load {
		if n > w.revs[id].Capacity {
			out = append(out, fmt.Sprintf("%s over capacity: %d", id, n))
		}
	}
	if ru.BalanceGiving {
		for h, n := range given {
			if n > w.quota(h) {
				out = append(out, fmt.Sprintf("school %d gives %d places, more than its %d", h, n, w.quota(h)))
			}
		}
	}
	if ru.ExcludeReciprocal {
		for k := range reviews {
			if reviews[[2]partnership.URN{k[1], k[0]}] {
				out = append(out, fmt.Sprintf("reciprocal pair %d/%d", k[0], k[1]))
			}
		}
	}
	missing := 0
	for _, s := range a.Shortfalls {
		missing += s.Missing
		if s.Reason == "" || s.Constraint == review.ConstraintNone {
			out = append(out, fmt.Sprintf("shortfall without reason at %d", s.School))
		}
	}
	if unfilled != a.Unfilled || missing != a.Unfilled || leadsMissing != a.LeadsMissing {
		out = append(out, fmt.Sprintf("unfilled %d (leads %d), reported %d (leads %d), shortfalls %d", unfilled, leadsMissing, a.Unfilled, a.LeadsMissing, missing))
	}
	slices.Sort(out)
	return out
}

// exhaustive returns the best (leads missing, unfilled, cost) over every
// assignment, in that lexicographic order.
func exhaustive(schools []review.Reviewee, revs []review.Reviewer, ru review.Rules) (int, int, int64) {
	w := newWorld(schools, revs, ru)
	type option struct {
		members []int // reviewer indices; lead first when hasLead
		hasLead bool
		cost    int64
	}
	opts := make([][]option, len(schools))
	for si, s := range schools {
		var peersOK []int
		for ri, r := range revs {
			if w.eligible(r, s, false) && r.Capacity > 0 && ru.Peers > 0 {
				peersOK = append(peersOK, ri)
			}
		}
		var subsets [][]int
		var rec func(i int, cur []int)
		rec = func(i int, cur []int) {
			if len(cur) <= ru.Peers {
				subsets = append(subsets, slices.Clone(cur))
			}
			if i == len(peersOK) || len(cur) == ru.Peers {
				return
			}
			for j := i; j < len(peersOK); j++ {
				rec(j+1, append(cur, peersOK[j]))
			}
		}
		rec(0, nil)
		leads := []int{-1}
		for ri, r := range revs {
			if w.eligible(r, s, true) && r.Capacity > 0 {
				leads = append(leads, ri)
			}
		}
		for _, l := range leads {
			for _, sub := range subsets {
				if slices.Contains(sub, l) {
					continue
				}
				o := option{hasLead: l >= 0}
				newPeers := 0
				if l >= 0 {
					o.members = append(o.members, l)
					o.cost += w.placeCost(revs[l], s, true)
				}
				for _, p := range sub {
					o.members = append(o.members, p)
					o.cost += w.placeCost(revs[p], s, false)
					if !experienced(ru, revs[p]) {
						newPeers++
					}
				}
				fromHome := map[partnership.URN]int{}
				ok := newPeers <= ru.Peers-ru.MinExperiencedPeers
				for _, m := range o.members {
					if h := revs[m].Home; h > 0 {
						fromHome[h]++
						ok = ok && (ru.MaxPerSchool == 0 || fromHome[h] <= ru.MaxPerSchool)
					}
				}
				if ok {
					opts[si] = append(opts[si], o)
				}
			}
		}
	}
	bestL, bestU, bestC := math.MaxInt, math.MaxInt, int64(math.MaxInt64)
	load := make([]int, len(revs))
	given := map[partnership.URN]int{}
	pairs := map[[2]partnership.URN]int{}
	var walk func(si, leads, unfilled int, cost int64)
	walk = func(si, leads, unfilled int, cost int64) {
		if si == len(schools) {
			if leads < bestL || (leads == bestL && (unfilled < bestU || (unfilled == bestU && cost < bestC))) {
				bestL, bestU, bestC = leads, unfilled, cost
			}
			return
		}
		for _, o := range opts[si] {
			ok := true
			adds := map[partnership.URN]int{} // places this team takes from each school
			for _, m := range o.members {
				if load[m] >= revs[m].Capacity {
					ok = false
				}
				h := revs[m].Home
				if ru.ExcludeReciprocal && h > 0 && pairs[[2]partnership.URN{schools[si].URN, h}] > 0 {
					ok = false
				}
				if h > 0 {
					adds[h]++
				}
				if ru.BalanceGiving && h > 0 && given[h]+adds[h] > w.quota(h) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			for _, m := range o.members {
				load[m]++
				if h := revs[m].Home; h > 0 {
					pairs[[2]partnership.URN{h, schools[si].URN}]++
					given[h]++
				}
			}
			u := ru.Peers + 1 - len(o.members)
			l := 0
			if !o.hasLead {
				l = 1
			}
			walk(si+1, leads+l, unfilled+u, cost+o.cost)
			for _, m := range o.members {
				load[m]--
				if h := revs[m].Home; h > 0 {
					pairs[[2]partnership.URN{h, schools[si].URN}]--
					given[h]--
				}
			}
		}
	}
	walk(0, 0, 0, 0)
	return bestL, bestU, bestC
}

func TestAllocateNeverViolatesAConstraint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genInstance(t, 8, 14)
		rules.Candidates = rapid.IntRange(0, 4).Draw(t, "candidates")
		rules.SearchNodes = rapid.IntRange(1, 20).Draw(t, "nodes")
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		if v := violations(schools, revs, rules, a); len(v) > 0 {
			t.Fatalf("violations: %v", v)
		}
	})
}

func TestAllocateIsDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genInstance(t, 8, 14)
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1))
		rng.Shuffle(len(schools), func(i, j int) { schools[i], schools[j] = schools[j], schools[i] })
		rng.Shuffle(len(revs), func(i, j int) { revs[i], revs[j] = revs[j], revs[i] })
		b, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		if d := cmp.Diff(a, b); d != "" {
			t.Fatalf("same input, different result (-first +second):\n%s", d)
		}
	})
}

func TestAllocateMatchesExhaustiveSearch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		schools, revs, rules := genInstance(t, 3, 5)
		a, err := review.Allocate(context.Background(), schools, revs, rules)
		require.NoError(t, err)
		require.True(t, a.Optimal, "a search of 100000 nodes proves optimality on a small instance")
		requireExhaustiveOptimum(t, schools, revs, rules, a)
	})
}

// requireExhaustiveOptimum checks a against the best allocation exhaustive
// finds, and returns that optimum.
func requireExhaustiveOptimum(t require.TestingT, schools []review.Reviewee, revs []review.Reviewer, ru review.Rules, a *review.Allocation) (int, int, int64) {
	l, u, c := exhaustive(schools, revs, ru)
	var got int64
	for _, tm := range a.Teams {
		for _, m := range tm.Members {
			got += int64(math.Round(m.Cost * 100))
		}
	}
	require.Equal(t, l, a.LeadsMissing, "leads missing")
	require.Equal(t, u, a.Unfilled, "unfilled places")
	require.Equal(t, c, got, "cost in hundredths of a km-equivalent")
	return l, u, c
}
