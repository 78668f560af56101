package partnership

import "github.com/fulcrum-edu/fulcrum/internal/enum"

// Role is a person's professional role. Fulcrum records people by role and
// expertise rather than by name where it can.
type Role int

// Professional roles.
const (
	RoleNone Role = iota
	RoleHeadteacher
	RoleExecutiveLeader
	RoleDirectorOfEducation
	RoleCEO
	RoleSeniorLeader
	RoleSubjectLead
	RoleSENCO
	RoleNetworkCoordinator
	RolePeerReviewer
	RoleSpecialistLeader
	RoleLeaderOfGovernance
	RoleTeacher
	RoleGovernor
)

var roles = enum.New[Role]("role", []string{
	"none", "headteacher", "executive-leader", "director-of-education", "ceo", "senior-leader", "subject-lead",
	"senco", "network-coordinator", "peer-reviewer", "specialist-leader", "leader-of-governance", "teacher", "governor",
}, map[string]Role{"head": RoleHeadteacher, "sle": RoleSpecialistLeader, "nlg": RoleLeaderOfGovernance})

// String returns the Role's name.
func (r Role) String() string { return roles.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) { return roles.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Role) UnmarshalText(b []byte) error { return roles.Unmarshal(b, r) }

// ParseRole parses a role such as "specialist-leader".
func ParseRole(s string) (Role, error) { return roles.Parse(s) }

// Person is a professional who takes part in partnerships: a headteacher, a
// director of education, a specialist leader, a peer reviewer.
type Person struct {
	ID   PersonID `json:"id"`
	Role Role     `json:"role"`
	// Name is optional; leave it empty where a role is enough.
	Name string `json:"name,omitempty"`
	// Home is the organisation the person works for.
	Home      OrgID         `json:"home"`
	Expertise []ExpertiseID `json:"expertise,omitempty"`
	// Phases the person has experience of.
	Phases []Phase `json:"phases,omitempty"`
	// CapacityDays is the number of days a year the person can give to
	// work beyond their own organisation.
	CapacityDays float64 `json:"capacity_days"`
}
