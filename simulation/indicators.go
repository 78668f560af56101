package simulation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// Indicator is one indicator the model produces for risk policies.
type Indicator struct {
	Name string
	Kind riskpolicy.Kind
	// Grades are the grades a grade or areas indicator takes, best first;
	// the policy's scale must have the same grades.
	Grades []string
	// Areas are an areas indicator's evaluation areas.
	Areas []string
	List  bool
	// Meaning says how the model produces it.
	Meaning string
}

var (
	ofstedGrades = []string{"outstanding", "good", "requires_improvement", "inadequate"}
	rcGrades     = []string{"exceptional", "strong_standard", "expected_standard", "needs_attention", "urgent_improvement"}
	sgGrades     = []string{"met", "not_met"}
	areaNames    = []string{"inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
		"personal_development", "leadership_and_governance"}
	// notSimulated are evaluation areas a policy may list that the model
	// never grades, as for a school without early years or a sixth form.
	notSimulated = []string{"early_years", "sixth_form"}
)

const nAreas = 6

// Indicators returns every indicator the model produces, in a fixed
// order. A policy may declare any of them (with the same kind and grades)
// and nothing else.
func Indicators() []Indicator {
	return []Indicator{
		{"ofsted_rating", riskpolicy.KindGrade, ofstedGrades, nil, false, "the overall judgement of the latest inspection, simulated or the real one the school started with; missing when that real inspection gave none (key judgements only, a report card), never an older judgement"},
		{"ofsted_history", riskpolicy.KindGrade, ofstedGrades, nil, true, "the overall judgements of the latest six inspections, newest first (real inspections that gave none are left out)"},
		{"report_card", riskpolicy.KindAreas, rcGrades, areaNames, false, "the latest inspection's grade per evaluation area (early years and sixth form are never graded); the real grades where the school's latest real inspection was a report card, otherwise drawn from its start state"},
		{"safeguarding", riskpolicy.KindGrade, sgGrades, nil, false, "the latest inspection's safeguarding outcome (not met at the start where the latest real inspection said so)"},
		{"peer_review", riskpolicy.KindAreas, rcGrades, areaNames, false, "the latest peer review's grade per area; missing for a school never peer reviewed"},
		{"attendance", riskpolicy.KindPercentage, nil, nil, false, "attendance this term, from the attendance-and-behaviour area"},
		{"attainment", riskpolicy.KindPercentage, nil, nil, false, "pupils at the expected standard this term, from the achievement area and disadvantage"},
		{"fsm_percent", riskpolicy.KindPercentage, nil, nil, false, "pupils eligible for free school meals (from the census); missing where the census did not give it, never the share the latent model imputes"},
		{"pupils", riskpolicy.KindCount, nil, nil, false, "the roll; missing where the census did not give it"},
		{"head_new", riskpolicy.KindBoolean, nil, nil, false, "a new headteacher in the last three terms"},
		{"head_absent", riskpolicy.KindBoolean, nil, nil, false, "the headteacher left this term"},
		{"falling_roll", riskpolicy.KindBoolean, nil, nil, false, "the roll fell in the last three terms"},
		{"terms_since_inspection", riskpolicy.KindCount, nil, nil, false, "terms since the latest inspection"},
	}
}

// indicator IDs, in the order of Indicators.
const (
	indRating = iota
	indHistory
	indReportCard
	indSafeguarding
	indPeerReview
	indAttendance
	indAttainment
	indFSM
	indPupils
	indHeadNew
	indHeadAbsent
	indFallingRoll
	indTermsSince
)

// boundPolicy is a policy checked against the model: the indicators it
// declares, by ID, and their grade names as the policy writes them.
type boundPolicy struct {
	p      *riskpolicy.Policy
	inds   []int
	names  []string
	grades [][]string // policy's grade names by model rank
	areas  [][]string // areas indicator: the policy's area keys, by model area (empty: not declared)
	unsim  [][]string // areas indicator: the policy's keys of areas the model never grades
	// volatile: the policy declares an indicator that moves every term;
	// flags: one of the head and roll flags.
	volatile, flags bool
	// scale converts the model's 0-100 percentages to the policy's scale
	// (1, or 0.01 for a percentage declared with scale: 0-1).
	scale []float64
}

