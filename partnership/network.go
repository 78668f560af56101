package partnership

import "github.com/fulcrum-edu/fulcrum/internal/enum"

// NetworkKind is the kind of a network, after the structures in the source
// documents.
type NetworkKind int

// Kinds of network.
const (
	NetworkUnknown NetworkKind = iota
	// NetworkTrust: the schools of an academy trust (multi or single).
	NetworkTrust
	// NetworkFederation: schools under one federated governing body.
	NetworkFederation
	// NetworkAlliance: a voluntary partnership of schools across trusts and
	// local authorities, such as a school alliance led by a steering group.
	NetworkAlliance
	// NetworkHub: a hub-and-spoke network such as a teaching school hub or
	// a subject hub.
	NetworkHub
	// NetworkLearningCommunity: a geographic learning community of nearby
	// schools.
	NetworkLearningCommunity
	// NetworkThematic: a network formed round a shared interest or theme.
	NetworkThematic
	// NetworkCluster: a cluster formed for a fixed term.
	NetworkCluster
	// NetworkCommunityOfPractice: practitioners in a subject or role.
	NetworkCommunityOfPractice
	// NetworkProgrammeCohort: the participants of one run of a programme.
	NetworkProgrammeCohort
	// NetworkSponsorship: the schools an academy sponsor supports.
	NetworkSponsorship
	// NetworkLocalAuthority: the schools maintained by a local authority.
	NetworkLocalAuthority
	// NetworkConnector: a network of networks, whose members are
	// organisations that lead other networks.
	NetworkConnector
	// NetworkOther: any other grouping recorded in GIAS (umbrella trusts,
	// foundation trusts, children's centre groups).
	NetworkOther
)

var networkKinds = enum.New[NetworkKind]("network kind", []string{
	"unknown", "trust", "federation", "alliance", "hub", "learning-community", "thematic", "cluster",
	"community-of-practice", "programme-cohort", "sponsorship", "local-authority", "connector", "other",
}, nil)

// String returns the NetworkKind's name.
func (k NetworkKind) String() string { return networkKinds.String(k) }

// MarshalText implements encoding.TextMarshaler.
func (k NetworkKind) MarshalText() ([]byte, error) { return networkKinds.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *NetworkKind) UnmarshalText(b []byte) error { return networkKinds.Unmarshal(b, k) }

// ParseNetworkKind parses a network kind such as "learning-community".
func ParseNetworkKind(s string) (NetworkKind, error) { return networkKinds.Parse(s) }

// Collaborative reports whether the kind is a collaborative network beyond
// a school's own governance: not its trust, federation, sponsor or local
// authority. Coverage analysis asks which schools belong to none.
func (k NetworkKind) Collaborative() bool {
	switch k {
	case NetworkAlliance, NetworkHub, NetworkLearningCommunity, NetworkThematic, NetworkCluster,
		NetworkCommunityOfPractice, NetworkProgrammeCohort, NetworkConnector:
		return true
	}
	return false
}

// Basis is what draws a network's members together.
type Basis int

// Bases of a network.
const (
	BasisUnknown Basis = iota
	// BasisGovernance: common governance (a trust, a federation).
	BasisGovernance
	// BasisGeography: the schools of a place.
	BasisGeography
	// BasisInterest: a shared interest, theme, subject or role.
	BasisInterest
)

var bases = enum.New[Basis]("basis", []string{"unknown", "governance", "geography", "interest"}, nil)

// String returns the Basis's name.
func (b Basis) String() string { return bases.String(b) }

// MarshalText implements encoding.TextMarshaler.
func (b Basis) MarshalText() ([]byte, error) { return bases.Marshal(b) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Basis) UnmarshalText(t []byte) error { return bases.Unmarshal(t, b) }

// Network is a group of organisations that work together, with a stated
// purpose, a basis and a coordinating group. Membership is recorded
// separately, as time-bounded Memberships with roles, so a school can be in
// many networks at once and a network's make-up can be asked for any date.
type Network struct {
	ID      NetworkID   `json:"id"`
	Kind    NetworkKind `json:"kind"`
	Name    string      `json:"name"`
	Purpose string      `json:"purpose,omitempty"`
	Basis   Basis       `json:"basis"`
	// Coordinator is the organisation that leads or hosts the network (the
	// trust itself, the hub's lead school, the alliance's secretariat).
	Coordinator OrgID `json:"coordinator,omitempty"`
	// CoordinatingGroup lists the people who steer the network, such as an
	// elected steering group or the network co-ordinators.
	CoordinatingGroup []PersonID `json:"coordinating_group,omitempty"`
	// Active is when the network exists; a cluster with a fixed term has
	// both ends set.
	Active Period `json:"active"`
}

// MemberRole is an organisation's role in a network.
type MemberRole int

// Roles in a network.
const (
	RoleUnknown MemberRole = iota
	RoleLead
	RoleHub
	RoleSpoke
	RoleMember
	RolePartner
)

var memberRoles = enum.New[MemberRole]("member role", []string{"unknown", "lead", "hub", "spoke", "member", "partner"}, nil)

// String returns the MemberRole's name.
func (r MemberRole) String() string { return memberRoles.String(r) }

// MarshalText implements encoding.TextMarshaler.
func (r MemberRole) MarshalText() ([]byte, error) { return memberRoles.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *MemberRole) UnmarshalText(b []byte) error { return memberRoles.Unmarshal(b, r) }

// ParseMemberRole parses a role such as "hub" or "spoke".
func ParseMemberRole(s string) (MemberRole, error) { return memberRoles.Parse(s) }

// Membership records that an organisation belonged to a network, in a role,
// during a period.
type Membership struct {
	ID      MembershipID `json:"id"`
	Network NetworkID    `json:"network"`
	Member  OrgID        `json:"member"`
	Role    MemberRole   `json:"role"`
	Period  Period       `json:"period"`
}
