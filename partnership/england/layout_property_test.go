package england_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// layout is one way of writing the extracts: as GIAS publishes them or as
// pandas saved them, and the variations between.
type layout struct {
	cp1252, dmy, zeros, index, gzip, crlf bool
}

// toCP1252 encodes the few non-ASCII runes the generator uses.
var toCP1252 = strings.NewReplacer("é", "\xe9", "É", "\xc9", "–", "\x96", "’", "\x92")

func (l layout) write(rows [][]string) []byte {
	var b strings.Builder
	for _, r := range rows {
		for i, f := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\r\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			b.WriteString(f)
		}
		if l.crlf {
			b.WriteString("\r\n")
		} else {
			b.WriteString("\n")
		}
	}
	s := b.String()
	if l.cp1252 {
		s = toCP1252.Replace(s)
	}
	if !l.gzip {
		return []byte(s)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(s))
	zw.Close()
	return z.Bytes()
}

func (l layout) date(t time.Time) string {
	switch {
	case t.IsZero():
		if l.dmy {
			return "01-01-1900"
		}
		return "1900-01-01"
	case l.dmy:
		return t.Format("02-01-2006")
	}
	return t.Format("2006-01-02")
}

func (l layout) code(n int) string {
	if l.zeros {
		return fmt.Sprintf("%02d", n)
	}
	return fmt.Sprint(n)
}

func (l layout) row(i int, fields ...string) []string {
	if !l.index {
		return fields
	}
	return append([]string{fmt.Sprint(i)}, fields...)
}

var (
	nameGen   = rapid.StringOfN(rapid.SampledFrom([]rune("abcXYZ éÉ–’,\"'-")), 1, 20, -1)
	phaseGen  = rapid.SampledFrom([]string{"State-funded primary", "State-funded secondary", "State-funded special school", "State-funded nursery", "State-funded AP school", "Independent school"})
	typeGen   = rapid.SampledFrom([]england.GroupType{england.GroupFederation, england.GroupTrust, england.GroupSchoolSponsor, england.GroupMultiAcademyTrust, england.GroupUmbrellaTrust, england.GroupChildrensCentresGroup, england.GroupSingleAcademyTrust})
	typeNames = map[england.GroupType]string{england.GroupFederation: "Federation", england.GroupTrust: "Trust",
		england.GroupSchoolSponsor: "School sponsor", england.GroupMultiAcademyTrust: "Multi-academy trust",
		england.GroupUmbrellaTrust: "Umbrella trust", england.GroupChildrensCentresGroup: "Children's Centres Group",
		england.GroupSingleAcademyTrust: "Single-academy trust"}
)

func dayGen(t *rapid.T, label string) time.Time {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 9000).Draw(t, label))
}

