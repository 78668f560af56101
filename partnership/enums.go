package partnership

import (
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
)

// Phase is a school's phase of education.
type Phase int

// Phases of education, as GIAS and the school census name them.
const (
	PhaseUnknown Phase = iota
	PhaseNursery
	PhasePrimary
	PhaseMiddle
	PhaseSecondary
	PhaseAllThrough
	Phase16Plus
	PhaseSpecial
	PhaseAlternativeProvision
)

var phases = enum.New[Phase]("phase", []string{
	"unknown", "nursery", "primary", "middle", "secondary", "all-through", "16-plus", "special", "alternative-provision",
}, map[string]Phase{
	"state-funded nursery": PhaseNursery, "state-funded primary": PhasePrimary,
	"state-funded secondary": PhaseSecondary, "state-funded special school": PhaseSpecial,
	"state-funded ap school": PhaseAlternativeProvision, "ap": PhaseAlternativeProvision,
	"middle deemed primary": PhaseMiddle, "middle deemed secondary": PhaseMiddle,
	"16 plus": Phase16Plus, "sixteen plus": Phase16Plus, "not applicable": PhaseUnknown,
})

// String returns the Phase's name.
func (p Phase) String() string { return phases.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p Phase) MarshalText() ([]byte, error) { return phases.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return phases.Unmarshal(b, p) }

// ParsePhase parses a phase name ("primary", "all-through") or a census
// phase grouping ("State-funded primary").
func ParsePhase(s string) (Phase, error) { return phases.Parse(s) }

// Phases returns every known phase in order.
func Phases() []Phase { return phases.Values() }

// Governance says who runs a school and on what legal basis.
type Governance int

// Kinds of governance. Academies are run by an academy trust under a funding
// agreement with the Secretary of State; maintained schools by their local
// authority.
const (
	GovernanceUnknown Governance = iota
	GovernanceLAMaintained
	GovernanceAcademyConverter
	GovernanceAcademySponsorLed
	GovernanceFreeSchool
	GovernanceIndependent
	GovernanceIndependentSpecial
	GovernanceNonMaintainedSpecial
)

var governances = enum.New[Governance]("governance", []string{
	"unknown", "la-maintained", "academy-converter", "academy-sponsor-led", "free-school",
	"independent", "independent-special", "non-maintained-special",
}, nil)

// String returns the Governance's name.
func (g Governance) String() string { return governances.String(g) }

