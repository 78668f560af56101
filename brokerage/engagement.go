package brokerage

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// EngagementID identifies an engagement.
type EngagementID string

// Status is where an engagement is in its life.
type Status int

// The life of an engagement: proposed → accepted or declined → agreed
// (objectives and expected impact agreed) → active → completed → impact
// reviewed. An accepted, agreed or active engagement may be cancelled.
const (
	StatusProposed Status = iota + 1
	StatusAccepted
	StatusDeclined
	StatusAgreed
	StatusActive
	StatusCompleted
	StatusImpactReviewed
	StatusCancelled
)

var statuses = enum.New[Status]("status", []string{"", "proposed", "accepted", "declined", "agreed", "active",
	"completed", "impact-reviewed", "cancelled"}, nil)

// String returns the status's name, e.g. "impact-reviewed".
func (s Status) String() string { return statuses.String(s) }

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return statuses.Marshal(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Status) UnmarshalText(b []byte) error { return statuses.Unmarshal(b, s) }

// Reserves reports whether an engagement in this status holds one unit of
// its offer's capacity: proposed, accepted, agreed and active do;
// declined, cancelled, completed and impact-reviewed have released it.
func (s Status) Reserves() bool {
	return s == StatusProposed || s == StatusAccepted || s == StatusAgreed || s == StatusActive
}

var transitions = map[Status][]Status{
	StatusProposed:  {StatusAccepted, StatusDeclined},
	StatusAccepted:  {StatusAgreed, StatusCancelled},
	StatusAgreed:    {StatusActive, StatusCancelled},
	StatusActive:    {StatusCompleted, StatusCancelled},
	StatusCompleted: {StatusImpactReviewed},
}

// CanMove reports whether an engagement may move from s to next.
func (s Status) CanMove(next Status) bool { return slices.Contains(transitions[s], next) }

// Engagement is a piece of support agreed between a school and a provider,
// from proposal to the review of its impact.
type Engagement struct {
	ID     EngagementID            `json:"id"`
	Need   NeedID                  `json:"need"`
	Offer  OfferID                 `json:"offer"`
	School partnership.URN         `json:"urn"`
	Area   partnership.ExpertiseID `json:"area"`
	Days   float64                 `json:"days"`
	Status Status                  `json:"status"`
	// Explanation is the match's explanation when the engagement came
	// from matching.
	Explanation    []Contribution `json:"explanation,omitempty"`
	Objectives     string         `json:"objectives,omitempty"`
	ExpectedImpact string         `json:"expected_impact,omitempty"`
	ImpactReview   string         `json:"impact_review,omitempty"`
	// Note records why an engagement was declined or cancelled.
	Note        string    `json:"note,omitempty"`
	ProposedAt  time.Time `json:"proposed_at"`
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	AgreedAt    time.Time `json:"agreed_at,omitzero"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	ReviewedAt  time.Time `json:"reviewed_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	// Version counts the stored changes, from 1 at creation.
	Version int `json:"version"`
}

// LedgerOptions configure a Ledger. A nil *LedgerOptions means the zero
// value, whose fields all mean the documented defaults.
type LedgerOptions struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AgreementTarget is how long after proposal an engagement should be
	// agreed (a plan within 3 months); 0 means 90 days.
	AgreementTarget time.Duration
	// Logger receives a line per status change; nil means none.
	Logger *slog.Logger
	// OnChange, if set, is called after every stored change with the
	// engagement before (zero for a new one) and after. Calls for one
	// Ledger are serialised.
	OnChange func(before, after Engagement)
}

// Ledger runs engagements through their life on top of a Store: it checks
// every transition, reserves an offer's capacity when an engagement is
// proposed and releases it when the engagement is declined, cancelled or
// completed, stamps times from its clock and tracks time to agreement.
// Its methods are safe for concurrent use; capacity checks are serialised
// within one Ledger (several Ledgers on one store may race).
type Ledger struct {
	store  Store
	now    func() time.Time
	target time.Duration
	log    *slog.Logger
	notify func(before, after Engagement)
	mu     sync.Mutex
}

