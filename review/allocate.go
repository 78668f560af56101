package review

import (
	"fmt"
	"math"
	"slices"
	"time"

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
	// Trust is the trust of the reviewer's home school. When it is "" and
	// the home school is among the schools allocated, the allocator takes
	// that school's trust.
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
	// AccreditedUntil is the last day of the reviewer's accreditation
	// (training that expires); zero means none recorded. Used when
	// Rules.RequireAccreditation is set.
	AccreditedUntil time.Time `json:"accredited_until,omitzero"`
}

// ConflictKind is the kind of a declared conflict of interest.
type ConflictKind int

// Kinds of declared conflict.
const (
	ConflictOther ConflictKind = iota
	// ConflictFormerEmployer: the reviewer worked at the school.
	ConflictFormerEmployer
	// ConflictFamily: a member of the reviewer's family works or studies
	// at the school.
	ConflictFamily
	// ConflictCollaboration: the reviewer worked with the school recently
	// (a project, a support commission, a shared appointment).
	ConflictCollaboration
)

var conflictKindNames = enum.New[ConflictKind]("conflict kind", []string{"other", "former-employer", "family", "collaboration"}, nil)

// String returns the ConflictKind's name.
func (k ConflictKind) String() string { return conflictKindNames.String(k) }

// MarshalText implements encoding.TextMarshaler.
func (k ConflictKind) MarshalText() ([]byte, error) { return conflictKindNames.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ConflictKind) UnmarshalText(b []byte) error { return conflictKindNames.Unmarshal(b, k) }

// Conflict is a declared conflict of interest: the reviewer may not review
// the school, in any place.
type Conflict struct {
	Reviewer ReviewerID      `json:"reviewer" yaml:"reviewer"`
	School   partnership.URN `json:"school" yaml:"school"`
	Kind     ConflictKind    `json:"kind" yaml:"kind"`
	Note     string          `json:"note,omitempty" yaml:"note,omitempty"`
}

// PastReview records that a reviewer took part in a review: the allocator
// uses it to exclude pairs repeated within Rules.RepeatWithin cycles and
// reciprocal pairs within the current cycle, and counts it in the giving
// balance (Rules.BalanceGiving). Reviewer, Home or both may be given; an
// entry without Home takes the home school of the reviewer it names.
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
	// related one, and nothing else: primary with nursery, middle and
	// all-through; secondary with middle, all-through and 16-plus; special
	// with alternative provision. The relation is symmetric (a primary
	// reviewer may review a nursery and a nursery reviewer a primary) and
	// not transitive (all-through and 16-plus are not related, nor middle
	// and all-through).
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
	// PartitionAuto (the default) solves the whole input as one problem,
	// split only into components that cannot share a reviewer: schools
	// whose phases no reviewer's experience spans (under PhaseRelated,
	// special schools and alternative provision apart from the rest, unless
	// some reviewer has experience of both), and with Rules.MaxTravelKm set,
	// schools farther apart than any reviewer may travel between them. A
	// reviewer's home school is in the reviewer's component, since the
	// reciprocal and giving rules tie the two. The split changes nothing
	// the rules allow.
	PartitionAuto Partitioning = iota
	// PartitionNone solves the whole input as one problem.
	PartitionNone
	// PartitionLA splits by local authority, cutting areas larger than
	// Rules.AreaSize along their longer axis and merging areas with fewer
	// than Rules.AreaSize/8 schools into the nearest area; a reviewer serves
	// only their own area. It is an approximation, faster on huge inputs,
	// that can leave places empty a reviewer across a boundary could fill.
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
	// ExcludeSameTrust forbids reviewers from the school's own trust (the
	// reviewer's Trust, or their home school's when that is blank).
	ExcludeSameTrust bool `json:"exclude_same_trust" yaml:"exclude_same_trust"`
	// MaxPerSchool, when positive, is the most reviewers from any one
	// school on a team (1: every member from a different school).
	MaxPerSchool int `json:"max_per_school" yaml:"max_per_school"`
	// Conflicts are declared conflicts of interest: each forbids one
	// reviewer from one school.
	Conflicts []Conflict `json:"conflicts,omitempty" yaml:"conflicts,omitempty"`
	// RequireAccreditation admits only reviewers whose AccreditedUntil is
	// on or after AccreditedOn (the last day of the cycle's visits, which
	// must then be given).
	RequireAccreditation bool      `json:"require_accreditation" yaml:"require_accreditation"`
	AccreditedOn         time.Time `json:"accredited_on,omitzero" yaml:"accredited_on,omitempty"`
	// BalanceGiving limits what each school gives to what it receives: the
	// reviewers of a school fill at most the places it receives in the
	// cycle (1+Peers when it is among the schools allocated, else none)
	// plus GivingSlack, counting places its reviewers already hold in
	// History entries of this cycle. With visits of equal length, places
	// are reviewer days.
	BalanceGiving bool `json:"balance_giving" yaml:"balance_giving"`
	GivingSlack   int  `json:"giving_slack" yaml:"giving_slack"`
	// ExcludeReciprocal forbids a reciprocal pair in the cycle: when a
	// reviewer from school A is on B's team, no reviewer from B is on A's
	// (counting History entries of the same cycle).
	ExcludeReciprocal bool `json:"exclude_reciprocal" yaml:"exclude_reciprocal"`
	// RepeatWithin, when positive, forbids a pair that History records in
	// the previous RepeatWithin cycles: the same reviewer at the same
	// school, or any reviewer from the same home school at the same school.
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

	// Candidates bounds the schools each reviewer is first considered
	// for: the Candidates cheapest eligible ones, plus for every school its
	// 4·(N+1) cheapest eligible reviewers and 4 cheapest eligible leads.
	// 0 considers every eligible pair. The bound does not depend on it:
	// the allocator then checks every pair left out against the flow's
	// duals and adds those that could lower the objective (see
	// Allocation.Bounded).
	Candidates int `json:"candidates" yaml:"candidates"`
	// Partition and AreaSize control partitioning of large inputs.
	Partition Partitioning `json:"partition" yaml:"partition"`
	AreaSize  int          `json:"area_size" yaml:"area_size"`
	// SearchNodes bounds the branch-and-bound search for the reciprocal
	// and one-per-school rules in each component (a count, not a time, so
	// the result is deterministic). 0 means the default of 8. (The exact
	// search of components of at most 12 schools has its own bound of
	// 400,000 nodes.)
	SearchNodes int `json:"search_nodes" yaml:"search_nodes"`
}

