package riskpolicy

import (
	"fmt"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Assessment is the outcome of evaluating a policy for one school: its
// level, why, and what follows. Its Actions, Keeps and Withdraws may share
// memory with the policy's levels: use Clone before changing them.
type Assessment struct {
	Policy string          `json:"policy"`
	URN    partnership.URN `json:"urn"`
	Name   string          `json:"name,omitempty"`
	Period string          `json:"period,omitempty"`
	At     time.Time       `json:"at"`
	// Level is the school's level: the rules' verdict, held up by a
	// level's exit condition, or set by an override.
	Level string `json:"level"`
	// Computed is the level before any override.
	Computed string `json:"computed"`
	// Score is the sum of the fired rules' points (points policies).
	Score float64 `json:"score,omitempty"`
	// Fired are the rules that fired, with the values that made them.
	Fired []Firing `json:"fired,omitempty"`
	// NearMisses are rules that did not fire but nearly did.
	NearMisses []NearMiss `json:"near_misses,omitempty"`
	// Skipped are the rules that could not be evaluated (a value they
	// read is missing, or evaluating them failed) and the entry and exit
	// conditions that could not be evaluated and mattered. Left out by
	// EvalOptions.Brief.
	Skipped []Skip `json:"skipped,omitempty"`
	// Undetermined lists the conditions that could not be evaluated and
	// could have placed the school at a higher level than Computed, where
	// the policy says missing data leaves the level undetermined (see
	// Missing). When it is not empty, Level is a lower bound: the school
	// is at least there. Kept by EvalOptions.Brief.
	Undetermined []Skip `json:"undetermined,omitempty"`
	// Held says why the school stayed at a higher level than its rules
	// give (a level's exit condition not met); empty otherwise.
	Held string `json:"held,omitempty"`
	// Actions, Review, Keeps and Withdraws are the response of the level.
	Actions   []Action `json:"actions,omitempty"`
	Review    Cadence  `json:"review,omitempty"`
	Keeps     []string `json:"keeps,omitempty"`
	Withdraws []string `json:"withdraws,omitempty"`
	// Previous is the level at the last assessment ("" if none) and
	// Change the move from it.
	Previous string `json:"previous,omitempty"`
	Change   Change `json:"change"`
	// Override is the professional-judgement override in force, if any.
	Override *Override `json:"override,omitempty"`

	levelIdx int
}

// LevelIndex returns the position of the assessment's level in the policy
// that produced it (0 for the first level).
func (a *Assessment) LevelIndex() int { return a.levelIdx }

// Firing is a rule that fired.
type Firing struct {
	Rule        string  `json:"rule"`
	Description string  `json:"description,omitempty"`
	Level       string  `json:"level,omitempty"`
	Points      float64 `json:"points,omitempty"`
	// Values are the values the rule read.
	Values []Observation `json:"values"`
}

// Observation is a value a rule read.
type Observation struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// NearMiss is a rule that nearly fired.
type NearMiss struct {
	Rule   string        `json:"rule"`
	Reason string        `json:"reason"`
	Values []Observation `json:"values,omitempty"`
}

// IsUndetermined reports whether the school's level could not be decided
// (Undetermined is not empty).
func (a *Assessment) IsUndetermined() bool { return len(a.Undetermined) > 0 }

// Skip is a condition that could not be evaluated.
type Skip struct {
	// Rule names the rule; empty for a level's entry or exit condition.
	Rule string `json:"rule,omitempty"`
	// Condition says which condition it is: "rule NAME", "entry
	// condition of level NAME" or "exit condition of level NAME".
	Condition string `json:"condition"`
	// Missing names the values it needed that the school lacks.
	Missing []string `json:"missing,omitempty"`
	// Err is the evaluation error, if that was the reason.
	Err string `json:"error,omitempty"`
}

// Change is how a school's level moved since its last assessment.
type Change int

// Changes of level.
const (
	// ChangeNew: no earlier assessment.
	ChangeNew Change = iota
	ChangeSame
	// ChangeUp: a higher (more serious) level.
	ChangeUp
	// ChangeDown: a lower level.
	ChangeDown
)

var changeNames = []string{"new", "same", "up", "down"}

// String returns the change's name: new, same, up or down.
func (c Change) String() string {
	if c >= 0 && int(c) < len(changeNames) {
		return changeNames[c]
	}
	return fmt.Sprintf("change(%d)", int(c))
}

// MarshalText implements encoding.TextMarshaler.
func (c Change) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Change) UnmarshalText(b []byte) error {
	for i, n := range changeNames {
		if string(b) == n {
			*c = Change(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown change %q", ErrInvalid, b)
}

// OverrideID identifies an override.
type OverrideID string

// Override is a professional judgement that sets a school's level whatever
// the rules say, for a time: who made it, when, why and until when.
type Override struct {
	ID     OverrideID      `json:"id"`
	Policy string          `json:"policy"`
	URN    partnership.URN `json:"urn"`
	Level  string          `json:"level"`
	By     string          `json:"by"`
	Reason string          `json:"reason"`
	At     time.Time       `json:"at"`
	// Expires is when the override lapses; it must be after At.
	Expires time.Time `json:"expires"`
	// Ended is when the override stopped being in force before or at its
	// expiry, zero while it has not; EndedHow says how (withdrawn,
	// superseded, or expired once the expiry is recorded).
	Ended    time.Time `json:"ended,omitzero"`
	EndedHow End       `json:"ended_how,omitempty"`
	// Supersedes is the override in force that this one replaces. An
	// override overlapping one in force for the same policy and school is
	// refused unless it names that override here.
	Supersedes OverrideID `json:"supersedes,omitempty"`
}

// ActiveAt reports whether the override is in force at t.
func (o *Override) ActiveAt(t time.Time) bool {
	return !t.Before(o.At) && t.Before(o.Expires) && (o.Ended.IsZero() || t.Before(o.Ended))
}
