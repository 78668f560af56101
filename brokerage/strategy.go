package brokerage

import (
	"context"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
)

// Pair is a need and an offer considered together, with what the broker
// has worked out about them. Scorers and constraints read it; they must
// not change the need or the offer.
type Pair struct {
	Need  *Need
	Offer *Offer
	// Distance is the great-circle distance between the two, unknown when
	// either location is unknown.
	Distance Km
	// Contention is the number of needs the offer is a candidate for,
	// divided by its capacity (after the constraints); 0 when it has no
	// capacity.
	Contention float64
}

// Scorer contributes to the cost of pairing a need with an offer; the
// strategies prefer lower costs. A Scorer is a pure function of the pair:
// it must be safe for concurrent use and return a finite number. Its name
// labels its contribution in every match's explanation.
type Scorer interface {
	Name() string
	Score(p Pair) float64
}

// Constraint removes pairings outright. Allow reports whether the pair may
// be matched and, when not, a reason a person can read ("62 km away, limit
// 40 km"). A Constraint must be safe for concurrent use.
type Constraint interface {
	Name() string
	Allow(p Pair) (ok bool, reason string)
}

// Checker is an optional interface for a Constraint that can decide a pair
// without composing its reason: Allows(p) must equal the ok of Allow(p).
// The Broker checks every candidate pair and needs a reason only for the
// few it explains, so a Checker saves formatting a reason per excluded
// pair. The built-in constraints are Checkers.
type Checker interface {
	Constraint
	Allows(p Pair) bool
}

// Strategy decides which candidate pairs become matches. Match receives a
// problem whose candidates have passed every constraint and carry their
// costs; it returns, for each need in order, the index into that need's
// Candidates it chose, or -1 to leave the need unmet. A Strategy must not
// exceed an offer's capacity or change the problem, and must return
// ctx.Err() when ctx ends first.
type Strategy interface {
	Name() string
	Match(ctx context.Context, p *Problem) ([]int, error)
}

// Problem is what a Strategy matches: the needs and offers and, for each
// need, its candidate offers after the constraints.
type Problem struct {
	Needs  []Need
	Offers []Offer
	// Candidates[i] are need i's candidates, cheapest first (ties by
	// offer index).
	Candidates [][]Candidate
}

// Candidate is one allowed pairing of a need with an offer.
type Candidate struct {
	Offer int // index into Problem.Offers
	// Cost is the sum of the contributions.
	Cost          float64
	Distance      Km
	Contributions []Contribution
}

// Contribution is one scorer's part of a pair's cost.
type Contribution struct {
	Scorer string  `json:"scorer"`
	Value  float64 `json:"value"`
	// Unknown marks a contribution the scorer could not measure (an
	// UnknownScorer said so): Value is then the scorer's documented
	// stand-in, not a measurement.
	Unknown bool `json:"unknown,omitempty"`
}

// UnknownScorer is an optional interface for a Scorer whose input may be
// unknown (the Distance scorer when a location is unknown). When Unknown
// reports true, the pair's Contribution is marked Unknown and its value is
// whatever Score returned, which the scorer documents.
type UnknownScorer interface {
	Scorer
	Unknown(p Pair) bool
}

// Match pairs a need with an offer and says why.
type Match struct {
	Need  NeedID  `json:"need"`
	Offer OfferID `json:"offer"`
	Cost  float64 `json:"cost"`
	// Distance is null in JSON when unknown.
	Distance Km `json:"distance_km"`
	// Explanation lists each scorer's contribution, in the broker's
	// scorer order; they sum to Cost.
	Explanation []Contribution `json:"explanation"`
}

// UnmetReason says why a need was left unmet.
type UnmetReason int

// Reasons a need stays unmet.
const (
	// UnmetNoProvider: no offer covers the need's area at all.
	UnmetNoProvider UnmetReason = iota + 1
	// UnmetExcluded: offers cover the area but every one was removed by a
	// constraint (distance, phase, conflict of interest, eligibility).
	UnmetExcluded
	// UnmetCapacity: the need had candidates, but their capacity went to
	// other needs (of higher priority, or that had no alternative).
	UnmetCapacity
)

var unmetReasons = enum.New[UnmetReason]("unmet reason", []string{"", "no-provider", "excluded", "capacity"}, nil)

// String returns the reason's name, e.g. "capacity".
func (r UnmetReason) String() string { return unmetReasons.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r UnmetReason) MarshalText() ([]byte, error) { return unmetReasons.Marshal(r) }

// UnmetNeed is a need left unmet and why.
type UnmetNeed struct {
	Need   NeedID      `json:"need"`
	Reason UnmetReason `json:"reason"`
	// Detail explains the reason in words, naming the constraint and the
	// nearest excluded offer, or the needs that took the capacity.
	Detail string `json:"detail"`
}

// Result is the outcome of matching.
type Result struct {
	Strategy string      `json:"strategy"`
	Matches  []Match     `json:"matches"`
	Unmet    []UnmetNeed `json:"unmet"`
	// TotalCost is the sum of the matches' costs.
	TotalCost float64 `json:"total_cost"`
	// Needs and Met count the needs considered and matched.
	Needs int `json:"needs"`
	Met   int `json:"met"`
	// NeedsWithoutLocation and OffersWithoutLocation count the needs and
	// offers whose location is unknown: their distances are unknown.
	NeedsWithoutLocation  int `json:"needs_without_location"`
	OffersWithoutLocation int `json:"offers_without_location"`
}
