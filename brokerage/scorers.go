package brokerage

import "math"

// DefaultScorers returns the scorers a Broker uses unless told otherwise:
// distance (1 point a km; an unknown distance, reachable only through
// MaxDistance.AllowUnknown or without a distance limit, as 100 km), evidence (10 points per step below accredited),
// context (preference-driven), priority (10 points per step below the most
// urgent), trust preference (25 points when unmet), load balance (5 points
// per need per slot) and price (1 point per £100).
func DefaultScorers() []Scorer {
	return []Scorer{
		Distance{PerKm: 1, UnknownKm: 100},
		EvidenceStrength{Weight: 10},
		ContextFit{Weight: 1},
		PriorityWeight{Weight: 10},
		TrustPreferenceFit{Weight: 25},
		LoadBalance{Weight: 5},
		Price{PerPound: 0.01},
	}
}

// Distance costs PerKm points for each kilometre between the school and
// the provider. An unknown distance is scored as unknown: its contribution
// is marked Unknown and costs PerKm × UnknownKm, a stand-in the user
// chooses (DefaultScorers uses 100 km, beyond the default 50 km limit, so
// that a provider at a known distance is preferred).
type Distance struct {
	PerKm     float64
	UnknownKm float64
}

// Name returns "distance".
func (Distance) Name() string { return "distance" }

// Score returns PerKm × the distance, or PerKm × UnknownKm when unknown.
func (s Distance) Score(p Pair) float64 {
	if !p.Distance.Known {
		return s.PerKm * s.UnknownKm
	}
	return s.PerKm * p.Distance.Value
}

// Unknown reports whether the distance is unknown.
func (Distance) Unknown(p Pair) bool { return !p.Distance.Known }

// EvidenceStrength costs Weight points for each step the offer's evidence
// for the need's area falls below EvidenceAccredited: an accredited
// specialist costs 0, a self-declared strength 3 × Weight.
type EvidenceStrength struct{ Weight float64 }

// Name returns "evidence".
func (EvidenceStrength) Name() string { return "evidence" }

// Score returns Weight × (EvidenceAccredited − evidence).
func (s EvidenceStrength) Score(p Pair) float64 {
	e := p.Offer.Evidence(p.Need.Area)
	if e == EvidenceNone {
		e = EvidenceSelf - 1
	}
	return s.Weight * float64(EvidenceAccredited-e)
}

// ContextFit follows the need's context preference, measured by the gap
// in the percentage of pupils eligible for free school meals: for
// ContextSimilar it costs Weight points per percentage point of gap, for
// ContextContrasting Weight points per point short of a 20-point gap. With
// no preference, or an unknown percentage, it costs nothing.
type ContextFit struct{ Weight float64 }

// Name returns "context".
func (ContextFit) Name() string { return "context" }

// Score returns the context cost described on ContextFit.
func (s ContextFit) Score(p Pair) float64 {
	if p.Need.FSMPercent < 0 || p.Offer.FSMPercent < 0 {
		return 0
	}
	gap := math.Abs(p.Need.FSMPercent - p.Offer.FSMPercent)
	switch p.Need.PreferContext {
	case ContextSimilar:
		return s.Weight * gap
	case ContextContrasting:
		return s.Weight * math.Max(0, 20-gap)
	}
	return 0
}

// PriorityWeight makes urgent needs cheaper to meet: it costs Weight points
// for each step below priority 5. It is one cost among others: what
// guarantees that the urgent are served first is the strategy (the
// Optimal strategy's default UrgentFirst objective, the Stable strategy's
// offer preferences, the Greedy strategy's order), not this weight.
type PriorityWeight struct{ Weight float64 }

// Name returns "priority".
func (PriorityWeight) Name() string { return "priority" }

// Score returns Weight × (5 − priority).
func (s PriorityWeight) Score(p Pair) float64 {
	return s.Weight * float64(5-min(max(p.Need.Priority, 1), 5))
}

// TrustPreferenceFit costs Weight points when the pairing goes against the
// need's trust preference: support from another trust for a school that
// wants it from within, or from its own trust for a school that wants it
// from beyond. Schools without a trust are "beyond" every trust.
type TrustPreferenceFit struct{ Weight float64 }

// Name returns "trust".
func (TrustPreferenceFit) Name() string { return "trust" }

// Score returns Weight or 0 as described on TrustPreferenceFit.
func (s TrustPreferenceFit) Score(p Pair) float64 {
	same := p.Need.Trust != "" && p.Need.Trust == p.Offer.Trust
	switch {
	case p.Need.PreferTrust == TrustWithin && !same, p.Need.PreferTrust == TrustBeyond && same:
		return s.Weight
	}
	return 0
}

// LoadBalance spreads demand: it costs Weight points for each candidate
// need per slot of the offer (Pair.Contention), so that popular providers
// are not the first choice of every school.
type LoadBalance struct{ Weight float64 }

// Name returns "load".
func (LoadBalance) Name() string { return "load" }

// Score returns Weight × the offer's contention.
func (s LoadBalance) Score(p Pair) float64 { return s.Weight * p.Contention }

// Price costs PerPound points for each pound the support costs: the
// offer's cost per day × the days the need wants.
type Price struct{ PerPound float64 }

// Name returns "price".
func (Price) Name() string { return "price" }

// Score returns PerPound × cost per day × days.
func (s Price) Score(p Pair) float64 { return s.PerPound * p.Offer.CostPerDay * p.Need.Days }
