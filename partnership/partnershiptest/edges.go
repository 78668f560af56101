package partnershiptest

import (
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// The contracts a database store must keep that the in-memory one keeps
// without trying: keys in byte order (as Go compares strings, not as a
// collation would), long and non-ASCII text, and empty lists read back as
// empty.

// testByteOrder: listings and enrolments are in ascending byte order of
// their IDs: upper case before lower, "e10" before "e2", "é" after every
// ASCII letter; across pages too.
func testByteOrder(t tb, s p.Store) {
	ids := []string{"é1", "e2", "E", "e10", "a", "Z"}
	want := []string{"E", "Z", "a", "e10", "e2", "é1"}
	for _, id := range ids {
		require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: p.OrgID(id), Kind: p.OrgAlliance, Name: "A"}))
	}
	var got []string
	var after p.Cursor
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10, "paging must end")
		pg, err := s.ListOrganisations(ctx, p.OrgQuery{}, p.PageRequest{After: after, Limit: 2})
		require.NoError(t, err)
		for _, o := range pg.Items {
			got = append(got, string(o.ID))
		}
		if pg.Next == "" {
			break
		}
		after = pg.Next
	}
	assert.Equal(t, want, got, "organisations in byte order of ID, pages of two")

	require.NoError(t, s.InsertProgramme(ctx, p.Programme{ID: "g", Name: "G"}))
	for _, id := range ids {
		require.NoError(t, s.InsertPerson(ctx, p.Person{ID: p.PersonID(id), Role: p.RoleHeadteacher}))
		require.NoError(t, s.InsertEnrolment(ctx, p.Enrolment{Programme: "g", Person: p.PersonID(id), On: d(2024, 9, 1)}))
	}
	es, err := s.Enrolments(ctx, "g")
	require.NoError(t, err)
	got = nil
	for _, e := range es {
		got = append(got, string(e.Person))
	}
	assert.Equal(t, want, got, "enrolments in byte order of person ID")
}

// testLongText: names of any length and script are kept byte for byte.
func testLongText(t tb, s p.Store) {
	name := strings.Repeat("Académie Ōtautahi — ✓ ", 3000)
	id := p.OrgID("org:" + strings.Repeat("ü", 200))
	require.NoError(t, s.InsertOrganisation(ctx, p.Organisation{ID: id, Kind: p.OrgAlliance, Name: name}))
	o, err := s.Organisation(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, len(name), len(o.Name))
	assert.True(t, name == o.Name, "an organisation's long name is kept byte for byte")
	long := strings.Repeat("St Æthelwold’s ", 5000)
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 100001, Name: long}))
	sc, err := s.School(ctx, 100001)
	require.NoError(t, err)
	assert.Equal(t, len(long), len(sc.Name))
	assert.True(t, long == sc.Name, "a school's long name is kept byte for byte")
}

// testEmptyLists: an empty list in a record reads back empty (nil or
// empty alike, as the Store contract allows), and a listing that matches
// nothing is one empty last page.
func testEmptyLists(t tb, s p.Store) {
	require.NoError(t, s.InsertSchool(ctx, p.School{URN: 100002, Name: "E", Predecessors: []p.URN{}}))
	sc, err := s.School(ctx, 100002)
	require.NoError(t, err)
	assert.Empty(t, sc.Predecessors)
	pg, err := s.ListSchools(ctx, p.SchoolQuery{LA: 999}, p.PageRequest{})
	require.NoError(t, err)
	assert.Empty(t, pg.Items)
	assert.Equal(t, p.Cursor(""), pg.Next)
}