// NewLedger returns a ledger over store.
func NewLedger(store Store, opts *LedgerOptions) *Ledger {
	if opts == nil {
		opts = &LedgerOptions{}
	}
	l := &Ledger{store: store, now: opts.Now, target: opts.AgreementTarget, log: opts.Logger, notify: opts.OnChange}
	if l.now == nil {
		l.now = time.Now
	}
	if l.target <= 0 {
		l.target = 90 * 24 * time.Hour
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l
}

// Reserved returns how many units of the offer's capacity open
// engagements hold.
func (l *Ledger) Reserved(ctx context.Context, offer OfferID) (int, error) {
	es, err := l.store.List(ctx, Query{Offer: offer, Statuses: []Status{StatusProposed, StatusAccepted, StatusAgreed, StatusActive}})
	if err != nil {
		return 0, fmt.Errorf("brokerage: reserved %s: %w", offer, err)
	}
	return len(es), nil
}

// Propose records a proposed engagement between need and offer, reserving
// one unit of the offer's capacity. m, if not nil, is the match it came
// from. It fails with ErrCapacity when the offer's capacity is all
// reserved, ErrConflict when the need already has an open engagement or
// the ID is taken, and ErrInvalid for a need or offer without an ID.
func (l *Ledger) Propose(ctx context.Context, id EngagementID, need Need, offer Offer, m *Match) (Engagement, error) {
	if id == "" || need.ID == "" || offer.ID == "" {
		return Engagement{}, fmt.Errorf("brokerage: propose: %w: empty engagement, need or offer ID", ErrInvalid)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.Reserved(ctx, offer.ID)
	if err != nil {
		return Engagement{}, err
	}
	if n >= offer.Capacity {
		return Engagement{}, fmt.Errorf("brokerage: propose %s: offer %s: %w (%d of %d reserved)", id, offer.ID, ErrCapacity, n, offer.Capacity)
	}
	open, err := l.store.List(ctx, Query{Need: need.ID, Statuses: []Status{StatusProposed, StatusAccepted, StatusAgreed, StatusActive}})
	if err != nil {
		return Engagement{}, fmt.Errorf("brokerage: propose %s: %w", id, err)
	}
	if len(open) > 0 {
		return Engagement{}, fmt.Errorf("brokerage: propose %s: %w: need %s already has open engagement %s", id, ErrConflict, need.ID, open[0].ID)
	}
	e := Engagement{ID: id, Need: need.ID, Offer: offer.ID, School: need.School, Area: need.Area, Days: need.Days,
		Status: StatusProposed, ProposedAt: l.now(), Version: 1}
	if m != nil {
		e.Explanation = slices.Clone(m.Explanation)
	}
	if err := l.store.Create(ctx, e); err != nil {
		return Engagement{}, fmt.Errorf("brokerage: propose %s: %w", id, err)
	}
	l.changed(Engagement{}, e)
	return e, nil
}

// ProposeAll proposes an engagement for every match of r, with IDs
// prefix+need ID. It stops at the first error, returning what it proposed.
func (l *Ledger) ProposeAll(ctx context.Context, prefix string, needs []Need, offers []Offer, r *Result) ([]Engagement, error) {
	ni := map[NeedID]*Need{}
	for i := range needs {
		ni[needs[i].ID] = &needs[i]
	}
	oi := map[OfferID]*Offer{}
	for i := range offers {
		oi[offers[i].ID] = &offers[i]
	}
	var out []Engagement
	for i := range r.Matches {
		m := &r.Matches[i]
		n, o := ni[m.Need], oi[m.Offer]
		if n == nil || o == nil {
			return out, fmt.Errorf("brokerage: propose: %w: match names unknown need %s or offer %s", ErrNotFound, m.Need, m.Offer)
		}
		e, err := l.Propose(ctx, EngagementID(prefix+string(m.Need)), *n, *o, m)
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (l *Ledger) changed(before, after Engagement) {
	l.log.Info("engagement", "id", after.ID, "from", before.Status.String(), "to", after.Status.String())
	if l.notify != nil {
		l.notify(before, after)
	}
}

// move applies a transition with its stamp and fields.
func (l *Ledger) move(ctx context.Context, id EngagementID, to Status, set func(*Engagement, time.Time)) (Engagement, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	before, err := l.store.Get(ctx, id)
	if err != nil {
		return Engagement{}, fmt.Errorf("brokerage: %s %s: %w", to, id, err)
	}
	if !before.Status.CanMove(to) {
		return Engagement{}, fmt.Errorf("brokerage: %s %s: %w from %s", to, id, ErrTransition, before.Status)
	}
	e := before
	e.Explanation = slices.Clone(before.Explanation)
	now := l.now()
	e.Status = to
	e.Version++
	set(&e, now)
	if !to.Reserves() && e.ClosedAt.IsZero() {
		e.ClosedAt = now
	}
	if err := l.store.Update(ctx, e); err != nil {
		return Engagement{}, fmt.Errorf("brokerage: %s %s: %w", to, id, err)
	}
	l.changed(before, e)
	return e, nil
}

// Accept records that the school and provider accept the proposal.
func (l *Ledger) Accept(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, id, StatusAccepted, func(e *Engagement, t time.Time) { e.AcceptedAt = t })
}

// Decline records that the proposal was declined, releasing its capacity.
func (l *Ledger) Decline(ctx context.Context, id EngagementID, why string) (Engagement, error) {
	return l.move(ctx, id, StatusDeclined, func(e *Engagement, t time.Time) { e.Note = why })
}

// Agree records the agreed objectives and expected impact; both are
// required (ErrInvalid otherwise).
func (l *Ledger) Agree(ctx context.Context, id EngagementID, objectives, expectedImpact string) (Engagement, error) {
	if objectives == "" || expectedImpact == "" {
		return Engagement{}, fmt.Errorf("brokerage: agree %s: %w: objectives and expected impact are required", id, ErrInvalid)
	}
	return l.move(ctx, id, StatusAgreed, func(e *Engagement, t time.Time) {
		e.AgreedAt, e.Objectives, e.ExpectedImpact = t, objectives, expectedImpact
	})
}

// Start records that the support has begun.
func (l *Ledger) Start(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, id, StatusActive, func(e *Engagement, t time.Time) { e.StartedAt = t })
}

// Complete records that the support has ended, releasing its capacity.
func (l *Ledger) Complete(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, id, StatusCompleted, func(e *Engagement, t time.Time) { e.CompletedAt = t })
}

// ReviewImpact records the review of a completed engagement's impact
// against its expected impact; the review is required (ErrInvalid).
func (l *Ledger) ReviewImpact(ctx context.Context, id EngagementID, review string) (Engagement, error) {
	if review == "" {
		return Engagement{}, fmt.Errorf("brokerage: review %s: %w: empty review", id, ErrInvalid)
	}
	return l.move(ctx, id, StatusImpactReviewed, func(e *Engagement, t time.Time) { e.ReviewedAt, e.ImpactReview = t, review })
}

// Cancel ends an accepted, agreed or active engagement early, releasing
// its capacity.
func (l *Ledger) Cancel(ctx context.Context, id EngagementID, why string) (Engagement, error) {
	return l.move(ctx, id, StatusCancelled, func(e *Engagement, t time.Time) { e.Note = why })
}

// AgreementReport measures time to agreement against the target.
type AgreementReport struct {
	Target time.Duration `json:"target"`
	// Agreed counts engagements that reached agreement; WithinTarget
	// those agreed within the target of being proposed.
	Agreed       int `json:"agreed"`
	WithinTarget int `json:"within_target"`
	// MedianDays is the median time from proposal to agreement, in days
	// (0 when none was agreed).
	MedianDays float64 `json:"median_days"`
	// Overdue lists open engagements not yet agreed whose target has
	// passed, by ID.
	Overdue []EngagementID `json:"overdue"`
}

// Agreement reports time to agreement over every engagement in the store.
func (l *Ledger) Agreement(ctx context.Context) (AgreementReport, error) {
	es, err := l.store.List(ctx, Query{})
	if err != nil {
		return AgreementReport{}, fmt.Errorf("brokerage: agreement report: %w", err)
	}
	now := l.now()
	rep := AgreementReport{Target: l.target, Overdue: []EngagementID{}}
	var days []float64
	for _, e := range es {
		switch {
		case !e.AgreedAt.IsZero():
			rep.Agreed++
			d := e.AgreedAt.Sub(e.ProposedAt)
			if d <= l.target {
				rep.WithinTarget++
			}
			days = append(days, d.Hours()/24)
		case (e.Status == StatusProposed || e.Status == StatusAccepted) && now.Sub(e.ProposedAt) > l.target:
			rep.Overdue = append(rep.Overdue, e.ID)
		}
	}
	if len(days) > 0 {
		sort.Float64s(days)
		rep.MedianDays = days[len(days)/2]
		if len(days)%2 == 0 {
			rep.MedianDays = (days[len(days)/2-1] + days[len(days)/2]) / 2
		}
	}
	return rep, nil
}
