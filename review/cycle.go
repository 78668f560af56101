package review

import (
	"fmt"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ProgrammeID identifies a peer-review or quality-assurance programme.
type ProgrammeID string

// CycleID identifies a cycle of a programme.
type CycleID string

// ReviewID identifies one school's review in a cycle; the review's report
// has the same ID.
type ReviewID string

// ConsentID identifies a consent a school recorded.
type ConsentID string

// Programme is a peer-review programme run by an alliance, a trust or a hub:
// every school in it is reviewed each cycle and its leaders review others.
type Programme struct {
	ID   ProgrammeID `json:"id"`
	Name string      `json:"name"`
	// Lead is the organisation that runs the programme (the alliance's
	// secretariat, the hub); it may read every report by default.
	Lead      partnership.OrgID `json:"lead"`
	Framework FrameworkID       `json:"framework"`
	// DaysPerVisit is the reviewer days one review costs each team member;
	// 0 means 1.
	DaysPerVisit float64 `json:"days_per_visit,omitempty"`
}

// Cycle is one round of a programme, such as an academic year.
type Cycle struct {
	ID        CycleID            `json:"id"`
	Programme ProgrammeID        `json:"programme"`
	Name      string             `json:"name"`
	Period    partnership.Period `json:"period"`
}

// Stage is the stage a review is in: the step it is waiting for.
type Stage int

// Stages of a review, in order. Each Service method that completes a stage
// moves the review to the next one.
const (
	StageUnknown Stage = iota
	// StageSelfEvaluation: waiting for the school's own score card.
	StageSelfEvaluation
	// StagePlanning: waiting for the plan (the school's focus and the
	// team's hypotheses).
	StagePlanning
	// StageVisit: waiting for the visit.
	StageVisit
	// StageFindings: the visit has happened; waiting for agreed findings.
	StageFindings
	// StageReport: findings agreed; waiting for the report to be issued.
	StageReport
	// StageImprovement: report issued; waiting for the improvement
	// workshop or plan.
	StageImprovement
	// StageFollowUp: waiting for the follow-up.
	StageFollowUp
	// StageClosed: the review is complete.
	StageClosed
)

var stageNames = enum.New[Stage]("stage", []string{
	"unknown", "self-evaluation", "planning", "visit", "findings", "report", "improvement", "follow-up", "closed",
}, nil)

// String returns the Stage's name.
func (s Stage) String() string { return stageNames.String(s) }

// MarshalText implements encoding.TextMarshaler.
func (s Stage) MarshalText() ([]byte, error) { return stageNames.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Stage) UnmarshalText(b []byte) error { return stageNames.Unmarshal(b, s) }

// Deadline is the date by which the review must leave a stage.
type Deadline struct {
	Stage Stage     `json:"stage"`
	Due   time.Time `json:"due"`
}

// TeamMember is a reviewer on a review's team.
type TeamMember struct {
	Reviewer ReviewerID      `json:"reviewer"`
	Home     partnership.URN `json:"home,omitempty"`
	Lead     bool            `json:"lead,omitempty"`
}

// Estimate is a judgement of one framework area: a grade on the area's
// scale (empty for an ungraded enquiry) with the evidence behind it.
type Estimate struct {
	Area     AreaID `json:"area"`
	Grade    string `json:"grade,omitempty"`
	Evidence string `json:"evidence,omitempty"`
}

// Plan is the review's planning: the school's chosen focus and the team's
// hypotheses.
type Plan struct {
	Focus      []partnership.ExpertiseID `json:"focus,omitempty"`
	Hypotheses []string                  `json:"hypotheses,omitempty"`
}

// Visit records the review visit.
type Visit struct {
	Date time.Time `json:"date"`
	// Days is the length of the visit; 0 means the programme's
	// DaysPerVisit.
	Days float64 `json:"days,omitempty"`
}

// ExcellenceStatus is where an area of excellence stands.
type ExcellenceStatus int

// Statuses of an area of excellence.
const (
	ExcellenceUnknown ExcellenceStatus = iota
	// ExcellenceNominated: the school has put the area forward.
	ExcellenceNominated
	// ExcellenceValidated: the review team confirmed it.
	ExcellenceValidated
	// ExcellenceNotValidated: the team did not confirm it this cycle.
	ExcellenceNotValidated
)

var excellenceNames = enum.New[ExcellenceStatus]("excellence status", []string{"unknown", "nominated", "validated", "not-validated"}, nil)

// String returns the ExcellenceStatus's name.
func (s ExcellenceStatus) String() string { return excellenceNames.String(s) }

// MarshalText implements encoding.TextMarshaler.
func (s ExcellenceStatus) MarshalText() ([]byte, error) { return excellenceNames.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *ExcellenceStatus) UnmarshalText(b []byte) error { return excellenceNames.Unmarshal(b, s) }

// AreaOfExcellence is practice a school nominates and a review team
// validates, so it can be shared round the system.
type AreaOfExcellence struct {
	Expertise   partnership.ExpertiseID `json:"expertise"`
	Description string                  `json:"description,omitempty"`
	Status      ExcellenceStatus        `json:"status"`
	// ValidatedBy is the reviewer who validated it (never the school).
	ValidatedBy ReviewerID `json:"validated_by,omitempty"`
	Evidence    string     `json:"evidence,omitempty"`
}

// Findings are what the team and the school agree after the visit.
type Findings struct {
	Estimates           []Estimate    `json:"estimates,omitempty"`
	Strengths           []string      `json:"strengths,omitempty"`
	AreasForDevelopment []Development `json:"areas_for_development,omitempty"`
}

// Development is an area for development, tagged with the expertise that
// would help (so it can become a brokerage need).
type Development struct {
	Expertise   partnership.ExpertiseID `json:"expertise,omitempty"`
	Description string                  `json:"description"`
}

// Improvement records the improvement workshop or plan after the report.
type Improvement struct {
	Workshop time.Time `json:"workshop,omitzero"`
	Actions  []string  `json:"actions,omitempty"`
}

// FollowUp records the follow-up of an improvement plan.
type FollowUp struct {
	Date  time.Time `json:"date"`
	Notes string    `json:"notes,omitempty"`
}

// Review is one school's review in a cycle, as stored. The fields after
// Deadlines are the confidential report: the Service returns them only
// through Report, to readers the access policy allows.
type Review struct {
	ID        ReviewID          `json:"id"`
	Cycle     CycleID           `json:"cycle"`
	Programme ProgrammeID       `json:"programme"`
	Framework FrameworkID       `json:"framework"`
	School    partnership.URN   `json:"school"`
	Trust     partnership.OrgID `json:"trust,omitempty"`
	Stage     Stage             `json:"stage"`
	// Version counts the changes; a store rejects an update whose Version
	// is not the stored one with ErrConflict.
	Version   int          `json:"version"`
	Team      []TeamMember `json:"team,omitempty"`
	Deadlines []Deadline   `json:"deadlines,omitempty"`
	Visit     Visit        `json:"visit"`
	Issued    time.Time    `json:"issued,omitzero"`

	SelfEvaluation []Estimate         `json:"self_evaluation,omitempty"`
	Plan           Plan               `json:"plan"`
	Findings       Findings           `json:"findings"`
	Excellence     []AreaOfExcellence `json:"excellence,omitempty"`
	Improvement    Improvement        `json:"improvement"`
	FollowUp       FollowUp           `json:"follow_up"`
}

// Status is what anyone may know about a review without reading its report:
// whose it is, its stage, team and deadlines.
type Status struct {
	ID        ReviewID        `json:"id"`
	Cycle     CycleID         `json:"cycle"`
	School    partnership.URN `json:"school"`
	Stage     Stage           `json:"stage"`
	Team      []TeamMember    `json:"team,omitempty"`
	Deadlines []Deadline      `json:"deadlines,omitempty"`
	// Due is the earliest deadline the review has still to meet: that of
	// its current stage or of a later one (a review that has not left its
	// stage has not left the later ones either), zero if none or closed.
	// DueStage is the stage that deadline is for.
	Due      time.Time `json:"due,omitzero"`
	DueStage Stage     `json:"due_stage,omitempty"`
}

func (r *Review) status() Status {
	s := Status{ID: r.ID, Cycle: r.Cycle, School: r.School, Stage: r.Stage,
		Team: append([]TeamMember(nil), r.Team...), Deadlines: append([]Deadline(nil), r.Deadlines...)}
	for _, d := range r.Deadlines {
		if r.Stage != StageClosed && d.Stage >= r.Stage && (s.Due.IsZero() || d.Due.Before(s.Due)) {
			s.Due, s.DueStage = d.Due, d.Stage
		}
	}
	return s
}

// checkDeadlines checks a review's deadlines against the clock's now and
// returns them in stage order: each for a stage from self-evaluation to
// follow-up, at most one per stage, none in the past, and none before the
// deadline of an earlier stage. Every problem is reported, each wrapping
// ErrInvalid and naming the stage.
func checkDeadlines(ds []Deadline, now time.Time) ([]Deadline, error) {
	out := slices.Clone(ds)
	slices.SortStableFunc(out, func(a, b Deadline) int { return int(a.Stage) - int(b.Stage) })
	var errs []error
	for i, d := range out {
		switch {
		case d.Stage < StageSelfEvaluation || d.Stage >= StageClosed:
			errs = append(errs, fmt.Errorf("%w: deadlines: no stage %s has a deadline", ErrInvalid, d.Stage))
		case d.Due.IsZero():
			errs = append(errs, fmt.Errorf("%w: deadlines: stage %s: no date", ErrInvalid, d.Stage))
		case d.Due.Before(now):
			errs = append(errs, fmt.Errorf("%w: deadlines: stage %s: %s is in the past", ErrInvalid, d.Stage, d.Due.Format(time.DateOnly)))
		case i > 0 && out[i-1].Stage == d.Stage:
			errs = append(errs, fmt.Errorf("%w: deadlines: stage %s has two deadlines", ErrInvalid, d.Stage))
		case i > 0 && d.Due.Before(out[i-1].Due):
			errs = append(errs, fmt.Errorf("%w: deadlines: stage %s is due %s, before stage %s (%s)", ErrInvalid,
				d.Stage, d.Due.Format(time.DateOnly), out[i-1].Stage, out[i-1].Due.Format(time.DateOnly)))
		}
	}
	return out, joinErrs(errs)
}

// checkTeam checks a review team for the school: every member named once,
// none from the school itself, exactly one lead.
func checkTeam(team []TeamMember, school partnership.URN) error {
	var errs []error
	seen := map[ReviewerID]bool{}
	leads := 0
	for _, m := range team {
		switch {
		case m.Reviewer == "":
			errs = append(errs, fmt.Errorf("%w: team: a member has no reviewer ID", ErrInvalid))
		case seen[m.Reviewer]:
			errs = append(errs, fmt.Errorf("%w: team: reviewer %s appears twice", ErrInvalid, m.Reviewer))
		}
		seen[m.Reviewer] = true
		if m.Lead {
			leads++
		}
		if m.Home == school {
			errs = append(errs, fmt.Errorf("%w: team: reviewer %s is from the school itself", ErrInvalid, m.Reviewer))
		}
	}
	if leads != 1 {
		errs = append(errs, fmt.Errorf("%w: team: a team needs exactly one lead, got %d", ErrInvalid, leads))
	}
	return joinErrs(errs)
}
