package review

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Options configure a Service. A nil *Options means the defaults.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives a line per denied read; nil discards.
	Logger *slog.Logger
}

// Service runs peer-review programmes over a Store: it owns validation,
// IDs, time, stage transitions, events and the access policy. Every read of
// a report goes through it, is decided by Decide and is audited; nothing it
// returns outside Report and the report-derived outputs carries report
// content. It is safe for concurrent use.
type Service struct {
	store      Store
	frameworks *Frameworks
	now        func() time.Time
	log        *slog.Logger

	mu   sync.Mutex
	subs map[int]func(Event)
	next int
}

// NewService returns a Service over store judging against frameworks (nil
// means the built-in ones).
func NewService(store Store, frameworks *Frameworks, opts *Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrInvalid)
	}
	if frameworks == nil {
		var err error
		if frameworks, err = NewFrameworks(); err != nil {
			return nil, err
		}
	}
	s := &Service{store: store, frameworks: frameworks, now: time.Now, log: slog.New(slog.DiscardHandler), subs: map[int]func(Event){}}
	if opts != nil && opts.Now != nil {
		s.now = opts.Now
	}
	if opts != nil && opts.Logger != nil {
		s.log = opts.Logger
	}
	return s, nil
}

// Subscribe registers fn to receive every event, synchronously and in order
// after the change is stored; fn must not block or call back into the
// Service. The returned function unsubscribes.
func (s *Service) Subscribe(fn func(Event)) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.next
	s.next++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

func (s *Service) emit(events ...Event) {
	s.mu.Lock()
	ids := make([]int, 0, len(s.subs))
	for id := range s.subs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	fns := make([]func(Event), len(ids))
	for i, id := range ids {
		fns[i] = s.subs[id]
	}
	s.mu.Unlock()
	for _, e := range events {
		for _, fn := range fns {
			fn(e)
		}
	}
}

// CreateProgramme stores a programme; its framework must be known.
func (s *Service) CreateProgramme(ctx context.Context, p Programme) error {
	if p.ID == "" || p.Lead == "" {
		return fmt.Errorf("create programme: %w: a programme needs an ID and a lead", ErrInvalid)
	}
	if _, err := s.frameworks.Get(p.Framework); err != nil {
		return fmt.Errorf("create programme %s: %w", p.ID, err)
	}
	if err := s.store.PutProgramme(ctx, p); err != nil {
		return fmt.Errorf("create programme %s: %w", p.ID, err)
	}
	return nil
}

// CreateCycle stores a cycle of a known programme.
func (s *Service) CreateCycle(ctx context.Context, c Cycle) error {
	if c.ID == "" || !c.Period.Valid() {
		return fmt.Errorf("create cycle: %w: a cycle needs an ID and a valid period", ErrInvalid)
	}
	if _, err := s.store.Programme(ctx, c.Programme); err != nil {
		return fmt.Errorf("create cycle %s: %w", c.ID, err)
	}
	if err := s.store.PutCycle(ctx, c); err != nil {
		return fmt.Errorf("create cycle %s: %w", c.ID, err)
	}
	return nil
}

// OpenReview opens the review of a school in a cycle, at the
// self-evaluation stage, with deadlines for its stages. Its ID is
// "CYCLE/URN". The cycle and its programme are read from the store
// (ErrNotFound when unknown). Deadlines are checked and stored in stage
// order: at most one per stage from self-evaluation to follow-up, none
// before the Service's now, none before an earlier stage's; every problem
// is reported, wrapping ErrInvalid and naming the stage.
func (s *Service) OpenReview(ctx context.Context, cycle CycleID, school partnership.URN, trust partnership.OrgID, deadlines []Deadline) (Status, error) {
	c, err := s.store.Cycle(ctx, cycle)
	if err != nil {
		return Status{}, fmt.Errorf("open review: %w", err)
	}
	p, err := s.store.Programme(ctx, c.Programme)
	if err != nil {
		return Status{}, fmt.Errorf("open review: %w", err)
	}
	if school <= 0 {
		return Status{}, fmt.Errorf("open review: %w: school: no school", ErrInvalid)
	}
	ds, err := checkDeadlines(deadlines, s.now())
	if err != nil {
		return Status{}, fmt.Errorf("open review %s/%d: %w", cycle, school, err)
	}
	r := Review{ID: ReviewID(fmt.Sprintf("%s/%d", cycle, school)), Cycle: cycle, Programme: p.ID, Framework: p.Framework,
		School: school, Trust: trust, Stage: StageSelfEvaluation, Deadlines: ds}
	if err := s.store.CreateReview(ctx, r); err != nil {
		return Status{}, fmt.Errorf("open review %s: %w", r.ID, err)
	}
	s.emit(ReviewOpened{At: s.now(), Review: r.ID, Cycle: cycle, School: school})
	return r.status(), nil
}

