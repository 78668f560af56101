package brokerage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// KeyStages is a set of key stages of the English curriculum. The zero
// value is the empty set, which on a Need or Offer means "the key stages
// of its phase" (PhaseKeyStages).
type KeyStages uint8

// The key stages.
const (
	EarlyYears KeyStages = 1 << iota // nursery and reception (EYFS)
	KS1                              // years 1-2
	KS2                              // years 3-6
	KS3                              // years 7-9
	KS4                              // years 10-11
	KS5                              // 16-19, sixth form
)

// DeemedPrimary and DeemedSecondary are the key stages of a middle school
// as the Department for Education deems it: a middle school deemed primary
// is treated as a primary school (its need is about key stage 2), one
// deemed secondary as a secondary school (key stage 3). Set a middle
// school's Need.KeyStages to one of them when its deemed phase is known.
const (
	DeemedPrimary   = KS2
	DeemedSecondary = KS3
)

var keyStageNames = []string{"ey", "ks1", "ks2", "ks3", "ks4", "ks5"}

// String returns the stages joined by ';', e.g. "ks3;ks4", or "" when
// empty.
func (k KeyStages) String() string {
	var parts []string
	for i, n := range keyStageNames {
		if k&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, ";")
}

// MarshalText implements encoding.TextMarshaler.
func (k KeyStages) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads stages separated by ';', ',' or '+' ("ks3;ks4",
// "EY+KS1"); the empty string is the empty set.
func (k *KeyStages) UnmarshalText(b []byte) error {
	var set KeyStages
	for _, f := range strings.FieldsFunc(string(b), func(r rune) bool { return r == ';' || r == ',' || r == '+' }) {
		name := strings.ToLower(strings.TrimSpace(f))
		i := -1
		for x, n := range keyStageNames {
			if n == name {
				i = x
			}
		}
		if i < 0 {
			return fmt.Errorf("key stage %q: want ey, ks1, ks2, ks3, ks4 or ks5", f)
		}
		set |= 1 << i
	}
	*k = set
	return nil
}

// PhaseKeyStages returns the key stages a school of phase p teaches, as
// the compatibility rule reads them:
//
//	nursery      ey
//	primary      ey ks1 ks2
//	middle       ks2 ks3 (a need of a middle school deemed primary or
//	             secondary narrows this with DeemedPrimary or DeemedSecondary)
//	secondary    ks3 ks4 ks5
//	all-through  ey ks1 ks2 ks3 ks4 ks5
//	16-plus      ks5
//
// Special schools, alternative provision and unknown phases have no key
// stages here: they are matched by phase, not by key stage (see
// PhaseCompatible).
func PhaseKeyStages(p partnership.Phase) KeyStages {
	switch p {
	case partnership.PhaseNursery:
		return EarlyYears
	case partnership.PhasePrimary:
		return EarlyYears | KS1 | KS2
	case partnership.PhaseMiddle:
		return KS2 | KS3
	case partnership.PhaseSecondary:
		return KS3 | KS4 | KS5
	case partnership.PhaseAllThrough:
		return EarlyYears | KS1 | KS2 | KS3 | KS4 | KS5
	case partnership.Phase16Plus:
		return KS5
	}
	return 0
}

// mainstream reports whether p is taught by key stage.
func mainstream(p partnership.Phase) bool { return PhaseKeyStages(p) != 0 }

// PhaseCompatible removes pairs where the provider cannot serve the
// school's phase, as schools work:
//
//   - a need of unknown phase, and an offer that lists no phases, match
//     anything;
//   - a mainstream need (nursery, primary, middle, secondary, all-through,
//     16-plus) is served by an offer whose key stages overlap the need's:
//     the need's KeyStages, or its phase's (PhaseKeyStages) when empty;
//     the offer's KeyStages, or the union of its phases' when empty. So a
//     secondary or all-through provider serves an all-through need (and a
//     primary provider does too, for its primary key stages; set the
//     need's KeyStages to say which stages the need is about), a middle
//     school deemed primary (KeyStages DeemedPrimary) is served by primary,
//     middle and all-through providers, and one deemed secondary by
//     secondary, middle and all-through providers;
//   - a special-school need is served by an offer listing special, and an
//     alternative-provision need by one listing alternative provision: their
//     expertise is in their own settings, not in a key stage.
//
// The full table, need phase by provider phase, with the offer's key
// stages left empty and the need's empty except on the two deemed rows
// (✓ served):
//
//	need \ provider      nursery primary middle secondary all-through 16-plus special AP
//	nursery                 ✓       ✓       .       .          ✓          .       .     .
//	primary                 ✓       ✓       ✓       .          ✓          .       .     .
//	middle                  .       ✓       ✓       ✓          ✓          .       .     .
//	middle deemed primary   .       ✓       ✓       .          ✓          .       .     .
//	middle deemed secondary .       .       ✓       ✓          ✓          .       .     .
//	secondary               .       .       ✓       ✓          ✓          ✓       .     .
//	all-through             ✓       ✓       ✓       ✓          ✓          ✓       .     .
//	16-plus                 .       .       .       ✓          ✓          ✓       .     .
//	special                 .       .       .       .          .          .       ✓     .
//	AP                      .       .       .       .          .          .       .     ✓
//
// A middle school's offer keeps both middle key stages whatever its
// deemed phase (FromInspections does not narrow it): a 9-13 middle school
// deemed secondary still teaches years 5 and 6, and an 8-12 one deemed
// primary year 7, so either serves primary, middle and secondary needs.
type PhaseCompatible struct{}

// Name returns "phase".
func (PhaseCompatible) Name() string { return "phase" }

// Allows reports whether the offer serves the need's phase and key
// stages (Checker).
func (PhaseCompatible) Allows(p Pair) bool {
	n, o := p.Need, p.Offer
	if (n.Phase == partnership.PhaseUnknown && n.KeyStages == 0) || (len(o.Phases) == 0 && o.KeyStages == 0) {
		return true
	}
	if n.KeyStages == 0 && !mainstream(n.Phase) {
		return slices.Contains(o.Phases, n.Phase)
	}
	need, offer := phaseStages(p)
	return need&offer != 0
}

// phaseStages returns the key stages the need asks for and those the offer
// serves, each from its phase when not given.
func phaseStages(p Pair) (need, offer KeyStages) {
	need, offer = p.Need.KeyStages, p.Offer.KeyStages
	if need == 0 {
		need = PhaseKeyStages(p.Need.Phase)
	}
	if offer == 0 {
		for _, ph := range p.Offer.Phases {
			offer |= PhaseKeyStages(ph)
		}
	}
	return need, offer
}

// Allow reports whether the offer serves the need's phase and key stages.
func (c PhaseCompatible) Allow(p Pair) (bool, string) {
	if c.Allows(p) {
		return true, ""
	}
	n, o := p.Need, p.Offer
	if n.KeyStages == 0 && !mainstream(n.Phase) {
		return false, fmt.Sprintf("offer serves %v, not %v", o.Phases, n.Phase)
	}
	if o.KeyStages != 0 || n.KeyStages != 0 {
		need, offer := phaseStages(p)
		return false, fmt.Sprintf("offer serves key stages %v, not %v", offer, need)
	}
	return false, fmt.Sprintf("offer serves %v, not %v", o.Phases, n.Phase)
}
