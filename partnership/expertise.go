package partnership

import (
	"fmt"
	"slices"
)

// Expertise is one area of expertise in a Taxonomy.
type Expertise struct {
	ID   ExpertiseID `json:"id"`
	Name string      `json:"name"`
	// Parent is the broader area this one refines, or "".
	Parent ExpertiseID `json:"parent,omitempty"`
	// Area is the inspection evaluation area this expertise serves, if any.
	Area EvaluationArea `json:"area,omitempty"`
}

// Taxonomy is the set of expertise areas a deployment uses. It is data: start
// from DefaultTaxonomy and add areas with Add.
type Taxonomy struct {
	areas []Expertise
	index map[ExpertiseID]int
}

// DefaultTaxonomy returns the areas of expertise drawn from the source
// documents and the evaluation areas of Ofsted's renewed framework.
func DefaultTaxonomy() *Taxonomy {
	t := &Taxonomy{index: map[ExpertiseID]int{}}
	for _, e := range []Expertise{
		{ID: "leadership", Name: "Leadership at all levels", Area: AreaLeadershipAndGovernance},
		{ID: "governance", Name: "Governance", Parent: "leadership", Area: AreaLeadershipAndGovernance},
		{ID: "finance", Name: "School finance and resources", Parent: "leadership", Area: AreaLeadershipAndGovernance},
		{ID: "curriculum", Name: "Curriculum and teaching", Area: AreaCurriculumAndTeaching},
		{ID: "early-reading", Name: "Early reading and phonics", Parent: "curriculum", Area: AreaCurriculumAndTeaching},
		{ID: "english", Name: "English", Parent: "curriculum", Area: AreaCurriculumAndTeaching},
		{ID: "maths", Name: "Mathematics", Parent: "curriculum", Area: AreaCurriculumAndTeaching},
		{ID: "science", Name: "Science", Parent: "curriculum", Area: AreaCurriculumAndTeaching},
		{ID: "assessment", Name: "Assessment", Parent: "curriculum", Area: AreaAchievement},
		{ID: "inclusion", Name: "Inclusion", Area: AreaInclusion},
		{ID: "send", Name: "Special educational needs and disabilities (SEND)", Parent: "inclusion", Area: AreaInclusion},
		{ID: "disadvantaged", Name: "Disadvantaged pupils", Parent: "inclusion", Area: AreaInclusion},
		{ID: "attendance", Name: "Attendance", Area: AreaAttendanceAndBehaviour},
		{ID: "behaviour", Name: "Behaviour", Area: AreaAttendanceAndBehaviour},
		{ID: "personal-development", Name: "Personal development and well-being", Area: AreaPersonalDevelopment},
		{ID: "safeguarding", Name: "Safeguarding", Area: AreaLeadershipAndGovernance},
		{ID: "early-years", Name: "Early years", Area: AreaEarlyYears},
		{ID: "sixth-form", Name: "Sixth form", Area: AreaSixthForm},
		{ID: "teacher-development", Name: "Professional development and teacher training"},
		{ID: "school-improvement", Name: "School improvement and recovery", Parent: "leadership"},
	} {
		t.index[e.ID] = len(t.areas)
		t.areas = append(t.areas, e)
	}
	return t
}

// Clone returns a copy of the taxonomy: adding to one changes nothing in
// the other.
func (t *Taxonomy) Clone() *Taxonomy {
	c := &Taxonomy{areas: slices.Clone(t.areas), index: make(map[ExpertiseID]int, len(t.index))}
	for id, i := range t.index {
		c.index[id] = i
	}
	return c
}

// Add adds an area. It fails if the ID is empty or taken, or the parent is
// unknown.
func (t *Taxonomy) Add(e Expertise) error {
	if t.index == nil {
		t.index = map[ExpertiseID]int{}
	}
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: expertise area with no ID", ErrInvalid)
	case t.Has(e.ID):
		return fmt.Errorf("%w: expertise area %q exists", ErrConflict, e.ID)
	case e.Parent != "" && !t.Has(e.Parent):
		return fmt.Errorf("%w: expertise area %q: unknown parent %q", ErrInvalid, e.ID, e.Parent)
	}
	t.index[e.ID] = len(t.areas)
	t.areas = append(t.areas, e)
	return nil
}

// Has reports whether id is an area of the taxonomy.
func (t *Taxonomy) Has(id ExpertiseID) bool { _, ok := t.index[id]; return ok }

// Get returns the area id and whether it exists.
func (t *Taxonomy) Get(id ExpertiseID) (Expertise, bool) {
	i, ok := t.index[id]
	if !ok {
		return Expertise{}, false
	}
	return t.areas[i], true
}

// Areas returns every area, in the order added.
func (t *Taxonomy) Areas() []Expertise { return slices.Clone(t.areas) }

// Covers reports whether expertise in area has also covers need: the same
// area, or a broader area that need refines.
func (t *Taxonomy) Covers(has, need ExpertiseID) bool {
	for id, n := need, 0; id != "" && n <= len(t.areas); n++ {
		if id == has {
			return true
		}
		e, ok := t.Get(id)
		if !ok {
			return false
		}
		id = e.Parent
	}
	return false
}
