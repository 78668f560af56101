// Command trustimprovement runs the school improvement cycle of the trust
// strategy in the third source document on the real schools of Yorkshire and
// the Humber: the trust's "schools at risk" policy grades every school, each
// grade brings its response (actions, review cadence, and the delegated
// powers the school keeps under the scheme of delegation), and the schools'
// needs are brokered to the expertise of strong schools across the region,
// the most urgent first, with the gaps made visible. Finally the trust's
// quality-assurance core offer (three monitoring visits a year for primaries,
// four curriculum deep dives for secondaries) is scheduled across the school
// year for the region's largest trust, within its directors' capacity; that
// trust's schools are placed in the tiers of its scheme of delegation by
// their inspection judgements (adjusted for those at risk), and each school's
// score card drives a personalised offer of support brokered by the
// directors of education within the trust; and the schools at risk are
// followed through a year of monthly reports to the CEO on their recovery
// plans, the trust's policy run each month.
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
	"maps"
	"os"
	"slices"
	"strings"
	"time"

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
	trust, mine, err := coreOffer(ctx, w, &res.Dataset)
	if err != nil {
		return err
	}
	delegation(w, m, mine, level)
	if err := personalisedSupport(ctx, w, m, trust, mine, level); err != nil {
		return err
	}
	return recovery(ctx, w, mine, level, data.Source)
}

// coreOffer schedules the quality-assurance core offer of the strategy
// (three monitoring visits a year for primaries, four curriculum deep dives
// for secondaries, each run by a director of education) across the schools
// of the region's largest trust for the 2025-26 school year.
func coreOffer(ctx context.Context, w io.Writer, d *partnership.Dataset) (partnership.OrgID, []review.Reviewee, error) {
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
		return "", nil, err
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
	return trust, mine, nil
}

// delegation sets each of the trust's schools' tier of the scheme of
// delegation by its latest inspection, as the strategy does: a high level
// of autonomy for schools found good or better or improving rapidly (a
// lesser concern than at the inspection before), autonomy with the trust's
// support for the others; then the at-risk policy adjusts the tier of a
// school at risk in proportion, withdrawing the powers its level names.
// Each inspection is read by partnership.Inspection.Concern, so a latest
// inspection with no overall grade counts by its key judgements,
// report-card areas and safeguarding, and one that graded nothing that
// says is neither good nor improving.
func delegation(w io.Writer, m *partnership.Model, mine []review.Reviewee, level map[partnership.URN]*riskpolicy.Assessment) {
	tiers := []string{"high autonomy", "autonomy with trust support", "adjusted: at risk"}
	count := map[string]int{}
	withdrawn := map[string]int{}
	for _, s := range mine {
		tier := tiers[1]
		if highAutonomy(m.Inspections(s.URN)) {
			tier = tiers[0]
		}
		if a := level[s.URN]; a != nil && len(a.Withdraws) > 0 {
			tier = tiers[2]
			for _, p := range a.Withdraws {
				withdrawn[p]++
			}
		}
		count[tier]++
	}
	fmt.Fprintf(w, "\nScheme of delegation by judgement (%d schools):\n", len(mine))
	for _, t := range tiers {
		fmt.Fprintf(w, "  %-28s %3d schools\n", t, count[t])
	}
	for _, p := range slices.Sorted(maps.Keys(withdrawn)) {
		fmt.Fprintf(w, "  power withdrawn at risk: %-24s %d schools\n", p, withdrawn[p])
	}
}

// highAutonomy reports whether a school with these inspections (newest
// first) has a high level of autonomy: its latest inspection found it good
// or better, or found a lesser concern than the one before (improving
// rapidly).
func highAutonomy(h []partnership.Inspection) bool {
	if len(h) == 0 {
		return false
	}
	latest := h[0].Concern()
	improving := len(h) > 1 && latest != partnership.ConcernUnknown && latest < h[1].Concern()
	return latest == partnership.ConcernNone || improving
}

// goodOrBetter reports whether a school's latest inspection found it good
// or better (partnership.Inspection.Concern), so that its green score-card
// areas can support other schools.
func goodOrBetter(m *partnership.Model, u partnership.URN) bool {
	in, ok := m.LatestInspection(u)
	return ok && in.Concern() == partnership.ConcernNone
}

// scorecardAreas are the areas a school's senior leaders rate on its score
// card.
var scorecardAreas = []partnership.ExpertiseID{"curriculum", "reading", "maths", "send", "attendance", "behaviour", "leadership"}