// CheckPolicy reports whether the model can feed p: every indicator p
// declares must be one the model produces (Indicators), of the same kind,
// list-ness and grades, and an areas indicator may list only the areas the
// model grades (and early years and sixth form, which it never grades). An
// indicator the model does not produce is refused, naming it, its
// position in the policy file and the indicators the model has. The error
// wraps ErrInvalid.
func CheckPolicy(p *riskpolicy.Policy) error {
	_, err := bindPolicy(p)
	return err
}

func bindPolicy(p *riskpolicy.Policy) (*boundPolicy, error) {
	model := Indicators()
	var names []string
	for _, in := range model {
		names = append(names, in.Name)
	}
	b := &boundPolicy{p: p}
	var errs []string
	for _, in := range p.Indicators() {
		k := slices.IndexFunc(model, func(m Indicator) bool { return m.Name == in.Name })
		if k < 0 {
			errs = append(errs, fmt.Sprintf("%s: indicator %q is not produced by the simulation model (it produces %s)", in.Pos, in.Name, strings.Join(names, ", ")))
			continue
		}
		m := model[k]
		if in.Kind != m.Kind || in.List != m.List {
			errs = append(errs, fmt.Sprintf("%s: indicator %q is a %s%s here but the model produces a %s%s", in.Pos, in.Name, in.Kind, listWord(in.List), m.Kind, listWord(m.List)))
			continue
		}
		var grades []string
		if m.Grades != nil {
			var sc *riskpolicy.Scale
			for _, s := range p.Scales() {
				if s.Name == in.Scale {
					sc = s
				}
			}
			if sc == nil || !sameGrades(sc.Grades, m.Grades) {
				var got []string
				if sc != nil {
					got = sc.Grades
				}
				errs = append(errs, fmt.Sprintf("%s: indicator %q is on scale %q [%s]; the model grades it [%s]", in.Pos, in.Name, in.Scale, strings.Join(got, ", "), strings.Join(m.Grades, ", ")))
				continue
			}
			grades = sc.Grades
		}
		var keys, unsim []string
		if m.Kind == riskpolicy.KindAreas {
			keys = make([]string, nAreas)
			for _, a := range in.Areas {
				if i := slices.IndexFunc(areaNames, func(n string) bool { return fold(n) == fold(a) }); i >= 0 {
					keys[i] = a
				} else if slices.ContainsFunc(notSimulated, func(n string) bool { return fold(n) == fold(a) }) {
					unsim = append(unsim, a)
				} else {
					errs = append(errs, fmt.Sprintf("%s: indicator %q lists area %q, which the model does not grade (it grades %s)", in.Pos, in.Name, a, strings.Join(areaNames, ", ")))
				}
			}
		}
		sc := 1.0
		if m.Kind == riskpolicy.KindPercentage && in.Max > 0 {
			sc = in.Max / 100
		}
		b.scale = append(b.scale, sc)
		switch k {
		case indAttendance, indAttainment, indTermsSince:
			b.volatile = true
		case indHeadNew, indHeadAbsent, indFallingRoll:
			b.flags = true
		}
		b.inds = append(b.inds, k)
		b.names = append(b.names, in.Name)
		b.grades = append(b.grades, grades)
		b.areas = append(b.areas, keys)
		b.unsim = append(b.unsim, unsim)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("simulation: policy %s (%s): %w: %s", p.Name(), p.File(), ErrInvalid, strings.Join(errs, "; "))
	}
	return b, nil
}

func listWord(l bool) string {
	if l {
		return " list"
	}
	return ""
}

func fold(s string) string {
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(s))
}

func sameGrades(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return fold(x) == fold(y) })
}
