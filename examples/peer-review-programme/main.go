// Command peer-review-programme runs the two kinds of school peer review the
// source documents describe, on the real schools of Yorkshire and the Humber.
//
// The national-style programme: each school in it is visited by a trained
// lead reviewer and three peer reviewers (heads and senior leaders of other
// schools), allocated across the region with no conflict of interest (none
// from the school itself or its trust, no reciprocal pairs, no declared
// conflict). The team agrees estimates on a four-point scale (leading,
// effective, working towards effective, ineffective), and validates the areas
// of excellence the school nominates; the validated ones go into a directory
// other schools can draw on.
//
// The cluster variant: schools form reciprocal triads and review each other
// with enquiry questions and no grades at all.
//
// The schools, their phases, trusts, locations and Ofsted judgements are real
// (the embedded extract). The reviewers are synthetic (review.SyntheticReviewers),
// and so are the estimates, the nominated areas and the enquiry notes:
// generated deterministically for the example, they say nothing about a real
// school.
//
//	go run ./examples/peer-review-programme
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/review"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "peer-review-programme:", err)
		os.Exit(1)
	}
}

// The programme's lead organisation and the day the cycle starts.
const lead partnership.OrgID = "programme-secretariat"

var start = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

func run(ctx context.Context, w io.Writer) error {
	res, err := england.LoadEmbedded(ctx)
	if err != nil {
		return err
	}
	m, err := res.Model()
	if err != nil {
		return err
	}
	// Every open state-funded school with a known site; the programme
	// takes one in twelve, spread over the whole region.
	all := review.Reviewees(&res.Dataset, nil)
	var schools []review.Reviewee
	for i := 0; i < len(all); i += 12 {
		schools = append(schools, all[i])
	}
	if err := national(ctx, w, m, schools); err != nil {
		return err
	}
	return clusters(ctx, w, all)
}

