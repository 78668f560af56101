package partnership

// Concern is what one inspection says about a school's need for support,
// read from whatever the inspection graded: its overall judgement when it
// gave one, otherwise its key judgements (graded inspections from
// September 2024, which give no overall judgement), its report-card areas
// (from November 2025) and its safeguarding outcome. Consumers that act
// on a school's latest inspection use the latest inspection's Concern and
// never fall back to an older overall judgement.
type Concern int

// Concerns, least first.
const (
	// ConcernUnknown: the inspection graded nothing that says.
	ConcernUnknown Concern = iota
	// ConcernNone: good or better (overall good or outstanding; or, with
	// no overall judgement, every key judgement good or better, every area
	// expected standard or better and safeguarding not found wanting).
	ConcernNone
	// ConcernImprove: below good (overall requires improvement; or a key
	// judgement requires improvement or an area needs attention).
	ConcernImprove
	// ConcernSerious: overall inadequate; or a key judgement inadequate,
	// an area needing urgent improvement or safeguarding not met.
	ConcernSerious
)

// Concern returns what the inspection says about the school's need for
// support (see Concern). An overall judgement, when given, decides alone.
func (in *Inspection) Concern() Concern {
	switch in.Overall {
	case RatingOutstanding, RatingGood:
		return ConcernNone
	case RatingRequiresImprovement:
		return ConcernImprove
	case RatingInadequate:
		return ConcernSerious
	}
	c := ConcernUnknown
	if in.Safeguarding == SafeguardingMet {
		c = ConcernNone
	}
	for _, j := range in.Judgements {
		switch j.Rating {
		case RatingOutstanding, RatingGood:
			c = max(c, ConcernNone)
		case RatingRequiresImprovement:
			c = max(c, ConcernImprove)
		case RatingInadequate:
			c = ConcernSerious
		}
	}
	for _, a := range in.Areas {
		switch a.Grade {
		case GradeExceptional, GradeStrongStandard, GradeExpectedStandard:
			c = max(c, ConcernNone)
		case GradeNeedsAttention:
			c = max(c, ConcernImprove)
		case GradeUrgentImprovement:
			c = ConcernSerious
		}
	}
	if in.Safeguarding == SafeguardingNotMet {
		c = ConcernSerious
	}
	return c
}