// update loads a review, checks it is at one of the stages, applies fn and
// stores it, moving it to stage to (unless to is StageUnknown), then emits
// the StageChanged event and extra.
func (s *Service) update(ctx context.Context, op string, id ReviewID, stages []Stage, to Stage, fn func(*Review, *Framework) ([]Event, error)) (Status, error) {
	r, err := s.store.Review(ctx, id)
	if err != nil {
		return Status{}, fmt.Errorf("%s: %w", op, err)
	}
	if !slices.Contains(stages, r.Stage) {
		return Status{}, fmt.Errorf("%s %s: %w: the review is at stage %s", op, id, ErrTransition, r.Stage)
	}
	fw, err := s.frameworks.Get(r.Framework)
	if err != nil {
		return Status{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	extra, err := fn(&r, fw)
	if err != nil {
		return Status{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	from := r.Stage
	if to != StageUnknown {
		r.Stage = to
	}
	if err := s.store.UpdateReview(ctx, r); err != nil {
		return Status{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	now := s.now()
	var evs []Event
	if r.Stage != from {
		evs = append(evs, StageChanged{At: now, Review: id, School: r.School, From: from, To: r.Stage})
	}
	for _, e := range extra {
		evs = append(evs, stamp(e, now))
	}
	s.emit(evs...)
	return r.status(), nil
}

func stamp(e Event, t time.Time) Event {
	switch e := e.(type) {
	case TeamAssigned:
		e.At = t
		return e
	case ExcellenceNominatedEvent:
		e.At = t
		return e
	case ExcellenceDecidedEvent:
		e.At = t
		return e
	case ReportIssued:
		e.At = t
		return e
	}
	return e
}

func checkEstimates(fw *Framework, es []Estimate) error {
	var errs []error
	seen := map[AreaID]bool{}
	for _, e := range es {
		if seen[e.Area] {
			errs = append(errs, fmt.Errorf("%w: area %s estimated twice", ErrInvalid, e.Area))
		}
		seen[e.Area] = true
		if err := fw.CheckEstimate(e.Area, e.Grade); err != nil {
			errs = append(errs, err)
		}
	}
	return joinErrs(errs)
}

// isSchool reports whether the actor is the reviewed school.
func isSchool(actor Reader, r *Review) bool {
	return !actor.Accountability && actor.Org == r.School.OrgID()
}

// RecordSelfEvaluation stores the school's own score card against the
// framework and moves the review to planning. Only the school may record it.
func (s *Service) RecordSelfEvaluation(ctx context.Context, actor Reader, id ReviewID, card []Estimate) (Status, error) {
	return s.update(ctx, "record self-evaluation", id, []Stage{StageSelfEvaluation}, StagePlanning, func(r *Review, fw *Framework) ([]Event, error) {
		if !isSchool(actor, r) {
			return nil, fmt.Errorf("%w: only the school records its self-evaluation", ErrForbidden)
		}
		if err := checkEstimates(fw, card); err != nil {
			return nil, err
		}
		r.SelfEvaluation = slices.Clone(card)
		return nil, nil
	})
}

// AssignTeam sets the review team before the visit: exactly one lead,
// every reviewer named once (a reviewer listed twice would count twice in
// Reciprocity) and none from the school itself; every problem is
// reported, wrapping ErrInvalid.
func (s *Service) AssignTeam(ctx context.Context, id ReviewID, team []TeamMember) (Status, error) {
	return s.update(ctx, "assign team", id, []Stage{StageSelfEvaluation, StagePlanning, StageVisit}, StageUnknown, func(r *Review, _ *Framework) ([]Event, error) {
		if err := checkTeam(team, r.School); err != nil {
			return nil, err
		}
		r.Team = slices.Clone(team)
		return []Event{TeamAssigned{Review: r.ID, Team: slices.Clone(team)}}, nil
	})
}

// AssignTeams assigns the teams of an allocation to the reviews of a cycle
// (review "CYCLE/URN" for each team) and returns how many were assigned.
// A team that cannot be assigned (one without a lead, which the
// allocation's Shortfalls explain, or a review not found or past the stage
// for a team) does not stop the others: every such team is reported in the
// joined error, each naming its school and wrapping ErrInvalid, ErrNotFound
// or ErrTransition. Any other error (the store failing) stops at once.
func (s *Service) AssignTeams(ctx context.Context, cycle CycleID, a *Allocation) (int, error) {
	if _, err := s.store.Cycle(ctx, cycle); err != nil {
		return 0, fmt.Errorf("assign teams: %w", err)
	}
	n := 0
	var skipped []error
	for _, t := range a.Teams {
		team := make([]TeamMember, len(t.Members))
		for i, m := range t.Members {
			team[i] = TeamMember{Reviewer: m.Reviewer, Home: m.Home, Lead: m.Lead}
		}
		if _, err := s.AssignTeam(ctx, ReviewID(fmt.Sprintf("%s/%d", cycle, t.School)), team); err != nil {
			if errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrTransition) {
				skipped = append(skipped, fmt.Errorf("school %d: %w", t.School, err))
				continue
			}
			return n, err
		}
		n++
	}
	if len(skipped) > 0 {
		return n, fmt.Errorf("assign teams: %d of %d teams not assigned: %w", len(skipped), len(a.Teams), errors.Join(skipped...))
	}
	return n, nil
}

// SetPlan records the school's focus and the team's hypotheses and moves
// the review to the visit stage.
func (s *Service) SetPlan(ctx context.Context, id ReviewID, p Plan) (Status, error) {
	return s.update(ctx, "set plan", id, []Stage{StagePlanning}, StageVisit, func(r *Review, _ *Framework) ([]Event, error) {
		r.Plan = Plan{Focus: slices.Clone(p.Focus), Hypotheses: slices.Clone(p.Hypotheses)}
		return nil, nil
	})
}

// RecordVisit records the visit; the review needs a team with a lead.
func (s *Service) RecordVisit(ctx context.Context, id ReviewID, v Visit) (Status, error) {
	return s.update(ctx, "record visit", id, []Stage{StageVisit}, StageFindings, func(r *Review, _ *Framework) ([]Event, error) {
		if !slices.ContainsFunc(r.Team, func(m TeamMember) bool { return m.Lead }) {
			return nil, fmt.Errorf("%w: no team lead assigned", ErrTransition)
		}
		if v.Date.IsZero() || v.Days < 0 {
			return nil, fmt.Errorf("%w: a visit needs a date", ErrInvalid)
		}
		r.Visit = v
		return nil, nil
	})
}

// NominateExcellence records an area of excellence the school nominates,
// at any stage before the report. Only the school itself (actor.Org is its
// organisation, not an accountability body) may nominate; every attempt is
// audited. The event it emits names the review, not the area.
func (s *Service) NominateExcellence(ctx context.Context, actor Reader, id ReviewID, area partnership.ExpertiseID, description string) (Status, error) {
	return s.update(ctx, "nominate excellence", id, []Stage{StageSelfEvaluation, StagePlanning, StageVisit, StageFindings}, StageUnknown,
		func(r *Review, _ *Framework) ([]Event, error) {
			ok := isSchool(actor, r)
			if err := s.auditWrite(ctx, "NominateExcellence", actor, r, ok, BasisSchool); err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("%w: only the school nominates its areas of excellence", ErrForbidden)
			}
			if area == "" || slices.ContainsFunc(r.Excellence, func(a AreaOfExcellence) bool { return a.Expertise == area }) {
				return nil, fmt.Errorf("%w: area %q is empty or already nominated", ErrInvalid, area)
			}
			r.Excellence = append(r.Excellence, AreaOfExcellence{Expertise: area, Description: description, Status: ExcellenceNominated})
			return []Event{ExcellenceNominatedEvent{Review: r.ID, School: r.School}}, nil
		})
}

// teamMember returns the index of the team member the actor acts as, or -1
// when the actor may not act for the team: the actor must name a reviewer
// on the team (actor.Reviewer), must not be an accountability body nor the
// reviewed school, and when that reviewer has a home school the actor's
// organisation must be it. So a school cannot validate its own area by
// naming the lead: its organisation is not the lead's.
func teamMember(actor Reader, r *Review) int {
	if actor.Reviewer == "" || actor.Org == "" || actor.Accountability || actor.Org == r.School.OrgID() {
		return -1
	}
	i := slices.IndexFunc(r.Team, func(m TeamMember) bool { return m.Reviewer == actor.Reviewer })
	if i < 0 || r.Team[i].Home == r.School || (r.Team[i].Home > 0 && actor.Org != r.Team[i].Home.OrgID()) {
		return -1
	}
	return i
}

// ValidateExcellence records the team's decision on a nominated area,
// after the visit and before the report. The actor acts as a member of the
// review team: actor.Reviewer is on the team, actor.Org is that reviewer's
// home school (any organisation but the reviewed school's for an external
// reviewer), and the actor is neither the reviewed school nor an
// accountability body; so a school cannot validate its own area of
// excellence, even by naming the lead. Every attempt is audited.
//
// The actor is checked before the area is looked up, so a caller who may
// not act gets the same ErrForbidden whether or not the area was
// nominated; only a team member learns, through ErrNotFound, that it was
// not. The event it emits names the review and the reviewer, not the area
// nor the decision.
func (s *Service) ValidateExcellence(ctx context.Context, actor Reader, id ReviewID, area partnership.ExpertiseID, validated bool, evidence string) (Status, error) {
	return s.update(ctx, "validate excellence", id, []Stage{StageFindings}, StageUnknown, func(r *Review, _ *Framework) ([]Event, error) {
		i := teamMember(actor, r)
		if err := s.auditWrite(ctx, "ValidateExcellence", actor, r, i >= 0, BasisReviewTeam); err != nil {
			return nil, err
		}
		if i < 0 {
			return nil, fmt.Errorf("%w: %s may not decide the review team's validations", ErrForbidden, actor.Org)
		}
		j := slices.IndexFunc(r.Excellence, func(a AreaOfExcellence) bool { return a.Expertise == area })
		if j < 0 {
			return nil, fmt.Errorf("%w: area %q was not nominated", ErrNotFound, area)
		}
		r.Excellence[j].Status = ExcellenceNotValidated
		if validated {
			r.Excellence[j].Status = ExcellenceValidated
		}
		r.Excellence[j].ValidatedBy, r.Excellence[j].Evidence = actor.Reviewer, evidence
		return []Event{ExcellenceDecidedEvent{Review: r.ID, School: r.School, By: actor.Reviewer}}, nil
	})
}

// auditWrite records an attempt to change a report's excellence part.
func (s *Service) auditWrite(ctx context.Context, method string, actor Reader, r *Review, allowed bool, basis Basis) error {
	e := AuditEntry{At: s.now(), Reader: actor, Review: r.ID, School: r.School, Method: method, Allowed: allowed}
	if allowed {
		e.Basis, e.Parts = basis, []Part{PartExcellence}
	} else {
		s.log.Info("report change denied", "actor", actor.Org, "review", r.ID, "method", method)
	}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AgreeFindings records the findings agreed after the visit (estimates
// checked against the framework) and moves the review to the report stage.
// Nominated areas the team has not decided stay nominated.
func (s *Service) AgreeFindings(ctx context.Context, id ReviewID, f Findings) (Status, error) {
	return s.update(ctx, "agree findings", id, []Stage{StageFindings}, StageReport, func(r *Review, fw *Framework) ([]Event, error) {
		if err := checkEstimates(fw, f.Estimates); err != nil {
			return nil, err
		}
		r.Findings = Findings{Estimates: slices.Clone(f.Estimates), Strengths: slices.Clone(f.Strengths),
			AreasForDevelopment: slices.Clone(f.AreasForDevelopment)}
		return nil, nil
	})
}

// IssueReport issues the report to the school. A report needs agreed
// findings, so never comes before the visit.
func (s *Service) IssueReport(ctx context.Context, id ReviewID) (Status, error) {
	return s.update(ctx, "issue report", id, []Stage{StageReport}, StageImprovement, func(r *Review, _ *Framework) ([]Event, error) {
		r.Issued = s.now()
		return []Event{ReportIssued{Review: r.ID, School: r.School}}, nil
	})
}

// RecordImprovement records the improvement workshop or plan.
func (s *Service) RecordImprovement(ctx context.Context, id ReviewID, im Improvement) (Status, error) {
	return s.update(ctx, "record improvement", id, []Stage{StageImprovement}, StageFollowUp, func(r *Review, _ *Framework) ([]Event, error) {
		r.Improvement = Improvement{Workshop: im.Workshop, Actions: slices.Clone(im.Actions)}
		return nil, nil
	})
}

// RecordFollowUp records the follow-up and closes the review.
func (s *Service) RecordFollowUp(ctx context.Context, id ReviewID, f FollowUp) (Status, error) {
	return s.update(ctx, "record follow-up", id, []Stage{StageFollowUp}, StageClosed, func(r *Review, _ *Framework) ([]Event, error) {
		if f.Date.IsZero() {
			return nil, fmt.Errorf("%w: a follow-up needs a date", ErrInvalid)
		}
		r.FollowUp = f
		return nil, nil
	})
}

// Status returns what anyone may know of a review (no report content).
func (s *Service) Status(ctx context.Context, id ReviewID) (Status, error) {
	r, err := s.store.Review(ctx, id)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	return r.status(), nil
}

// Statuses yields the status of every review in a cycle, in ID order.
func (s *Service) Statuses(ctx context.Context, cycle CycleID) iter.Seq2[Status, error] {
	return func(yield func(Status, error) bool) {
		if _, err := s.store.Cycle(ctx, cycle); err != nil {
			yield(Status{}, fmt.Errorf("statuses: %w", err))
			return
		}
		for r, err := range s.reviews(ctx, ReviewQuery{Cycle: cycle}) {
			if err != nil {
				yield(Status{}, err)
				return
			}
			if !yield(r.status(), nil) {
				return
			}
		}
	}
}

func (s *Service) reviews(ctx context.Context, q ReviewQuery) iter.Seq2[Review, error] {
	return func(yield func(Review, error) bool) {
		cursor := ""
		for {
			page, next, err := s.store.ListReviews(ctx, q, cursor, 0)
			if err != nil {
				yield(Review{}, fmt.Errorf("list reviews: %w", err))
				return
			}
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			cursor = next
		}
	}
}

// Overdue returns the open reviews of a cycle with a deadline before at
// that they have still to meet (Status.Due: that of the current stage or
// of a later one, improvement and follow-up included), most overdue first.
// An unknown cycle is an error wrapping ErrNotFound.
func (s *Service) Overdue(ctx context.Context, cycle CycleID, at time.Time) ([]Status, error) {
	var out []Status
	for st, err := range s.Statuses(ctx, cycle) {
		if err != nil {
			return nil, fmt.Errorf("overdue: %w", err)
		}
		if !st.Due.IsZero() && st.Due.Before(at) {
			out = append(out, st)
		}
	}
	slices.SortStableFunc(out, func(a, b Status) int { return a.Due.Compare(b.Due) })
	return out, nil
}

// Reciprocity is one school's part in a cycle: whether it was reviewed (its
// visit took place) and the reviewer days it gave and received.
type Reciprocity struct {
	School       partnership.URN `json:"school"`
	Reviewed     bool            `json:"reviewed"`
	DaysGiven    float64         `json:"days_given"`
	DaysReceived float64         `json:"days_received"`
	ReviewsGiven int             `json:"reviews_given"`
}

// Reciprocity reports, for every school that was reviewed or gave reviewers
// in the cycle, what it received and gave; visits not yet made count
// nothing. Sorted by URN.
func (s *Service) Reciprocity(ctx context.Context, cycle CycleID) ([]Reciprocity, error) {
	c, err := s.store.Cycle(ctx, cycle)
	if err != nil {
		return nil, fmt.Errorf("reciprocity: %w", err)
	}
	p, err := s.store.Programme(ctx, c.Programme)
	if err != nil {
		return nil, fmt.Errorf("reciprocity: %w", err)
	}
	by := map[partnership.URN]*Reciprocity{}
	get := func(u partnership.URN) *Reciprocity {
		if by[u] == nil {
			by[u] = &Reciprocity{School: u}
		}
		return by[u]
	}
	for r, err := range s.reviews(ctx, ReviewQuery{Cycle: cycle}) {
		if err != nil {
			return nil, err
		}
		get(r.School)
		if r.Visit.Date.IsZero() {
			continue
		}
		days := r.Visit.Days
		if days == 0 {
			days = p.DaysPerVisit
		}
		if days == 0 {
			days = 1
		}
		me := get(r.School)
		me.Reviewed = true
		for _, m := range r.Team {
			me.DaysReceived += days
			if m.Home > 0 {
				g := get(m.Home)
				g.DaysGiven += days
				g.ReviewsGiven++
			}
		}
	}
	out := make([]Reciprocity, 0, len(by))
	for _, v := range by {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b Reciprocity) int { return int(a.School) - int(b.School) })
	return out, nil
}

// RecordConsent records a school's consent for another organisation to read
// parts of its reports. Only the school itself may record it; the Service
// sets ID, RecordedAt and RecordedBy.
func (s *Service) RecordConsent(ctx context.Context, actor Reader, c Consent) (Consent, error) {
	if !(actor.Org == c.School.OrgID() && !actor.Accountability) {
		return Consent{}, fmt.Errorf("record consent: %w: only school %d may consent to reading its reports", ErrForbidden, c.School)
	}
	if c.Grantee == "" || c.School <= 0 {
		return Consent{}, fmt.Errorf("record consent: %w: a consent needs a school and a grantee", ErrInvalid)
	}
	for _, p := range c.Parts {
		if p <= PartUnknown || p > PartImprovement {
			return Consent{}, fmt.Errorf("record consent: %w: unknown part %d", ErrInvalid, int(p))
		}
	}
	existing, err := s.store.Consents(ctx, c.School)
	if err != nil {
		return Consent{}, fmt.Errorf("record consent: %w", err)
	}
	now := s.now()
	c.ID = ConsentID(fmt.Sprintf("%d/%d", c.School, len(existing)+1))
	c.RecordedAt, c.RecordedBy, c.RevokedAt = now, actor, time.Time{}
	c.Parts = slices.Clone(c.Parts)
	if err := s.store.AddConsent(ctx, c); err != nil {
		return Consent{}, fmt.Errorf("record consent: %w", err)
	}
	s.emit(ConsentRecorded{At: now, Consent: c.ID, School: c.School, Grantee: c.Grantee})
	return c, nil
}

// RevokeConsent revokes a consent; only the school may.
func (s *Service) RevokeConsent(ctx context.Context, actor Reader, school partnership.URN, id ConsentID) error {
	if !(actor.Org == school.OrgID() && !actor.Accountability) {
		return fmt.Errorf("revoke consent %s: %w", id, ErrForbidden)
	}
	cs, err := s.store.Consents(ctx, school)
	if err != nil {
		return fmt.Errorf("revoke consent %s: %w", id, err)
	}
	i := slices.IndexFunc(cs, func(c Consent) bool { return c.ID == id })
	if i < 0 {
		return fmt.Errorf("revoke consent %s: %w", id, ErrNotFound)
	}
	c := cs[i]
	c.RevokedAt = s.now()
	if err := s.store.RevokeConsent(ctx, c); err != nil {
		return fmt.Errorf("revoke consent %s: %w", id, err)
	}
	s.emit(ConsentRecorded{At: c.RevokedAt, Consent: id, School: school, Grantee: c.Grantee, Revoked: true})
	return nil
}

// authorize decides and audits one read of a review's report.
func (s *Service) authorize(ctx context.Context, method string, reader Reader, r *Review) (Decision, error) {
	p, err := s.store.Programme(ctx, r.Programme)
	if err != nil {
		return Decision{}, err
	}
	consents, err := s.store.Consents(ctx, r.School)
	if err != nil {
		return Decision{}, err
	}
	now := s.now()
	d := Decide(reader, r, p.Lead, consents, now)
	entry := AuditEntry{At: now, Reader: reader, Review: r.ID, School: r.School, Method: method, Allowed: d.Allowed, Basis: d.Basis, Parts: d.Parts}
	if err := s.store.AppendAudit(ctx, entry); err != nil {
		return Decision{}, fmt.Errorf("audit: %w", err)
	}
	if !d.Allowed {
		s.log.Info("report read denied", "reader", reader.Org, "review", r.ID, "method", method)
		return d, fmt.Errorf("%w: %s may not read report %s", ErrForbidden, reader.Org, r.ID)
	}
	return d, nil
}

// Report returns the parts of a review's report the reader may read. A
// reader the policy refuses gets an error wrapping ErrForbidden; the
// attempt is audited either way.
func (s *Service) Report(ctx context.Context, reader Reader, id ReviewID) (Report, error) {
	r, err := s.store.Review(ctx, id)
	if err != nil {
		return Report{}, fmt.Errorf("report: %w", err)
	}
	d, err := s.authorize(ctx, "Report", reader, &r)
	if err != nil {
		return Report{}, fmt.Errorf("report %s: %w", id, err)
	}
	return redact(&r, d.Parts), nil
}

// Reports yields the reports of a school's reviews that the reader may
// read, each read checked and audited; reviews the reader may not read are
// skipped (and audited as denied).
func (s *Service) Reports(ctx context.Context, reader Reader, school partnership.URN) iter.Seq2[Report, error] {
	return func(yield func(Report, error) bool) {
		for r, err := range s.reviews(ctx, ReviewQuery{School: school}) {
			if err != nil {
				yield(Report{}, err)
				return
			}
			d, err := s.authorize(ctx, "Reports", reader, &r)
			if err != nil {
				continue
			}
			if !yield(redact(&r, d.Parts), nil) {
				return
			}
		}
	}
}

// Audit returns the audit trail of reads of a school's reports, oldest
// first. Only the school and readers with full access by default (its
// trust, the programme lead of one of its reviews) may read it.
func (s *Service) Audit(ctx context.Context, reader Reader, school partnership.URN) ([]AuditEntry, error) {
	allowed := isSchool(reader, &Review{School: school})
	if !allowed {
		for r, err := range s.reviews(ctx, ReviewQuery{School: school}) {
			if err != nil {
				return nil, err
			}
			p, err := s.store.Programme(ctx, r.Programme)
			if err != nil {
				return nil, err
			}
			if d := Decide(reader, &r, p.Lead, nil, s.now()); d.Allowed {
				allowed = true
				break
			}
		}
	}
	if !allowed {
		return nil, fmt.Errorf("audit %d: %w", school, ErrForbidden)
	}
	var out []AuditEntry
	cursor := ""
	for {
		page, next, err := s.store.Audit(ctx, school, cursor, 0)
		if err != nil {
			return nil, fmt.Errorf("audit %d: %w", school, err)
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}
