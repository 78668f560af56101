package review_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

func TestAssignTeamRefusesADuplicateReviewer(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st, err := f.svc.OpenReview(ctx, "2025", school, trust, nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		team []review.TeamMember
		want string
	}{
		{"twice", []review.TeamMember{{Reviewer: "a", Home: 108000, Lead: true}, {Reviewer: "a", Home: 108000}}, "reviewer a appears twice"},
		{"twice as lead", []review.TeamMember{{Reviewer: "a", Home: 108000, Lead: true}, {Reviewer: "a", Home: 108000, Lead: true}}, "appears twice"},
		{"no ID", []review.TeamMember{{Reviewer: "a", Home: 108000, Lead: true}, {Home: 108000}}, "no reviewer ID"},
		{"no lead", []review.TeamMember{{Reviewer: "a", Home: 108000}}, "exactly one lead"},
		{"own school", []review.TeamMember{{Reviewer: "a", Home: school, Lead: true}}, "from the school itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.AssignTeam(ctx, st.ID, tc.team)
			require.ErrorIs(t, err, review.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			got, err := f.svc.Status(ctx, st.ID)
			require.NoError(t, err)
			assert.Empty(t, got.Team, "a refused team is not stored")
		})
	}
}

func TestOpenReviewChecksDeadlines(t *testing.T) {
	ctx := context.Background()
	d := func(s review.Stage, months int) review.Deadline {
		return review.Deadline{Stage: s, Due: start.AddDate(0, months, 0)}
	}
	for _, tc := range []struct {
		name string
		ds   []review.Deadline
		want string
	}{
		{"two for one stage", []review.Deadline{d(review.StageVisit, 2), d(review.StageVisit, 3)}, "stage visit has two deadlines"},
		{"out of order", []review.Deadline{d(review.StagePlanning, 3), d(review.StageVisit, 2)}, "stage visit is due 2025-11-01, before stage planning (2025-12-01)"},
		{"in the past", []review.Deadline{d(review.StageSelfEvaluation, -1)}, "stage self-evaluation: 2025-08-01 is in the past"},
		{"closed", []review.Deadline{d(review.StageClosed, 2)}, "no stage closed has a deadline"},
		{"no date", []review.Deadline{{Stage: review.StageReport}}, "stage report: no date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.OpenReview(ctx, "2025", school, trust, tc.ds)
			require.ErrorIs(t, err, review.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			_, err = f.svc.Status(ctx, "2025/107000")
			require.ErrorIs(t, err, review.ErrNotFound, "a refused review is not stored")
		})
	}

	// Given in any order, deadlines are stored in stage order.
	f := newFixture(t)
	st, err := f.svc.OpenReview(ctx, "2025", school, trust, []review.Deadline{d(review.StageFollowUp, 9), d(review.StageSelfEvaluation, 1), d(review.StageVisit, 2)})
	require.NoError(t, err)
	assert.Equal(t, []review.Deadline{d(review.StageSelfEvaluation, 1), d(review.StageVisit, 2), d(review.StageFollowUp, 9)}, st.Deadlines)
}

// Every stage is tracked: a review late for improvement or follow-up is
// overdue, and a review that has not reached a stage whose deadline passed
// is overdue for it too.
func TestOverdueCoversEveryStage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := func(s review.Stage, months int) review.Deadline {
		return review.Deadline{Stage: s, Due: start.AddDate(0, months, 0)}
	}
	all := []review.Deadline{d(review.StageSelfEvaluation, 1), d(review.StagePlanning, 1), d(review.StageVisit, 2), d(review.StageFindings, 2),
		d(review.StageReport, 3), d(review.StageImprovement, 4), d(review.StageFollowUp, 6)}

	id := f.complete(t, school, team) // closed: never overdue
	st, err := f.svc.Status(ctx, id)
	require.NoError(t, err)
	require.Equal(t, review.StageClosed, st.Stage)

	improving := openedTo(t, f, 108000, all, review.StageImprovement)
	following := openedTo(t, f, 109000, all, review.StageFollowUp)
	// Only a follow-up deadline: overdue for it while still self-evaluating.
	behind, err := f.svc.OpenReview(ctx, "2025", 110000, "", []review.Deadline{d(review.StageFollowUp, 6)})
	require.NoError(t, err)

	ids := func(at int) []review.ReviewID {
		over, err := f.svc.Overdue(ctx, "2025", start.AddDate(0, at, 1))
		require.NoError(t, err)
		out := []review.ReviewID{}
		for _, o := range over {
			out = append(out, o.ID)
		}
		return out
	}
	assert.Equal(t, []review.ReviewID{}, ids(3), "nothing is due yet")
	assert.Equal(t, []review.ReviewID{improving}, ids(4), "late for improvement")
	assert.Equal(t, []review.ReviewID{improving, following, behind.ID}, ids(6), "late for follow-up, most overdue first")
	over, err := f.svc.Overdue(ctx, "2025", start.AddDate(0, 6, 1))
	require.NoError(t, err)
	assert.Equal(t, review.StageImprovement, over[0].DueStage)
	assert.Equal(t, review.StageFollowUp, over[2].DueStage)
}

