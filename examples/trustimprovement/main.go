// Command trustimprovement runs the school improvement cycle of the trust
// strategy in the third source document on the real schools of Yorkshire and
// the Humber: the trust's "schools at risk" policy grades every school, each
// grade brings its response (actions, review cadence, and the delegated
// powers the school keeps under the scheme of delegation), and the schools'
// needs are brokered to the expertise of strong schools across the region,
// the most urgent first, with the gaps made visible. Finally the trust's
// quality-assurance core offer (three monitoring visits a year for primaries,
// four curriculum deep dives for secondaries) is scheduled across the school
// year for the region's largest trust, within its directors' capacity.
//
// It shows how the packages connect: riskpolicy and brokerage do not import
// each other; the caller turns a risk level into a need's priority.
//
// The schools, inspection outcomes and trusts are real (the embedded
// extract); attendance, complaints, score cards and the needs' and offers'
// areas, days and costs are synthetic, generated deterministically and
// labelled so.
//
//	go run ./examples/trustimprovement
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "trustimprovement:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	res, err := england.LoadEmbedded(ctx)
	if err != nil {
		return err
	}
	m, err := res.Model()
	if err != nil {
		return err
	}

	// 1. Indicators: real fields plus labelled synthetic ones.
	var current, history bytes.Buffer
	if _, err := synth.Write(ctx, m, &current, &history, nil); err != nil {
		return err
	}

	// 2. The trust's at-risk policy, as shipped (a file it can copy and
	// edit), reads the files against its data contract.
	policy, err := riskpolicy.Builtin("trust-at-risk")
	if err != nil {
		return err
	}
	data, err := policy.ReadCSV("indicators.csv", &current, "history.csv", &history, nil)
	if err != nil {
		return err
	}
	assessments, err := policy.EvaluateAll(ctx, data.Source, nil)
	if err != nil {
		return err
	}
	level := map[partnership.URN]*riskpolicy.Assessment{}
	count := map[string]int{}
	for _, a := range assessments {
		level[a.URN] = a
		count[a.Level]++
	}
	fmt.Fprintf(w, "%s: %d schools assessed (synthetic indicators alongside real inspection outcomes)\n", policy.Title(), len(assessments))
	for _, l := range policy.Levels() {
		fmt.Fprintf(w, "  %-10s %5d  review %-12s withdraws: %s\n", l.Name, count[l.Name], l.Review,
			orNone(strings.Join(l.Withdraws, ", ")))
	}

	// One school at the highest level reached, with its reasons.
	top := slices.MaxFunc(assessments, func(a, b *riskpolicy.Assessment) int {
		if d := policy.Level(a.Level).Index - policy.Level(b.Level).Index; d != 0 {
			return d
		}
		return int(b.URN - a.URN) // lowest URN among equals
	})
	fmt.Fprintf(w, "\nFor example, URN %d (%s) is %s because:\n", top.URN, top.Name, top.Level)
	for _, f := range top.Fired {
		fmt.Fprintf(w, "  - %s\n", f.Rule)
	}
	for _, act := range top.Actions {
		fmt.Fprintf(w, "  action: %s\n", act.Text)
	}

	// 3. Brokerage: needs from weaker schools, offers from strong ones; a
	// need's priority comes from its school's risk level.
	needs, offers := brokerage.FromInspections(m, nil)
	levels := len(policy.Levels())
	for i := range needs {
		if a := level[needs[i].School]; a != nil {
			// Spread the policy's levels over priorities 1 to 5.
			needs[i].Priority = 1 + policy.Level(a.Level).Index*4/max(1, levels-1)
		}
	}
	result, err := brokerage.NewBroker().Match(ctx, needs, offers)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nBrokerage (synthetic needs and offers on real schools): %d of %d needs met, total cost %.0f\n",
		result.Met, result.Needs, result.TotalCost)
	priority := map[brokerage.NeedID]int{}
	for _, n := range needs {
		priority[n.ID] = n.Priority
	}
	byPriority := map[int][2]int{} // met, unmet
	for _, mt := range result.Matches {
		c := byPriority[priority[mt.Need]]
		c[0]++
		byPriority[priority[mt.Need]] = c
	}
	for _, u := range result.Unmet {
		c := byPriority[priority[u.Need]]
		c[1]++
		byPriority[priority[u.Need]] = c
	}
	for p := 5; p >= 1; p-- {
		if c, ok := byPriority[p]; ok {
			fmt.Fprintf(w, "  priority %d: %d met, %d unmet\n", p, c[0], c[1])
		}
	}
	gaps := brokerage.Gaps(needs, offers, result)
	fmt.Fprintln(w, "Where the region lacks capacity (unmet needs by area):")
	for _, g := range gaps.ByArea[:min(5, len(gaps.ByArea))] {
		fmt.Fprintf(w, "  %-22s %d of %d unmet\n", g.Area, g.Unmet, g.Needs)
	}
	return coreOffer(ctx, w, &res.Dataset)
}

// coreOffer schedules the quality-assurance core offer of the strategy
// (three monitoring visits a year for primaries, four curriculum deep dives
// for secondaries, each run by a director of education) across the schools
// of the region's largest trust for the 2025-26 school year.
func coreOffer(ctx context.Context, w io.Writer, d *partnership.Dataset) error {
	schools := review.Reviewees(d, nil)
	size := map[partnership.OrgID]int{}
	for _, s := range schools {
		if s.Trust != "" {
			size[s.Trust]++
		}
	}
	var trust partnership.OrgID
	for t, n := range size {
		if n > size[trust] || (n == size[trust] && t < trust) {
			trust = t
		}
	}
	var mine []review.Reviewee
	for _, s := range schools {
		if s.Trust == trust {
			mine = append(mine, s)
		}
	}
	offer := review.CoreOffer{Trust: trust, Items: []review.OfferItem{
		{Kind: "monitoring visit", Phases: []partnership.Phase{partnership.PhasePrimary}, PerYear: 3, Director: "director-primary"},
		{Kind: "curriculum deep dive", Phases: []partnership.Phase{partnership.PhaseSecondary}, PerYear: 4, Director: "director-secondary"},
	}}
	directors := []review.Director{{ID: "director-primary", PerDay: 1, PerWeek: 3}, {ID: "director-secondary", PerDay: 1, PerWeek: 3}}
	sch, err := review.PlanSchedule(ctx, offer, mine, review.EnglishTerms(2025), directors)
	if err != nil {
		return err
	}
	name := string(trust)
	for _, o := range d.Organisations {
		if o.ID == trust {
			name = o.Name
		}
	}
	perTerm := map[string]int{}
	for _, v := range sch.Visits {
		perTerm[v.Term]++
	}
	fmt.Fprintf(w, "\nQuality-assurance core offer 2025-26 for %s (%d schools): %d visits scheduled, %d unscheduled\n",
		name, len(mine), len(sch.Visits), len(sch.Unscheduled))
	for _, t := range review.EnglishTerms(2025) {
		fmt.Fprintf(w, "  %-14s %3d visits\n", t.Name, perTerm[t.Name])
	}
	if len(sch.Visits) > 0 {
		v := sch.Visits[0]
		fmt.Fprintf(w, "  first: %s %d of URN %d on %s by %s\n", v.Kind, v.Seq, v.School, v.Date.Format("Mon 2 Jan 2006"), v.Director)
	}
	for _, u := range sch.Unscheduled[:min(2, len(sch.Unscheduled))] {
		fmt.Fprintf(w, "  unscheduled: %s %d of URN %d in %s: %s\n", u.Kind, u.Seq, u.School, u.Term, u.Reason)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}
