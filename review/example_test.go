package review_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// Allocating a lead and a peer to each of three schools, with no
// reciprocal pairs; here a school's head and senior leader may review
// together (MaxPerSchool 0), since with three schools and no reciprocal
// pairs each team can draw on one other school only.
func ExampleAllocate() {
	at := func(lat, lon float64) partnership.Location { return partnership.Location{Lat: lat, Lon: lon} }
	schools := []review.Reviewee{
		{URN: 1, Phase: partnership.PhasePrimary, Location: at(53.80, -1.55)},
		{URN: 2, Phase: partnership.PhasePrimary, Location: at(53.82, -1.50)},
		{URN: 3, Phase: partnership.PhasePrimary, Location: at(53.78, -1.60)},
	}
	var reviewers []review.Reviewer
	for _, s := range schools {
		reviewers = append(reviewers,
			review.Reviewer{ID: review.ReviewerID(fmt.Sprintf("head-%d", s.URN)), Home: s.URN, TrainedLead: true, Capacity: 1, Location: s.Location, Reviews: 5},
			review.Reviewer{ID: review.ReviewerID(fmt.Sprintf("senior-%d", s.URN)), Home: s.URN, Capacity: 1, Location: s.Location, Reviews: 3})
	}
	rules := review.DefaultRules()
	rules.Peers = 1
	rules.MaxPerSchool = 0
	a, err := review.Allocate(context.Background(), schools, reviewers, rules)
	if err != nil {
		panic(err)
	}
	for _, t := range a.Teams {
		fmt.Println(t.School, t.Members[0].Reviewer, t.Members[1].Reviewer)
	}
	fmt.Println("filled:", a.Feasible(), "optimal:", a.Optimal)
	// Output:
	// 1 head-3 senior-3
	// 2 head-1 senior-1
	// 3 head-2 senior-2
	// filled: true optimal: true
}

// A school's report is readable by the school, its trust and the
// programme's lead; anyone else needs the school's consent.
func ExampleDecide() {
	rev := &review.Review{ID: "2025/107000", School: 107000, Trust: "gias:1"}
	for _, r := range []review.Reader{{Org: "urn:107000"}, {Org: "gias:1"}, {Org: "urn:108000"}, {Org: "ofsted", Accountability: true}} {
		d := review.Decide(r, rev, "alliance", nil, time.Now())
		fmt.Println(r.Org, d.Allowed, d.Basis)
	}
	// Output:
	// urn:107000 true school
	// gias:1 true trust
	// urn:108000 false none
	// ofsted false none
}

// Loading a trust's own framework from YAML; mistakes come back with their
// positions.
func ExampleParseFramework() {
	_, err := review.ParseFramework("qa.yaml", []byte("id: qa\nareas:\n  - id: reading\n    grade: good\n"))
	fmt.Println(err)
	fmt.Println(errors.Is(err, review.ErrInvalid))
	// Output:
	// qa.yaml:4:5: grade: unknown key
	// true
}

// myStore is a user's own store: here it wraps the in-memory one and counts
// updates, as a trust's database adapter might log them.
type myStore struct {
	*review.MemoryStore
	updates int
}

func (s *myStore) UpdateReview(ctx context.Context, r review.Review) error {
	s.updates++
	return s.MemoryStore.UpdateReview(ctx, r)
}

// Plugging a user's own Store into the Service (run reviewtest.Run on it in
// its tests).
func Example_customStore() {
	ctx := context.Background()
	store := &myStore{MemoryStore: review.NewMemoryStore()}
	svc, err := review.NewService(store, nil, nil)
	if err != nil {
		panic(err)
	}
	_ = svc.CreateProgramme(ctx, review.Programme{ID: "p", Lead: "alliance", Framework: review.FrameworkEnquiry})
	_ = svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "p"})
	st, _ := svc.OpenReview(ctx, "2025", 107000, "", nil)
	_, _ = svc.RecordSelfEvaluation(ctx, review.Reader{Org: "urn:107000"}, st.ID, []review.Estimate{{Area: "learning"}})
	_, err = svc.IssueReport(ctx, st.ID)
	fmt.Println(errors.Is(err, review.ErrTransition))
	fmt.Println(store.updates)
	// Output:
	// true
	// 1
}

// Events are typed: a subscriber switches on the concrete type.
func ExampleService_Subscribe() {
	ctx := context.Background()
	svc, _ := review.NewService(review.NewMemoryStore(), nil, nil)
	svc.Subscribe(func(e review.Event) {
		switch e := e.(type) {
		case review.ReviewOpened:
			fmt.Println("opened", e.Review)
		case review.StageChanged:
			fmt.Println(e.Review, e.From, "->", e.To)
		}
	})
	_ = svc.CreateProgramme(ctx, review.Programme{ID: "p", Lead: "alliance", Framework: review.FrameworkPeerReview})
	_ = svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "p"})
	st, _ := svc.OpenReview(ctx, "2025", 107000, "", nil)
	_, _ = svc.RecordSelfEvaluation(ctx, review.Reader{Org: "urn:107000"}, st.ID, nil)
	// Output:
	// opened 2025/107000
	// 2025/107000 self-evaluation -> planning
}