// rating is a score card's red, amber or green for one area: illustrative,
// drawn from the URN and the area, with more reds where the latest
// inspection found the school below good (partnership.Inspection.Concern).
func rating(m *partnership.Model, u partnership.URN, i int) string {
	weak := 0
	if in, ok := m.LatestInspection(u); ok && in.Concern() >= partnership.ConcernImprove {
		weak = 2
	}
	switch h := (int(u)*7 + i*13) % 10; {
	case h < 1+weak:
		return "red"
	case h < 5:
		return "amber"
	default:
		return "green"
	}
}

// personalisedSupport turns each school's score card into a personalised
// offer of support and challenge, brokered by the directors of education:
// the director of primary education for the primaries, the director of
// secondary education for the others, each matching the red areas of their
// schools (more urgent at a higher risk level) to green areas of the
// trust's schools whose latest inspection found them good or better.
func personalisedSupport(ctx context.Context, w io.Writer, m *partnership.Model, trust partnership.OrgID,
	mine []review.Reviewee, level map[partnership.URN]*riskpolicy.Assessment) error {
	network := partnership.NetworkID("trust:" + trust)
	var offers []brokerage.Offer
	for _, s := range mine {
		if !goodOrBetter(m, s.URN) {
			continue
		}
		for i, a := range scorecardAreas {
			if rating(m, s.URN, i) == "green" {
				offers = append(offers, brokerage.Offer{ID: brokerage.OfferID(fmt.Sprintf("%d/%s", s.URN, a)),
					Provider: s.Name, Kind: brokerage.ProviderSchool, School: s.URN, Trust: string(trust),
					Areas:  []brokerage.AreaEvidence{{Area: a, Evidence: brokerage.EvidenceSelf}},
					Phases: []partnership.Phase{s.Phase}, Capacity: 1, Location: s.Location, FSMPercent: s.FSMPercent,
					Networks: []partnership.NetworkID{network}})
			}
		}
	}
	fmt.Fprintln(w, "\nScore cards and personalised support, brokered by the directors of education (illustrative ratings):")
	for _, director := range []struct {
		name    string
		primary bool
	}{{"Director of Primary Education", true}, {"Director of Secondary Education", false}} {
		var needs []brokerage.Need
		red := map[partnership.URN][]partnership.ExpertiseID{}
		for _, s := range mine {
			if (s.Phase == partnership.PhasePrimary) != director.primary {
				continue
			}
			priority := 2
			if a := level[s.URN]; a != nil && len(a.Withdraws) > 0 {
				priority = 5
			}
			for i, a := range scorecardAreas {
				if rating(m, s.URN, i) == "red" {
					red[s.URN] = append(red[s.URN], a)
					needs = append(needs, brokerage.Need{ID: brokerage.NeedID(fmt.Sprintf("%d/%s", s.URN, a)), School: s.URN,
						Name: s.Name, Area: a, Phase: s.Phase, Priority: priority, Days: 3, Location: s.Location,
						Trust: string(trust), FSMPercent: s.FSMPercent, Networks: []partnership.NetworkID{network}})
				}
			}
		}
		r, err := brokerage.NewBroker().Match(ctx, needs, offers)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s: %d schools with a red area, %d red areas, %d brokered within the trust, %d to seek beyond it\n",
			director.name, len(red), len(needs), r.Met, len(r.Unmet))
		if len(r.Matches) > 0 {
			first := r.Matches[0]
			var school partnership.URN
			fmt.Sscanf(string(first.Need), "%d/", &school)
			fmt.Fprintf(w, "    e.g. URN %d, red in %s: ", school, strings.Join(expertise(red[school]), ", "))
			var parts []string
			for _, mt := range r.Matches {
				if strings.HasPrefix(string(mt.Need), school.String()+"/") {
					parts = append(parts, fmt.Sprintf("%s from URN %s", strings.SplitN(string(mt.Need), "/", 2)[1],
						strings.SplitN(string(mt.Offer), "/", 2)[0]))
				}
			}
			fmt.Fprintln(w, strings.Join(parts, "; "))
		}
	}
	return nil
}

