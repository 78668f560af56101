package riskpolicy

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/common/types/ref"
)

// Combine is how the rules that fire combine into a level.
type Combine int

// Combination modes.
const (
	// CombineHighest: the school is at the highest level any fired rule
	// names.
	CombineHighest Combine = iota + 1
	// CombinePoints: fired rules add their points; the school is at the
	// highest level whose points threshold the score reaches, or higher if
	// a fired rule names a higher level.
	CombinePoints
)

// String returns the mode as a policy writes it: highest or points.
func (c Combine) String() string {
	switch c {
	case CombineHighest:
		return "highest"
	case CombinePoints:
		return "points"
	}
	return fmt.Sprintf("combine(%d)", int(c))
}

// Cadence is how often a school at a level is reviewed.
type Cadence int

// Review cadences.
const (
	CadenceNone Cadence = iota
	CadenceWeekly
	CadenceFortnightly
	CadenceMonthly
	CadenceHalfTermly
	CadenceTermly
	CadenceAnnually
)

var cadenceNames = []string{"", "weekly", "fortnightly", "monthly", "half-termly", "termly", "annually"}

// String returns the cadence as a policy writes it, e.g. half-termly.
func (c Cadence) String() string {
	if c >= 0 && int(c) < len(cadenceNames) {
		return cadenceNames[c]
	}
	return fmt.Sprintf("cadence(%d)", int(c))
}

// MarshalText implements encoding.TextMarshaler.
func (c Cadence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Cadence) UnmarshalText(b []byte) error {
	v, ok := parseCadence(string(b))
	if !ok {
		return fmt.Errorf("%w: unknown review cadence %q", ErrInvalid, b)
	}
	*c = v
	return nil
}

func parseCadence(s string) (Cadence, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range cadenceNames {
		if s == n {
			return Cadence(i), true
		}
	}
	switch s {
	case "half_termly", "halftermly":
		return CadenceHalfTermly, true
	case "yearly", "annual":
		return CadenceAnnually, true
	}
	return CadenceNone, false
}

// Indicator is a declared input of a policy: its name as rules use it, its
// kind and where its values come from.
type Indicator struct {
	Name string
	Kind Kind
	// Scale names the scale of a grade or areas indicator.
	Scale string
	// Areas lists an areas indicator's evaluation areas.
	Areas []string
	// List marks a series of values, newest first (a school's every
	// inspection judgement, say); MaxItems bounds its length.
	List     bool
	MaxItems int
	Unit     string
	// Source says where the values come from: a trust's information
	// system, the inspection feed, a complaints log.
	Source      string
	Description string
	// Synthetic marks an indicator whose values in the shipped data sets
	// are generated, not published.
	Synthetic bool
	// Max is the top of a percentage indicator's scale: 100 when values
	// are written 0-100 (93.5), 1 when written 0-1 (0.935); the policy
	// says which with scale: 0-100 or scale: 0-1 (default 0-100). A value
	// outside 0..Max is an error.
	Max float64
	// Missing is what a missing value of the indicator means for the
	// conditions that read it, when the policy says (MissingDefault
	// otherwise: the rule's or the policy's setting applies).
	Missing Missing
	// Pos is where the indicator is declared.
	Pos Pos

	scale     *Scale
	slot      int   // slot of the value (areas: the list of graded areas)
	areaSlots []int // areas: one slot per area
	histSlot  int   // slot of history.NAME, or -1
	deflt     Value
	deflCV    ref.Val // deflt converted (nil for areas or no default)
}

// Action is something a level's response does: an entry in the policy's
// actions catalogue.
type Action struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Power is a delegated power in the scheme of delegation, which a school
// keeps or loses with its level.
type Power struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Level is one of a policy's ordered levels, with its response.
type Level struct {
	Name        string
	Description string
	// Index is the level's position, 0 for the first (lowest) level.
	Index int
	// Points is the score that reaches the level when the policy combines
	// by points.
	Points float64
	// Inherits names the level whose actions and delegation this one
	// starts from.
	Inherits string
	// Entry and Exit are the level's own entry and exit conditions, as
	// written (empty when none); EntryFor and ExitFor are how many
	// consecutive periods they must hold.
	Entry, Exit       string
	EntryFor, ExitFor int
	// Actions are the level's actions, inherited ones first.
	Actions []Action
	Review  Cadence
	// Keeps and Withdraws are the delegated powers a school at the level
	// keeps and loses; together they are every power the policy declares.
	Keeps     []string
	Withdraws []string
	Pos       Pos

	entry, exit *cond
}

// Rule is one of a policy's rules as written.
type Rule struct {
	Name        string
	Description string
	// When is the CEL condition; For is how many consecutive periods it
	// must hold (1 = this period only).
	When string
	For  int
	// Near is the optional near-miss condition.
	Near string
	// Level is the level the rule raises a school to ("" for none);
	// Points its points when the policy combines by points.
	Level  string
	Points float64
	// Missing is what the rule's policy says a condition that cannot be
	// evaluated means (MissingDefault: the indicators' or the policy's
	// setting applies).
	Missing Missing
	Pos     Pos
}

// Missing is what a policy does with a condition it cannot evaluate
// because a value the condition needs is missing, or evaluating it failed
// (a division by zero, say). CEL's own rules come first: a || b is true
// when either side is true and a && b false when either is false, whatever
// the other side is; has(NAME) tests presence. Only a condition whose
// outcome still depends on the missing value is "unknown", and then:
type Missing int

// What missing means.
const (
	// MissingDefault: not set here; the next setting out applies (rule,
	// then indicator, then the policy's missing:, then
	// MissingUndetermined).
	MissingDefault Missing = iota
	// MissingUndetermined: the school's level is undetermined when the
	// unknown condition could have placed it higher (a rule naming a
	// higher level or adding points that reach one, an entry condition of
	// a higher level, the exit condition of the level it was at). The
	// assessment keeps the level the known conditions give, a lower
	// bound, and lists what is unknown; risk eval exits non-zero.
	MissingUndetermined
	// MissingSkip: the condition is taken not to hold (an exit condition:
	// not met) and the school's level is decided without it; the
	// assessment still lists it as skipped.
	MissingSkip
)

var missingNames = []string{"", "undetermined", "skip"}

// String returns the setting as a policy writes it: undetermined or skip
// ("" for MissingDefault).
func (m Missing) String() string {
	if m >= 0 && int(m) < len(missingNames) {
		return missingNames[m]
	}
	return fmt.Sprintf("missing(%d)", int(m))
}

func parseMissing(s string) (Missing, bool) {
	for i, n := range missingNames[1:] {
		if s == n {
			return Missing(i + 1), true
		}
	}
	return MissingDefault, false
}