// DefaultRules returns the rules of a typical national peer-review
// programme: a trained lead and three peers, each from a different school,
// no reviewers from the school's trust, no reciprocal pairs, no pair
// repeated within three cycles, related phases, at least one experienced
// peer, and an objective that weighs travel, focus fit (10 km per missed
// focus) and development (5 km per experienced peer placed where a new one
// could go).
func DefaultRules() Rules {
	return Rules{
		Peers:               3,
		ExcludeSameTrust:    true,
		MaxPerSchool:        1,
		ExcludeReciprocal:   true,
		RepeatWithin:        3,
		MinExperiencedPeers: 1,
		ExperiencedAfter:    2,
		Weights:             Weights{Travel: 1, FocusMiss: 10, ExperiencedPeer: 5},
		Candidates:          20,
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
	if r.Candidates < 0 || r.AreaSize < 0 || r.SearchNodes < 0 || r.ExperiencedAfter < 0 || r.MaxPerSchool < 0 || r.GivingSlack < 0 {
		bad("candidates, area_size, search_nodes, experienced_after, max_per_school and giving_slack must not be negative")
	}
	if r.RequireAccreditation && r.AccreditedOn.IsZero() {
		bad("require_accreditation needs accredited_on, the date accreditation must last to")
	}
	for i, c := range r.Conflicts {
		if c.Reviewer == "" || c.School <= 0 {
			bad("conflicts[%d]: a conflict needs a reviewer and a school", i)
		}
		if c.Kind < ConflictOther || c.Kind > ConflictCollaboration {
			bad("conflicts[%d]: unknown kind %d", i, int(c.Kind))
		}
	}
	for i, h := range r.History {
		if h.School <= 0 || (h.Reviewer == "" && h.Home <= 0) {
			bad("history[%d]: an entry needs a school and a reviewer or home school", i)
		}
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
	// ConstraintAccreditation: the reviewer's accreditation is missing or
	// expires before Rules.AccreditedOn.
	ConstraintAccreditation
	// ConstraintSameTrust: no reviewer from the school's own trust.
	ConstraintSameTrust
	// ConstraintConflict: a declared conflict of interest.
	ConstraintConflict
	// ConstraintPhase: the reviewer lacks experience of a compatible phase.
	ConstraintPhase
	// ConstraintRepeat: the pair met within RepeatWithin cycles.
	ConstraintRepeat
	// ConstraintLocation: the reviewer's or school's location is unknown
	// and a distance rule needs it: an unknown distance never satisfies
	// MaxTravelKm or MinDistanceKm.
	ConstraintLocation
	// ConstraintMaxTravel: the reviewer is beyond the maximum travel.
	ConstraintMaxTravel
	// ConstraintProfessionalDistance: the reviewer is too close.
	ConstraintProfessionalDistance
	// ConstraintReciprocal: the pair would be reciprocal in the cycle.
	ConstraintReciprocal
	// ConstraintSameSchool: the team already has Rules.MaxPerSchool
	// reviewers from the reviewer's school.
	ConstraintSameSchool
	// ConstraintGiving: the reviewer's school already gives as many places
	// as it receives (Rules.BalanceGiving).
	ConstraintGiving
	// ConstraintExperienceMix: the team needs more experienced peers.
	ConstraintExperienceMix
	// ConstraintCapacity: every eligible reviewer is already at capacity.
	ConstraintCapacity
)

var constraintNames = enum.New[Constraint]("constraint", []string{
	"none", "own-school", "trained-lead", "external-lead", "accreditation", "same-trust", "conflict", "phase", "repeat",
	"location", "max-travel", "professional-distance", "reciprocal", "same-school", "giving", "experience-mix",
	"capacity",
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
	// TravelKm is the straight-line distance to the school; 0 when
	// TravelUnknown.
	TravelKm float64 `json:"travel_km"`
	// TravelUnknown is true when the reviewer's home or the school has no
	// location: the distance is unknown, not 0, and TravelKm, the team's
	// and the total travel leave it out (Allocation.UnknownTravel counts
	// such places). Cost prices the unknown distance, never as 0 km, at
	// the span of the input's known locations (the diagonal of the
	// latitude–longitude box holding them all, plus the box's width at
	// its southern edge and its height, plus 1 km): farther than any two
	// known points, so such a reviewer is placed only where no reviewer
	// at a known distance can be, and never affects a place's cost
	// downwards. (Such a pair is eligible only when no distance rule is
	// set: see ConstraintLocation.)
	TravelUnknown bool `json:"travel_unknown,omitempty"`
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

// Shortfall explains places the allocator could not fill on one team:
// which school, which place, and the rule that blocks it. The rule is true
// of the allocation returned: no reviewer could be added to the place
// without breaking it (a test adds every reviewer to every unfilled place
// and checks that some rule breaks).
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

// AreaResult reports one component of the allocation (the whole input when
// it is one problem).
type AreaResult struct {
	Name      string `json:"name"`
	Schools   int    `json:"schools"`
	Reviewers int    `json:"reviewers"`
	// Objective and LowerBound are the cost part of the objective, in
	// kilometre-equivalents; LeadsMissing and Unfilled are the allocation's,
	// BoundLeadsMissing and BoundUnfilled the bound's. Optimal reports that
	// the allocation is proven lexicographically optimal for the component.
	Objective         float64 `json:"objective"`
	LowerBound        float64 `json:"lower_bound"`
	Bounded           bool    `json:"bounded"`
	Optimal           bool    `json:"optimal"`
	LeadsMissing      int     `json:"leads_missing"`
	Unfilled          int     `json:"unfilled"`
	BoundLeadsMissing int     `json:"bound_leads_missing"`
	BoundUnfilled     int     `json:"bound_unfilled"`
	SearchNodes       int     `json:"search_nodes"`
	// Exact reports that an exact search of the component (a small one
	// the flow's search left open) proved the allocation optimal.
	Exact         bool `json:"exact,omitempty"`
	Bans          int  `json:"bans"`
	CandidateArcs int  `json:"candidate_arcs"`
	// PricedArcs counts the pairs left out by Rules.Candidates that the
	// dual check added back.
	PricedArcs int `json:"priced_arcs"`
}

// Allocation is the allocator's result: a team per school, totals, the bound
// that certifies its quality, and the shortfalls with their reasons.
//
// The objective is lexicographic, in this order:
//
//  1. as many teams with a lead as possible (LeadsMissing least);
//  2. then as many places filled as possible (Unfilled least, the lead's
//     place counting as one);
//  3. then the least total cost (Objective, see Weights).
//
// It is solved exactly as one weighted objective: an unfilled place costs
// P, more than any change in cost that filling it could cause, and a
// missing lead 2P. LowerBound, BoundLeadsMissing and BoundUnfilled are the
// optimum of the relaxation without the reciprocal and one-per-school rules
// (a minimum-cost flow over every eligible pair, not only the Candidates
// considered: pairs left out are priced against the flow's duals and added
// until none could lower it). Bounded is false, and LowerBound 0, when that
// check did not finish; the bound is then not reported rather than wrong.
// Gap is (Objective − LowerBound)/LowerBound over the components whose bound
// has as many leads and filled places as the allocation; UnprovenAreas
// counts the others (Gap is −1 when none is left to measure).
type Allocation struct {
	Teams         []Team  `json:"teams"`
	TotalTravelKm float64 `json:"total_travel_km"`
	// UnknownTravel counts the filled places whose distance is unknown
	// (Member.TravelUnknown): TotalTravelKm leaves them out.
	UnknownTravel     int          `json:"unknown_travel,omitempty"`
	Objective         float64      `json:"objective"`
	LowerBound        float64      `json:"lower_bound"`
	Bounded           bool         `json:"bounded"`
	Gap               float64      `json:"gap"`
	UnprovenAreas     int          `json:"unproven_areas"`
	Optimal           bool         `json:"optimal"`
	Places            int          `json:"places"`
	Unfilled          int          `json:"unfilled"`
	LeadsMissing      int          `json:"leads_missing"`
	BoundUnfilled     int          `json:"bound_unfilled"`
	BoundLeadsMissing int          `json:"bound_leads_missing"`
	Shortfalls        []Shortfall  `json:"shortfalls,omitempty"`
	Areas             []AreaResult `json:"areas"`
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
