package review_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

const (
	school partnership.URN   = 107000
	trust  partnership.OrgID = "gias:1234"
	lead   partnership.OrgID = "alliance:red-kite"
)

var start = time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	svc    *review.Service
	store  *review.MemoryStore
	events []review.Event
	clock  time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: review.NewMemoryStore(), clock: start}
	svc, err := review.NewService(f.store, nil, &review.Options{Now: func() time.Time { return f.clock }})
	require.NoError(t, err)
	f.svc = svc
	svc.Subscribe(func(e review.Event) { f.events = append(f.events, e) })
	ctx := context.Background()
	require.NoError(t, svc.CreateProgramme(ctx, review.Programme{ID: "alliance", Name: "Alliance peer review", Lead: lead, Framework: review.FrameworkPeerReview, DaysPerVisit: 1}))
	require.NoError(t, svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "alliance", Period: partnership.Period{From: start, To: start.AddDate(1, 0, 0)}}))
	return f
}

var schoolReader = review.Reader{Org: school.OrgID()}

// complete runs a review through every stage.
func (f *fixture) complete(t *testing.T, u partnership.URN, team []review.TeamMember) review.ReviewID {
	ctx := context.Background()
	st, err := f.svc.OpenReview(ctx, "2025", u, trust, []review.Deadline{{Stage: review.StageVisit, Due: start.AddDate(0, 2, 0)}})
	require.NoError(t, err)
	id := st.ID
	me := review.Reader{Org: u.OrgID()}
	_, err = f.svc.RecordSelfEvaluation(ctx, me, id, []review.Estimate{{Area: "leadership-at-all-levels", Grade: "effective"}})
	require.NoError(t, err)
	_, err = f.svc.AssignTeam(ctx, id, team)
	require.NoError(t, err)
	_, err = f.svc.NominateExcellence(ctx, me, id, "early-reading", "phonics from reception")
	require.NoError(t, err)
	_, err = f.svc.SetPlan(ctx, id, review.Plan{Focus: []partnership.ExpertiseID{"maths"}, Hypotheses: []string{"KS2 maths is secure"}})
	require.NoError(t, err)
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start.AddDate(0, 1, 0), Days: 2})
	require.NoError(t, err)
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: team[0].Home.OrgID(), Reviewer: team[0].Reviewer}, id, "early-reading", true, "seen in three classes")
	require.NoError(t, err)
	_, err = f.svc.AgreeFindings(ctx, id, review.Findings{
		Estimates:           []review.Estimate{{Area: "leadership-at-all-levels", Grade: "leading", Evidence: "governors"}, {Area: "quality-of-provision-and-outcomes", Grade: "effective"}},
		Strengths:           []string{"early reading"},
		AreasForDevelopment: []review.Development{{Expertise: "send", Description: "transition for pupils with SEND"}},
	})
	require.NoError(t, err)
	_, err = f.svc.IssueReport(ctx, id)
	require.NoError(t, err)
	_, err = f.svc.RecordImprovement(ctx, id, review.Improvement{Workshop: start.AddDate(0, 2, 0), Actions: []string{"visit a leading school"}})
	require.NoError(t, err)
	st, err = f.svc.RecordFollowUp(ctx, id, review.FollowUp{Date: start.AddDate(0, 6, 0)})
	require.NoError(t, err)
	require.Equal(t, review.StageClosed, st.Stage)
	return id
}

var team = []review.TeamMember{{Reviewer: "lead-1", Home: 108000, Lead: true}, {Reviewer: "peer-1", Home: 109000}}

func TestReviewLifecycleEmitsTypedEvents(t *testing.T) {
	f := newFixture(t)
	f.complete(t, school, team)
	var stages []string
	kinds := map[string]int{}
	for _, e := range f.events {
		kinds[reflect.TypeOf(e).Name()]++
		if sc, ok := e.(review.StageChanged); ok {
			stages = append(stages, sc.To.String())
		}
	}
	assert.Equal(t, []string{"planning", "visit", "findings", "report", "improvement", "follow-up", "closed"}, stages)
	assert.Equal(t, map[string]int{"ReviewOpened": 1, "StageChanged": 7, "TeamAssigned": 1, "ExcellenceNominatedEvent": 1,
		"ExcellenceDecidedEvent": 1, "ReportIssued": 1}, kinds)
	for _, e := range f.events {
		assert.False(t, e.When().IsZero())
	}
}