func national(ctx context.Context, w io.Writer, m *partnership.Model, schools []review.Reviewee) error {
	reviewers, schools := review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: 1, Focus: true, Capacity: 3})
	rules := review.DefaultRules() // a lead and three peers, no same trust, no reciprocal pairs
	rules.Cycle = 2025
	rules.MaxTravelKm = 60
	// Two declared conflicts of interest: a reviewer who is a governor at
	// another school, and one whose partner teaches at one.
	for i, r := range reviewers[:2] {
		rules.Conflicts = append(rules.Conflicts, review.Conflict{Reviewer: r.ID, School: schools[len(schools)-1-i].URN,
			Note: "declared: governor or family member at the school"})
	}
	a, err := review.Allocate(ctx, schools, reviewers, rules)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "National-style programme: %d schools across Yorkshire and the Humber, %d synthetic reviewers\n",
		len(schools), len(reviewers))
	fmt.Fprintf(w, "  teams: %d, places filled: %d of %d, leads missing: %d, optimal: %v\n",
		len(a.Teams), a.Places-a.Unfilled, a.Places, a.LeadsMissing, a.Optimal)
	fmt.Fprintf(w, "  travel: %.0f km in all, %.1f km a place on average\n", a.TotalTravelKm, a.TotalTravelKm/float64(max(1, a.Places-a.Unfilled)))
	for _, s := range a.Shortfalls[:min(3, len(a.Shortfalls))] {
		fmt.Fprintf(w, "  shortfall at URN %d: %s\n", s.School, s.Reason)
	}
	fmt.Fprintf(w, "  conflicts of interest found by an independent check: %d\n", len(conflicts(a, schools, reviewers, rules.Conflicts)))

	// The cycle in the Service: open a review per school, assign the teams,
	// then self-evaluation, plan, visit, nominations, validation, findings
	// and report.
	svc, err := review.NewService(review.NewMemoryStore(), nil, &review.Options{Now: func() time.Time { return start }})
	if err != nil {
		return err
	}
	if err := svc.CreateProgramme(ctx, review.Programme{ID: "national", Name: "National-style peer review",
		Lead: lead, Framework: review.FrameworkPeerReview}); err != nil {
		return err
	}
	if err := svc.CreateCycle(ctx, review.Cycle{ID: "2025", Programme: "national",
		Period: partnership.Period{From: start, To: start.AddDate(1, 0, 0)}}); err != nil {
		return err
	}
	for _, s := range schools {
		if _, err := svc.OpenReview(ctx, "2025", s.URN, s.Trust, nil); err != nil {
			return err
		}
	}
	grades := map[string]int{}
	waiting := 0
	for _, t := range a.Teams {
		if _, ok := t.Lead(); !ok {
			waiting++ // the review waits for a lead: Shortfalls says why
			continue
		}
		var team []review.TeamMember
		for _, mb := range t.Members {
			team = append(team, review.TeamMember{Reviewer: mb.Reviewer, Home: mb.Home, Lead: mb.Lead})
		}
		if _, err := svc.AssignTeam(ctx, review.ReviewID("2025/"+t.School.String()), team); err != nil {
			return err
		}
		estimates, nominated := findings(m, t.School)
		for _, e := range estimates {
			grades[e.Grade]++
		}
		if err := conduct(ctx, svc, t, estimates, nominated); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "  reports issued: %d; reviews waiting for a lead: %d\n", len(a.Teams)-waiting, waiting)
	fmt.Fprintln(w, "  estimates agreed (synthetic, four-point scale):")
	for _, g := range []string{"leading", "effective", "working-towards-effective", "ineffective"} {
		fmt.Fprintf(w, "    %-26s %4d\n", g, grades[g])
	}

	// The directory of validated areas of excellence, read as the
	// programme's lead, who may read every report.
	directory := map[partnership.ExpertiseID][]review.Offer{}
	nominations, validated := 0, 0
	for _, s := range schools {
		rep, err := svc.Report(ctx, review.Reader{Org: lead}, review.ReviewID("2025/"+s.URN.String()))
		if err != nil {
			return err
		}
		nominations += len(rep.Excellence)
		for _, o := range rep.Offers() {
			directory[o.Expertise] = append(directory[o.Expertise], o)
			validated++
		}
	}
	fmt.Fprintf(w, "\nDirectory of areas of excellence: %d nominated, %d validated by review teams\n", nominations, validated)
	for _, area := range slices.Sorted(func(yield func(partnership.ExpertiseID) bool) {
		for k := range directory {
			if !yield(k) {
				return
			}
		}
	}) {
		first := directory[area][0]
		fmt.Fprintf(w, "  %-22s %3d schools, e.g. %s (%s)\n", area, len(directory[area]), m.School(first.School).Name, first.Evidence)
	}
	return nil
}

// expertise are the areas schools nominate.
var expertise = []partnership.ExpertiseID{"early-reading", "maths-mastery", "send-inclusion", "attendance", "curriculum-design", "oracy"}

// findings makes a school's synthetic estimates, centred on its latest real
// Ofsted inspection, and the area of excellence it nominates. The latest
// inspection is read by partnership.Inspection.Concern, so one with no
// overall grade counts by its key judgements, report-card areas and
// safeguarding: leading when it judged the school outstanding, working
// towards effective when it found it below good, ineffective when it found
// a serious concern (inadequate, urgent improvement or safeguarding not
// met), effective otherwise.
func findings(m *partnership.Model, u partnership.URN) ([]review.Estimate, partnership.ExpertiseID) {
	base := 1 // effective
	if in, ok := m.LatestInspection(u); ok {
		switch c := in.Concern(); {
		case in.Overall == partnership.RatingOutstanding:
			base = 0
		case c == partnership.ConcernImprove:
			base = 2
		case c == partnership.ConcernSerious:
			base = 3
		}
	}
	scale := []string{"leading", "effective", "working-towards-effective", "ineffective"}
	var es []review.Estimate
	for i, area := range []review.AreaID{"leadership-at-all-levels", "quality-of-provision-and-outcomes", "disadvantaged-and-additional-needs"} {
		g := base
		if (int(u)+i)%3 == 0 { // some areas a grade apart
			g = max(0, min(3, base+1-2*(int(u)%2)))
		}
		es = append(es, review.Estimate{Area: area, Grade: scale[g], Evidence: "synthetic: the team's evidence base"})
	}
	return es, expertise[int(u)%len(expertise)]
}

