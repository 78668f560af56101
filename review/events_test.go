package review_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// eventTypes lists, from the package's source, every type with the sealed
// Event method event(), so a new event type is covered without editing
// this test.
func eventTypes(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var out []string
	fset := token.NewFileSet()
	for _, de := range entries {
		if !strings.HasSuffix(de.Name(), ".go") || strings.HasSuffix(de.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, de.Name(), nil, 0)
		require.NoError(t, err)
		{
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || fd.Name.Name != "event" || len(fd.Recv.List) != 1 {
					continue
				}
				typ := fd.Recv.List[0].Type
				if st, ok := typ.(*ast.StarExpr); ok {
					typ = st.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					out = append(out, id.Name)
				}
			}
		}
	}
	slices.Sort(out)
	require.NotEmpty(t, out)
	return out
}

// content is what one run writes into a report; two runs differ in every
// field, so any of it reaching an event makes the two event streams differ.
type content struct {
	area, description, evidence, strength, focus string
	grade                                        string
	validated                                    bool
}

const canary = "CANARY"

var contents = []content{
	{area: "early-reading-" + canary + "-a", description: "phonics " + canary + " a", evidence: "seen " + canary + " a",
		strength: "strength " + canary + " a", focus: "maths-" + canary, grade: "leading", validated: true},
	{area: "science-" + canary + "-b", description: "practical " + canary + " b", evidence: "heard " + canary + " b",
		strength: "strength " + canary + " b", focus: "english-" + canary, grade: "ineffective", validated: false},
}

// runWithContent takes a review through every stage with the content c,
// records and revokes a consent, and returns every event a subscriber got.
func runWithContent(t *testing.T, c content) []review.Event {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t)
	var got []review.Event
	f.svc.Subscribe(func(e review.Event) { got = append(got, e) })
	st, err := f.svc.OpenReview(ctx, "2025", school, trust, nil)
	require.NoError(t, err)
	id := st.ID
	_, err = f.svc.RecordSelfEvaluation(ctx, schoolReader, id, []review.Estimate{{Area: "leadership-at-all-levels", Grade: c.grade, Evidence: c.evidence}})
	require.NoError(t, err)
	_, err = f.svc.AssignTeam(ctx, id, team)
	require.NoError(t, err)
	_, err = f.svc.NominateExcellence(ctx, schoolReader, id, partnership.ExpertiseID(c.area), c.description)
	require.NoError(t, err)
	_, err = f.svc.SetPlan(ctx, id, review.Plan{Focus: []partnership.ExpertiseID{partnership.ExpertiseID(c.focus)}, Hypotheses: []string{c.strength}})
	require.NoError(t, err)
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start.AddDate(0, 1, 0), Days: 2})
	require.NoError(t, err)
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: team[0].Home.OrgID(), Reviewer: team[0].Reviewer}, id, partnership.ExpertiseID(c.area), c.validated, c.evidence)
	require.NoError(t, err)
	_, err = f.svc.AgreeFindings(ctx, id, review.Findings{
		Estimates:           []review.Estimate{{Area: "leadership-at-all-levels", Grade: c.grade, Evidence: c.evidence}},
		Strengths:           []string{c.strength},
		AreasForDevelopment: []review.Development{{Expertise: partnership.ExpertiseID(c.focus), Description: c.description}},
	})
	require.NoError(t, err)
	_, err = f.svc.IssueReport(ctx, id)
	require.NoError(t, err)
	_, err = f.svc.RecordImprovement(ctx, id, review.Improvement{Workshop: start.AddDate(0, 2, 0), Actions: []string{c.strength}})
	require.NoError(t, err)
	_, err = f.svc.RecordFollowUp(ctx, id, review.FollowUp{Date: start.AddDate(0, 6, 0), Notes: c.description})
	require.NoError(t, err)
	cs, err := f.svc.RecordConsent(ctx, schoolReader, review.Consent{School: school, Grantee: "urn:999999", Parts: []review.Part{review.PartExcellence}})
	require.NoError(t, err)
	require.NoError(t, f.svc.RevokeConsent(ctx, schoolReader, school, cs.ID))
	return got
}

// TestEventsCarryNoReportContent subscribes to every event type (found in
// the source) and checks that no report content reaches a subscriber: the
// events of two reviews that differ in every piece of content (the area
// nominated, whether it was validated, grades, evidence, strengths, plan,
// improvement) are identical, no string in any event holds any of that
// content, and no event type has a field of a report-content type.
func TestEventsCarryNoReportContent(t *testing.T) {
	types := eventTypes(t)
	a, b := runWithContent(t, contents[0]), runWithContent(t, contents[1])

	seen := map[string]bool{}
	for _, e := range a {
		seen[reflect.TypeOf(e).Name()] = true
	}
	for _, name := range types {
		assert.True(t, seen[name], "event type %s was not emitted by the scenario: extend runWithContent so it is checked", name)
	}

	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("events differ with report content (-a +b):\n%s", diff)
	}

	for _, e := range append(slices.Clone(a), b...) {
		walkStrings(reflect.ValueOf(e), func(s string) {
			assert.NotContains(t, s, canary, "%T carries report content", e)
		})
	}

	confidential := []reflect.Type{
		reflect.TypeFor[partnership.ExpertiseID](), reflect.TypeFor[review.ExcellenceStatus](),
		reflect.TypeFor[review.Estimate](), reflect.TypeFor[review.Findings](), reflect.TypeFor[review.AreaOfExcellence](),
		reflect.TypeFor[review.Plan](), reflect.TypeFor[review.Improvement](), reflect.TypeFor[review.FollowUp](),
		reflect.TypeFor[review.Development](), reflect.TypeFor[review.Report](), reflect.TypeFor[review.Review](),
	}
	for _, e := range a {
		typ := reflect.TypeOf(e)
		for i := range typ.NumField() {
			f := typ.Field(i)
			assert.False(t, reaches(f.Type, confidential, map[reflect.Type]bool{}), "%s.%s has a report-content type", typ.Name(), f.Name)
		}
	}
}