func TestTransitionsAreChecked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st, err := f.svc.OpenReview(ctx, "2025", school, trust, nil)
	require.NoError(t, err)
	id := st.ID
	_, err = f.svc.IssueReport(ctx, id)
	assert.ErrorIs(t, err, review.ErrTransition, "no report before a visit")
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start})
	assert.ErrorIs(t, err, review.ErrTransition, "no visit before planning")
	_, err = f.svc.RecordSelfEvaluation(ctx, review.Reader{Org: "urn:1"}, id, nil)
	assert.ErrorIs(t, err, review.ErrForbidden, "only the school self-evaluates")
	_, err = f.svc.RecordSelfEvaluation(ctx, schoolReader, id, []review.Estimate{{Area: "leadership-at-all-levels", Grade: "outstanding"}})
	assert.ErrorIs(t, err, review.ErrInvalid, "grades come from the framework's scale")
	_, err = f.svc.RecordSelfEvaluation(ctx, schoolReader, id, nil)
	require.NoError(t, err)
	_, err = f.svc.AssignTeam(ctx, id, []review.TeamMember{{Reviewer: "own", Home: school, Lead: true}})
	assert.ErrorIs(t, err, review.ErrInvalid, "never a reviewer from the school itself")
	_, err = f.svc.AssignTeam(ctx, id, []review.TeamMember{{Reviewer: "p", Home: 1}})
	assert.ErrorIs(t, err, review.ErrInvalid, "a team needs a lead")
	_, err = f.svc.SetPlan(ctx, id, review.Plan{})
	require.NoError(t, err)
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start})
	assert.ErrorIs(t, err, review.ErrTransition, "no visit without a team lead")
	_, err = f.svc.AssignTeam(ctx, id, []review.TeamMember{{Reviewer: "lead-1", Home: 108000, Lead: true}, {Reviewer: "own", Home: 0}})
	require.NoError(t, err)
	_, err = f.svc.NominateExcellence(ctx, review.Reader{Org: "urn:108000"}, id, "maths", "")
	assert.ErrorIs(t, err, review.ErrForbidden, "only the school nominates")
	_, err = f.svc.NominateExcellence(ctx, schoolReader, id, "maths", "mastery")
	require.NoError(t, err)
	_, err = f.svc.RecordVisit(ctx, id, review.Visit{Date: start})
	require.NoError(t, err)
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: school.OrgID(), Reviewer: "someone-from-the-school"}, id, "maths", true, "")
	assert.ErrorIs(t, err, review.ErrForbidden, "a school cannot validate its own area of excellence")
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: school.OrgID(), Reviewer: "lead-1"}, id, "maths", true, "")
	assert.ErrorIs(t, err, review.ErrForbidden, "not even by naming the lead")
	_, err = f.svc.ValidateExcellence(ctx, review.Reader{Org: "urn:108000", Reviewer: "lead-1"}, id, "science", true, "")
	assert.ErrorIs(t, err, review.ErrNotFound)
	_, err = f.svc.IssueReport(ctx, id)
	assert.ErrorIs(t, err, review.ErrTransition, "no report before agreed findings")
	_, err = f.svc.OpenReview(ctx, "2025", school, trust, nil)
	assert.ErrorIs(t, err, review.ErrConflict)
	_, err = f.svc.OpenReview(ctx, "nope", school, trust, nil)
	assert.ErrorIs(t, err, review.ErrNotFound)
}

