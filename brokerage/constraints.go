package brokerage

import (
	"fmt"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// DefaultConstraints returns the constraints a Broker applies unless told
// otherwise: a 50 km maximum distance, phase compatibility, no school
// supporting itself, eligibility and format.
func DefaultConstraints() []Constraint {
	return []Constraint{MaxDistance{Km: 50}, PhaseCompatible{}, ConflictOfInterest{}, Eligible{}, FormatCompatible{}}
}

// FormatCompatible removes pairs where the need asks for a format and the
// offer lists formats without it. FormatAny on either side matches any.
type FormatCompatible struct{}

// Name returns "format".
func (FormatCompatible) Name() string { return "format" }

// Allows reports whether the offer delivers the format the need asks for
// (Checker).
func (FormatCompatible) Allows(p Pair) bool {
	f := p.Need.Format
	return f == FormatAny || len(p.Offer.Formats) == 0 || slices.Contains(p.Offer.Formats, f) || slices.Contains(p.Offer.Formats, FormatAny)
}

// Allow reports whether the offer delivers the format the need asks for.
func (c FormatCompatible) Allow(p Pair) (bool, string) {
	if c.Allows(p) {
		return true, ""
	}
	return false, fmt.Sprintf("offer delivers %v, not %v", p.Offer.Formats, p.Need.Format)
}

// MaxDistance removes pairs more than Km kilometres apart. A pair whose
// distance is unknown (the school's or the provider's location is
// unknown) is removed too, because an unknown distance cannot be shown to
// be within the limit, unless AllowUnknown is set.
type MaxDistance struct {
	Km float64
	// AllowUnknown lets pairs of unknown distance through; the Distance
	// scorer then prices them at its UnknownKm.
	AllowUnknown bool
}

// Name returns "max-distance".
func (MaxDistance) Name() string { return "max-distance" }

// Allows reports whether the pair is known to be within Km, or its
// distance is unknown and AllowUnknown is set (Checker).
func (c MaxDistance) Allows(p Pair) bool {
	if !p.Distance.Known {
		return c.AllowUnknown
	}
	return p.Distance.Value <= c.Km
}

// Allow reports whether the pair is known to be within Km.
func (c MaxDistance) Allow(p Pair) (bool, string) {
	switch {
	case c.Allows(p):
		return true, ""
	case !p.Distance.Known:
		who := "the provider's"
		if !p.Need.Location.Known() {
			who = "the school's"
		}
		return false, fmt.Sprintf("distance unknown (%s location is unknown), limit %.0f km", who, c.Km)
	}
	return false, fmt.Sprintf("%.0f km away, limit %.0f km", p.Distance.Value, c.Km)
}

// Conflict is a declared conflict of interest between a school and a
// provider (a governor of both, a recent employer).
type Conflict struct {
	School   partnership.URN
	Provider string
}

// ConflictOfInterest removes a school supporting itself (the offer's
// school is the need's school) and every declared conflict.
type ConflictOfInterest struct{ Declared []Conflict }

// Name returns "conflict".
func (ConflictOfInterest) Name() string { return "conflict" }

// Allow reports whether the pair is free of conflicts.
func (c ConflictOfInterest) Allow(p Pair) (bool, string) {
	if p.Offer.School != 0 && p.Offer.School == p.Need.School {
		return false, "the provider is the school itself"
	}
	for _, d := range c.Declared {
		if d.School == p.Need.School && d.Provider == p.Offer.Provider {
			return false, "declared conflict of interest"
		}
	}
	return true, ""
}

// Eligible removes pairs where the offer is open only to members of some
// networks and the need's school belongs to none of them.
type Eligible struct{}

// Name returns "eligibility".
func (Eligible) Name() string { return "eligibility" }

// Allows reports whether the school is eligible for the offer (Checker).
func (Eligible) Allows(p Pair) bool {
	if len(p.Offer.Networks) == 0 {
		return true
	}
	for _, n := range p.Offer.Networks {
		if slices.Contains(p.Need.Networks, n) {
			return true
		}
	}
	return false
}

// Allow reports whether the school is eligible for the offer.
func (c Eligible) Allow(p Pair) (bool, string) {
	if c.Allows(p) {
		return true, ""
	}
	return false, fmt.Sprintf("open only to members of %v", p.Offer.Networks)
}
