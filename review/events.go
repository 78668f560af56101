package review

import (
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Event is a change to a review or to who may read it. The concrete types
// are ReviewOpened, StageChanged, TeamAssigned, ExcellenceNominatedEvent,
// ExcellenceDecidedEvent, ReportIssued and ConsentRecorded; the set is sealed.
//
// Events carry identifiers, stages and times only, never report content:
// not which area a school nominated, not whether the team validated it, no
// estimate, finding or plan. Every subscriber receives every event with no
// access check, so a subscriber that needs content reads it through
// Service.Report as a Reader, where the access policy decides and the read
// is audited. Two reviews that differ only in their content produce the
// same events (a test checks it for every event type).
type Event interface {
	// When returns the time of the change.
	When() time.Time
	event()
}

// ReviewOpened: a school's review was opened in a cycle.
type ReviewOpened struct {
	At     time.Time
	Review ReviewID
	Cycle  CycleID
	School partnership.URN
}

// StageChanged: a review moved from one stage to the next.
type StageChanged struct {
	At       time.Time
	Review   ReviewID
	School   partnership.URN
	From, To Stage
}

// TeamAssigned: a review's team was set.
type TeamAssigned struct {
	At     time.Time
	Review ReviewID
	Team   []TeamMember
}

// ExcellenceNominatedEvent: the school nominated an area of excellence.
// Which area is part of the report (PartExcellence), so it is not here.
type ExcellenceNominatedEvent struct {
	At     time.Time
	Review ReviewID
	School partnership.URN
}

// ExcellenceDecidedEvent: a member of the review team recorded the team's
// decision on a nominated area. Which area, and whether it was validated,
// are part of the report (PartExcellence), so neither is here.
type ExcellenceDecidedEvent struct {
	At     time.Time
	Review ReviewID
	School partnership.URN
	By     ReviewerID
}

// ReportIssued: the report was issued to the school.
type ReportIssued struct {
	At     time.Time
	Review ReviewID
	School partnership.URN
}

// ConsentRecorded: a school granted (or revoked) access to its reports.
type ConsentRecorded struct {
	At      time.Time
	Consent ConsentID
	School  partnership.URN
	Grantee partnership.OrgID
	Revoked bool
}

// When implements Event.
func (e ReviewOpened) When() time.Time { return e.At }

// When implements Event.
func (e StageChanged) When() time.Time { return e.At }

// When implements Event.
func (e TeamAssigned) When() time.Time { return e.At }

// When implements Event.
func (e ExcellenceNominatedEvent) When() time.Time { return e.At }

// When implements Event.
func (e ExcellenceDecidedEvent) When() time.Time { return e.At }

// When implements Event.
func (e ReportIssued) When() time.Time { return e.At }

// When implements Event.
func (e ConsentRecorded) When() time.Time { return e.At }

func (ReviewOpened) event()             {}
func (StageChanged) event()             {}
func (TeamAssigned) event()             {}
func (ExcellenceNominatedEvent) event() {}
func (ExcellenceDecidedEvent) event()   {}
func (ReportIssued) event()             {}
func (ConsentRecorded) event()          {}