// conduct takes one review from self-evaluation to its report. The team
// validates the nominated area when its estimate for provision is leading or
// effective; an area for development follows a weaker estimate.
func conduct(ctx context.Context, svc *review.Service, t review.Team, es []review.Estimate, nominated partnership.ExpertiseID) error {
	id := review.ReviewID("2025/" + t.School.String())
	school := review.Reader{Org: t.School.OrgID()}
	leadMember, _ := t.Lead()
	team := review.Reader{Org: leadMember.Home.OrgID(), Reviewer: leadMember.Reviewer}
	if leadMember.Home == 0 {
		team.Org = "external"
	}
	steps := []func() (review.Status, error){
		func() (review.Status, error) { return svc.RecordSelfEvaluation(ctx, school, id, es) },
		func() (review.Status, error) {
			return svc.NominateExcellence(ctx, school, id, nominated, "nominated by the school")
		},
		func() (review.Status, error) {
			return svc.SetPlan(ctx, id, review.Plan{Focus: []partnership.ExpertiseID{nominated}, Hypotheses: []string{"provision for disadvantaged pupils is consistent"}})
		},
		func() (review.Status, error) {
			return svc.RecordVisit(ctx, id, review.Visit{Date: start.AddDate(0, 2, 0)})
		},
		func() (review.Status, error) {
			ok := es[1].Grade == "leading" || es[1].Grade == "effective"
			return svc.ValidateExcellence(ctx, team, id, nominated, ok, "validated on the visit by "+string(leadMember.Reviewer))
		},
		func() (review.Status, error) {
			f := review.Findings{Estimates: es, Strengths: []string{"a shared vision for improvement"}}
			if es[1].Grade != "leading" && es[1].Grade != "effective" {
				f.AreasForDevelopment = []review.Development{{Expertise: "curriculum-design", Description: "consistency of provision"}}
			}
			return svc.AgreeFindings(ctx, id, f)
		},
		func() (review.Status, error) { return svc.IssueReport(ctx, id) },
	}
	for _, step := range steps {
		if _, err := step(); err != nil {
			return fmt.Errorf("review of URN %d: %w", t.School, err)
		}
	}
	return nil
}

// conflicts checks the allocation independently of the allocator: every
// member must come from another school, outside the school's trust, from a
// school the reviewed school does not also review, and not be declared in
// conflict with it.
func conflicts(a *review.Allocation, schools []review.Reviewee, reviewers []review.Reviewer, declared []review.Conflict) []string {
	trust := map[partnership.URN]partnership.OrgID{}
	for _, s := range schools {
		trust[s.URN] = s.Trust
	}
	byID := map[review.ReviewerID]review.Reviewer{}
	for _, r := range reviewers {
		byID[r.ID] = r
	}
	visits := map[[2]partnership.URN]bool{} // reviewer's home, reviewed school
	for _, t := range a.Teams {
		for _, mb := range t.Members {
			visits[[2]partnership.URN{mb.Home, t.School}] = true
		}
	}
	var bad []string
	for _, t := range a.Teams {
		for _, mb := range t.Members {
			r := byID[mb.Reviewer]
			rt := cmp.Or(r.Trust, trust[r.Home])
			switch {
			case r.Home == t.School:
				bad = append(bad, fmt.Sprintf("%s reviews their own school %d", r.ID, t.School))
			case rt != "" && rt == trust[t.School]:
				bad = append(bad, fmt.Sprintf("%s reviews a school of their own trust %d", r.ID, t.School))
			case r.Home != 0 && visits[[2]partnership.URN{t.School, r.Home}]:
				bad = append(bad, fmt.Sprintf("%d and %d review each other", t.School, r.Home))
			case slices.ContainsFunc(declared, func(c review.Conflict) bool { return c.Reviewer == r.ID && c.School == t.School }):
				bad = append(bad, fmt.Sprintf("%s has declared a conflict with %d", r.ID, t.School))
			}
		}
	}
	return bad
}

