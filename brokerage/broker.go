package brokerage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Broker matches needs to offers: it applies its constraints, scores the
// pairs that remain with its scorers and lets its strategy choose. Build one
// with NewBroker; a Broker is immutable and safe for concurrent use.
type Broker struct {
	strategy    Strategy
	scorers     []Scorer
	constraints []Constraint
	taxonomy    *partnership.Taxonomy
}

// Option configures a Broker.
type Option func(*Broker)

// WithStrategy sets the strategy (default Optimal{}).
func WithStrategy(s Strategy) Option { return func(b *Broker) { b.strategy = s } }

// WithScorers replaces the scorers (default DefaultScorers()).
func WithScorers(s ...Scorer) Option { return func(b *Broker) { b.scorers = s } }

// WithConstraints replaces the constraints (default DefaultConstraints()).
func WithConstraints(c ...Constraint) Option { return func(b *Broker) { b.constraints = c } }

// WithTaxonomy lets an offer in a broader area serve a need in a narrower
// one ("curriculum" serves "maths") as the taxonomy's Covers says. Without
// it areas must be equal. The Broker keeps its own copy: adding to t
// afterwards changes nothing in the Broker.
func WithTaxonomy(t *partnership.Taxonomy) Option {
	if t != nil {
		t = t.Clone()
	}
	return func(b *Broker) { b.taxonomy = t }
}

// NewBroker returns a broker with the given options over the defaults.
func NewBroker(opts ...Option) *Broker {
	b := &Broker{strategy: Optimal{}, scorers: DefaultScorers(), constraints: DefaultConstraints()}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Strategy returns the broker's strategy.
func (b *Broker) Strategy() Strategy { return b.strategy }

// covers reports whether the offer covers area: one of its areas is area,
// or, with a taxonomy, a broader area that covers it. The Broker and the
// Ledger share this rule.
func covers(t *partnership.Taxonomy, o *Offer, area partnership.ExpertiseID) bool {
	for _, a := range o.Areas {
		if a.Area == area || t != nil && t.Covers(a.Area, area) {
			return true
		}
	}
	return false
}

// Validate checks needs and offers: non-empty unique IDs, priorities 1–5,
// non-negative days, capacities and costs, offers with at least one area.
// Every problem is returned, joined, each wrapping ErrInvalid.
func Validate(needs []Need, offers []Offer) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	seenN := map[NeedID]bool{}
	for i, n := range needs {
		switch {
		case n.ID == "":
			bad("need %d: empty ID", i+1)
		case seenN[n.ID]:
			bad("need %s: duplicate ID", n.ID)
		}
		seenN[n.ID] = true
		if n.Priority < 1 || n.Priority > 5 {
			bad("need %s: priority %d outside 1-5", n.ID, n.Priority)
		}
		if n.Days < 0 || math.IsNaN(n.Days) || math.IsInf(n.Days, 0) {
			bad("need %s: days %v", n.ID, n.Days)
		}
		if n.Area == "" {
			bad("need %s: no area", n.ID)
		}
	}
	seenO := map[OfferID]bool{}
	for i, o := range offers {
		switch {
		case o.ID == "":
			bad("offer %d: empty ID", i+1)
		case seenO[o.ID]:
			bad("offer %s: duplicate ID", o.ID)
		}
		seenO[o.ID] = true
		if o.Capacity < 0 {
			bad("offer %s: negative capacity %d", o.ID, o.Capacity)
		}
		if o.CostPerDay < 0 || math.IsNaN(o.CostPerDay) || math.IsInf(o.CostPerDay, 0) {
			bad("offer %s: cost per day %v", o.ID, o.CostPerDay)
		}
		if len(o.Areas) == 0 {
			bad("offer %s: no areas", o.ID)
		}
	}
	return errors.Join(errs...)
}

type exclusion struct {
	count   map[string]int
	offers  []int // the offers covering the need's area
	covered int
}

