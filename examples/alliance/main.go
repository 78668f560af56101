// Command alliance runs a year of a school alliance from the first source
// document on the real schools of Leeds: 50-odd schools of every phase and
// governance (several trusts, authority schools, an independent special
// school) with an elected steering group and subject and phase communities of
// practice; an annual peer review in which every school is reviewed and
// reviews; validated areas of excellence turned into offers of support;
// support for the areas for development brokered between members; and, at the
// end, the reciprocity account and the support each school received.
//
// The schools, their governance, trusts, phases, sites and Ofsted judgements
// are real (the embedded extract). The alliance, its steering group,
// communities, reviewers, estimates, nominations and needs are illustrative,
// generated deterministically; they say nothing about a real school.
//
//	go run ./examples/alliance
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/review"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "alliance:", err)
		os.Exit(1)
	}
}

const (
	leeds                         = 383
	secretariat partnership.OrgID = "alliance-secretariat"
)

var start = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

func run(ctx context.Context, w io.Writer) error {
	res, err := england.LoadEmbedded(ctx)
	if err != nil {
		return err
	}
	d := &res.Dataset

	// 1. The members: one in five of Leeds's open schools with a known
	// site, whatever their governance, and the independent special schools.
	var open []partnership.School
	for _, s := range d.Schools {
		if s.LA == leeds && s.Closed.IsZero() && s.Location.Known() {
			open = append(open, s)
		}
	}
	slices.SortFunc(open, func(a, b partnership.School) int { return int(a.URN - b.URN) })
	member := map[partnership.URN]bool{}
	for i, s := range open {
		if i%5 == 0 || s.Governance == partnership.GovernanceIndependentSpecial {
			member[s.URN] = true
		}
	}
	schools := review.Reviewees(d, func(s *partnership.School) bool { return member[s.URN] })
	governance, trusts, phases := map[partnership.Governance]int{}, map[partnership.OrgID]bool{}, map[partnership.Phase]int{}
	for _, s := range open {
		if member[s.URN] {
			governance[s.Governance]++
			phases[s.Phase]++
		}
	}
	for _, s := range schools {
		if s.Trust != "" {
			trusts[s.Trust] = true
		}
	}
	fmt.Fprintf(w, "Leeds school alliance (illustrative, on real schools): %d schools, %d trusts among them\n", len(schools), len(trusts))
	for g := partnership.GovernanceLAMaintained; g <= partnership.GovernanceNonMaintainedSpecial; g++ {
		if governance[g] > 0 {
			fmt.Fprintf(w, "  %-24s %3d\n", g, governance[g])
		}
	}

	// 2. The steering group: the members elect one head per phase present,
	// the head of the largest school of that phase standing (illustrative).
	var steering []partnership.PersonID
	byPhase := map[partnership.Phase]review.Reviewee{}
	for _, s := range schools {
		if b, ok := byPhase[s.Phase]; s.Phase != partnership.PhaseUnknown && (!ok || s.Pupils > b.Pupils) {
			byPhase[s.Phase] = s
		}
	}
	for _, p := range slices.Sorted(func(yield func(partnership.Phase) bool) {
		for p := range byPhase {
			if !yield(p) {
				return
			}
		}
	}) {
		head := partnership.Person{ID: partnership.PersonID(fmt.Sprintf("head-%d", byPhase[p].URN)), Role: partnership.RoleHeadteacher,
			Home: byPhase[p].URN.OrgID(), Phases: []partnership.Phase{p}}
		d.People = append(d.People, head)
		steering = append(steering, head.ID)
		fmt.Fprintf(w, "  steering group: head of %s (%s)\n", byPhase[p].Name, p)
	}
	communities := []struct {
		name  string
		phase func(partnership.Phase) bool
	}{
		{"Early reading", func(p partnership.Phase) bool { return p == partnership.PhasePrimary }},
		{"Secondary maths", func(p partnership.Phase) bool {
			return p == partnership.PhaseSecondary || p == partnership.PhaseAllThrough
		}},
		{"SEND and inclusion", func(partnership.Phase) bool { return true }},
	}
	// The alliance and its communities are networks in the partnership
	// model, each with its members from this term.
	period := partnership.Period{From: start}
	d.Organisations = append(d.Organisations, partnership.Organisation{ID: secretariat, Kind: partnership.OrgAlliance, Name: "Leeds school alliance (illustrative)"})
	addNetwork := func(id partnership.NetworkID, kind partnership.NetworkKind, name string, group []partnership.PersonID, keep func(partnership.Phase) bool) {
		d.Networks = append(d.Networks, partnership.Network{ID: id, Kind: kind, Name: name, Basis: partnership.BasisInterest,
			Coordinator: secretariat, CoordinatingGroup: group, Active: period})
		for _, s := range schools {
			if keep(s.Phase) {
				d.Memberships = append(d.Memberships, partnership.Membership{ID: partnership.MembershipID(fmt.Sprintf("%s/%d", id, s.URN)),
					Network: id, Member: s.URN.OrgID(), Role: partnership.RoleMember, Period: period})
			}
		}
	}
	addNetwork("alliance", partnership.NetworkAlliance, "Leeds school alliance (illustrative)", steering, func(partnership.Phase) bool { return true })
	for i, c := range communities {
		addNetwork(partnership.NetworkID(fmt.Sprintf("cop-%d", i+1)), partnership.NetworkCommunityOfPractice, c.name, nil, c.phase)
	}
	m, err := partnership.NewModel(*d)
	if err != nil {
		return err
	}
	for i, c := range communities {
		fmt.Fprintf(w, "  community of practice %-20s %3d schools\n", c.name, len(m.Members(partnership.NetworkID(fmt.Sprintf("cop-%d", i+1)), start)))
	}

	// 3. The peer review: a lead and two peers per school, no one from the
	// school's own trust, no reciprocal pairs, and every school giving as
	// many reviewer places as it receives, so every school reviews.
	reviewers, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 7, PerSchool: 3, Capacity: 1, LeadShare: 1})
	rules := review.DefaultRules()
	rules.Cycle, rules.Peers, rules.MinExperiencedPeers = 2025, 2, 0
	rules.BalanceGiving = true
	rules.Phase = review.PhaseAny
	a, err := review.Allocate(ctx, schools, reviewers, rules)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPeer review 2025-26: %d teams, places filled %d of %d, travel %.0f km\n",
		len(a.Teams), a.Places-a.Unfilled, a.Places, a.TotalTravelKm)
	for _, s := range a.Shortfalls {
		fmt.Fprintf(w, "  shortfall at URN %d: %s\n", s.School, s.Reason)
	}
	svc, err := review.NewService(review.NewMemoryStore(), nil, &review.Options{Now: func() time.Time { return start }})
	if err != nil {
		return err
	}
	if err := svc.CreateProgramme(ctx, review.Programme{ID: "alliance", Name: "Alliance peer review",
		Lead: secretariat, Framework: review.FrameworkPeerReview}); err != nil {
		return err
	}
	if err := svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "alliance"}); err != nil {
		return err
	}
	for _, s := range schools {
		if _, err := svc.OpenReview(ctx, "2025", s.URN, s.Trust, nil); err != nil {
			return err
		}
	}
	if _, err := svc.AssignTeams(ctx, "2025", a); err != nil {
		return err
	}
	for _, t := range a.Teams {
		if err := conduct(ctx, svc, m, t); err != nil {
			return err
		}
	}

	// 4. Validated excellence becomes offers; areas for development needs.
	var offers []brokerage.Offer
	var needs []brokerage.Need
	where := map[partnership.URN]review.Reviewee{}
	for _, s := range schools {
		where[s.URN] = s
	}
	for _, s := range schools {
		rep, err := svc.Report(ctx, review.Reader{Org: secretariat}, review.ReviewID("2025/"+s.URN.String()))
		if err != nil {
			return err
		}
		for _, o := range rep.Offers() {
			offers = append(offers, brokerage.Offer{ID: brokerage.OfferID(fmt.Sprintf("%d/%s", o.School, o.Expertise)),
				Provider: m.School(o.School).Name, Kind: brokerage.ProviderSchool, School: o.School, Trust: string(s.Trust),
				Areas:  []brokerage.AreaEvidence{{Area: o.Expertise, Evidence: brokerage.EvidencePeerReview}},
				Phases: []partnership.Phase{s.Phase}, Capacity: 2, Location: s.Location, FSMPercent: s.FSMPercent, Networks: []partnership.NetworkID{"alliance"}})
		}
		for _, n := range rep.Needs() {
			needs = append(needs, brokerage.Need{ID: brokerage.NeedID(fmt.Sprintf("%d/%s", n.School, n.Expertise)),
				School: n.School, Name: m.School(n.School).Name, Area: n.Expertise, Phase: s.Phase, Priority: 3, Days: 4,
				Location: s.Location, Trust: string(s.Trust), FSMPercent: s.FSMPercent, Networks: []partnership.NetworkID{"alliance"}})
		}
	}
	result, err := brokerage.NewBroker().Match(ctx, needs, offers)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nBrokerage within the alliance: %d offers from validated areas of excellence, %d needs, %d met\n",
		len(offers), result.Needs, result.Met)
	for _, u := range result.Unmet[:min(2, len(result.Unmet))] {
		fmt.Fprintf(w, "  unmet %s: %s\n", u.Need, u.Detail)
	}

	// 5. The reciprocity account and the support each school received.
	rec, err := svc.Reciprocity(ctx, "2025")
	if err != nil {
		return err
	}
	reviewed, reviewing := 0, 0
	for _, r := range rec {
		if r.Reviewed {
			reviewed++
		}
		if r.ReviewsGiven > 0 {
			reviewing++
		}
	}
	fmt.Fprintf(w, "\nReciprocity: %d of %d schools reviewed, %d gave reviewers\n", reviewed, len(schools), reviewing)
	support := map[partnership.URN][]string{}
	offerOf := map[brokerage.OfferID]brokerage.Offer{}
	for _, o := range offers {
		offerOf[o.ID] = o
	}
	needOf := map[brokerage.NeedID]brokerage.Need{}
	for _, n := range needs {
		needOf[n.ID] = n
	}
	for _, mt := range result.Matches {
		n, o := needOf[mt.Need], offerOf[mt.Offer]
		support[n.School] = append(support[n.School], fmt.Sprintf("%s from %s (%s)", n.Area, o.Provider, mt.Distance))
	}
	for _, u := range result.Unmet {
		n := needOf[u.Need]
		support[n.School] = append(support[n.School], fmt.Sprintf("%s unmet (%s)", n.Area, u.Reason))
	}
	fmt.Fprintln(w, "  school                                          days given/received  support received")
	for _, r := range rec {
		fmt.Fprintf(w, "  %-47.47s %5.0f / %-5.0f        %s\n", m.School(r.School).Name, r.DaysGiven, r.DaysReceived,
			orNone(strings.Join(support[r.School], "; ")))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

var areas = []partnership.ExpertiseID{"early-reading", "maths", "send", "attendance", "curriculum-design"}

// estimate is the illustrative grade of a school's review, centred on its
// latest real Ofsted inspection read by partnership.Inspection.Concern, so
// that a latest inspection with no overall grade counts by its key
// judgements, report-card areas and safeguarding (never by an older
// grade): leading when it judged the school outstanding, working towards
// effective when it found it below good, effective otherwise.
func estimate(m *partnership.Model, u partnership.URN) string {
	in, ok := m.LatestInspection(u)
	switch {
	case !ok:
		return "effective"
	case in.Overall == partnership.RatingOutstanding:
		return "leading"
	case in.Concern() >= partnership.ConcernImprove:
		return "working-towards-effective"
	}
	return "effective"
}

// conduct takes one school's review from self-evaluation to its report with
// illustrative findings graded by estimate.
func conduct(ctx context.Context, svc *review.Service, m *partnership.Model, t review.Team) error {
	id := review.ReviewID("2025/" + t.School.String())
	school := review.Reader{Org: t.School.OrgID()}
	grade := estimate(m, t.School)
	es := []review.Estimate{{Area: "leadership-at-all-levels", Grade: grade}, {Area: "quality-of-provision-and-outcomes", Grade: grade}}
	strong := areas[int(t.School)%len(areas)]
	weak := areas[(int(t.School)+2)%len(areas)]
	lead, ok := t.Lead()
	if !ok {
		return fmt.Errorf("URN %d has no lead reviewer", t.School)
	}
	f := review.Findings{Estimates: es, AreasForDevelopment: []review.Development{{Expertise: weak, Description: "to develop"}}}
	for _, step := range []func() (review.Status, error){
		func() (review.Status, error) { return svc.RecordSelfEvaluation(ctx, school, id, es) },
		func() (review.Status, error) {
			return svc.NominateExcellence(ctx, school, id, strong, "nominated by the school")
		},
		func() (review.Status, error) {
			return svc.SetPlan(ctx, id, review.Plan{Focus: []partnership.ExpertiseID{strong}})
		},
		func() (review.Status, error) {
			return svc.RecordVisit(ctx, id, review.Visit{Date: start.AddDate(0, 2, 0)})
		},
		func() (review.Status, error) {
			return svc.ValidateExcellence(ctx, review.Reader{Org: lead.Home.OrgID(), Reviewer: lead.Reviewer}, id, strong,
				grade != "working-towards-effective", "seen on the visit")
		},
		func() (review.Status, error) { return svc.AgreeFindings(ctx, id, f) },
		func() (review.Status, error) { return svc.IssueReport(ctx, id) },
	} {
		if _, err := step(); err != nil {
			return fmt.Errorf("review of URN %d: %w", t.School, err)
		}
	}
	return nil
}
