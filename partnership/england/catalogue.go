package england

import (
	"fmt"
	"strings"
)

// extract describes one kind of file Load reads: what it is, the columns
// that recognise it, and where it is published.
type extract struct {
	kind   Kind
	what   string
	needs  string
	source string
}

// catalogue lists the extracts Load knows, for Kind.Source and for the
// message that refuses a file it does not know.
var catalogue = []extract{
	{KindCensus, "school census, school level (DfE)",
		`"urn" and "phase_type_grouping" or "Phase-type grouping" (Schools, pupils and their characteristics, 2017/18 onwards), or "URN", "NOR" and "SCHOOLTYPE" or "NUMFSM" (performance tables census)`,
		`"Schools, pupils and their characteristics", school-level underlying data, at explore-education-statistics.service.gov.uk; or the census file (england_census.csv) of the school performance tables at www.compare-school-performance.service.gov.uk/download-data`},
	{KindEstablishments, "GIAS establishments (edubasealldata)",
		`"URN", "EstablishmentName" and "TypeOfEstablishment (name)"`,
		`Get Information about Schools, Downloads, "Establishment fields", at get-information-schools.service.gov.uk/Downloads`},
	{KindGroups, "GIAS groups (allgroupsdata)",
		`"Group UID" and "Group Type" or "Group Type (code)", or "UID", "Group Name" and "Group Type", without "URN"`,
		`Get Information about Schools, Downloads, "All group records", at get-information-schools.service.gov.uk/Downloads`},
	{KindGroupLinks, "GIAS group links (alllinksdata)",
		`"URN" and "Group UID" (or "Linked UID")`,
		`Get Information about Schools, Downloads, "All group links", at get-information-schools.service.gov.uk/Downloads`},
	{KindLinks, "GIAS establishment links (links_edubasealldata)",
		`"URN", "LinkURN" and "LinkType"`,
		`Get Information about Schools, Downloads, "Establishment links", at get-information-schools.service.gov.uk/Downloads`},
	{KindInspections, "Ofsted inspection outcomes",
		`"URN" and "Inspection start date" with "Overall effectiveness", key judgements ("Quality of education", ...) or report-card areas ("Inclusion", "Curriculum and teaching", ...) (or the "Latest OEIF" and "Previous" sets of those), or "URN" with "Rating" and "Inspection Date"`,
		`Ofsted, "State-funded schools inspections and outcomes: management information", at www.gov.uk/government/statistical-data-sets/monthly-management-information-ofsteds-school-inspections-outcomes`},
	{KindCoordinates, "school coordinates",
		`"URN" with "LAT" or "Latitude" and "LON", "Long" or "Longitude"`,
		`any geocoding of the schools' postcodes, such as postcodes.io over the ONS Postcode Directory`},
}

func describe(k Kind) extract {
	for _, e := range catalogue {
		if e.kind == k {
			return e
		}
	}
	return extract{kind: k, what: k.String()}
}

// Source says what an extract of this kind is and where it is published.
func (k Kind) Source() string {
	e := describe(k)
	if e.source == "" {
		return e.what
	}
	return e.what + ": " + e.source
}

// knownExtracts lists the extracts and the columns each needs, one a line.
func knownExtracts() string {
	var b strings.Builder
	for _, e := range catalogue {
		fmt.Fprintf(&b, "\n\t%s (%s): %s", e.kind, e.what, e.needs)
	}
	return b.String()
}

// errNotExtract says that a file's header is none Load knows, showing the
// start of the header.
func errNotExtract(header []string) error {
	const show = 6
	cols := make([]string, 0, show)
	for i, h := range header {
		if i == show {
			break
		}
		if len(h) > 40 {
			h = h[:40] + "..."
		}
		cols = append(cols, fmt.Sprintf("%q", h))
	}
	more := ""
	if len(header) > show {
		more = ", ..."
	}
	return fmt.Errorf("not an extract Fulcrum reads: its header has %d columns (%s%s); the extracts it reads, recognised by their columns:%s",
		len(header), strings.Join(cols, ", "), more, knownExtracts())
}

// isDocumentation reports whether a file in a data directory is
// documentation, listed but not read: a name ending ".md", or starting
// "README", "LICENCE" or "LICENSE" (in any case).
func isDocumentation(name string) bool {
	l := strings.ToLower(name)
	return strings.HasSuffix(l, ".md") || strings.HasPrefix(l, "readme") || strings.HasPrefix(l, "licence") ||
		strings.HasPrefix(l, "license")
}