func TestOverdueAndReciprocity(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.complete(t, school, team)
	f.complete(t, 108000, []review.TeamMember{{Reviewer: "x", Home: 109000, Lead: true}, {Reviewer: "y", Home: school}})
	late, err := f.svc.OpenReview(ctx, "2025", 109000, "", []review.Deadline{{Stage: review.StageSelfEvaluation, Due: start.AddDate(0, 1, 0)}})
	require.NoError(t, err)
	_, err = f.svc.OpenReview(ctx, "2025", 110000, "", []review.Deadline{{Stage: review.StageSelfEvaluation, Due: start.AddDate(0, 3, 0)}})
	require.NoError(t, err)
	over, err := f.svc.Overdue(ctx, "2025", start.AddDate(0, 2, 0))
	require.NoError(t, err)
	require.Len(t, over, 1)
	assert.Equal(t, late.ID, over[0].ID)

	rec, err := f.svc.Reciprocity(ctx, "2025")
	require.NoError(t, err)
	assert.Equal(t, []review.Reciprocity{
		{School: school, Reviewed: true, DaysGiven: 2, DaysReceived: 4, ReviewsGiven: 1},
		{School: 108000, Reviewed: true, DaysGiven: 2, DaysReceived: 4, ReviewsGiven: 1},
		{School: 109000, DaysGiven: 4, ReviewsGiven: 2},
		{School: 110000},
	}, rec)
}

func TestReportOutputs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.complete(t, school, team)
	rep, err := f.svc.Report(ctx, schoolReader, id)
	require.NoError(t, err)
	fw, err := review.Builtin()[2], error(nil)
	require.NoError(t, err)
	ind := rep.Indicators(&fw)
	require.Len(t, ind, 2)
	assert.Equal(t, review.Indicator{School: school, Name: "review.peer-review.leadership-at-all-levels", Area: "leadership-at-all-levels",
		Evaluation: partnership.AreaLeadershipAndGovernance, Grade: "leading", Rank: 1, Value: 1, Review: id, At: start}, ind[0])
	assert.InDelta(t, 2.0/3, ind[1].Value, 1e-9)
	assert.Equal(t, []review.Offer{{School: school, Expertise: "early-reading", Evidence: "seen in three classes", Review: id}}, rep.Offers())
	assert.Equal(t, []review.Need{{School: school, Expertise: "send", Description: "transition for pupils with SEND", Review: id}}, rep.Needs())
}

// readers who must never get the report without consent.
var outsiders = []review.Reader{
	{Org: "urn:999999"},                   // another school in the programme
	{Org: "urn:108000"},                   // the school whose head led the review
	{Org: "gias:9999"},                    // another trust
	{Org: "ofsted", Accountability: true}, // accountability bodies, never by default
	{Org: "dfe", Accountability: true},
	{Org: "rise-adviser", Accountability: true},
	{Org: trust, Accountability: true}, // even an accountability body that is the trust's org
	{Org: ""},
}

// reportMethods lists every Service method that can return report content,
// with a call that tries to read the report as reader. A test below checks
// that no other exported method returns report content.
var reportMethods = map[string]func(ctx context.Context, s *review.Service, r review.Reader, id review.ReviewID) (bool, error){
	"Report": func(ctx context.Context, s *review.Service, r review.Reader, id review.ReviewID) (bool, error) {
		rep, err := s.Report(ctx, r, id)
		return len(rep.Parts) > 0, err
	},
	"Reports": func(ctx context.Context, s *review.Service, r review.Reader, _ review.ReviewID) (bool, error) {
		got := false
		for rep, err := range s.Reports(ctx, r, school) {
			if err != nil {
				return got, err
			}
			got = got || len(rep.Parts) > 0
		}
		return got, nil
	},
}