// Problem builds the matching problem a strategy sees: for each need, the
// offers with capacity that cover its area and pass every constraint,
// scored and sorted cheapest first. It returns an error wrapping ErrInvalid
// for invalid needs or offers or a scorer's non-finite score.
func (b *Broker) Problem(ctx context.Context, needs []Need, offers []Offer) (*Problem, error) {
	p, _, err := b.problem(ctx, needs, offers)
	return p, err
}

func (b *Broker) problem(ctx context.Context, needs []Need, offers []Offer) (*Problem, []exclusion, error) {
	if err := Validate(needs, offers); err != nil {
		return nil, nil, err
	}
	p := &Problem{Needs: needs, Offers: offers, Candidates: make([][]Candidate, len(needs))}
	byArea := map[partnership.ExpertiseID][]int{}
	for j := range offers {
		for _, a := range offers[j].Areas {
			byArea[a.Area] = append(byArea[a.Area], j)
		}
	}
	offersFor := func(area partnership.ExpertiseID) []int {
		if b.taxonomy == nil {
			return byArea[area]
		}
		var js []int
		for a, list := range byArea {
			if a == area || b.taxonomy.Covers(a, area) {
				js = append(js, list...)
			}
		}
		slices.Sort(js)
		return slices.Compact(js)
	}
	// With a MaxDistance first among the constraints, a pair too far apart
	// in latitude alone is excluded by it without computing its distance.
	var limit *MaxDistance
	if len(b.constraints) > 0 {
		switch c := b.constraints[0].(type) {
		case MaxDistance:
			limit = &c
		case *MaxDistance:
			limit = c
		}
	}
	excl := make([]exclusion, len(needs))
	allowed := make([][]int, len(needs))
	dist := make([][]Km, len(needs))
	demand := make([]int, len(offers))
	for i := range needs {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		n := &needs[i]
		js := offersFor(n.Area)
		excl[i] = exclusion{count: map[string]int{}, covered: len(js), offers: js}
		for _, j := range js {
			if farther(limit, n.Location, offers[j].Location) {
				excl[i].count[limit.Name()]++
				continue
			}
			pr := Pair{Need: n, Offer: &offers[j], Distance: DistanceBetween(n.Location, offers[j].Location)}
			ok := true
			for _, c := range b.constraints {
				if !allows(c, pr) {
					ok = false
					excl[i].count[c.Name()]++
					break
				}
			}
			if ok && offers[j].Capacity > 0 {
				allowed[i] = append(allowed[i], j)
				dist[i] = append(dist[i], pr.Distance)
				demand[j]++
			}
		}
	}
	for i := range needs {
		cs := make([]Candidate, len(allowed[i]))
		for k, j := range allowed[i] {
			pr := Pair{Need: &needs[i], Offer: &offers[j], Distance: dist[i][k],
				Contention: float64(demand[j]) / float64(offers[j].Capacity)}
			c := Candidate{Offer: j, Distance: dist[i][k], Contributions: make([]Contribution, len(b.scorers))}
			for s, sc := range b.scorers {
				v := sc.Score(pr)
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, nil, fmt.Errorf("%w: scorer %s gave %v for need %s and offer %s", ErrInvalid, sc.Name(), v, needs[i].ID, offers[j].ID)
				}
				c.Contributions[s] = Contribution{Scorer: sc.Name(), Value: v}
				if us, ok := sc.(UnknownScorer); ok && us.Unknown(pr) {
					c.Contributions[s].Unknown = true
				}
				c.Cost += v
			}
			cs[k] = c
		}
		slices.SortStableFunc(cs, func(x, y Candidate) int { return cmp.Or(cmp.Compare(x.Cost, y.Cost), cmp.Compare(x.Offer, y.Offer)) })
		p.Candidates[i] = cs
	}
	return p, excl, nil
}

