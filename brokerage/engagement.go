package brokerage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
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
// reviewed. A proposed, accepted, agreed or active engagement may be
// cancelled.
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
	StatusProposed:  {StatusAccepted, StatusDeclined, StatusCancelled},
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
	// Taxonomy lets an offer in a broader area serve a need in a narrower
	// one, as a Broker built WithTaxonomy does; nil means the offer must
	// list the need's area itself.
	Taxonomy *partnership.Taxonomy
	// Logger receives a line per status change; nil means none.
	Logger *slog.Logger
	// OnChange, if set, is called after every stored change with the
	// engagement before (zero for a new one) and after. Calls for one
	// Ledger are serialised.
	OnChange func(before, after Engagement)
}

// Ledger runs engagements through their life on top of a Store. The store
// is the truth: callers pass identifiers, and the Ledger reads the need,
// the offer (its capacity, phases and areas) and the engagement's current
// status from the store inside the same atomic store operation as the
// write. It checks every transition, reserves an offer's capacity when an
// engagement is proposed and releases it when the engagement is declined,
// cancelled or completed, stamps times from its clock and tracks time to
// agreement. Its methods are safe for concurrent use, and several Ledgers
// (in several processes) may share one store: the store's Reserve and
// versioned Update keep capacity and transitions exact.
type Ledger struct {
	store    Store
	now      func() time.Time
	target   time.Duration
	taxonomy *partnership.Taxonomy
	log      *slog.Logger
	notify   func(before, after Engagement)
	mu       sync.Mutex // serialises notify
}

