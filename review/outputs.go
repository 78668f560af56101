package review

import (
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Indicator is one per-area estimate as a plain value that a risk policy can
// read: Name is "review.FRAMEWORK.AREA", Rank the grade's position on its
// scale (1 is best) and Value the same as a share, 1 for the best grade and
// 0 for the worst. The caller converts it to the receiving package's type.
type Indicator struct {
	School     partnership.URN            `json:"school"`
	Name       string                     `json:"name"`
	Area       AreaID                     `json:"area"`
	Evaluation partnership.EvaluationArea `json:"evaluation,omitempty"`
	Grade      string                     `json:"grade"`
	Rank       int                        `json:"rank"`
	Value      float64                    `json:"value"`
	Review     ReviewID                   `json:"review"`
	At         time.Time                  `json:"at,omitzero"`
}

// Offer is expertise a school can share because a review validated it as an
// area of excellence: a brokerage offer, as a plain value.
type Offer struct {
	School    partnership.URN         `json:"school"`
	Expertise partnership.ExpertiseID `json:"expertise"`
	// Evidence says why: the validating reviewer's note and the review.
	Evidence string   `json:"evidence,omitempty"`
	Review   ReviewID `json:"review"`
}

// Need is an area for development that support could help with: a
// brokerage need, as a plain value.
type Need struct {
	School      partnership.URN         `json:"school"`
	Expertise   partnership.ExpertiseID `json:"expertise,omitempty"`
	Description string                  `json:"description"`
	Review      ReviewID                `json:"review"`
}

// Indicators returns the report's graded estimates as indicators, in
// framework order; ungraded areas give none. It needs the estimates part
// (a report without it gives none).
func (r Report) Indicators(fw *Framework) []Indicator {
	var out []Indicator
	for _, a := range fw.Areas {
		for _, e := range r.Findings.Estimates {
			if e.Area != a.ID || e.Grade == "" {
				continue
			}
			sc := fw.ScaleOf(a)
			rank := sc.Rank(e.Grade)
			if rank == 0 {
				continue
			}
			v := 1.0
			if n := len(sc.Grades); n > 1 {
				v = float64(n-rank) / float64(n-1)
			}
			out = append(out, Indicator{School: r.School, Name: "review." + string(fw.ID) + "." + string(a.ID), Area: a.ID,
				Evaluation: a.Evaluation, Grade: e.Grade, Rank: rank, Value: v, Review: r.Review, At: r.Issued})
		}
	}
	return out
}

// Offers returns the validated areas of excellence as offers.
func (r Report) Offers() []Offer {
	var out []Offer
	for _, a := range r.Excellence {
		if a.Status == ExcellenceValidated {
			out = append(out, Offer{School: r.School, Expertise: a.Expertise, Evidence: a.Evidence, Review: r.Review})
		}
	}
	return out
}

// Needs returns the areas for development as needs.
func (r Report) Needs() []Need {
	var out []Need
	for _, d := range r.Findings.AreasForDevelopment {
		out = append(out, Need{School: r.School, Expertise: d.Expertise, Description: d.Description, Review: r.Review})
	}
	return out
}
