package partnership

import (
	"math"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
)

// Location is a point on the Earth in WGS84 degrees. The zero Location means
// "unknown"; check Known before measuring distances.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Known reports whether the location was set.
func (l Location) Known() bool { return l.Lat != 0 || l.Lon != 0 }

// EarthRadiusKm is the mean radius of the Earth used for distances.
const EarthRadiusKm = 6371.0088

// DistanceKm returns the great-circle (haversine) distance from l to m in
// kilometres. It does not check that either location is Known.
func (l Location) DistanceKm(m Location) float64 {
	const rad = math.Pi / 180
	dLat := (m.Lat - l.Lat) * rad
	dLon := (m.Lon - l.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(l.Lat*rad)*math.Cos(m.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// School is an establishment with a URN: a state-funded school of any phase
// and governance, or an independent or non-maintained special school.
type School struct {
	URN  URN    `json:"urn"`
	Name string `json:"name"`
	// Phase is the phase of education; Special and AlternativeProvision
	// are phases here, as in the school census.
	Phase Phase `json:"phase"`
	// DeemedPhase is, for a middle school, the phase the Department for
	// Education deems it (GIAS's "Middle deemed primary" and "Middle
	// deemed secondary", the census's middle_school): PhasePrimary or
	// PhaseSecondary; PhaseUnknown when the source does not say, and for
	// every school that is not a middle school. JSON leaves it out when
	// unknown.
	DeemedPhase Phase `json:"deemed_phase,omitempty"`
	// EstablishmentType is the GIAS type name, e.g. "Academy converter",
	// "Voluntary aided school", "Free schools special".
	EstablishmentType string     `json:"establishment_type,omitempty"`
	Governance        Governance `json:"governance"`
	// LA is the local authority's three-digit code (e.g. 383 for Leeds);
	// LAName its name.
	LA       int    `json:"la,omitempty"`
	LAName   string `json:"la_name,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	// UrbanRural is the ONS rural-urban classification of the school's
	// site, e.g. "Urban city and town", "Rural village".
	UrbanRural string `json:"urban_rural,omitempty"`
	// Location is the school's site; the zero Location is unknown (see
	// Location.Known), and JSON leaves it out.
	Location Location `json:"location,omitzero"`
	// Pupils is the headcount at the last census, unknown when no source
	// gave it (a census headcount of 0 is read as unknown); JSON leaves an
	// unknown out. PupilCount reads it too.
	Pupils Optional[int] `json:"pupils,omitzero"`
	// FSMPercent is the percentage of pupils known to be eligible for free
	// school meals, 0 to 100; unknown when no source gave it or it was
	// suppressed. 0 is a school with no eligible pupils, never an unknown.
	// In JSON an unknown is null, and a missing or null fsm_percent reads
	// as unknown. FSM reads it too.
	FSMPercent Optional[float64] `json:"fsm_percent"`
	// TrustName is the academy trust named by the census, if any.
	TrustName string `json:"trust_name,omitempty"`
	// Opened and Closed bound the school's life; zero when unknown or open.
	Opened time.Time `json:"opened,omitzero"`
	Closed time.Time `json:"closed,omitzero"`
	// Predecessors are the URNs this school replaced (by conversion,
	// amalgamation or merger), most recent first.
	Predecessors []URN `json:"predecessors,omitempty"`
}

// FSM returns the school's FSM percentage and whether it is known
// (FSMPercent.Get).
func (s *School) FSM() (float64, bool) { return s.FSMPercent.Get() }

// PupilCount returns the school's headcount and whether it is known
// (Pupils.Get).
func (s *School) PupilCount() (int, bool) { return s.Pupils.Get() }

// Rural reports whether the school's site is classified as rural.
func (s *School) Rural() bool { return len(s.UrbanRural) >= 5 && s.UrbanRural[:5] == "Rural" }

// Inspection is one published inspection outcome for a school. It holds
// at least one of: an overall Rating (graded inspections before September
// 2024); key Judgements (graded inspections from September 2024 to
// November 2025, which have no overall Rating, and optionally earlier
// graded inspections); report-card Areas (from November 2025). No overall
// Rating is ever derived from Judgements or Areas.
type Inspection struct {
	URN  URN       `json:"urn"`
	Date time.Time `json:"date"`
	// Overall is the overall-effectiveness judgement (graded inspections
	// before September 2024); RatingNone when the inspection gave none.
	Overall Rating `json:"overall,omitempty"`
	// Judgements are the key judgements of a graded inspection under the
	// education inspection framework, on the four-point scale, each area
	// at most once. Only the judgements published are listed: an area
	// absent is unknown (or not applicable), never a grade.
	Judgements []KeyJudgement `json:"judgements,omitempty"`
	// Areas are a report card's evaluation-area grades, on the five-point
	// scale, each area at most once; an area absent is unknown or not
	// graded.
	Areas []AreaGrade `json:"areas,omitempty"`
	// Safeguarding is the report card's safeguarding outcome (met or not
	// met) or, for a graded inspection, whether safeguarding was effective
	// (SafeguardingMet) or not (SafeguardingNotMet); SafeguardingNotGraded
	// when the source gives none.
	Safeguarding Safeguarding `json:"safeguarding,omitempty"`
}

// KeyJudgement is one key judgement of a graded inspection.
type KeyJudgement struct {
	Area   JudgementArea `json:"area"`
	Rating Rating        `json:"rating"`
}

// AreaGrade is one evaluation area's grade on a report card.
type AreaGrade struct {
	Area  EvaluationArea `json:"area"`
	Grade Grade          `json:"grade"`
}

// OrgKind is the kind of an organisation.
type OrgKind int

// Kinds of organisation in the English school system.
const (
	OrgUnknown OrgKind = iota
	OrgSchool
	OrgMultiAcademyTrust
	OrgSingleAcademyTrust
	OrgFederation
	OrgTrust // a foundation trust of maintained schools
	OrgUmbrellaTrust
	OrgSponsor
	OrgLocalAuthority
	OrgDiocese
	OrgAlliance
	OrgTeachingSchoolHub
	OrgSubjectHub
	// OrgConnector is an organisation that creates links between networks
	// rather than adding nodes to them (the source documents' "fulcrum").
	OrgConnector
	OrgUniversity
	// OrgProvider is any other provider of education services, such as an
	// out-of-region education company.
	OrgProvider
	OrgChildrensCentreGroup
)

var orgKinds = enum.New[OrgKind]("organisation kind", []string{
	"unknown", "school", "multi-academy-trust", "single-academy-trust", "federation", "trust", "umbrella-trust",
	"sponsor", "local-authority", "diocese", "alliance", "teaching-school-hub", "subject-hub", "connector",
	"university", "provider", "childrens-centre-group",
}, map[string]OrgKind{"mat": OrgMultiAcademyTrust, "sat": OrgSingleAcademyTrust, "la": OrgLocalAuthority,
	"hub": OrgTeachingSchoolHub})

// String returns the OrgKind's name.
func (k OrgKind) String() string { return orgKinds.String(k) }

// MarshalText implements encoding.TextMarshaler.
func (k OrgKind) MarshalText() ([]byte, error) { return orgKinds.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *OrgKind) UnmarshalText(b []byte) error { return orgKinds.Unmarshal(b, k) }

// ParseOrgKind parses an organisation kind such as "multi-academy-trust".
func ParseOrgKind(s string) (OrgKind, error) { return orgKinds.Parse(s) }

// IsTrust reports whether k is an academy trust (multi or single).
func (k OrgKind) IsTrust() bool { return k == OrgMultiAcademyTrust || k == OrgSingleAcademyTrust }

// Organisation is a body that takes part in partnerships: a trust, a local
// authority, an alliance, a hub, a university, a connector. A school is an
// Organisation too (Kind OrgSchool, ID URN.OrgID()) when it needs to appear
// as one; its details live in School.
type Organisation struct {
	ID   OrgID   `json:"id"`
	Kind OrgKind `json:"kind"`
	Name string  `json:"name"`
	// Ref is the organisation's reference in its own register: the GIAS
	// group ID (e.g. "TR01234"), Companies House number or LA code.
	Ref string `json:"ref,omitempty"`
	// Region is the region the organisation is based in, if any.
	Region   string   `json:"region,omitempty"`
	Location Location `json:"location"`
	Active   Period   `json:"active"`
}

// Period is a time interval [From, To). A zero From is unbounded in the
// past; a zero To is open-ended.
type Period struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// Contains reports whether the instant t falls in the period.
func (p Period) Contains(t time.Time) bool {
	return (p.From.IsZero() || !t.Before(p.From)) && (p.To.IsZero() || t.Before(p.To))
}

// Valid reports whether the period is well formed: To is zero or after From.
func (p Period) Valid() bool { return p.To.IsZero() || p.From.IsZero() || p.To.After(p.From) }

// Overlaps reports whether p and q share an instant.
func (p Period) Overlaps(q Period) bool {
	return (p.To.IsZero() || q.From.IsZero() || q.From.Before(p.To)) &&
		(q.To.IsZero() || p.From.IsZero() || p.From.Before(q.To))
}
