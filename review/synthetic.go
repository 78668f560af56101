package review

import (
	"cmp"
	"fmt"
	"math/rand/v2"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// SyntheticOptions shape SyntheticReviewers. The zero value means the
// defaults given for each field.
type SyntheticOptions struct {
	// Seed makes the draw repeatable; the same seed and schools give the
	// same reviewers.
	Seed uint64
	// PerSchool is the number of reviewers drawn from each school: its
	// headteacher and PerSchool−1 senior leaders. 0 means 2.
	PerSchool int
	// LeadShare is the share of headteachers trained to lead a review.
	// 0 means 0.6.
	LeadShare float64
	// NewShare is the share of reviewers who are new to peer review.
	// 0 means 0.25.
	NewShare float64
	// Capacity is the number of reviews each reviewer gives in a cycle.
	// 0 means 2.
	Capacity int
	// Focus, when true, also gives every school a synthetic review focus
	// (one or two expertise areas).
	Focus bool
}

// syntheticAreas are expertise areas of partnership.DefaultTaxonomy that
// synthetic reviewers and schools draw from.
var syntheticAreas = []partnership.ExpertiseID{
	"leadership", "curriculum", "early-reading", "english", "maths", "science", "assessment", "inclusion",
	"send", "disadvantaged", "attendance", "behaviour", "personal-development", "safeguarding", "early-years",
	"sixth-form",
}

// SyntheticReviewers draws reviewers from real schools, for programmes and
// benchmarks where no reviewer list is published. Each reviewer works at one
// of the schools (its URN, trust, phase and location), and is labelled
// Synthetic with an ID "syn-URN-k"; role, lead training, experience and
// expertise are drawn at random from opts.Seed. It also returns the schools,
// with a synthetic focus when opts.Focus is set (the input is not changed).
func SyntheticReviewers(schools []Reviewee, opts *SyntheticOptions) ([]Reviewer, []Reviewee) {
	o := SyntheticOptions{}
	if opts != nil {
		o = *opts
	}
	if o.PerSchool == 0 {
		o.PerSchool = 2
	}
	if o.LeadShare == 0 {
		o.LeadShare = 0.6
	}
	if o.NewShare == 0 {
		o.NewShare = 0.25
	}
	if o.Capacity == 0 {
		o.Capacity = 2
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	out := make([]Reviewer, 0, len(schools)*o.PerSchool)
	schools = append([]Reviewee(nil), schools...)
	for i := range schools {
		s := &schools[i]
		if o.Focus {
			f := []partnership.ExpertiseID{syntheticAreas[rng.IntN(len(syntheticAreas))]}
			if rng.IntN(2) == 0 {
				if g := syntheticAreas[rng.IntN(len(syntheticAreas))]; g != f[0] {
					f = append(f, g)
				}
			}
			s.Focus = f
		}
		for k := 1; k <= o.PerSchool; k++ {
			r := Reviewer{
				ID:        ReviewerID(fmt.Sprintf("syn-%d-%d", s.URN, k)),
				Name:      fmt.Sprintf("synthetic reviewer %d of %s", k, cmp.Or(s.Name, s.URN.String())),
				Role:      partnership.RoleSeniorLeader,
				Home:      s.URN,
				Trust:     s.Trust,
				Phases:    []partnership.Phase{s.Phase},
				Capacity:  o.Capacity,
				Location:  s.Location,
				Reviews:   2 + rng.IntN(6),
				Synthetic: true,
			}
			if k == 1 {
				r.Role = partnership.RoleHeadteacher
				r.TrainedLead = rng.Float64() < o.LeadShare
			}
			if !r.TrainedLead && rng.Float64() < o.NewShare {
				r.Reviews = 0
			}
			for range 1 + rng.IntN(3) {
				e := syntheticAreas[rng.IntN(len(syntheticAreas))]
				if !containsID(r.Expertise, e) {
					r.Expertise = append(r.Expertise, e)
				}
			}
			out = append(out, r)
		}
	}
	return out, schools
}

func containsID(s []partnership.ExpertiseID, e partnership.ExpertiseID) bool {
	for _, x := range s {
		if x == e {
			return true
		}
	}
	return false
}