// TestLayoutsProperty writes random groups, links and schools in a random
// layout and checks Load reads back exactly what was written.
func TestLayoutsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := layout{
			cp1252: rapid.Bool().Draw(t, "cp1252"), dmy: rapid.Bool().Draw(t, "dmy"), zeros: rapid.Bool().Draw(t, "zeros"),
			index: rapid.Bool().Draw(t, "index"), gzip: rapid.Bool().Draw(t, "gzip"), crlf: rapid.Bool().Draw(t, "crlf"),
		}
		nSchools := rapid.IntRange(1, 15).Draw(t, "schools")
		census := [][]string{{"urn", "school_name", "phase_type_grouping", "typeofestablishment_name", "old_la_code", "la_name"}}
		var schools []partnership.School
		for i := range nSchools {
			s := partnership.School{URN: partnership.URN(100000 + 7*i), Name: strings.TrimSpace(nameGen.Draw(t, "name")),
				LA: 300 + i%3, LAName: fmt.Sprintf("LA %d", i%3)}
			pg := phaseGen.Draw(t, "phase")
			census = append(census, []string{s.URN.String(), s.Name, pg, "Community school", fmt.Sprint(s.LA), s.LAName})
			schools = append(schools, s)
		}
		// A Windows-1252 file whose every non-ASCII sequence happens to be
		// valid UTF-8 ("É–" is the bytes of "ɖ") is read as UTF-8, as
		// documented; a real file has some byte that settles it, as "é,"
		// does here.
		if l.cp1252 {
			census = append(census, []string{"199999", "Café", "Independent school", "", "", ""})
			schools = append(schools, partnership.School{URN: 199999, Name: "Café"})
		}
		nGroups := rapid.IntRange(0, 6).Draw(t, "groups")
		groupsRows := [][]string{{"Group UID", "Group ID", "Group Name", "Group Type (code)", "Group Type", "Closed Date", "Open date", "Group Status (code)", "Group Status"}}
		var groups []england.Group
		for i := range nGroups {
			g := england.Group{UID: 1000 + i, Name: strings.TrimSpace(nameGen.Draw(t, "group")), Type: typeGen.Draw(t, "type"),
				Status: england.StatusOpen, Opened: dayGen(t, "opened")}
			if rapid.Bool().Draw(t, "closed") {
				g.Status, g.Closed = england.StatusClosed, g.Opened.AddDate(0, 0, rapid.IntRange(1, 3000).Draw(t, "life"))
			}
			if g.Type == england.GroupMultiAcademyTrust {
				g.ID = fmt.Sprintf("TR%05d", i)
			}
			closed := ""
			if !g.Closed.IsZero() {
				closed = l.date(g.Closed)
			}
			status := map[england.GroupStatus][2]string{england.StatusOpen: {"OPEN", "Open"}, england.StatusClosed: {"CLOSED", "Closed"}}[g.Status]
			groupsRows = append(groupsRows, []string{fmt.Sprint(g.UID), g.ID, g.Name, l.code(int(g.Type)), typeNames[g.Type],
				closed, l.date(g.Opened), status[0], status[1]})
			groups = append(groups, g)
		}
		if l.cp1252 {
			g := england.Group{UID: 9999, Name: "Café", Type: england.GroupFederation, Status: england.StatusOpen,
				Opened: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)}
			groupsRows = append(groupsRows, []string{"9999", "", g.Name, l.code(1), "Federation", "", l.date(g.Opened), "OPEN", "Open"})
			groups = append(groups, g)
		}
		linksRows := [][]string{l.row(-1, "URN", "Group UID", "Group Name", "Group Type (code)", "Group Type", "Group Status", "Joined date", "LA (code)", "LA (name)")}
		linksRows[0][0] = strings.TrimPrefix(linksRows[0][0], "-1")
		var links []england.GroupLink
		for gi, g := range groups {
			for si, s := range schools {
				if !rapid.Bool().Draw(t, fmt.Sprintf("link%d-%d", gi, si)) {
					continue
				}
				var joined time.Time
				if rapid.Bool().Draw(t, "known") {
					joined = g.Opened.AddDate(0, 0, rapid.IntRange(0, 30).Draw(t, "after"))
				}
				linksRows = append(linksRows, l.row(len(links), s.URN.String(), fmt.Sprint(g.UID), g.Name, l.code(int(g.Type)),
					typeNames[g.Type], g.Status.String(), l.date(joined), fmt.Sprint(s.LA), s.LAName))
				links = append(links, england.GroupLink{URN: s.URN, GroupUID: g.UID, Joined: joined, LACode: s.LA, LAName: s.LAName})
			}
		}
		fsys := fstest.MapFS{
			"a": {Data: l.write(census)},
			"b": {Data: l.write(groupsRows)},
			"c": {Data: l.write(linksRows)},
		}
		r, err := england.LoadFS(context.Background(), fsys, nil)
		require.NoError(t, err)
		require.Len(t, r.Dataset.Schools, len(schools))
		for i, s := range r.Dataset.Schools {
			want := schools[i].Name
			if strings.TrimSpace(want) == "" {
				want = fmt.Sprintf("URN %d", s.URN) // a school without a name is named by its URN, with a warning
			}
			require.Equal(t, strings.TrimSpace(want), s.Name)
			require.Equal(t, schools[i].LA, s.LA)
		}
		if groups == nil {
			groups = []england.Group{}
		}
		if r.Groups == nil {
			r.Groups = []england.Group{}
		}
		require.Equal(t, groups, r.Groups)
		if links == nil {
			links = []england.GroupLink{}
		}
		require.Equal(t, links, r.GroupLinks)
		_, err = r.Model()
		require.NoError(t, err)
	})
}