// clusters runs the cluster variant: reciprocal triads of nearby schools
// that review each other with enquiry questions and no grades.
func clusters(ctx context.Context, w io.Writer, all []review.Reviewee) error {
	// The schools of one authority (Calderdale) form their own clusters.
	var schools []review.Reviewee
	for _, s := range all {
		if s.LA == 381 {
			schools = append(schools, s)
		}
	}
	rules := review.DefaultClusterRules()
	rules.Size, rules.MaxSize = 3, 4
	rules.SamePhase = true
	rules.ExcludeSameTrust = true
	c, err := review.Clusters(ctx, schools, rules)
	if err != nil {
		return err
	}
	triads := 0
	for _, cl := range c.Clusters {
		if len(cl.Schools) == 3 {
			triads++
		}
	}
	fmt.Fprintf(w, "\nCluster variant (Calderdale, %d schools): %d clusters, %d of them triads, %d schools unclustered\n",
		len(schools), len(c.Clusters), triads, len(c.Unclustered))
	for _, u := range c.Unclustered[:min(2, len(c.Unclustered))] {
		fmt.Fprintf(w, "  unclustered: URN %d: %s\n", u.School, u.Reason)
	}

	svc, err := review.NewService(review.NewMemoryStore(), nil, &review.Options{Now: func() time.Time { return start }})
	if err != nil {
		return err
	}
	if err := svc.CreateProgramme(ctx, review.Programme{ID: "clusters", Name: "Cluster peer review",
		Lead: "la:381", Framework: review.FrameworkEnquiry}); err != nil {
		return err
	}
	if err := svc.CreateCycle(ctx, review.Cycle{ID: "2025-clusters", Programme: "clusters"}); err != nil {
		return err
	}
	// Each school in a cluster is reviewed by the heads of the others,
	// the first of them leading; findings are enquiry questions, no grades.
	for _, cl := range c.Clusters {
		for i, u := range cl.Schools {
			st, err := svc.OpenReview(ctx, "2025-clusters", u, "", nil)
			if err != nil {
				return err
			}
			var team []review.TeamMember
			for j, v := range cl.Schools {
				if j != i {
					team = append(team, review.TeamMember{Reviewer: review.ReviewerID(fmt.Sprintf("head-%d", v)), Home: v, Lead: len(team) == 0})
				}
			}
			es := []review.Estimate{{Area: "learning", Evidence: "enquiry: how do pupils talk about their learning?"}}
			for _, step := range []func() (review.Status, error){
				func() (review.Status, error) {
					return svc.RecordSelfEvaluation(ctx, review.Reader{Org: u.OrgID()}, st.ID, es)
				},
				func() (review.Status, error) {
					return svc.SetPlan(ctx, st.ID, review.Plan{Hypotheses: []string{"enquiry question agreed"}})
				},
				func() (review.Status, error) { return svc.AssignTeam(ctx, st.ID, team) },
				func() (review.Status, error) {
					return svc.RecordVisit(ctx, st.ID, review.Visit{Date: start.AddDate(0, 3, 0)})
				},
				func() (review.Status, error) { return svc.AgreeFindings(ctx, st.ID, review.Findings{Estimates: es}) },
				func() (review.Status, error) { return svc.IssueReport(ctx, st.ID) },
			} {
				if _, err := step(); err != nil {
					return fmt.Errorf("cluster review of URN %d: %w", u, err)
				}
			}
		}
	}
	rec, err := svc.Reciprocity(ctx, "2025-clusters")
	if err != nil {
		return err
	}
	reviewed, balanced, graded := 0, 0, 0
	for _, r := range rec {
		if r.Reviewed {
			reviewed++
		}
		if r.DaysGiven == r.DaysReceived {
			balanced++
		}
	}
	for st, err := range svc.Statuses(ctx, "2025-clusters") {
		if err != nil {
			return err
		}
		rep, err := svc.Report(ctx, review.Reader{Org: "la:381"}, st.ID)
		if err != nil {
			return err
		}
		for _, e := range rep.Findings.Estimates {
			if e.Grade != "" {
				graded++
			}
		}
	}
	fmt.Fprintf(w, "  %d schools reviewed, %d gave as many reviewer days as they received, %d grades given\n",
		reviewed, balanced, graded)
	if len(c.Clusters) > 0 {
		var names []string
		for _, u := range c.Clusters[0].Schools {
			names = append(names, u.String())
		}
		fmt.Fprintf(w, "  e.g. cluster of URNs %s, %.1f km across: each reviews the others\n", strings.Join(names, ", "), c.Clusters[0].SpanKm)
	}
	return nil
}
