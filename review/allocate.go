package review

import (
	"fmt"
	"math"
	"slices"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Reviewee is a school to be reviewed in a cycle, with what the allocator
// needs to know about it.
type Reviewee struct {
	URN   partnership.URN   `json:"urn"`
	Name  string            `json:"name,omitempty"`
	Phase partnership.Phase `json:"phase"`
	// Trust is the school's academy trust (or federation), "" for none.
	Trust partnership.OrgID `json:"trust,omitempty"`
	// LA is the local authority code; the allocator partitions by it on
	// large inputs.
	LA       int                  `json:"la,omitempty"`
	Location partnership.Location `json:"location"`
	// Focus is what the school chose to be reviewed on (a key stage, a
	// subject deep dive): the allocator prefers reviewers whose expertise
	// covers it.
	Focus []partnership.ExpertiseID `json:"focus,omitempty"`
	// Pupils and FSMPercent describe the school's context, used by the
	// cluster mode (similar or contrasting schools); FSMPercent < 0 means
	// unknown.
	Pupils     int     `json:"pupils,omitempty"`
	FSMPercent float64 `json:"fsm_percent,omitempty"`
}

// ReviewerID identifies a reviewer.
type ReviewerID string

// Reviewer is a person available to review other schools in a cycle: a
// headteacher or senior leader of a school in the programme, or an external
// lead reviewer with no vested interest.
type Reviewer struct {
	ID   ReviewerID       `json:"id"`
	Name string           `json:"name,omitempty"`
	Role partnership.Role `json:"role,omitempty"`
	// Home is the URN of the reviewer's own school; 0 for an external
	// reviewer.
	Home partnership.URN `json:"home,omitempty"`
	// Trust is the trust of the reviewer's home school, "" for none.
	Trust partnership.OrgID `json:"trust,omitempty"`
	// External marks a reviewer from outside the programme's schools (an
	// independent lead reviewer).
	External bool `json:"external,omitempty"`
	// Phases the reviewer has experience of. Empty means the phase of the
	// home school when that school is among those reviewed.
	Phases []partnership.Phase `json:"phases,omitempty"`
	// TrainedLead marks a reviewer trained to lead a review team. A
	// trained lead always counts as experienced.
	TrainedLead bool `json:"trained_lead,omitempty"`
	// Capacity is how many reviews the reviewer can join in the cycle.
	Capacity int                  `json:"capacity"`
	Location partnership.Location `json:"location"`
	// Expertise is matched against the reviewed school's focus.
	Expertise []partnership.ExpertiseID `json:"expertise,omitempty"`
	// Reviews is the number of reviews the reviewer has taken part in;
	// below Rules.ExperiencedAfter the reviewer is new.
	Reviews int `json:"reviews,omitempty"`
	// Synthetic marks a reviewer generated from the real schools rather
	// than recorded (see SyntheticReviewers).
	Synthetic bool `json:"synthetic,omitempty"`
}

// PastReview records that a reviewer took part in a review: the allocator
// uses it to exclude pairs repeated within Rules.RepeatWithin cycles and
// reciprocal pairs within the current cycle.
type PastReview struct {
	Cycle    int             `json:"cycle"`
	Reviewer ReviewerID      `json:"reviewer,omitempty"`
	Home     partnership.URN `json:"home,omitempty"`
	School   partnership.URN `json:"school"`
}

// ExternalLeads says whether a team's lead may, must or must not come from
// outside the programme's schools.
type ExternalLeads int

// External-lead policies.
const (
	ExternalLeadsAllowed ExternalLeads = iota
	ExternalLeadsRequired
	ExternalLeadsForbidden
)

var externalLeadNames = enum.New[ExternalLeads]("external-lead policy", []string{"allowed", "required", "forbidden"}, nil)

// String returns the ExternalLeads's name.
func (p ExternalLeads) String() string { return externalLeadNames.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p ExternalLeads) MarshalText() ([]byte, error) { return externalLeadNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *ExternalLeads) UnmarshalText(b []byte) error { return externalLeadNames.Unmarshal(b, p) }

// PhaseRule says how a reviewer's phase experience must match the school.
type PhaseRule int

// Phase rules.
const (
	// PhaseRelated (the default) accepts the school's own phase or a
	// related one: primary with nursery, middle and all-through; secondary
	// with middle, all-through and 16-plus; special with alternative
	// provision.
	PhaseRelated PhaseRule = iota
	// PhaseSame requires experience of the school's own phase.
	PhaseSame
	// PhaseAny ignores phase.
	PhaseAny
)

var phaseRuleNames = enum.New[PhaseRule]("phase rule", []string{"related", "same", "any"}, nil)

// String returns the PhaseRule's name.
func (p PhaseRule) String() string { return phaseRuleNames.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p PhaseRule) MarshalText() ([]byte, error) { return phaseRuleNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *PhaseRule) UnmarshalText(b []byte) error { return phaseRuleNames.Unmarshal(b, p) }

// Partitioning says whether a large allocation is split into areas solved
// separately.
type Partitioning int

// Partitionings.
const (
	// PartitionAuto splits by local authority when there are more than
	// Rules.AreaSize*4 schools, and solves small inputs whole.
	PartitionAuto Partitioning = iota
	// PartitionNone solves the whole input as one problem.
	PartitionNone
	// PartitionLA splits by local authority, cutting areas larger than
	// Rules.AreaSize along their longer axis and merging areas with fewer
	// than Rules.AreaSize/8 schools into the nearest area.
	PartitionLA
)

var partitionNames = enum.New[Partitioning]("partitioning", []string{"auto", "none", "la"}, nil)

// String returns the Partitioning's name.
func (p Partitioning) String() string { return partitionNames.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p Partitioning) MarshalText() ([]byte, error) { return partitionNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Partitioning) UnmarshalText(b []byte) error { return partitionNames.Unmarshal(b, p) }

// Weights price a team place in the objective, in kilometre-equivalents:
// the cost of placing reviewer r on school s's team is
//
//	Travel·km(r,s) + FocusMiss·(1 − fit(r,s)) + ExperiencedPeer·[r is an experienced peer]
//
// where km is the straight-line distance from the reviewer's location to the
// school and fit is the share of the school's focus areas that the
// reviewer's expertise covers (1 when the school chose no focus). The
// ExperiencedPeer term develops new reviewers: with it, a team place goes to
// a new reviewer when one is available at a similar cost.
type Weights struct {
	Travel          float64 `json:"travel" yaml:"travel"`
	FocusMiss       float64 `json:"focus_miss" yaml:"focus_miss"`
	ExperiencedPeer float64 `json:"experienced_peer" yaml:"experienced_peer"`
}

// Rules are a cycle's rules for building review teams. Start from
// DefaultRules; the zero Rules ask for lead-only teams with no exclusions and
// a zero objective.
type Rules struct {
	// Cycle is the index of the cycle being allocated (e.g. the year the
	// academic year starts); History is read relative to it.
	Cycle int `json:"cycle" yaml:"cycle"`
	// Peers is N, the number of peer reviewers beside the lead.
	Peers int `json:"peers" yaml:"peers"`
	// ExternalLeads says whether leads may, must or must not be external.
	ExternalLeads ExternalLeads `json:"external_leads" yaml:"external_leads"`
	// ExcludeSameTrust forbids reviewers from the school's own trust.
	ExcludeSameTrust bool `json:"exclude_same_trust" yaml:"exclude_same_trust"`
	// ExcludeReciprocal forbids a reciprocal pair in the cycle: when a
	// reviewer from school A is on B's team, no reviewer from B is on A's
	// (counting History entries of the same cycle).
	ExcludeReciprocal bool `json:"exclude_reciprocal" yaml:"exclude_reciprocal"`
	// RepeatWithin, when positive, forbids a pair that History records in
	// the previous RepeatWithin cycles. The pair is the reviewer's home
	// school and the reviewed school, or the reviewer and the school for an
	// external reviewer.
	RepeatWithin int `json:"repeat_within" yaml:"repeat_within"`
	// Phase is the phase-compatibility rule.
	Phase PhaseRule `json:"phase" yaml:"phase"`
	// MaxTravelKm, when positive, is the furthest a reviewer may travel.
	MaxTravelKm float64 `json:"max_travel_km" yaml:"max_travel_km"`
	// MinDistanceKm, when positive, is the "professional distance": no
	// reviewer from closer than this (a near neighbour competes for the
	// same pupils).
	MinDistanceKm float64 `json:"min_distance_km" yaml:"min_distance_km"`
	// MinExperiencedPeers is how many of the N peers must be experienced,
	// so new reviewers are paired with experienced ones. The lead is always
	// experienced.
	MinExperiencedPeers int `json:"min_experienced_peers" yaml:"min_experienced_peers"`
	// ExperiencedAfter is the number of reviews after which a reviewer
	// counts as experienced.
	ExperiencedAfter int `json:"experienced_after" yaml:"experienced_after"`
	// Weights price the objective.
	Weights Weights `json:"weights" yaml:"weights"`
	// History lists past team memberships.
	History []PastReview `json:"history,omitempty" yaml:"history,omitempty"`
	// Taxonomy, when set, lets broader expertise cover a narrower focus
	// ("curriculum" covers "maths"); otherwise areas must match exactly.
	Taxonomy *partnership.Taxonomy `json:"-" yaml:"-"`

	// Candidates bounds the schools each reviewer is considered for: the
	// Candidates cheapest eligible ones, plus for every school its
	// 4·(N+1) cheapest eligible reviewers. 0 considers every eligible pair.
	Candidates int `json:"candidates" yaml:"candidates"`
	// Partition and AreaSize control partitioning of large inputs.
	Partition Partitioning `json:"partition" yaml:"partition"`
	AreaSize  int          `json:"area_size" yaml:"area_size"`
	// SearchNodes bounds the branch-and-bound search for the reciprocal
	// constraint in each area (a count, not a time, so the result is
	// deterministic). 0 means the default of 8.
	SearchNodes int `json:"search_nodes" yaml:"search_nodes"`
}

// DefaultRules returns the rules of a typical national peer-review
// programme: a trained lead and three peers, no reviewers from the school's
// trust, no reciprocal pairs, no pair repeated within three cycles, related
// phases, at least one experienced peer, and an objective that weighs
// travel, focus fit (10 km per missed focus) and development (5 km per
// experienced peer placed where a new one could go).
func DefaultRules() Rules {
	return Rules{
		Peers:               3,
		ExcludeSameTrust:    true,
		ExcludeReciprocal:   true,
		RepeatWithin:        3,
		MinExperiencedPeers: 1,
		ExperiencedAfter:    2,
		Weights:             Weights{Travel: 1, FocusMiss: 10, ExperiencedPeer: 5},
		Candidates:          60,
		AreaSize:            400,
		SearchNodes:         8,
	}
}

// Validate reports every problem with the rules, joined, each wrapping
// ErrInvalid.
func (r Rules) Validate() error {
	var errs []error
	bad := func(f string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: rules: "+f, append([]any{ErrInvalid}, a...)...))
	}
	if r.Peers < 0 || r.Peers > 20 {
		bad("peers %d: want 0 to 20", r.Peers)
	}
	if r.MinExperiencedPeers < 0 || r.MinExperiencedPeers > r.Peers {
		bad("min_experienced_peers %d: want 0 to peers (%d)", r.MinExperiencedPeers, r.Peers)
	}
	if r.RepeatWithin < 0 {
		bad("repeat_within %d is negative", r.RepeatWithin)
	}
	if r.MaxTravelKm < 0 || r.MinDistanceKm < 0 || math.IsNaN(r.MaxTravelKm) || math.IsNaN(r.MinDistanceKm) {
		bad("distances must be non-negative numbers")
	}
	if r.MaxTravelKm > 0 && r.MinDistanceKm >= r.MaxTravelKm {
		bad("min_distance_km %g is not below max_travel_km %g", r.MinDistanceKm, r.MaxTravelKm)
	}
	for _, w := range []float64{r.Weights.Travel, r.Weights.FocusMiss, r.Weights.ExperiencedPeer} {
		if w < 0 || w > 1e4 || math.IsNaN(w) {
			bad("weights must be between 0 and 10000")
			break
		}
	}
	if r.Candidates < 0 || r.AreaSize < 0 || r.SearchNodes < 0 || r.ExperiencedAfter < 0 {
		bad("candidates, area_size, search_nodes and experienced_after must not be negative")
	}
	if r.ExternalLeads < ExternalLeadsAllowed || r.ExternalLeads > ExternalLeadsForbidden {
		bad("unknown external_leads %d", int(r.ExternalLeads))
	}
	if r.Phase < PhaseRelated || r.Phase > PhaseAny {
		bad("unknown phase rule %d", int(r.Phase))
	}
	if r.Partition < PartitionAuto || r.Partition > PartitionLA {
		bad("unknown partition %d", int(r.Partition))
	}
	return joinErrs(errs)
}

// Constraint names a rule that can exclude a reviewer from a team.
type Constraint int

// Constraints, in the order the allocator applies them when it explains a
// shortfall.
const (
	ConstraintNone Constraint = iota
	// ConstraintOwnSchool: never a reviewer from the school itself.
	ConstraintOwnSchool
	// ConstraintTrainedLead: only a trained lead may lead.
	ConstraintTrainedLead
	// ConstraintExternalLead: the lead must (or must not) be external.
	ConstraintExternalLead
	// ConstraintSameTrust: no reviewer from the school's own trust.
	ConstraintSameTrust
	// ConstraintPhase: the reviewer lacks experience of a compatible phase.
	ConstraintPhase
	// ConstraintRepeat: the pair met within RepeatWithin cycles.
	ConstraintRepeat
	// ConstraintLocation: the reviewer's or school's location is unknown
	// and a distance rule needs it.
	ConstraintLocation
	// ConstraintMaxTravel: the reviewer is beyond the maximum travel.
	ConstraintMaxTravel
	// ConstraintProfessionalDistance: the reviewer is too close.
	ConstraintProfessionalDistance
	// ConstraintReciprocal: the pair would be reciprocal in the cycle.
	ConstraintReciprocal
	// ConstraintExperienceMix: the team needs more experienced peers.
	ConstraintExperienceMix
	// ConstraintCapacity: every eligible reviewer is already at capacity.
	ConstraintCapacity
	// ConstraintCandidates: eligible reviewers exist but none was among
	// the Candidates considered (raise Rules.Candidates, or set it to 0).
	ConstraintCandidates
)

var constraintNames = enum.New[Constraint]("constraint", []string{
	"none", "own-school", "trained-lead", "external-lead", "same-trust", "phase", "repeat", "location",
	"max-travel", "professional-distance", "reciprocal", "experience-mix", "capacity", "candidates",
}, nil)

// String returns the Constraint's name.
func (c Constraint) String() string { return constraintNames.String(c) }

// MarshalText implements encoding.TextMarshaler.
func (c Constraint) MarshalText() ([]byte, error) { return constraintNames.Marshal(c) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Constraint) UnmarshalText(b []byte) error { return constraintNames.Unmarshal(b, c) }

// Member is one reviewer's place on a team.
type Member struct {
	Reviewer ReviewerID      `json:"reviewer"`
	Home     partnership.URN `json:"home,omitempty"`
	Lead     bool            `json:"lead,omitempty"`
	New      bool            `json:"new,omitempty"`
	External bool            `json:"external,omitempty"`
	// TravelKm is the straight-line distance to the school.
	TravelKm float64 `json:"travel_km"`
	// FocusFit is the share of the school's focus the reviewer covers.
	FocusFit float64 `json:"focus_fit"`
	// Cost is the place's term in the objective.
	Cost float64 `json:"cost"`
}

// Team is the team allocated to review one school: the lead first, then the
// peers by reviewer ID. A team that could not be completed has fewer
// members; Allocation.Shortfalls says why.
type Team struct {
	School   partnership.URN `json:"school"`
	Members  []Member        `json:"members"`
	TravelKm float64         `json:"travel_km"`
	Cost     float64         `json:"cost"`
}

// Lead returns the team's lead and true, or false when it has none.
func (t Team) Lead() (Member, bool) {
	if len(t.Members) > 0 && t.Members[0].Lead {
		return t.Members[0], true
	}
	return Member{}, false
}

// Shortfall explains a place the allocator could not fill: which school,
// which place, and which constraint blocks it.
type Shortfall struct {
	School partnership.URN `json:"school"`
	// Lead is true for the lead's place, false for peer places.
	Lead    bool `json:"lead"`
	Missing int  `json:"missing"`
	// Constraint is the rule that blocks the place; Reason says it in
	// words with the counts that prove it.
	Constraint Constraint `json:"constraint"`
	Reason     string     `json:"reason"`
}

// AreaResult reports one area of a partitioned allocation (the whole input
// when not partitioned).
type AreaResult struct {
	Name      string `json:"name"`
	Schools   int    `json:"schools"`
	Reviewers int    `json:"reviewers"`
	// Objective and LowerBound are in kilometre-equivalents; Optimal
	// reports that the search proved Objective minimal for the area.
	Objective  float64 `json:"objective"`
	LowerBound float64 `json:"lower_bound"`
	Optimal    bool    `json:"optimal"`
	// Unfilled places in the allocation and in the bound.
	Unfilled       int `json:"unfilled"`
	BoundUnfilled  int `json:"bound_unfilled"`
	SearchNodes    int `json:"search_nodes"`
	ReciprocalBans int `json:"reciprocal_bans"`
	CandidateArcs  int `json:"candidate_arcs"`
}

// Allocation is the allocator's result: a team per school, totals, the bound
// that certifies its quality, and the shortfalls with their reasons.
//
// The objective is lexicographic: first as few unfilled places as possible,
// then the least total cost (see Weights). LowerBound is the optimum of the
// relaxation without the reciprocal rule (a min-cost flow), tightened by the
// branch-and-bound search; Gap is (Objective − LowerBound)/LowerBound when
// both fill the same number of places, and Optimal is true when the gap is
// closed. Gap is taken over the areas whose bound fills as many places as
// the allocation; UnprovenAreas counts the others, where the search could
// not prove the shortfall unavoidable (Gap is −1 when no area is left to
// measure). When the input is
// partitioned (see Partitioning) the bound is that of the partitioned
// problem, in which reviewers serve only their own area, and Areas gives
// each area's figures.
type Allocation struct {
	Teams         []Team       `json:"teams"`
	TotalTravelKm float64      `json:"total_travel_km"`
	Objective     float64      `json:"objective"`
	LowerBound    float64      `json:"lower_bound"`
	Gap           float64      `json:"gap"`
	UnprovenAreas int          `json:"unproven_areas"`
	Optimal       bool         `json:"optimal"`
	Places        int          `json:"places"`
	Unfilled      int          `json:"unfilled"`
	Shortfalls    []Shortfall  `json:"shortfalls,omitempty"`
	Areas         []AreaResult `json:"areas"`
}

// Feasible reports whether every place on every team was filled.
func (a *Allocation) Feasible() bool { return a.Unfilled == 0 }

// Team returns the team for school u and whether there is one.
func (a *Allocation) Team(u partnership.URN) (Team, bool) {
	i, ok := slices.BinarySearchFunc(a.Teams, u, func(t Team, u partnership.URN) int { return int(t.School) - int(u) })
	if !ok {
		return Team{}, false
	}
	return a.Teams[i], true
}
