package brokerage

import (
	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// NeedID identifies a need.
type NeedID string

// OfferID identifies an offer.
type OfferID string

// TrustPreference is where a school would like its support to come from.
type TrustPreference int

// Trust preferences.
const (
	TrustAny    TrustPreference = iota // no preference
	TrustWithin                        // from within its own trust
	TrustBeyond                        // from beyond its own trust
)

var trustPrefs = enum.New[TrustPreference]("trust preference", []string{"any", "within", "beyond"}, map[string]TrustPreference{"": TrustAny})

// String returns the preference's name.
func (p TrustPreference) String() string { return trustPrefs.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p TrustPreference) MarshalText() ([]byte, error) { return trustPrefs.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *TrustPreference) UnmarshalText(b []byte) error { return trustPrefs.Unmarshal(b, p) }

// ContextPreference says whether a school wants support from a school in a
// context like its own or deliberately unlike it.
type ContextPreference int

// Context preferences.
const (
	ContextAny         ContextPreference = iota // no preference
	ContextSimilar                              // a similar context (disadvantage, rurality)
	ContextContrasting                          // a contrasting context
)

var contextPrefs = enum.New[ContextPreference]("context preference", []string{"any", "similar", "contrasting"}, map[string]ContextPreference{"": ContextAny})

// String returns the preference's name.
func (p ContextPreference) String() string { return contextPrefs.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p ContextPreference) MarshalText() ([]byte, error) { return contextPrefs.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *ContextPreference) UnmarshalText(b []byte) error { return contextPrefs.Unmarshal(b, p) }

// Format is how support is delivered.
type Format int

// Formats of support.
const (
	FormatAny      Format = iota // any format
	FormatVisit                  // visits to the school
	FormatCoaching               // coaching of a leader or teacher
	FormatCourse                 // a course
	FormatNetwork                // a network of schools working on the area
)

var formats = enum.New[Format]("format", []string{"any", "visit", "coaching", "course", "network"}, map[string]Format{"": FormatAny})

// String returns the format's name.
func (f Format) String() string { return formats.String(f) }

// MarshalText implements encoding.TextMarshaler.
func (f Format) MarshalText() ([]byte, error) { return formats.Marshal(f) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *Format) UnmarshalText(b []byte) error { return formats.Unmarshal(b, f) }

// ProviderKind is who stands behind an offer.
type ProviderKind int

// Kinds of provider.
const (
	ProviderUnknown          ProviderKind = iota
	ProviderSchool                        // a school supporting another
	ProviderSpecialistLeader              // a specialist leader of education
	ProviderExecutiveLeader               // an executive or national leader
	ProviderGovernanceLeader              // a leader of governance, at a day rate
	ProviderHub                           // a hub (teaching school hub, maths hub)
	ProviderOrganisation                  // an organisation outside the school system
)

var providerKinds = enum.New[ProviderKind]("provider kind", []string{
	"unknown", "school", "specialist-leader", "executive-leader", "governance-leader", "hub", "organisation",
}, map[string]ProviderKind{"sle": ProviderSpecialistLeader, "nle": ProviderExecutiveLeader, "log": ProviderGovernanceLeader})

// String returns the kind's name, e.g. "specialist-leader".
func (k ProviderKind) String() string { return providerKinds.String(k) }

// MarshalText implements encoding.TextMarshaler.
func (k ProviderKind) MarshalText() ([]byte, error) { return providerKinds.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ProviderKind) UnmarshalText(b []byte) error { return providerKinds.Unmarshal(b, k) }

// Evidence is how strongly an offer's expertise in an area is evidenced,
// weakest first.
type Evidence int

// Strengths of evidence.
const (
	EvidenceNone       Evidence = iota // not evidenced
	EvidenceSelf                       // self-declared
	EvidenceInspection                 // an inspection judgement of outstanding or strong
	EvidencePeerReview                 // an area of excellence validated in a peer review
	EvidenceAccredited                 // accredited (a designated specialist leader, a hub)
)

var evidences = enum.New[Evidence]("evidence", []string{"none", "self", "inspection", "peer-review", "accredited"}, nil)

// String returns the evidence's name, e.g. "peer-review".
func (e Evidence) String() string { return evidences.String(e) }

// MarshalText implements encoding.TextMarshaler.
func (e Evidence) MarshalText() ([]byte, error) { return evidences.Marshal(e) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Evidence) UnmarshalText(b []byte) error { return evidences.Unmarshal(b, e) }

// Need is a school's request for support in one area of expertise.
type Need struct {
	ID     NeedID                  `json:"id"`
	School partnership.URN         `json:"urn"`
	Name   string                  `json:"school,omitempty"`
	Area   partnership.ExpertiseID `json:"area"`
	Phase  partnership.Phase       `json:"phase"`
	// KeyStages are the key stages the need is about; empty means every
	// key stage of its phase (PhaseKeyStages). For a middle school, set
	// DeemedPrimary or DeemedSecondary to match it by its deemed phase.
	KeyStages KeyStages `json:"key_stages,omitempty"`
	// Priority is 1 (routine) to 5 (most urgent), e.g. from a risk level.
	Priority int `json:"priority"`
	// Days is the support wanted, in days.
	Days float64 `json:"days"`
	// Window is when the support is wanted; zero bounds are open. The
	// built-in constraints do not read it (offers carry no availability);
	// a custom Constraint can, and the Ledger's target for agreement runs
	// from the proposal.
	Window   partnership.Period   `json:"window"`
	Location partnership.Location `json:"location"`
	Region   string               `json:"region,omitempty"`
	LA       string               `json:"la,omitempty"`
	// Trust is the school's trust (or federation) name, "" if none.
	Trust string `json:"trust,omitempty"`
	// FSMPercent describes the school's context; negative when unknown.
	FSMPercent float64 `json:"fsm_percent"`
	// Networks are the networks the school belongs to, for offers open
	// only to members.
	Networks      []partnership.NetworkID `json:"networks,omitempty"`
	PreferTrust   TrustPreference         `json:"prefer_trust"`
	PreferContext ContextPreference       `json:"prefer_context"`
	Format        Format                  `json:"format"`
	// Synthetic marks a need whose fields were generated rather than
	// published.
	Synthetic bool `json:"synthetic,omitempty"`
}

// AreaEvidence is one area an offer covers and its evidence.
type AreaEvidence struct {
	Area     partnership.ExpertiseID `json:"area"`
	Evidence Evidence                `json:"evidence"`
}

// Offer is a provider's capacity to support schools.
type Offer struct {
	ID       OfferID      `json:"id"`
	Provider string       `json:"provider"`
	Kind     ProviderKind `json:"kind"`
	// School is the provider's school, 0 when the provider is not a school
	// or a person employed by one.
	School partnership.URN `json:"urn,omitempty"`
	Trust  string          `json:"trust,omitempty"`
	Areas  []AreaEvidence  `json:"areas"`
	// Phases are the phases the provider supports; empty means any.
	Phases []partnership.Phase `json:"phases,omitempty"`
	// KeyStages narrows the key stages the provider supports; empty means
	// every key stage of its phases.
	KeyStages KeyStages `json:"key_stages,omitempty"`
	// Capacity is how many engagements the provider can take on. Capacity
	// is counted in engagements, not days: a provider offering days should
	// divide them by the typical engagement's length.
	Capacity   int                  `json:"capacity"`
	CostPerDay float64              `json:"cost_per_day"`
	Location   partnership.Location `json:"location"`
	Region     string               `json:"region,omitempty"`
	FSMPercent float64              `json:"fsm_percent"`
	// Formats are the formats offered; empty means any.
	Formats []Format `json:"formats,omitempty"`
	// Networks restricts the offer to members of these networks; empty
	// means open to any school whatever its trust.
	Networks  []partnership.NetworkID `json:"networks,omitempty"`
	Synthetic bool                    `json:"synthetic,omitempty"`
}

// Evidence returns the offer's evidence for area, EvidenceNone when it
// does not cover it.
func (o *Offer) Evidence(area partnership.ExpertiseID) Evidence {
	for _, a := range o.Areas {
		if a.Area == area {
			return a.Evidence
		}
	}
	return EvidenceNone
}
