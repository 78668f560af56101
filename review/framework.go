package review

import (
	"fmt"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// FrameworkID identifies a review framework.
type FrameworkID string

// Built-in frameworks.
const (
	// FrameworkOfsted2025 is Ofsted's renewed framework (report cards from
	// November 2025).
	FrameworkOfsted2025 FrameworkID = "ofsted-2025"
	// FrameworkOfsted2019 is the education inspection framework of 2019:
	// four key judgements on a four-point scale.
	FrameworkOfsted2019 FrameworkID = "ofsted-2019"
	// FrameworkPeerReview is a national peer-review programme's estimates
	// on a four-point scale.
	FrameworkPeerReview FrameworkID = "peer-review"
	// FrameworkEnquiry is an ungraded enquiry framework: clusters of
	// schools explore questions together, with no grades at all.
	FrameworkEnquiry FrameworkID = "enquiry"
)

// AreaID identifies an evaluation area within a framework.
type AreaID string

// Area is one evaluation area of a framework.
type Area struct {
	ID   AreaID `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Evaluation is the Ofsted evaluation area this one corresponds to, if
	// any (partnership.AreaUnknown otherwise).
	Evaluation partnership.EvaluationArea `json:"evaluation,omitempty" yaml:"evaluation,omitempty"`
	// Scale overrides the framework's scale for this area (safeguarding is
	// met or not met on a graded report card); nil uses the framework's.
	Scale *Scale `json:"scale,omitempty" yaml:"scale,omitempty"`
	// Conditional marks an area judged only where the school has it (early
	// years, sixth form).
	Conditional bool `json:"conditional,omitempty" yaml:"conditional,omitempty"`
	// Questions are the enquiry questions for the area (ungraded
	// frameworks ask these instead of grading).
	Questions []string `json:"questions,omitempty" yaml:"questions,omitempty"`
}

// Scale is how areas are judged: ordered grades, best first, or no grades
// (an enquiry).
type Scale struct {
	// Grades, best first; empty means ungraded.
	Grades []string `json:"grades,omitempty" yaml:"grades,omitempty"`
}

// Graded reports whether the scale has grades.
func (s Scale) Graded() bool { return len(s.Grades) > 0 }

// Rank returns the 1-based position of grade g (1 is best) or 0 when g is
// not on the scale.
func (s Scale) Rank(g string) int {
	return slices.Index(s.Grades, g) + 1
}

// Framework is a set of evaluation areas with a scale. Frameworks are data:
// the built-in ones come from Builtin, and users load their own with
// ParseFramework.
type Framework struct {
	ID    FrameworkID `json:"id" yaml:"id"`
	Name  string      `json:"name" yaml:"name"`
	Scale Scale       `json:"scale" yaml:"scale"`
	Areas []Area      `json:"areas" yaml:"areas"`
	// Replaces says that the framework deliberately replaces a built-in
	// or earlier framework with the same ID in NewFrameworks; without it
	// reusing an ID is an error.
	Replaces bool `json:"replaces,omitempty" yaml:"replaces,omitempty"`
}

// Clone returns a deep copy of the framework: changing the copy (its
// areas, scales, grades or questions) changes nothing in f.
func (f *Framework) Clone() *Framework {
	c := *f
	c.Scale.Grades = slices.Clone(f.Scale.Grades)
	c.Areas = slices.Clone(f.Areas)
	for i := range c.Areas {
		a := &c.Areas[i]
		a.Questions = slices.Clone(a.Questions)
		if a.Scale != nil {
			s := Scale{Grades: slices.Clone(a.Scale.Grades)}
			a.Scale = &s
		}
	}
	return &c
}

// Area returns the area with the ID and whether it exists.
func (f *Framework) Area(id AreaID) (Area, bool) {
	i := slices.IndexFunc(f.Areas, func(a Area) bool { return a.ID == id })
	if i < 0 {
		return Area{}, false
	}
	return f.Areas[i], true
}

// ScaleOf returns the scale that judges area a.
func (f *Framework) ScaleOf(a Area) Scale {
	if a.Scale != nil {
		return *a.Scale
	}
	return f.Scale
}

// CheckEstimate reports whether grade is a valid judgement of area id:
// on the area's scale, or empty for an ungraded scale.
func (f *Framework) CheckEstimate(id AreaID, grade string) error {
	a, ok := f.Area(id)
	if !ok {
		return fmt.Errorf("%w: framework %s has no area %q", ErrInvalid, f.ID, id)
	}
	s := f.ScaleOf(a)
	switch {
	case !s.Graded() && grade != "":
		return fmt.Errorf("%w: area %s is ungraded, got grade %q", ErrInvalid, id, grade)
	case s.Graded() && s.Rank(grade) == 0:
		return fmt.Errorf("%w: area %s: grade %q is not one of %v", ErrInvalid, id, grade, s.Grades)
	}
	return nil
}

// Validate checks the framework: an ID, at least one area, unique area IDs,
// unique grades. Problems are joined, each wrapping ErrInvalid.
func (f *Framework) Validate() error {
	var errs []error
	if f.ID == "" {
		errs = append(errs, fmt.Errorf("%w: framework has no id", ErrInvalid))
	}
	if len(f.Areas) == 0 {
		errs = append(errs, fmt.Errorf("%w: framework %s has no areas", ErrInvalid, f.ID))
	}
	seen := map[AreaID]bool{}
	for _, a := range f.Areas {
		if a.ID == "" {
			errs = append(errs, fmt.Errorf("%w: framework %s: an area has no id", ErrInvalid, f.ID))
		}
		if seen[a.ID] {
			errs = append(errs, fmt.Errorf("%w: framework %s: area %s appears twice", ErrInvalid, f.ID, a.ID))
		}
		seen[a.ID] = true
		if err := uniqueGrades(f.ScaleOf(a)); err != nil {
			errs = append(errs, fmt.Errorf("%w: framework %s: area %s: %v", ErrInvalid, f.ID, a.ID, err))
		}
	}
	return joinErrs(errs)
}

func uniqueGrades(s Scale) error {
	seen := map[string]bool{}
	for _, g := range s.Grades {
		if g == "" {
			return fmt.Errorf("empty grade")
		}
		if seen[g] {
			return fmt.Errorf("grade %q appears twice", g)
		}
		seen[g] = true
	}
	return nil
}

// Builtin returns the built-in frameworks, a fresh copy each call:
//
//   - ofsted-2025, Ofsted's renewed framework: inclusion; curriculum and
//     teaching; achievement; attendance and behaviour; personal development
//     and well-being; leadership and governance; early years and sixth form
//     where the school has them, graded exceptional, strong standard,
//     expected standard, needs attention, urgent improvement; and
//     safeguarding, met or not met;
//   - ofsted-2019: quality of education; behaviour and attitudes; personal
//     development; leadership and management (plus early years and sixth
//     form where present), graded outstanding, good, requires improvement,
//     inadequate;
//   - peer-review: leadership at all levels; quality of provision and
//     outcomes; provision for disadvantaged pupils and those with
//     additional needs, estimated leading, effective, working towards
//     effective, ineffective;
//   - enquiry: ungraded areas with enquiry questions, for reciprocal
//     clusters that explore rather than judge.
func Builtin() []Framework {
	renewed := Scale{Grades: []string{"exceptional", "strong-standard", "expected-standard", "needs-attention", "urgent-improvement"}}
	metNotMet := &Scale{Grades: []string{"met", "not-met"}}
	e := func(a partnership.EvaluationArea, name string, cond bool) Area {
		return Area{ID: AreaID(a.String()), Name: name, Evaluation: a, Conditional: cond}
	}
	return []Framework{
		{ID: FrameworkOfsted2025, Name: "Ofsted renewed education inspection framework (report cards, 2025)", Scale: renewed, Areas: []Area{
			e(partnership.AreaInclusion, "Inclusion", false),
			e(partnership.AreaCurriculumAndTeaching, "Curriculum and teaching", false),
			e(partnership.AreaAchievement, "Achievement", false),
			e(partnership.AreaAttendanceAndBehaviour, "Attendance and behaviour", false),
			e(partnership.AreaPersonalDevelopment, "Personal development and well-being", false),
			e(partnership.AreaLeadershipAndGovernance, "Leadership and governance", false),
			e(partnership.AreaEarlyYears, "Early years", true),
			e(partnership.AreaSixthForm, "Sixth form", true),
			{ID: "safeguarding", Name: "Safeguarding", Scale: metNotMet},
		}},
		{ID: FrameworkOfsted2019, Name: "Ofsted education inspection framework (2019)",
			Scale: Scale{Grades: []string{"outstanding", "good", "requires-improvement", "inadequate"}}, Areas: []Area{
				{ID: "quality-of-education", Name: "Quality of education", Evaluation: partnership.AreaCurriculumAndTeaching},
				{ID: "behaviour-and-attitudes", Name: "Behaviour and attitudes", Evaluation: partnership.AreaAttendanceAndBehaviour},
				{ID: "personal-development", Name: "Personal development", Evaluation: partnership.AreaPersonalDevelopment},
				{ID: "leadership-and-management", Name: "Leadership and management", Evaluation: partnership.AreaLeadershipAndGovernance},
				{ID: "early-years", Name: "Early years provision", Evaluation: partnership.AreaEarlyYears, Conditional: true},
				{ID: "sixth-form", Name: "Sixth form provision", Evaluation: partnership.AreaSixthForm, Conditional: true},
			}},
		{ID: FrameworkPeerReview, Name: "Peer review estimates",
			Scale: Scale{Grades: []string{"leading", "effective", "working-towards-effective", "ineffective"}}, Areas: []Area{
				{ID: "leadership-at-all-levels", Name: "Leadership at all levels", Evaluation: partnership.AreaLeadershipAndGovernance},
				{ID: "quality-of-provision-and-outcomes", Name: "Quality of provision and outcomes", Evaluation: partnership.AreaCurriculumAndTeaching},
				{ID: "disadvantaged-and-additional-needs", Name: "Provision for disadvantaged pupils and pupils with additional needs", Evaluation: partnership.AreaInclusion},
			}},
		{ID: FrameworkEnquiry, Name: "Enquiry-based review (ungraded)", Areas: []Area{
			{ID: "learning", Name: "Learning and teaching", Questions: []string{"What does learning look like for the pupils we worry about most?", "How do we know the curriculum is remembered?"}},
			{ID: "inclusion", Name: "Inclusion and barriers to learning", Questions: []string{"Which pupils meet barriers here, and what removes them?"}},
			{ID: "leadership", Name: "Leadership and culture", Questions: []string{"How do leaders at every level know what is working?"}},
		}},
	}
}

// Frameworks is a set of frameworks by ID: the built-in ones and any a
// deployment adds. It is a value the caller owns (there is no global
// registry); build one with NewFrameworks. It is immutable once built and
// safe for concurrent use: readers get deep copies.
type Frameworks struct {
	byID map[FrameworkID]*Framework
}

// NewFrameworks returns a set holding the built-in frameworks and extra,
// in that order. Each framework is validated (ErrInvalid). A framework
// whose ID is already in the set (a built-in's, or an earlier extra's) is
// refused with an error wrapping ErrConflict unless its Replaces is set,
// and one whose Replaces is set but replaces nothing with ErrInvalid.
// Every problem is reported, joined. The set keeps copies: changing extra
// afterwards changes nothing in it.
func NewFrameworks(extra ...Framework) (*Frameworks, error) {
	fs := &Frameworks{byID: map[FrameworkID]*Framework{}}
	var errs []error
	for _, f := range Builtin() {
		fs.byID[f.ID] = f.Clone()
	}
	for i := range extra {
		f := extra[i].Clone()
		if err := f.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		_, exists := fs.byID[f.ID]
		switch {
		case exists && !f.Replaces:
			errs = append(errs, fmt.Errorf("framework %s: %w: the ID is taken; set replaces to replace it", f.ID, ErrConflict))
			continue
		case !exists && f.Replaces:
			errs = append(errs, fmt.Errorf("framework %s: %w: replaces: there is no framework %s to replace", f.ID, ErrInvalid, f.ID))
			continue
		}
		fs.byID[f.ID] = f
	}
	if len(errs) > 0 {
		return nil, joinErrs(errs)
	}
	return fs, nil
}

// Get returns a deep copy of the framework with the ID, or an error
// wrapping ErrNotFound. The copy is the caller's: changing it changes
// nothing in the set.
func (fs *Frameworks) Get(id FrameworkID) (*Framework, error) {
	f, ok := fs.byID[id]
	if !ok {
		return nil, fmt.Errorf("framework %s: %w", id, ErrNotFound)
	}
	return f.Clone(), nil
}

// IDs returns the IDs of every framework in the set, sorted.
func (fs *Frameworks) IDs() []FrameworkID {
	ids := make([]FrameworkID, 0, len(fs.byID))
	for id := range fs.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