func TestNoReaderWithoutConsentGetsAReport(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.complete(t, school, team)
	for name, read := range reportMethods {
		for _, r := range outsiders {
			t.Run(fmt.Sprintf("%s/%s", name, r.Org), func(t *testing.T) {
				got, err := read(ctx, f.svc, r, id)
				assert.False(t, got, "no report content")
				if name == "Report" {
					assert.ErrorIs(t, err, review.ErrForbidden)
				}
			})
		}
		for _, r := range []review.Reader{schoolReader, {Org: trust}, {Org: lead}} {
			got, err := read(ctx, f.svc, r, id)
			require.NoError(t, err)
			assert.True(t, got, "%s reads by default through %s", r.Org, name)
		}
	}
	// Every read was audited, the denied ones too.
	trail, err := f.svc.Audit(ctx, schoolReader, school)
	require.NoError(t, err)
	denied := 0
	for _, e := range trail {
		if !e.Allowed {
			denied++
		}
	}
	assert.Equal(t, 2*len(outsiders), denied)
	_, err = f.svc.Audit(ctx, review.Reader{Org: "ofsted", Accountability: true}, school)
	assert.ErrorIs(t, err, review.ErrForbidden)
}

func TestConsentGrantsOnlyItsParts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	id := f.complete(t, school, team)
	peer := review.Reader{Org: "urn:999999"}
	ofsted := review.Reader{Org: "ofsted", Accountability: true}

	_, err := f.svc.RecordConsent(ctx, peer, review.Consent{School: school, Grantee: peer.Org})
	assert.ErrorIs(t, err, review.ErrForbidden, "only the school consents")
	_, err = f.svc.RecordConsent(ctx, review.Reader{Org: trust}, review.Consent{School: school, Grantee: peer.Org})
	assert.ErrorIs(t, err, review.ErrForbidden, "not even its trust")

	c, err := f.svc.RecordConsent(ctx, schoolReader, review.Consent{School: school, Grantee: peer.Org, Parts: []review.Part{review.PartStrengths, review.PartExcellence}})
	require.NoError(t, err)
	rep, err := f.svc.Report(ctx, peer, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"early reading"}, rep.Findings.Strengths)
	assert.Len(t, rep.Excellence, 1)
	assert.Empty(t, rep.Findings.Estimates, "estimates were not consented")
	assert.Empty(t, rep.Findings.AreasForDevelopment)
	assert.Empty(t, rep.SelfEvaluation)

	_, err = f.svc.Report(ctx, ofsted, id)
	assert.ErrorIs(t, err, review.ErrForbidden, "a consent to one organisation admits no other")

	require.NoError(t, f.svc.RevokeConsent(ctx, schoolReader, school, c.ID))
	_, err = f.svc.Report(ctx, peer, id)
	assert.ErrorIs(t, err, review.ErrForbidden, "revoked")

	_, err = f.svc.RecordConsent(ctx, schoolReader, review.Consent{School: school, Grantee: "ofsted", Parts: []review.Part{review.PartEstimates}, Until: start.AddDate(0, 1, 0)})
	require.NoError(t, err)
	rep, err = f.svc.Report(ctx, ofsted, id)
	require.NoError(t, err)
	assert.Len(t, rep.Findings.Estimates, 2)
	assert.Empty(t, rep.Findings.Estimates[0].Evidence, "evidence is its own part")
	f.clock = start.AddDate(0, 2, 0)
	_, err = f.svc.Report(ctx, ofsted, id)
	assert.ErrorIs(t, err, review.ErrForbidden, "expired")
}

// TestOnlyListedMethodsReturnReports guards the access policy: any exported
// Service method whose results include a Report, Review, Findings, Estimate
// or AreaOfExcellence must be in reportMethods (and so tested above).
func TestOnlyListedMethodsReturnReports(t *testing.T) {
	confidential := []reflect.Type{reflect.TypeFor[review.Report](), reflect.TypeFor[review.Review](),
		reflect.TypeFor[review.Findings](), reflect.TypeFor[review.Estimate](), reflect.TypeFor[review.AreaOfExcellence]()}
	st := reflect.TypeFor[*review.Service]()
	for i := range st.NumMethod() {
		m := st.Method(i)
		out := false
		for j := range m.Type.NumOut() {
			out = out || reaches(m.Type.Out(j), confidential, map[reflect.Type]bool{})
		}
		if out {
			_, listed := reportMethods[m.Name]
			assert.True(t, listed, "Service.%s returns report content but is not in the access tests", m.Name)
		}
	}
}