// farther reports whether locations a and b, both known, are certainly
// more than limit's Km apart: the great-circle distance is at least the
// arc between their latitudes (the margin covers rounding). A nil limit
// says nothing.
func farther(limit *MaxDistance, a, b partnership.Location) bool {
	if limit == nil || !a.Known() || !b.Known() {
		return false
	}
	const kmPerDegree = partnership.EarthRadiusKm * math.Pi / 180
	return math.Abs(a.Lat-b.Lat)*kmPerDegree > limit.Km*(1+1e-9)+1e-9
}

// allows reports whether c lets pair p through, by the Checker fast path
// when c has one.
func allows(c Constraint, p Pair) bool {
	if ch, ok := c.(Checker); ok {
		return ch.Allows(p)
	}
	ok, _ := c.Allow(p)
	return ok
}

// Match matches needs to offers with the broker's strategy. Every match
// carries its explanation and every unmet need its reason. It returns an
// error wrapping ErrInvalid for invalid needs or offers, or a strategy's
// error (ctx.Err() when ctx ends first).
func (b *Broker) Match(ctx context.Context, needs []Need, offers []Offer) (*Result, error) {
	p, excl, err := b.problem(ctx, needs, offers)
	if err != nil {
		return nil, err
	}
	choice, err := b.strategy.Match(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("brokerage: strategy %s: %w", b.strategy.Name(), err)
	}
	if len(choice) != len(needs) {
		return nil, fmt.Errorf("brokerage: strategy %s returned %d choices for %d needs", b.strategy.Name(), len(choice), len(needs))
	}
	load := make([]int, len(offers))
	res := &Result{Strategy: b.strategy.Name(), Needs: len(needs), Matches: []Match{}, Unmet: []UnmetNeed{}}
	for i := range needs {
		if !needs[i].Location.Known() {
			res.NeedsWithoutLocation++
		}
	}
	for j := range offers {
		if !offers[j].Location.Known() {
			res.OffersWithoutLocation++
		}
	}
	takenBy := make([][]int, len(offers))
	for i, k := range choice {
		if k < 0 {
			continue
		}
		if k >= len(p.Candidates[i]) {
			return nil, fmt.Errorf("brokerage: strategy %s chose candidate %d of %d for need %s", b.strategy.Name(), k, len(p.Candidates[i]), needs[i].ID)
		}
		c := p.Candidates[i][k]
		load[c.Offer]++
		if load[c.Offer] > offers[c.Offer].Capacity {
			return nil, fmt.Errorf("brokerage: strategy %s exceeded the capacity of offer %s", b.strategy.Name(), offers[c.Offer].ID)
		}
		takenBy[c.Offer] = append(takenBy[c.Offer], i)
		res.Matches = append(res.Matches, Match{Need: needs[i].ID, Offer: offers[c.Offer].ID, Cost: c.Cost,
			Distance: c.Distance, Explanation: c.Contributions})
		res.TotalCost += c.Cost
		res.Met++
	}
	for i, k := range choice {
		if k >= 0 {
			continue
		}
		n := &needs[i]
		u := UnmetNeed{Need: n.ID}
		switch e := excl[i]; {
		case e.covered == 0:
			u.Reason = UnmetNoProvider
			u.Detail = fmt.Sprintf("no offer covers %s", n.Area)
		case len(p.Candidates[i]) == 0:
			u.Reason = UnmetExcluded
			names := make([]string, 0, len(e.count))
			for c := range e.count {
				names = append(names, c)
			}
			sort.Strings(names)
			parts := make([]string, len(names))
			for x, c := range names {
				parts[x] = fmt.Sprintf("%s %d", c, e.count[c])
			}
			if len(parts) == 0 {
				u.Detail = fmt.Sprintf("%d offers cover %s, none with capacity", e.covered, n.Area)
				break
			}
			u.Detail = fmt.Sprintf("%d offers cover %s, all excluded (%s); %s", e.covered, n.Area, strings.Join(parts, ", "),
				b.nearestEligible(n, offers, e.offers))
		default:
			u.Reason = UnmetCapacity
			var higher, total int
			for _, c := range p.Candidates[i] {
				for _, other := range takenBy[c.Offer] {
					total++
					if needs[other].Priority >= n.Priority {
						higher++
					}
				}
			}
			u.Detail = fmt.Sprintf("all %d candidate offers are full: their capacity went to %d other needs, %d of them of priority %d or higher",
				len(p.Candidates[i]), total, higher, n.Priority)
		}
		res.Unmet = append(res.Unmet, u)
	}
	return res, nil
}