// NewLedger returns a ledger over store.
func NewLedger(store Store, opts *LedgerOptions) *Ledger {
	if opts == nil {
		opts = &LedgerOptions{}
	}
	l := &Ledger{store: store, now: opts.Now, target: opts.AgreementTarget, taxonomy: opts.Taxonomy, log: opts.Logger, notify: opts.OnChange}
	if l.now == nil {
		l.now = time.Now
	}
	if l.taxonomy != nil {
		l.taxonomy = l.taxonomy.Clone() // the Ledger's own: later Adds by the caller change nothing
	}
	if l.target <= 0 {
		l.target = 90 * 24 * time.Hour
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l
}

// positiveDays checks that a need wants some support: Validate allows 0
// days (a need a broker may still rank), the Ledger does not.
func positiveDays(n *Need) error {
	if !(n.Days > 0) {
		return fmt.Errorf("%w: need %s: days %v: must be above 0", ErrInvalid, n.ID, n.Days)
	}
	return nil
}

// PutNeeds validates needs (non-empty unique IDs, priority 1–5, days above
// 0, an area) and stores them, adding or replacing by ID. It stores
// nothing when any is invalid (ErrInvalid, every problem joined); a need
// with an open engagement cannot be replaced (ErrConflict), and the needs
// before it stay stored.
func (l *Ledger) PutNeeds(ctx context.Context, needs ...Need) error {
	var errs []error
	if err := Validate(needs, nil); err != nil {
		errs = append(errs, err)
	}
	for i := range needs {
		if err := positiveDays(&needs[i]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("put needs: %w", errors.Join(errs...))
	}
	for _, n := range needs {
		if err := l.store.PutNeed(ctx, n); err != nil {
			return fmt.Errorf("put need %s: %w", n.ID, err)
		}
	}
	return nil
}

// PutOffers validates offers (non-empty unique IDs, capacity and cost not
// negative, at least one area) and stores them, adding or replacing by ID.
// It stores nothing when any is invalid (ErrInvalid); an offer cannot be
// replaced with a capacity below what its open engagements reserve
// (ErrCapacity, which wraps ErrConflict), and the offers before it stay
// stored.
func (l *Ledger) PutOffers(ctx context.Context, offers ...Offer) error {
	if err := Validate(nil, offers); err != nil {
		return fmt.Errorf("put offers: %w", err)
	}
	for _, o := range offers {
		if err := l.store.PutOffer(ctx, o); err != nil {
			return fmt.Errorf("put offer %s: %w", o.ID, err)
		}
	}
	return nil
}

// Reserved returns how many units of the offer's capacity open
// engagements hold.
func (l *Ledger) Reserved(ctx context.Context, offer OfferID) (int, error) {
	if _, err := l.store.Offer(ctx, offer); err != nil {
		return 0, fmt.Errorf("reserved %s: %w", offer, err)
	}
	es, err := l.store.List(ctx, Query{Offer: offer, Statuses: reserving})
	if err != nil {
		return 0, fmt.Errorf("reserved %s: %w", offer, err)
	}
	return len(es), nil
}

var reserving = []Status{StatusProposed, StatusAccepted, StatusAgreed, StatusActive}

// Propose records a proposed engagement between the stored need and the
// stored offer, reserving one unit of the offer's capacity; m, if not nil,
// is the match it came from and must name the same need and offer. The
// need and the offer are read from the store in the same atomic operation
// as the write, so what a caller believes about them counts for nothing.
// It fails with an error wrapping:
//   - ErrNotFound when the need or the offer is not stored;
//   - ErrInvalid, naming the field, for an empty ID, a need whose priority
//     is outside 1–5 or whose days are not above 0, an offer whose phases
//     do not serve the need's phase (PhaseCompatible), an offer that does
//     not cover the need's area (the area itself, or a broader one with
//     LedgerOptions.Taxonomy), an offer of the need's own school, or a
//     match of another need or offer;
//   - ErrCapacity (which wraps ErrConflict) when the offer's capacity is
//     all reserved;
//   - ErrConflict when the need already has an open engagement or the ID
//     is taken.
func (l *Ledger) Propose(ctx context.Context, id EngagementID, need NeedID, offer OfferID, m *Match) (Engagement, error) {
	switch {
	case id == "":
		return Engagement{}, fmt.Errorf("propose: %w: id: empty engagement ID", ErrInvalid)
	case need == "":
		return Engagement{}, fmt.Errorf("propose %s: %w: need: empty need ID", id, ErrInvalid)
	case offer == "":
		return Engagement{}, fmt.Errorf("propose %s: %w: offer: empty offer ID", id, ErrInvalid)
	case m != nil && (m.Need != need || m.Offer != offer):
		return Engagement{}, fmt.Errorf("propose %s: %w: match: it pairs need %s with offer %s, not %s with %s", id, ErrInvalid, m.Need, m.Offer, need, offer)
	}
	now := l.now()
	e, err := l.store.Reserve(ctx, need, offer, func(n Need, o Offer, reserved int) (Engagement, error) {
		if err := l.compatible(&n, &o); err != nil {
			return Engagement{}, err
		}
		if reserved >= o.Capacity {
			return Engagement{}, fmt.Errorf("offer %s: %w (%d of %d reserved)", o.ID, ErrCapacity, reserved, o.Capacity)
		}
		e := Engagement{ID: id, Need: n.ID, Offer: o.ID, School: n.School, Area: n.Area, Days: n.Days,
			Status: StatusProposed, ProposedAt: now, Version: 1}
		if m != nil {
			e.Explanation = slices.Clone(m.Explanation)
		}
		return e, nil
	})
	if err != nil {
		return Engagement{}, fmt.Errorf("propose %s: %w", id, err)
	}
	l.changed(Engagement{}, e)
	return e, nil
}

// compatible checks a stored need against a stored offer with the rules
// the Broker uses: the need's own rules, the offer's capacity, phase
// compatibility, area coverage and no school supporting itself.
func (l *Ledger) compatible(n *Need, o *Offer) error {
	if err := Validate([]Need{*n}, []Offer{*o}); err != nil {
		return err
	}
	if err := positiveDays(n); err != nil {
		return err
	}
	p := Pair{Need: n, Offer: o}
	if ok, why := (PhaseCompatible{}).Allow(p); !ok {
		return fmt.Errorf("%w: phase: need %s is %v; %s", ErrInvalid, n.ID, n.Phase, why)
	}
	if !covers(l.taxonomy, o, n.Area) {
		return fmt.Errorf("%w: area: offer %s does not cover need %s's area %s", ErrInvalid, o.ID, n.ID, n.Area)
	}
	if ok, why := (ConflictOfInterest{}).Allow(p); !ok {
		return fmt.Errorf("%w: school: %s", ErrInvalid, why)
	}
	return nil
}

// ProposeAll proposes an engagement for every match of r, with IDs
// prefix+need ID, each checked as Propose checks it against the stored
// need and offer. It stops at the first error, returning what it proposed.
func (l *Ledger) ProposeAll(ctx context.Context, prefix string, r *Result) ([]Engagement, error) {
	var out []Engagement
	for i := range r.Matches {
		m := &r.Matches[i]
		e, err := l.Propose(ctx, EngagementID(prefix+string(m.Need)), m.Need, m.Offer, m)
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (l *Ledger) changed(before, after Engagement) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log.Info("engagement", "id", after.ID, "from", before.Status.String(), "to", after.Status.String())
	if l.notify != nil {
		l.notify(before, after)
	}
}

// move applies a transition with its stamp and fields. The store's
// versioned Update makes the read and the write one atomic step: a
// concurrent change makes it fail with ErrConflict.
func (l *Ledger) move(ctx context.Context, op string, id EngagementID, to Status, set func(*Engagement, time.Time)) (Engagement, error) {
	before, err := l.store.Get(ctx, id)
	if err != nil {
		return Engagement{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	if !before.Status.CanMove(to) {
		return Engagement{}, fmt.Errorf("%s %s: %w: %s to %s", op, id, ErrTransition, before.Status, to)
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
		return Engagement{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	l.changed(before, e)
	return e, nil
}

// Accept records that the school and provider accept the proposal.
func (l *Ledger) Accept(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, "accept", id, StatusAccepted, func(e *Engagement, t time.Time) { e.AcceptedAt = t })
}

// Decline records that the proposal was declined and why, releasing its
// capacity. The reason is required (ErrInvalid).
func (l *Ledger) Decline(ctx context.Context, id EngagementID, why string) (Engagement, error) {
	if strings.TrimSpace(why) == "" {
		return Engagement{}, fmt.Errorf("decline %s: %w: reason: a decline needs a reason", id, ErrInvalid)
	}
	return l.move(ctx, "decline", id, StatusDeclined, func(e *Engagement, t time.Time) { e.Note = why })
}

// Agree records the agreed objectives and expected impact; both are
// required (ErrInvalid otherwise).
func (l *Ledger) Agree(ctx context.Context, id EngagementID, objectives, expectedImpact string) (Engagement, error) {
	if strings.TrimSpace(objectives) == "" || strings.TrimSpace(expectedImpact) == "" {
		return Engagement{}, fmt.Errorf("agree %s: %w: objectives and expected impact are required", id, ErrInvalid)
	}
	return l.move(ctx, "agree", id, StatusAgreed, func(e *Engagement, t time.Time) {
		e.AgreedAt, e.Objectives, e.ExpectedImpact = t, objectives, expectedImpact
	})
}

// Start records that the support has begun.
func (l *Ledger) Start(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, "start", id, StatusActive, func(e *Engagement, t time.Time) { e.StartedAt = t })
}

// Complete records that the support has ended, releasing its capacity.
func (l *Ledger) Complete(ctx context.Context, id EngagementID) (Engagement, error) {
	return l.move(ctx, "complete", id, StatusCompleted, func(e *Engagement, t time.Time) { e.CompletedAt = t })
}

// ReviewImpact records the review of a completed engagement's impact
// against its expected impact; the review is required (ErrInvalid).
func (l *Ledger) ReviewImpact(ctx context.Context, id EngagementID, review string) (Engagement, error) {
	if strings.TrimSpace(review) == "" {
		return Engagement{}, fmt.Errorf("review impact %s: %w: review: empty review", id, ErrInvalid)
	}
	return l.move(ctx, "review impact", id, StatusImpactReviewed, func(e *Engagement, t time.Time) { e.ReviewedAt, e.ImpactReview = t, review })
}

// Cancel ends a proposed, accepted, agreed or active engagement early and
// records why, releasing its capacity. The reason is required
// (ErrInvalid).
func (l *Ledger) Cancel(ctx context.Context, id EngagementID, why string) (Engagement, error) {
	if strings.TrimSpace(why) == "" {
		return Engagement{}, fmt.Errorf("cancel %s: %w: reason: a cancellation needs a reason", id, ErrInvalid)
	}
	return l.move(ctx, "cancel", id, StatusCancelled, func(e *Engagement, t time.Time) { e.Note = why })
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
		return AgreementReport{}, fmt.Errorf("agreement report: %w", err)
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
