package partnership

import (
	"slices"
	"time"
)

// Programme is a programme, course or event offered across trust
// boundaries, such as a sixth-form programme for practitioners who are the
// only person in their setting in their role.
type Programme struct {
	ID       ProgrammeID   `json:"id"`
	Name     string        `json:"name"`
	Provider OrgID         `json:"provider"`
	Partners []OrgID       `json:"partners,omitempty"`
	Areas    []ExpertiseID `json:"areas,omitempty"`
	// Capacity is the number of places; 0 means unlimited.
	Capacity    int         `json:"capacity,omitempty"`
	Period      Period      `json:"period"`
	Eligibility Eligibility `json:"eligibility"`
}

// Eligibility says who may join a programme. Every non-empty condition
// must hold; the zero Eligibility admits anyone from any school, whatever
// its trust.
type Eligibility struct {
	// Networks, if set, admits only members of one of these networks.
	Networks []NetworkID `json:"networks,omitempty"`
	// Phases, if set, admits only people whose home school has one of
	// these phases.
	Phases []Phase `json:"phases,omitempty"`
	// Roles, if set, admits only people in one of these roles.
	Roles []Role `json:"roles,omitempty"`
	// SoleInRole admits only people who are the only person in their
	// setting in their role.
	SoleInRole bool `json:"sole_in_role,omitempty"`
}

// Applicant is what eligibility is judged on: a person, their home school's
// phase, the networks their home belongs to on the date, and how many people
// hold their role in their setting.
type Applicant struct {
	Person        Person
	Phase         Phase
	Networks      []NetworkID
	PeersInRole   int
	ApplicationOn time.Time
}

// Eligible reports whether a may join a programme with eligibility e, and
// if not, why.
func (e Eligibility) Eligible(a Applicant) (bool, string) {
	if len(e.Networks) > 0 && !slices.ContainsFunc(a.Networks, func(n NetworkID) bool { return slices.Contains(e.Networks, n) }) {
		return false, "not a member of an eligible network"
	}
	if len(e.Phases) > 0 && !slices.Contains(e.Phases, a.Phase) {
		return false, "phase " + a.Phase.String() + " not eligible"
	}
	if len(e.Roles) > 0 && !slices.Contains(e.Roles, a.Person.Role) {
		return false, "role " + a.Person.Role.String() + " not eligible"
	}
	if e.SoleInRole && a.PeersInRole > 1 {
		return false, "not the only person in their setting in their role"
	}
	return true, ""
}

// Enrolment is a person's place on a programme.
type Enrolment struct {
	Programme ProgrammeID `json:"programme"`
	Person    PersonID    `json:"person"`
	On        time.Time   `json:"on"`
}