// A peer review in an alliance: the school evaluates itself and nominates
// an area of excellence; the team (a lead from another school and a peer)
// visits, and the lead validates the area, which the school could not do
// itself. The findings give estimates on the four-point scale and an area
// for development. The report's validated area becomes an offer of support
// for brokerage and its area for development a need.
func Example_peerReview() {
	ctx := context.Background()
	start := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	svc, _ := review.NewService(review.NewMemoryStore(), nil, &review.Options{Now: func() time.Time { return start }})
	_ = svc.CreateProgramme(ctx, review.Programme{ID: "alliance", Lead: "alliance", Framework: review.FrameworkPeerReview})
	_ = svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "alliance"})

	school := review.Reader{Org: partnership.URN(107000).OrgID()}
	lead := review.Reader{Org: partnership.URN(108000).OrgID(), Reviewer: "head-108000"}
	est := []review.Estimate{{Area: "leadership-at-all-levels", Grade: "effective"}}

	st, _ := svc.OpenReview(ctx, "2025", 107000, "", nil)
	_, _ = svc.RecordSelfEvaluation(ctx, school, st.ID, est)
	_, _ = svc.NominateExcellence(ctx, school, st.ID, "early-reading", "phonics from the first week of reception")
	_, _ = svc.SetPlan(ctx, st.ID, review.Plan{Hypotheses: []string{"leaders at every level know the school's priorities"}})
	_, _ = svc.AssignTeam(ctx, st.ID, []review.TeamMember{
		{Reviewer: "head-108000", Home: 108000, Lead: true},
		{Reviewer: "deputy-137001", Home: 137001},
	})
	_, _ = svc.RecordVisit(ctx, st.ID, review.Visit{Date: start.AddDate(0, 2, 0)})

	// The school cannot validate its own area, even by naming the lead.
	_, err := svc.ValidateExcellence(ctx, review.Reader{Org: school.Org, Reviewer: "head-108000"}, st.ID, "early-reading", true, "")
	fmt.Println("school validates its own area:", errors.Is(err, review.ErrForbidden))
	_, err = svc.ValidateExcellence(ctx, lead, st.ID, "early-reading", true, "seen in every reception and year 1 lesson")
	fmt.Println("lead validates:", err == nil)

	_, _ = svc.AgreeFindings(ctx, st.ID, review.Findings{Estimates: est,
		AreasForDevelopment: []review.Development{{Expertise: "send", Description: "adapting the curriculum for pupils with SEND"}}})
	_, _ = svc.IssueReport(ctx, st.ID)

	rep, err := svc.Report(ctx, review.Reader{Org: "alliance"}, st.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range rep.Offers() {
		fmt.Println("offer:", o.School, o.Expertise, "-", o.Evidence)
	}
	for _, n := range rep.Needs() {
		fmt.Println("need:", n.School, n.Expertise, "-", n.Description)
	}
	// Output:
	// school validates its own area: true
	// lead validates: true
	// offer: 107000 early-reading - seen in every reception and year 1 lesson
	// need: 107000 send - adapting the curriculum for pupils with SEND
}

// The cluster variant of peer review: schools form reciprocal triads that
// review each other with enquiry questions and no grades. Here six
// primaries, two of them (1 and 2) in one trust, make two triads with no
// two schools of one trust together (DefaultClusterRules), so one of the
// two joins the pair of schools about 20 km away.
func ExampleClusters() {
	at := func(lat, lon float64) partnership.Location { return partnership.Location{Lat: lat, Lon: lon} }
	schools := []review.Reviewee{
		{URN: 1, Phase: partnership.PhasePrimary, Trust: "gias:10", Location: at(53.80, -1.55)},
		{URN: 2, Phase: partnership.PhasePrimary, Trust: "gias:10", Location: at(53.81, -1.56)},
		{URN: 3, Phase: partnership.PhasePrimary, Location: at(53.79, -1.54)},
		{URN: 4, Phase: partnership.PhasePrimary, Location: at(53.70, -1.30)},
		{URN: 5, Phase: partnership.PhasePrimary, Location: at(53.71, -1.31)},
		{URN: 6, Phase: partnership.PhasePrimary, Location: at(53.80, -1.57)},
	}
	c, err := review.Clusters(context.Background(), schools, review.DefaultClusterRules())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cl := range c.Clusters {
		fmt.Printf("%v spans %.1f km\n", cl.Schools, cl.SpanKm)
	}
	fmt.Println("unclustered:", len(c.Unclustered))
	// Output:
	// [1 4 5] spans 19.8 km
	// [2 3 6] spans 2.6 km
	// unclustered: 0
}