func expertise(as []partnership.ExpertiseID) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// recovery follows the trust's schools at risk through a year of monthly
// reports to the CEO on their recovery plans. The trust runs its own policy
// each month (the built-in file with "period: month"), so the levels' exit
// conditions (a recovery plan on track for two reports running) are counted
// in months. Progress is illustrative: each school's plan comes on track in
// a month drawn from its URN (one school in five stays off track all year),
// and from then its data triggers clear; inspection judgements do not change
// within the year, so a school at risk for its judgements stays at risk.
func recovery(ctx context.Context, w io.Writer, mine []review.Reviewee, level map[partnership.URN]*riskpolicy.Assessment,
	src riskpolicy.Source) error {
	text, err := riskpolicy.BuiltinSource("trust-at-risk")
	if err != nil {
		return err
	}
	monthly := strings.Replace(string(text), "\nperiod: term\n", "\nperiod: month\n", 1)
	if monthly == string(text) {
		return fmt.Errorf("trust-at-risk: no \"period: term\" line to change")
	}
	p, err := riskpolicy.Compile("trust-at-risk-monthly.yaml", []byte(monthly))
	if err != nil {
		return err
	}
	atRisk := p.Level("at_risk").Index
	type plan struct {
		rec     riskpolicy.Record
		onTrack int // the month the plan comes on track; -1 never
	}
	var plans []plan
	for _, s := range mine {
		if a := level[s.URN]; a == nil || p.Level(a.Level).Index < atRisk {
			continue
		}
		rec, err := src.Record(ctx, s.URN)
		if err != nil {
			return err
		}
		on := 1 + int(s.URN)%6
		if s.URN%5 == 0 {
			on = -1
		}
		plans = append(plans, plan{rec: rec, onTrack: on})
	}
	now := time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)
	svc := riskpolicy.NewService(riskpolicy.NewMemoryStore(), &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	fmt.Fprintf(w, "\nMonthly reports to the CEO on the recovery plans of the %d schools at risk (illustrative progress):\n", len(plans))
	fmt.Fprintln(w, "  month     at risk or above  plans on track  left the category")
	var last []*riskpolicy.Assessment
	for month := range 11 { // September to July
		now = time.Date(2025, time.September+time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
		var recs []riskpolicy.Record
		onTrack := 0
		for i := range plans {
			pl := &plans[i]
			v := maps.Clone(pl.rec.Periods[0].Values)
			on := pl.onTrack >= 0 && month >= pl.onTrack
			v["recovery_on_track"] = riskpolicy.Bool(on)
			if on {
				onTrack++
				for k, x := range map[string]riskpolicy.Value{"complaints": riskpolicy.Number(0), "head_absent": riskpolicy.Bool(false),
					"safeguarding_concern": riskpolicy.Bool(false), "parent_confidence": riskpolicy.Number(80),
					"staff_confidence": riskpolicy.Number(80), "scorecard_red": riskpolicy.Number(0),
					"on_concern_register": riskpolicy.Bool(false), "budget_deficit": riskpolicy.Number(0),
					"leadership_barrier": riskpolicy.Bool(false), "attendance": riskpolicy.Number(95)} {
					v[k] = x
				}
			}
			snap := riskpolicy.Snapshot{Period: now.Format("2006-01"), At: now, Values: v}
			pl.rec.Periods = append([]riskpolicy.Snapshot{snap}, pl.rec.Periods...)
			recs = append(recs, riskpolicy.Record{URN: pl.rec.URN, Name: pl.rec.Name, Periods: pl.rec.Periods})
		}
		as, err := svc.AssessAll(ctx, p, riskpolicy.NewMemorySource(recs...))
		if err != nil {
			return err
		}
		still, left := 0, 0
		for _, a := range as {
			if p.Level(a.Level).Index >= atRisk {
				still++
			} else {
				left++
			}
		}
		fmt.Fprintf(w, "  %-9s %16d  %14d  %17d\n", now.Format("Jan 2006"), still, onTrack, left)
		last = as
	}
	// The year's reports for one school that left the category, and why
	// the others stayed.
	stayed := map[string]int{}
	for _, a := range last {
		if p.Level(a.Level).Index < atRisk {
			continue
		}
		for _, f := range a.Fired {
			if p.Level(f.Level).Index >= atRisk {
				stayed[f.Rule]++
			}
		}
		if a.Held != "" {
			stayed["held: recovery plan not yet on track for two reports"]++
		}
	}
	for _, why := range slices.Sorted(maps.Keys(stayed)) {
		fmt.Fprintf(w, "  still at risk in July: %-55s %d schools\n", why, stayed[why])
	}
	for _, a := range last {
		if p.Level(a.Level).Index >= atRisk {
			continue
		}
		var reports []string
		for h, err := range svc.History(ctx, p, a.URN) { // newest first
			if err != nil {
				return err
			}
			reports = append(reports, h.At.Format("Jan")+" "+h.Level)
		}
		slices.Reverse(reports)
		fmt.Fprintf(w, "  e.g. URN %d, month by month: %s\n", a.URN, strings.Join(reports, ", "))
		break
	}
	return nil
}