// MarshalText implements encoding.TextMarshaler.
func (g Governance) MarshalText() ([]byte, error) { return governances.Marshal(g) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (g *Governance) UnmarshalText(b []byte) error { return governances.Unmarshal(b, g) }

// ParseGovernance parses a governance name such as "academy-converter".
func ParseGovernance(s string) (Governance, error) { return governances.Parse(s) }

// IsAcademy reports whether the school is an academy or free school, run by
// an academy trust.
func (g Governance) IsAcademy() bool {
	return g == GovernanceAcademyConverter || g == GovernanceAcademySponsorLed || g == GovernanceFreeSchool
}

// IsStateFunded reports whether the governance is that of a state-funded
// school.
func (g Governance) IsStateFunded() bool { return g == GovernanceLAMaintained || g.IsAcademy() }

// GovernanceOfType derives governance from a GIAS or census establishment
// type name ("Academy converter", "Community school", "Free schools special").
func GovernanceOfType(establishmentType string) Governance {
	t := strings.ToLower(strings.TrimSpace(establishmentType))
	switch {
	case t == "":
		return GovernanceUnknown
	case strings.HasPrefix(t, "free school") || t == "university technical college" || t == "studio schools" ||
		t == "city technology college":
		return GovernanceFreeSchool
	case strings.HasPrefix(t, "academy") && strings.Contains(t, "sponsor"):
		return GovernanceAcademySponsorLed
	case strings.HasPrefix(t, "academy"):
		return GovernanceAcademyConverter
	case t == "non-maintained special school":
		return GovernanceNonMaintainedSpecial
	case strings.Contains(t, "independent special"):
		return GovernanceIndependentSpecial
	case strings.Contains(t, "independent"):
		return GovernanceIndependent
	case strings.Contains(t, "community") || strings.Contains(t, "voluntary") || strings.Contains(t, "foundation") ||
		t == "pupil referral unit" || t == "local authority nursery school" || t == "la maintained":
		return GovernanceLAMaintained
	}
	return GovernanceUnknown
}

// Rating is an overall-effectiveness judgement under Ofsted's inspection
// frameworks before November 2025 (graded on a four-point scale; until
// September 2012 grade 3 was called "satisfactory").
type Rating int

// Overall-effectiveness judgements, best first after RatingNone.
const (
	RatingNone Rating = iota
	RatingOutstanding
	RatingGood
	RatingRequiresImprovement
	RatingInadequate
)

var ratings = enum.New[Rating]("rating", []string{
	"none", "outstanding", "good", "requires-improvement", "inadequate",
}, map[string]Rating{"satisfactory": RatingRequiresImprovement, "1": RatingOutstanding, "2": RatingGood,
	"3": RatingRequiresImprovement, "4": RatingInadequate, "serious weaknesses": RatingInadequate,
	"special measures": RatingInadequate})

// String returns the Rating's name.
func (r Rating) String() string { return ratings.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r Rating) MarshalText() ([]byte, error) { return ratings.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Rating) UnmarshalText(b []byte) error { return ratings.Unmarshal(b, r) }

// ParseRating parses a judgement: "Outstanding", "Good", "Requires
// improvement", "Inadequate", the grade numbers 1–4, or the pre-2012
// "Satisfactory", which is read as requires improvement.
func ParseRating(s string) (Rating, error) { return ratings.Parse(s) }

// Grade is a grade on the five-point scale of Ofsted's report cards (from
// November 2025), best first after GradeNone.
type Grade int

// Report-card grades.
const (
	GradeNone Grade = iota
	GradeExceptional
	GradeStrongStandard
	GradeExpectedStandard
	GradeNeedsAttention
	GradeUrgentImprovement
)

var grades = enum.New[Grade]("grade", []string{
	"none", "exceptional", "strong-standard", "expected-standard", "needs-attention", "urgent-improvement",
}, nil)

// String returns the Grade's name.
func (g Grade) String() string { return grades.String(g) }

// MarshalText implements encoding.TextMarshaler.
func (g Grade) MarshalText() ([]byte, error) { return grades.Marshal(g) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (g *Grade) UnmarshalText(b []byte) error { return grades.Unmarshal(b, g) }

// ParseGrade parses a report-card grade such as "needs attention".
func ParseGrade(s string) (Grade, error) { return grades.Parse(s) }

// EvaluationArea is an area that a report-card inspection grades.
type EvaluationArea int

// Evaluation areas of the renewed inspection framework (report cards, from
// November 2025). Early years and sixth form (the framework's "post-16
// provision", accepted by ParseEvaluationArea) are graded only where a
// school has them. Safeguarding is not graded on the scale: see
// Safeguarding.
const (
	AreaUnknown EvaluationArea = iota
	AreaInclusion
	AreaCurriculumAndTeaching
	AreaAchievement
	AreaAttendanceAndBehaviour
	AreaPersonalDevelopment
	AreaLeadershipAndGovernance
	AreaEarlyYears
	AreaSixthForm
)

var evaluationAreas = enum.New[EvaluationArea]("evaluation area", []string{
	"unknown", "inclusion", "curriculum-and-teaching", "achievement", "attendance-and-behaviour",
	"personal-development-and-well-being", "leadership-and-governance", "early-years", "sixth-form",
}, map[string]EvaluationArea{
	"personal-development": AreaPersonalDevelopment, "personal-development-and-wellbeing": AreaPersonalDevelopment,
	"post-16": AreaSixthForm, "post-16-provision": AreaSixthForm,
})

// String returns the EvaluationArea's name.
func (a EvaluationArea) String() string { return evaluationAreas.String(a) }

// MarshalText implements encoding.TextMarshaler.
func (a EvaluationArea) MarshalText() ([]byte, error) { return evaluationAreas.Marshal(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *EvaluationArea) UnmarshalText(b []byte) error { return evaluationAreas.Unmarshal(b, a) }

// ParseEvaluationArea parses an evaluation area's name.
func ParseEvaluationArea(s string) (EvaluationArea, error) { return evaluationAreas.Parse(s) }

// EvaluationAreas returns every evaluation area in order.
func EvaluationAreas() []EvaluationArea { return evaluationAreas.Values() }

// JudgementArea is a key judgement of a graded inspection under the
// education inspection framework (September 2019 to November 2025).
type JudgementArea int

// Key judgements. Early years and sixth form are judged only where a
// school has them.
const (
	JudgementUnknown JudgementArea = iota
	JudgementQualityOfEducation
	JudgementBehaviourAndAttitudes
	JudgementPersonalDevelopment
	JudgementLeadershipAndManagement
	JudgementEarlyYears
	JudgementSixthForm
)

var judgementAreas = enum.New[JudgementArea]("judgement area", []string{
	"unknown", "quality-of-education", "behaviour-and-attitudes", "personal-development",
	"leadership-and-management", "early-years", "sixth-form",
}, nil)

// String returns the JudgementArea's name.
func (a JudgementArea) String() string { return judgementAreas.String(a) }

// MarshalText implements encoding.TextMarshaler.
func (a JudgementArea) MarshalText() ([]byte, error) { return judgementAreas.Marshal(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *JudgementArea) UnmarshalText(b []byte) error { return judgementAreas.Unmarshal(b, a) }

// Safeguarding is the report card's safeguarding outcome, or whether a
// graded inspection found safeguarding effective (met) or not (not met).
type Safeguarding int

// Safeguarding outcomes.
const (
	SafeguardingNotGraded Safeguarding = iota
	SafeguardingMet
	SafeguardingNotMet
)

var safeguardings = enum.New[Safeguarding]("safeguarding", []string{"not-graded", "met", "not-met"}, nil)

// String returns the Safeguarding's name.
func (s Safeguarding) String() string { return safeguardings.String(s) }

// MarshalText implements encoding.TextMarshaler.
func (s Safeguarding) MarshalText() ([]byte, error) { return safeguardings.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Safeguarding) UnmarshalText(b []byte) error { return safeguardings.Unmarshal(b, s) }
