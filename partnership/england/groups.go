package england

import (
	"fmt"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// GroupType is the type of a GIAS group. Its value is GIAS's own group type
// code.
type GroupType int

// GIAS group types, valued by their GIAS codes.
const (
	GroupTypeUnknown                   GroupType = 0
	GroupFederation                    GroupType = 1
	GroupTrust                         GroupType = 2 // a foundation trust of maintained schools
	GroupSchoolSponsor                 GroupType = 5
	GroupMultiAcademyTrust             GroupType = 6
	GroupUmbrellaTrust                 GroupType = 7
	GroupChildrensCentresGroup         GroupType = 8
	GroupChildrensCentresCollaboration GroupType = 9
	GroupSingleAcademyTrust            GroupType = 10
)

var groupTypeNames = map[GroupType]string{
	GroupFederation:                    "federation",
	GroupTrust:                         "trust",
	GroupSchoolSponsor:                 "school-sponsor",
	GroupMultiAcademyTrust:             "multi-academy-trust",
	GroupUmbrellaTrust:                 "umbrella-trust",
	GroupChildrensCentresGroup:         "childrens-centres-group",
	GroupChildrensCentresCollaboration: "childrens-centres-collaboration",
	GroupSingleAcademyTrust:            "single-academy-trust",
}

// String returns the type's name, such as "multi-academy-trust".
func (g GroupType) String() string {
	if n, ok := groupTypeNames[g]; ok {
		return n
	}
	if g == GroupTypeUnknown {
		return "unknown"
	}
	return fmt.Sprintf("group-type-%d", int(g))
}

// MarshalText implements encoding.TextMarshaler.
func (g GroupType) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (g *GroupType) UnmarshalText(b []byte) error {
	if string(b) == "unknown" {
		*g = GroupTypeUnknown
		return nil
	}
	t, err := ParseGroupType(string(b))
	if err == nil {
		*g = t
	}
	return err
}

// foldName folds a GIAS label for comparison: "Children's Centres Group"
// and "childrens-centres-group" fold alike.
func foldName(s string) string {
	s = strings.TrimSpace(s)
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
		case c == ' ' || c == '_':
			b = append(b, '-')
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == 0xE2 && strings.HasPrefix(s[i:], "’"):
			i += len("’") - 1
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// ParseGroupType parses a GIAS group type from its name ("Multi-academy
// trust"), its String form, or its code, with or without a leading zero.
func ParseGroupType(s string) (GroupType, error) {
	if n, ok, err := parseCode(s); err == nil && ok {
		if _, known := groupTypeNames[GroupType(n)]; known {
			return GroupType(n), nil
		}
		return GroupTypeUnknown, fmt.Errorf("unknown group type code %q", s)
	}
	f := foldName(s)
	for t, n := range groupTypeNames {
		if n == f {
			return t, nil
		}
	}
	return GroupTypeUnknown, fmt.Errorf("unknown group type %q", s)
}

// OrgKind returns the kind of organisation a group of this type is.
func (g GroupType) OrgKind() partnership.OrgKind {
	switch g {
	case GroupFederation:
		return partnership.OrgFederation
	case GroupTrust:
		return partnership.OrgTrust
	case GroupSchoolSponsor:
		return partnership.OrgSponsor
	case GroupMultiAcademyTrust:
		return partnership.OrgMultiAcademyTrust
	case GroupSingleAcademyTrust:
		return partnership.OrgSingleAcademyTrust
	case GroupUmbrellaTrust:
		return partnership.OrgUmbrellaTrust
	case GroupChildrensCentresGroup, GroupChildrensCentresCollaboration:
		return partnership.OrgChildrensCentreGroup
	}
	return partnership.OrgUnknown
}

// NetworkKind returns the kind of network a group of this type forms:
// trusts (multi- and single-academy) NetworkTrust, federations
// NetworkFederation, sponsors NetworkSponsorship, and every other group
// NetworkOther.
func (g GroupType) NetworkKind() partnership.NetworkKind {
	switch g {
	case GroupMultiAcademyTrust, GroupSingleAcademyTrust:
		return partnership.NetworkTrust
	case GroupFederation:
		return partnership.NetworkFederation
	case GroupSchoolSponsor:
		return partnership.NetworkSponsorship
	}
	return partnership.NetworkOther
}

// GroupStatus is whether a GIAS group is open.
type GroupStatus int

// GIAS group statuses.
const (
	StatusUnknown GroupStatus = iota
	StatusOpen
	StatusClosed
	StatusProposedToOpen
	StatusProposedToClose
)

var groupStatusNames = []string{"unknown", "open", "closed", "proposed-to-open", "proposed-to-close"}

// String returns the status's name, such as "open".
func (s GroupStatus) String() string {
	if s >= 0 && int(s) < len(groupStatusNames) {
		return groupStatusNames[s]
	}
	return fmt.Sprintf("group-status-%d", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s GroupStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *GroupStatus) UnmarshalText(b []byte) error {
	if string(b) == "unknown" {
		*s = StatusUnknown
		return nil
	}
	v, err := ParseGroupStatus(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// ParseGroupStatus parses a GIAS group status, as a name ("Proposed to
// open") or a code ("PROPOSED_TO_OPEN").
func ParseGroupStatus(s string) (GroupStatus, error) {
	f := foldName(s)
	for i, n := range groupStatusNames {
		if i > 0 && n == f {
			return GroupStatus(i), nil
		}
	}
	return StatusUnknown, fmt.Errorf("unknown group status %q", s)
}

// Group is one GIAS group as read from the groups extract (or, for a group
// missing from it, from the group columns of the links extract).
type Group struct {
	// UID is GIAS's numeric group UID, the key the links extract uses.
	UID int `json:"uid"`
	// ID is the group's public reference, e.g. "TR01234"; empty for many
	// federations.
	ID             string      `json:"id,omitempty"`
	Name           string      `json:"name"`
	CompaniesHouse string      `json:"companies_house,omitempty"`
	Type           GroupType   `json:"type"`
	Status         GroupStatus `json:"status"`
	// Opened and Closed are zero when not recorded.
	Opened time.Time `json:"opened,omitzero"`
	Closed time.Time `json:"closed,omitzero"`
}

// OrgID returns the group's organisation ID, "gias:" and its UID.
func (g *Group) OrgID() partnership.OrgID { return partnership.OrgID(fmt.Sprintf("gias:%d", g.UID)) }

// NetworkID returns the ID of the network of the group's members, the same
// text as its OrgID.
func (g *Group) NetworkID() partnership.NetworkID {
	return partnership.NetworkID(fmt.Sprintf("gias:%d", g.UID))
}

// GroupLink is one row of the GIAS group links extract: an establishment's
// membership of a group.
type GroupLink struct {
	URN      partnership.URN `json:"urn"`
	GroupUID int             `json:"group_uid"`
	// Joined is when the establishment joined; zero when GIAS records
	// none (its placeholder 1900-01-01).
	Joined time.Time `json:"joined,omitzero"`
	// LACode and LAName are the establishment's local authority as the
	// links row gives it.
	LACode int    `json:"la_code,omitempty"`
	LAName string `json:"la_name,omitempty"`
}

// groupCols are the columns describing a group, shared by the groups and
// links extracts.
type groupCols struct {
	uid, id, name, companies, typeCode, typeName, closed, opened, incorporated, statusCode, status int
}

func findGroupCols(t *table) groupCols {
	return groupCols{
		uid:          t.col("group uid", "linked uid", "uid"),
		id:           t.col("group id"),
		name:         t.col("group name"),
		companies:    t.col("companies house number"),
		typeCode:     t.col("group type (code)"),
		typeName:     t.col("group type"),
		closed:       t.col("closed date"),
		opened:       t.col("open date"),
		incorporated: t.col("incorporated on (open date)"),
		statusCode:   t.col("group status (code)"),
		status:       t.col("group status", "status"),
	}
}

// readGroup reads the group described by the current row. ok is false if
// the row is refused (the errors are recorded in t).
func readGroup(t *table, c groupCols) (g Group, ok bool) {
	ok = true
	uid, has, err := parseCode(t.raw(c.uid))
	switch {
	case err != nil:
		t.failf(c.uid, err)
		ok = false
	case !has || uid == 0:
		t.failf(c.uid, errNoValue)
		ok = false
	}
	g.UID = uid
	g.ID = t.text(c.id)
	g.Name = t.text(c.name)
	g.CompaniesHouse = t.text(c.companies)
	g.Type, err = ParseGroupType(t.raw(c.typeCode))
	if err != nil {
		if ty, err2 := ParseGroupType(t.raw(c.typeName)); err2 == nil {
			g.Type = ty
		} else if t.raw(c.typeCode) != "" || t.raw(c.typeName) != "" {
			i := c.typeName
			if t.raw(c.typeCode) != "" {
				i = c.typeCode
			}
			t.warnf(i, fmt.Errorf("%w; the group is kept as an unknown type", err2))
		}
	}
	g.Status, err = ParseGroupStatus(t.raw(c.statusCode))
	if err != nil {
		if st, err2 := ParseGroupStatus(t.raw(c.status)); err2 == nil {
			g.Status = st
		} else if t.raw(c.statusCode) != "" || t.raw(c.status) != "" {
			t.warnf(c.status, fmt.Errorf("%w; the group is kept with an unknown status", err2))
		}
	}
	if g.Opened, err = parseDate(t.raw(c.opened)); err != nil {
		t.failf(c.opened, err)
		ok = false
	}
	if g.Opened.IsZero() {
		if g.Opened, err = parseDate(t.raw(c.incorporated)); err != nil {
			t.failf(c.incorporated, err)
			ok = false
		}
	}
	if g.Closed, err = parseDate(t.raw(c.closed)); err != nil {
		t.failf(c.closed, err)
		ok = false
	}
	if ok && !g.Closed.IsZero() && !g.Opened.IsZero() && !g.Closed.After(g.Opened) {
		t.warnf(c.opened, fmt.Errorf("group %d closed (%s) on or before it opened (%s); its open date is dropped",
			g.UID, g.Closed.Format(time.DateOnly), g.Opened.Format(time.DateOnly)))
		g.Opened = time.Time{}
	}
	return g, ok
}

// groupsFile is what the groups extract gave.
type groupsFile struct {
	groups []Group
	lines  []int
}

func parseGroups(t *table, stop func() bool) *groupsFile {
	c := findGroupCols(t)
	out := &groupsFile{}
	for t.next() {
		if t.rows()%4096 == 0 && stop() {
			break
		}
		if g, ok := readGroup(t, c); ok {
			out.groups = append(out.groups, g)
			out.lines = append(out.lines, t.line)
		}
	}
	return out
}

// linksFile is what the group links extract gave.
type linksFile struct {
	links  []GroupLink
	lines  []int
	groups map[int]Group // the group columns of the first row naming each UID
	// establishments holds what the rows say of each establishment (name,
	// type, phase, local authority), to complete a census that lacks them.
	establishments map[partnership.URN]partnership.School
}

func parseGroupLinks(t *table, stop func() bool) *linksFile {
	c := findGroupCols(t)
	urn, joined, laCode, laName := t.col("urn"), t.col("joined date", "date joined"), t.col("la (code)"), t.col("la (name)")
	name, typ, phase := t.col("establishmentname"), t.col("typeofestablishment (name)"), t.col("phaseofeducation (name)")
	out := &linksFile{groups: map[int]Group{}, establishments: map[partnership.URN]partnership.School{}}
	for t.next() {
		if t.rows()%4096 == 0 && stop() {
			break
		}
		g, ok := readGroup(t, c)
		var l GroupLink
		var err error
		if l.URN, err = parseURN(t.raw(urn)); err != nil {
			t.failf(urn, err)
			ok = false
		}
		if l.Joined, err = parseDate(t.raw(joined)); err != nil {
			t.failf(joined, err)
			ok = false
		}
		code, _, err := parseCode(t.raw(laCode))
		if err != nil {
			t.failf(laCode, err)
			ok = false
		}
		estPhase, estDeemed, _, err := censusPhase(t.raw(phase), t.raw(typ), "", "")
		if err != nil {
			t.failf(phase, err)
			ok = false
		}
		if !ok {
			continue
		}
		l.GroupUID, l.LACode, l.LAName = g.UID, code, t.shared(laName)
		out.links = append(out.links, l)
		out.lines = append(out.lines, t.line)
		if _, seen := out.groups[g.UID]; !seen {
			out.groups[g.UID] = g
		}
		if _, seen := out.establishments[l.URN]; !seen && name >= 0 {
			est := partnership.School{URN: l.URN, Name: t.text(name), EstablishmentType: t.shared(typ), LA: code, LAName: l.LAName}
			est.Governance = partnership.GovernanceOfType(est.EstablishmentType)
			est.Phase, est.DeemedPhase = estPhase, estDeemed
			out.establishments[l.URN] = est
		}
	}
	return out
}