func walkStrings(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fn)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkStrings(k, fn)
			walkStrings(v.MapIndex(k), fn)
		}
	}
}

// reaches reports whether values of type t can hold a value of one of the
// bad types.
func reaches(t reflect.Type, bad []reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	if slices.Contains(bad, t) {
		return true
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Pointer, reflect.Array, reflect.Chan:
		return reaches(t.Elem(), bad, seen)
	case reflect.Map:
		return reaches(t.Key(), bad, seen) || reaches(t.Elem(), bad, seen)
	case reflect.Func:
		for i := range t.NumIn() {
			if reaches(t.In(i), bad, seen) {
				return true
			}
		}
		for i := range t.NumOut() {
			if reaches(t.Out(i), bad, seen) {
				return true
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if reaches(t.Field(i).Type, bad, seen) {
				return true
			}
		}
	}
	return false
}

// TestValidationActorIsChecked: only a review-team member, acting from their
// own school, decides; every attempt is audited; and an outsider's answer
// is the same whether or not the area was nominated.
func TestValidationActorIsChecked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st, err := f.svc.OpenReview(ctx, "2025", school, trust, nil)
	require.NoError(t, err)
	id := st.ID
	_, err = f.svc.RecordSelfEvaluation(ctx, schoolReader, id, nil)
	require.NoError(t, err)
	_, err = f.svc.AssignTeam(ctx, id, []review.TeamMember{{Reviewer: "lead-1", Home: 108000, Lead: true}, {Reviewer: "ext-1", Lead: false}})
	require.NoError(t, err)
	_, err = f.svc.NominateExcellence(ctx, review.Reader{Org: "urn:108000"}, id, "maths", "")
	require.ErrorIs(t, err, review.ErrForbidden, "only the school nominates")
	_, err = f.svc.NominateExcellence(ctx, schoolReader, id, "maths", "mastery")
	require.NoError(t, err)
	_, err = f.svc.SetPlan(ctx, id, review.Plan{})
	require.NoError(t, err)
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start})
	require.NoError(t, err)

	denied := []review.Reader{
		{Org: school.OrgID(), Reviewer: "lead-1"},                     // the school naming the lead
		{Org: school.OrgID()},                                         // the school itself
		{Org: "urn:108000"},                                           // the lead's school, no reviewer named
		{Org: "urn:109000", Reviewer: "lead-1"},                       // the lead's ID from another school
		{Org: "urn:108000", Reviewer: "nobody"},                       // not on the team
		{Org: "ofsted", Reviewer: "ext-1", Accountability: true},      // an accountability body
		{Org: "", Reviewer: "ext-1"},                                  // no organisation
		{Org: trust, Reviewer: "lead-1"},                              // the trust naming the lead
		{Org: "urn:108000", Reviewer: "lead-1", Accountability: true}, // marked accountability
	}
	for _, actor := range denied {
		_, errNominated := f.svc.ValidateExcellence(ctx, actor, id, "maths", true, "")
		_, errOther := f.svc.ValidateExcellence(ctx, actor, id, "science", true, "")
		require.ErrorIs(t, errNominated, review.ErrForbidden, "%+v", actor)
		assert.Equal(t, errNominated.Error(), errOther.Error(), "the answer must not tell whether an area was nominated (%+v)", actor)
	}
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: "urn:108000", Reviewer: "lead-1"}, id, "science", true, "")
	assert.ErrorIs(t, err, review.ErrNotFound, "a team member learns the area was not nominated")
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: "alliance:external", Reviewer: "ext-1"}, id, "maths", false, "not yet")
	require.NoError(t, err, "an external team member decides")
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: "urn:108000", Reviewer: "lead-1"}, id, "maths", true, "seen")
	require.NoError(t, err)

	trail, err := f.svc.Audit(ctx, schoolReader, school)
	require.NoError(t, err)
	var allowed, refused int
	for _, e := range trail {
		switch {
		case e.Method == "ValidateExcellence" && e.Allowed:
			allowed++
			assert.Equal(t, review.BasisReviewTeam, e.Basis)
		case e.Method == "ValidateExcellence":
			refused++
		}
	}
	assert.Equal(t, 3, allowed, "three team decisions, the not-found one included")
	assert.Equal(t, 2*len(denied), refused)

	rep, err := f.svc.Report(ctx, schoolReader, id)
	require.NoError(t, err)
	require.Len(t, rep.Excellence, 1)
	assert.Equal(t, review.ExcellenceValidated, rep.Excellence[0].Status)
	assert.Equal(t, review.ReviewerID("lead-1"), rep.Excellence[0].ValidatedBy)
}
