package review

import (
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Reader is whoever asks to read a report: an organisation, optionally a
// person in it. Accountability marks bodies that hold schools to account
// (Ofsted, the DfE, its RISE advisers): peer review stays separate from
// inspection, so they never read a report by default.
//
// The Service trusts the Reader it is given: the caller authenticates the
// person and organisation first. Reviewer names the review-team member the
// actor acts as, for the team's own changes (ValidateExcellence); it gives
// no right to read a report.
type Reader struct {
	Org            partnership.OrgID    `json:"org"`
	Person         partnership.PersonID `json:"person,omitempty"`
	Reviewer       ReviewerID           `json:"reviewer,omitempty"`
	Accountability bool                 `json:"accountability,omitempty"`
}

// Part is a part of a review report that access is granted to.
type Part int

// Parts of a report.
const (
	PartUnknown Part = iota
	// PartSelfEvaluation: the school's own score card.
	PartSelfEvaluation
	// PartPlan: focus and hypotheses.
	PartPlan
	// PartEstimates: per-area estimates (without evidence notes).
	PartEstimates
	// PartEvidence: the evidence notes behind the estimates.
	PartEvidence
	// PartStrengths: strengths.
	PartStrengths
	// PartAreasForDevelopment: areas for development.
	PartAreasForDevelopment
	// PartExcellence: nominated and validated areas of excellence.
	PartExcellence
	// PartImprovement: the improvement plan and follow-up.
	PartImprovement
)

var partNames = enum.New[Part]("report part", []string{
	"unknown", "self-evaluation", "plan", "estimates", "evidence", "strengths", "areas-for-development",
	"excellence", "improvement",
}, nil)

// String returns the Part's name.
func (p Part) String() string { return partNames.String(p) }

// MarshalText implements encoding.TextMarshaler.
func (p Part) MarshalText() ([]byte, error) { return partNames.Marshal(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Part) UnmarshalText(b []byte) error { return partNames.Unmarshal(b, p) }

// ParsePart parses a part name such as "estimates".
func ParsePart(s string) (Part, error) { return partNames.Parse(s) }

// AllParts returns every part of a report.
func AllParts() []Part { return partNames.Values() }

// Consent is a school's recorded permission for one organisation to read
// parts of its reports.
type Consent struct {
	ID     ConsentID       `json:"id"`
	School partnership.URN `json:"school"`
	// Review limits the consent to one review; "" covers every review of
	// the school.
	Review  ReviewID          `json:"review,omitempty"`
	Grantee partnership.OrgID `json:"grantee"`
	// Parts the grantee may read; empty means every part.
	Parts []Part `json:"parts,omitempty"`
	// Until ends the consent; zero means until revoked.
	Until      time.Time `json:"until,omitzero"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy Reader    `json:"recorded_by"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Basis is why a reader may read a report.
type Basis int

// Bases of access.
const (
	BasisNone Basis = iota
	BasisSchool
	BasisTrust
	BasisProgrammeLead
	BasisConsent
	// BasisReviewTeam: a member of the review team recording the team's
	// decision on an area of excellence (a write, never a read).
	BasisReviewTeam
)

var basisNames = enum.New[Basis]("basis", []string{"none", "school", "trust", "programme-lead", "consent", "review-team"}, nil)

// String returns the Basis's name.
func (b Basis) String() string { return basisNames.String(b) }

// MarshalText implements encoding.TextMarshaler.
func (b Basis) MarshalText() ([]byte, error) { return basisNames.Marshal(b) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Basis) UnmarshalText(t []byte) error { return basisNames.Unmarshal(t, b) }

// Decision is the access policy's answer for one reader and one report.
type Decision struct {
	Allowed bool   `json:"allowed"`
	Basis   Basis  `json:"basis"`
	Parts   []Part `json:"parts,omitempty"`
	// Consent is the consent relied on, when Basis is BasisConsent.
	Consent ConsentID `json:"consent,omitempty"`
}

// Decide is the access policy. A report belongs to the reviewed school:
//
//   - the school itself, its trust and the programme's lead read every
//     part;
//   - anyone else reads only the parts a consent of the school grants to
//     their organisation, for that review or all the school's reviews,
//     while the consent is in force (recorded, not revoked, not expired);
//   - an accountability body (Reader.Accountability) is never allowed on
//     the first ground, even if its organisation is the trust or the lead:
//     only a consent naming it lets it read.
//
// Decide is a pure function of its arguments, so every caller (the
// Service, a test, an auditor) gets the same answer.
func Decide(r Reader, rev *Review, programmeLead partnership.OrgID, consents []Consent, now time.Time) Decision {
	if r.Org == "" {
		return Decision{}
	}
	if !r.Accountability {
		switch {
		case r.Org == rev.School.OrgID():
			return Decision{Allowed: true, Basis: BasisSchool, Parts: AllParts()}
		case rev.Trust != "" && r.Org == rev.Trust:
			return Decision{Allowed: true, Basis: BasisTrust, Parts: AllParts()}
		case programmeLead != "" && r.Org == programmeLead:
			return Decision{Allowed: true, Basis: BasisProgrammeLead, Parts: AllParts()}
		}
	}
	for _, c := range consents {
		if c.School != rev.School || c.Grantee != r.Org || (c.Review != "" && c.Review != rev.ID) ||
			!c.RevokedAt.IsZero() || (!c.Until.IsZero() && !now.Before(c.Until)) || c.RecordedBy.Org != rev.School.OrgID() {
			continue
		}
		parts := c.Parts
		if len(parts) == 0 {
			parts = AllParts()
		}
		return Decision{Allowed: true, Basis: BasisConsent, Parts: slices.Clone(parts), Consent: c.ID}
	}
	return Decision{}
}

// Report is the confidential part of a review, as a reader may see it:
// only the parts in Parts are filled.
type Report struct {
	Review         ReviewID           `json:"review"`
	School         partnership.URN    `json:"school"`
	Cycle          CycleID            `json:"cycle"`
	Framework      FrameworkID        `json:"framework"`
	Stage          Stage              `json:"stage"`
	Issued         time.Time          `json:"issued,omitzero"`
	Parts          []Part             `json:"parts"`
	SelfEvaluation []Estimate         `json:"self_evaluation,omitempty"`
	Plan           Plan               `json:"plan"`
	Findings       Findings           `json:"findings"`
	Excellence     []AreaOfExcellence `json:"excellence,omitempty"`
	Improvement    Improvement        `json:"improvement"`
	FollowUp       FollowUp           `json:"follow_up"`
}

// redact builds the report a reader with parts may see.
func redact(rev *Review, parts []Part) Report {
	rep := Report{Review: rev.ID, School: rev.School, Cycle: rev.Cycle, Framework: rev.Framework, Stage: rev.Stage,
		Issued: rev.Issued, Parts: slices.Clone(parts)}
	has := func(p Part) bool { return slices.Contains(parts, p) }
	if has(PartSelfEvaluation) {
		rep.SelfEvaluation = slices.Clone(rev.SelfEvaluation)
	}
	if has(PartPlan) {
		rep.Plan = Plan{Focus: slices.Clone(rev.Plan.Focus), Hypotheses: slices.Clone(rev.Plan.Hypotheses)}
	}
	if has(PartEstimates) {
		for _, e := range rev.Findings.Estimates {
			if !has(PartEvidence) {
				e.Evidence = ""
			}
			rep.Findings.Estimates = append(rep.Findings.Estimates, e)
		}
	}
	if has(PartStrengths) {
		rep.Findings.Strengths = slices.Clone(rev.Findings.Strengths)
	}
	if has(PartAreasForDevelopment) {
		rep.Findings.AreasForDevelopment = slices.Clone(rev.Findings.AreasForDevelopment)
	}
	if has(PartExcellence) {
		rep.Excellence = slices.Clone(rev.Excellence)
	}
	if has(PartImprovement) {
		rep.Improvement = Improvement{Workshop: rev.Improvement.Workshop, Actions: slices.Clone(rev.Improvement.Actions)}
		rep.FollowUp = rev.FollowUp
	}
	return rep
}

// AuditEntry records one attempt to read a report through the Service, or to
// change its excellence part (Method "NominateExcellence" or
// "ValidateExcellence"), allowed or not.
type AuditEntry struct {
	At      time.Time       `json:"at"`
	Reader  Reader          `json:"reader"`
	Review  ReviewID        `json:"review"`
	School  partnership.URN `json:"school"`
	Method  string          `json:"method"`
	Allowed bool            `json:"allowed"`
	Basis   Basis           `json:"basis"`
	Parts   []Part          `json:"parts,omitempty"`
}
