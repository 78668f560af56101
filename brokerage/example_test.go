package brokerage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

func exampleData() ([]brokerage.Need, []brokerage.Offer) {
	leeds := partnership.Location{Lat: 53.800, Lon: -1.549}
	bradford := partnership.Location{Lat: 53.795, Lon: -1.759}
	needs := []brokerage.Need{
		{ID: "oakfield-maths", Name: "Oakfield Primary", Area: "maths", Phase: partnership.PhasePrimary, Priority: 5,
			Days: 6, Location: leeds, Region: "Yorkshire and The Humber", FSMPercent: 38, PreferContext: brokerage.ContextSimilar},
		{ID: "beck-maths", Name: "Beck Primary", Area: "maths", Phase: partnership.PhasePrimary, Priority: 2,
			Days: 4, Location: bradford, Region: "Yorkshire and The Humber", FSMPercent: 12},
		{ID: "beck-send", Name: "Beck Primary", Area: "send", Phase: partnership.PhasePrimary, Priority: 3,
			Days: 3, Location: bradford, Region: "Yorkshire and The Humber", FSMPercent: 12},
	}
	offers := []brokerage.Offer{
		{ID: "hub", Provider: "Leeds Maths Hub", Kind: brokerage.ProviderHub, Capacity: 1, CostPerDay: 400,
			Areas: []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}}, Location: leeds, FSMPercent: 35},
		{ID: "sle", Provider: "Bradford SLE (maths)", Kind: brokerage.ProviderSpecialistLeader, Capacity: 2, CostPerDay: 300,
			Areas:    []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidencePeerReview}},
			Location: bradford, FSMPercent: -1, Phases: []partnership.Phase{partnership.PhasePrimary}},
	}
	return needs, offers
}

// Matching needs to offers with the default scorers and constraints: every
// match explains its cost and every unmet need says why.
func ExampleBroker_Match() {
	needs, offers := exampleData()
	r, err := brokerage.NewBroker().Match(context.Background(), needs, offers)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range r.Matches {
		var parts []string
		for _, c := range m.Explanation {
			if c.Value != 0 {
				parts = append(parts, fmt.Sprintf("%s %.1f", c.Scorer, c.Value))
			}
		}
		fmt.Printf("%s -> %s: %.1f = %s\n", m.Need, m.Offer, m.Cost, strings.Join(parts, " + "))
	}
	for _, u := range r.Unmet {
		fmt.Printf("%s unmet (%s): %s\n", u.Need, u.Reason, u.Detail)
	}
	// Output:
	// oakfield-maths -> hub: 37.0 = context 3.0 + load 10.0 + price 24.0
	// beck-maths -> sle: 57.0 = evidence 10.0 + priority 30.0 + load 5.0 + price 12.0
	// beck-send unmet (no-provider): no offer covers send
}

// A gap report shows where unmet demand is.
func ExampleGaps() {
	needs, offers := exampleData()
	r, _ := brokerage.NewBroker(brokerage.WithStrategy(brokerage.Greedy{})).Match(context.Background(), needs, offers)
	g := brokerage.Gaps(needs, offers, r)
	for _, row := range g.ByArea {
		fmt.Printf("%s: %d of %d unmet, %.0f days\n", row.Area, row.Unmet, row.Needs, row.UnmetDays)
	}
	// Output:
	// send: 1 of 1 unmet, 3 days
	// maths: 0 of 2 unmet, 0 days
}

// A custom scorer: prefer providers who have worked with the school before.
type pastPartners map[partnership.URN][]string

func (p pastPartners) Name() string { return "past-partner" }

func (p pastPartners) Score(pr brokerage.Pair) float64 {
	if slices.Contains(p[pr.Need.School], pr.Offer.Provider) {
		return -20
	}
	return 0
}

func ExampleWithScorers() {
	needs, offers := exampleData()
	needs[0].School = 107001
	b := brokerage.NewBroker(brokerage.WithScorers(brokerage.Distance{PerKm: 1},
		pastPartners{107001: {"Bradford SLE (maths)"}}))
	r, _ := b.Match(context.Background(), needs[:1], offers)
	m := r.Matches[0]
	fmt.Printf("%s: %s %.1f, %s %.0f\n", m.Offer, m.Explanation[0].Scorer, m.Explanation[0].Value, m.Explanation[1].Scorer, m.Explanation[1].Value)
	// Output:
	// sle: distance 13.8, past-partner -20
}

// The life of an engagement, with capacity reserved and released.
func ExampleLedger() {
	ctx := context.Background()
	now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	l := brokerage.NewLedger(brokerage.NewMemoryStore(), &brokerage.LedgerOptions{Now: func() time.Time { return now }})
	needs, offers := exampleData()
	l.PutNeeds(ctx, needs...)
	l.PutOffers(ctx, offers...)
	e, _ := l.Propose(ctx, "e1", "oakfield-maths", "hub", nil)
	fmt.Println(e.Status)
	_, err := l.Propose(ctx, "e2", "beck-maths", "hub", nil)
	fmt.Println(err)
	l.Accept(ctx, "e1")
	now = now.AddDate(0, 0, 30)
	l.Agree(ctx, "e1", "Secure number sense in Years 1-2", "Year 2 maths at expected standard up 10 points")
	l.Start(ctx, "e1")
	e, _ = l.Complete(ctx, "e1")
	fmt.Println(e.Status)
	n, _ := l.Reserved(ctx, "hub")
	fmt.Println("reserved:", n)
	rep, _ := l.Agreement(ctx)
	fmt.Printf("agreed %d, within target %d, median %.0f days\n", rep.Agreed, rep.WithinTarget, rep.MedianDays)
	// Output:
	// proposed
	// propose e2: offer hub: no capacity left (1 of 1 reserved)
	// completed
	// reserved: 0
	// agreed 1, within target 1, median 30 days
}

// logStore is a user's own Store: here a MemoryStore that also keeps an
// audit log of every write. Any store must pass brokeragetest.Run.
type logStore struct {
	*brokerage.MemoryStore
	mu  sync.Mutex
	log []string
}

func (s *logStore) Reserve(ctx context.Context, need brokerage.NeedID, offer brokerage.OfferID,
	build func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error)) (brokerage.Engagement, error) {
	e, err := s.MemoryStore.Reserve(ctx, need, offer, build)
	if err == nil {
		s.mu.Lock()
		s.log = append(s.log, "reserve "+string(e.ID))
		s.mu.Unlock()
	}
	return e, err
}

func (s *logStore) Update(ctx context.Context, e brokerage.Engagement) error {
	s.mu.Lock()
	s.log = append(s.log, fmt.Sprintf("update %s v%d %s", e.ID, e.Version, e.Status))
	s.mu.Unlock()
	return s.MemoryStore.Update(ctx, e)
}

func Example_customStore() {
	ctx := context.Background()
	s := &logStore{MemoryStore: brokerage.NewMemoryStore()}
	l := brokerage.NewLedger(s, nil)
	needs, offers := exampleData()
	l.PutNeeds(ctx, needs...)
	l.PutOffers(ctx, offers...)
	l.Propose(ctx, "e1", "oakfield-maths", "hub", nil)
	l.Decline(ctx, "e1", "the school chose a local cluster")
	fmt.Println(strings.Join(s.log, "\n"))
	// Output:
	// reserve e1
	// update e1 v2 declined
}
