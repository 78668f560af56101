package review

import (
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Event is a change to a review or to who may read it. The concrete types
// are ReviewOpened, StageChanged, TeamAssigned, ExcellenceNominatedEvent,
// ExcellenceValidatedEvent, ReportIssued and ConsentRecorded; the set is sealed.
// Events carry IDs, never report content, so a subscriber cannot bypass the
// access policy.
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
type ExcellenceNominatedEvent struct {
	At        time.Time
	Review    ReviewID
	Expertise partnership.ExpertiseID
}

// ExcellenceValidatedEvent: a reviewer validated (or declined) an area.
type ExcellenceValidatedEvent struct {
	At        time.Time
	Review    ReviewID
	Expertise partnership.ExpertiseID
	By        ReviewerID
	Validated bool
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
func (e ExcellenceValidatedEvent) When() time.Time { return e.At }

// When implements Event.
func (e ReportIssued) When() time.Time { return e.At }

// When implements Event.
func (e ConsentRecorded) When() time.Time { return e.At }

func (ReviewOpened) event()             {}
func (StageChanged) event()             {}
func (TeamAssigned) event()             {}
func (ExcellenceNominatedEvent) event() {}
func (ExcellenceValidatedEvent) event() {}
func (ReportIssued) event()             {}
func (ConsentRecorded) event()          {}
