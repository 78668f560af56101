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