// openedTo opens a review with the deadlines and runs it up to stage to,
// with the clock still at start.
func openedTo(t *testing.T, f *fixture, u partnership.URN, ds []review.Deadline, to review.Stage) review.ReviewID {
	t.Helper()
	ctx := context.Background()
	st, err := f.svc.OpenReview(ctx, "2025", u, "", ds)
	require.NoError(t, err)
	id := st.ID
	steps := []func() (review.Status, error){
		func() (review.Status, error) {
			return f.svc.RecordSelfEvaluation(ctx, review.Reader{Org: u.OrgID()}, id, nil)
		},
		func() (review.Status, error) {
			if _, err := f.svc.AssignTeam(ctx, id, []review.TeamMember{{Reviewer: "r", Home: 999999, Lead: true}}); err != nil {
				return review.Status{}, err
			}
			return f.svc.SetPlan(ctx, id, review.Plan{})
		},
		func() (review.Status, error) { return f.svc.RecordVisit(ctx, id, review.Visit{Date: start, Days: 1}) },
		func() (review.Status, error) { return f.svc.AgreeFindings(ctx, id, review.Findings{}) },
		func() (review.Status, error) { return f.svc.IssueReport(ctx, id) },
		func() (review.Status, error) { return f.svc.RecordImprovement(ctx, id, review.Improvement{}) },
	}
	for st.Stage < to {
		st, err = steps[st.Stage-1]()
		require.NoError(t, err)
	}
	return id
}

// Unknown identifiers give ErrNotFound everywhere.
func TestUnknownIDsAreNotFound(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.Overdue(ctx, "nope", start)
	assert.ErrorIs(t, err, review.ErrNotFound, "Overdue")
	_, err = f.svc.Reciprocity(ctx, "nope")
	assert.ErrorIs(t, err, review.ErrNotFound, "Reciprocity")
	for _, err := range f.svc.Statuses(ctx, "nope") {
		assert.ErrorIs(t, err, review.ErrNotFound, "Statuses")
	}
	_, err = f.svc.OpenReview(ctx, "nope", school, trust, nil)
	assert.ErrorIs(t, err, review.ErrNotFound, "OpenReview")
	_, err = f.svc.AssignTeam(ctx, "nope", team)
	assert.ErrorIs(t, err, review.ErrNotFound, "AssignTeam")
	_, err = f.svc.AssignTeams(ctx, "nope", &review.Allocation{})
	assert.ErrorIs(t, err, review.ErrNotFound, "AssignTeams")
	_, err = f.svc.Status(ctx, "nope")
	assert.ErrorIs(t, err, review.ErrNotFound, "Status")
	err = f.svc.CreateCycle(ctx, review.Cycle{ID: "c", Programme: "nope", Period: partnership.Period{From: start, To: start.AddDate(1, 0, 0)}})
	assert.ErrorIs(t, err, review.ErrNotFound, "CreateCycle")
}

// A team without a lead (a shortfall of the allocation) is reported by
// school; the other teams are still assigned.
func TestAssignTeamsReportsTheTeamWithoutALead(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, u := range []partnership.URN{school, 110000} {
		_, err := f.svc.OpenReview(ctx, "2025", u, "", nil)
		require.NoError(t, err)
	}
	a := &review.Allocation{Teams: []review.Team{
		{School: school, Members: []review.Member{{Reviewer: "a", Home: 108000, Lead: true}, {Reviewer: "b", Home: 109000}}},
		{School: 110000, Members: []review.Member{{Reviewer: "c", Home: 108000}}},
	}}
	n, err := f.svc.AssignTeams(ctx, "2025", a)
	assert.Equal(t, 1, n)
	require.ErrorIs(t, err, review.ErrInvalid)
	assert.Contains(t, err.Error(), "1 of 2 teams not assigned")
	assert.Contains(t, err.Error(), "school 110000: assign team")
	assert.Contains(t, err.Error(), "exactly one lead")
	st, err := f.svc.Status(ctx, review.ReviewID("2025/"+school.String()))
	require.NoError(t, err)
	assert.Len(t, st.Team, 2, "the team with a lead is assigned")
	st, err = f.svc.Status(ctx, "2025/110000")
	require.NoError(t, err)
	assert.Empty(t, st.Team)
}
