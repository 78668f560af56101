package review_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

func TestReadSchoolsAndReviewers(t *testing.T) {
	ss, err := review.ReadSchools("s.csv", strings.NewReader("URN,Phase,name,trust,la,lat,lon,focus,fsm_percent\n100,primary,A,t1,383,53.8,-1.5,maths;send,22.5\n"))
	require.NoError(t, err)
	assert.Equal(t, []review.Reviewee{{URN: 100, Name: "A", Phase: partnership.PhasePrimary, Trust: "t1", LA: 383,
		Location: partnership.Location{Lat: 53.8, Lon: -1.5}, Focus: []partnership.ExpertiseID{"maths", "send"}, FSMPercent: 22.5}}, ss)
	rs, err := review.ReadReviewers("r.csv", strings.NewReader("id,capacity,home,phases,trained_lead,external,role,expertise,reviews\nx,2,100,primary;secondary,yes,no,headteacher,maths,3\n"))
	require.NoError(t, err)
	assert.Equal(t, []review.Reviewer{{ID: "x", Capacity: 2, Home: 100, Phases: []partnership.Phase{partnership.PhasePrimary, partnership.PhaseSecondary},
		TrainedLead: true, Role: partnership.RoleHeadteacher, Expertise: []partnership.ExpertiseID{"maths"}, Reviews: 3}}, rs)
}

func TestReadErrors(t *testing.T) {
	_, err := review.ReadReviewers("r.csv", strings.NewReader("id,home\n"))
	assert.EqualError(t, err, "r.csv:1: capacity: missing column")
	_, err = review.ReadReviewers("r.csv", strings.NewReader("id,capacity,trained_lead\n,2,perhaps\ny,-1,\ny,1,\n"))
	assert.EqualError(t, err, `r.csv:2:1: id: missing
r.csv:2:3: trained_lead: "perhaps" is not true or false
r.csv:3:2: capacity: must not be negative
r.csv:4:1: id: reviewer y already on line 3`)
	// lat and lon come together: a blank half is not the equator, 0,0 is
	// not a location.
	_, err = review.ReadSchools("s.csv", strings.NewReader("urn,phase,lat,lon\n100,primary,,-1.71\n101,primary,52.4,\n102,primary,0,0\n103,primary,,\n"))
	assert.EqualError(t, err, `s.csv:2:3: lat: blank while lon is -1.71: give both or neither
s.csv:3:4: lon: blank while lat is 52.4: give both or neither
s.csv:4:3: lat: 0,0 is not a location`)
	_, err = review.ParseRules("r.yaml", []byte("peers: 2\nmin_experienced_peers: 3\n"))
	assert.EqualError(t, err, "r.yaml:1:1: invalid: rules: min_experienced_peers 3: want 0 to peers (2)")
	r, err := review.ParseRules("r.yaml", []byte("peers: 4\nhistory:\n  - {cycle: 2024, home: 100, school: 200}\nweights: {travel: 2}\n"))
	require.NoError(t, err)
	assert.Equal(t, 4, r.Peers)
	assert.Equal(t, 2.0, r.Weights.Travel)
	assert.Equal(t, 10.0, r.Weights.FocusMiss, "unset keys keep their defaults")
	assert.Equal(t, []review.PastReview{{Cycle: 2024, Home: 100, School: 200}}, r.History)
}

func FuzzReadSchools(f *testing.F) {
	f.Add("urn,phase,lat,lon\n100,primary,53,-1\n")
	f.Add("urn,phase,focus\n1e+05,secondary,a;b\n")
	f.Fuzz(func(t *testing.T, src string) {
		ss, err := review.ReadSchools("f.csv", strings.NewReader(src))
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			return
		}
		for _, s := range ss {
			require.Positive(t, int(s.URN))
		}
	})
}

func FuzzReadReviewers(f *testing.F) {
	f.Add("id,capacity,home,phases\nx,2,100,primary\n")
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := review.ReadReviewers("f.csv", strings.NewReader(src)); err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
		}
	})
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte("peers: 3\nphase: same\nhistory: [{cycle: 1, school: 2}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := review.ParseRules("f.yaml", src)
		if err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
			return
		}
		require.NoError(t, r.Validate())
	})
}

func FuzzParseOffer(f *testing.F) {
	f.Add([]byte("trust: t\nitems: [{kind: v, phases: [primary], per_year: 3, director: d}]\ndirectors: [{id: d}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := review.ParseOffer("f.yaml", src); err != nil {
			require.ErrorIs(t, err, review.ErrInvalid)
		}
	})
}

// TestWriteReviewersRoundTrips: what WriteReviewers and WriteSchools write,
// ReadReviewers and ReadSchools read back unchanged, so a synthetic run can
// be repeated from its files.
func TestWriteReviewersRoundTrips(t *testing.T) {
	schools := []review.Reviewee{
		{URN: 100001, Name: "A, with a comma", Phase: partnership.PhasePrimary, Trust: "gias:1", LA: 383, Location: partnership.Location{Lat: 53.8, Lon: -1.55}, Pupils: 210, FSMPercent: 12.5},
		{URN: 100002, Phase: partnership.PhaseSecondary, Location: partnership.Location{Lat: 53.7, Lon: -1.5}, FSMPercent: -1},
	}
	revs, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 3, Focus: true})
	revs[0].AccreditedUntil = time.Date(2027, 8, 31, 0, 0, 0, 0, time.UTC)
	var rb, sb strings.Builder
	require.NoError(t, review.WriteReviewers(&rb, revs, nil))
	require.NoError(t, review.WriteSchools(&sb, schools, nil))
	gotR, err := review.ReadReviewers("reviewers.csv", strings.NewReader(rb.String()))
	require.NoError(t, err)
	gotS, err := review.ReadSchools("schools.csv", strings.NewReader(sb.String()))
	require.NoError(t, err)
	assert.Equal(t, revs, gotR)
	assert.Equal(t, schools, gotS)
}