// excludedOffer is an offer covering a need's area.
type excludedOffer struct {
	offer    int
	distance Km
	// onlyDistance: every failing constraint is a MaxDistance and the
	// offer has capacity, so the offer is eligible but for distance.
	onlyDistance bool
}

// maxNearer bounds how many nearer excluded offers an explanation lists.
const maxNearer = 5

// nearestEligible explains an excluded need: the nearest provider eligible
// but for distance, with its distance, and the rules that exclude each
// offer nearer than it. Unknown distances sort after every known one. The
// reasons are composed only for the offers the explanation names.
func (b *Broker) nearestEligible(n *Need, offers []Offer, js []int) string {
	pair := func(j int) Pair {
		return Pair{Need: n, Offer: &offers[j], Distance: DistanceBetween(n.Location, offers[j].Location)}
	}
	xs := make([]excludedOffer, 0, len(js))
	for _, j := range js {
		pr := pair(j)
		x := excludedOffer{offer: j, distance: pr.Distance, onlyDistance: offers[j].Capacity > 0}
		for _, c := range b.constraints {
			if !x.onlyDistance {
				break
			}
			switch c.(type) {
			case MaxDistance, *MaxDistance:
			default:
				x.onlyDistance = allows(c, pr)
			}
		}
		xs = append(xs, x)
	}
	slices.SortStableFunc(xs, func(a, c excludedOffer) int {
		switch {
		case a.distance.Known != c.distance.Known:
			if a.distance.Known {
				return -1
			}
			return 1
		case a.distance.Known:
			return cmp.Or(cmp.Compare(a.distance.Value, c.distance.Value), cmp.Compare(a.offer, c.offer))
		}
		return cmp.Compare(a.offer, c.offer)
	})
	describe := func(x excludedOffer) string {
		pr := pair(x.offer)
		var rules []string
		for _, c := range b.constraints {
			if ok, why := c.Allow(pr); !ok {
				rules = append(rules, c.Name()+": "+why)
			}
		}
		if offers[x.offer].Capacity <= 0 {
			rules = append(rules, "capacity: the offer has no capacity")
		}
		return fmt.Sprintf("%s at %s (%s)", offers[x.offer].Provider, x.distance, strings.Join(rules, "; "))
	}
	list := func(nearer []excludedOffer) string {
		parts := make([]string, 0, maxNearer+1)
		for k, x := range nearer {
			if k == maxNearer {
				parts = append(parts, fmt.Sprintf("and %d more", len(nearer)-maxNearer))
				break
			}
			parts = append(parts, describe(x))
		}
		return strings.Join(parts, ", ")
	}
	for k, x := range xs {
		if !x.onlyDistance {
			continue
		}
		// Only a known distance can be nearer: unknown ones sort last.
		nearer := xs[:k]
		for len(nearer) > 0 && !nearer[len(nearer)-1].distance.Known {
			nearer = nearer[:len(nearer)-1]
		}
		var msg string
		if x.distance.Known {
			msg = "nearest eligible provider: " + describe(x)
		} else {
			unknown := 0
			for _, y := range xs[k:] {
				if y.onlyDistance {
					unknown++
				}
			}
			msg = fmt.Sprintf("no eligible provider at a known distance; %d eligible but for an unknown distance, first %s", unknown, describe(x))
		}
		if len(nearer) > 0 {
			msg += "; nearer, excluded: " + list(nearer)
		}
		return msg
	}
	return "no provider is eligible even ignoring distance; nearest: " + list(xs)
}
