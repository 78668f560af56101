package brokerage

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// InstanceOptions configure FromInspections. A nil *InstanceOptions means
// the zero value, whose fields mean the documented defaults.
type InstanceOptions struct {
	// Seed varies the synthetic fields; the same model and seed always
	// give the same instance.
	Seed uint64
	// At is the date whose network memberships count for eligibility;
	// zero means every membership in the model.
	At time.Time
}

// areasFor are the expertise areas a school of each phase is given, most
// common first. Every mainstream list holds every area a need of that
// phase can be given (inadequate schools need leadership or safeguarding
// support), so that mainstream supply exists for every mainstream need;
// special schools and alternative provision have their own lists.
func areasFor(p partnership.Phase) []partnership.ExpertiseID {
	switch p {
	case partnership.PhaseNursery:
		return []partnership.ExpertiseID{"early-years", "send", "leadership", "safeguarding"}
	case partnership.PhasePrimary, partnership.PhaseMiddle:
		return []partnership.ExpertiseID{"early-reading", "maths", "english", "send", "curriculum", "leadership", "attendance", "behaviour", "governance", "science", "safeguarding"}
	case partnership.PhaseSecondary, partnership.PhaseAllThrough:
		return []partnership.ExpertiseID{"maths", "english", "behaviour", "attendance", "science", "send", "leadership", "curriculum", "disadvantaged", "sixth-form", "safeguarding"}
	case partnership.Phase16Plus:
		return []partnership.ExpertiseID{"sixth-form", "curriculum", "leadership", "safeguarding"}
	case partnership.PhaseSpecial:
		return []partnership.ExpertiseID{"send", "behaviour", "leadership", "safeguarding"}
	case partnership.PhaseAlternativeProvision:
		return []partnership.ExpertiseID{"behaviour", "attendance", "send", "safeguarding"}
	}
	return []partnership.ExpertiseID{"leadership", "curriculum", "safeguarding"}
}

// synth is a deterministic pseudo-random stream for one school.
type synth struct{ h uint64 }

func newSynth(seed uint64, u partnership.URN, salt string) *synth {
	f := fnv.New64a()
	fmt.Fprintf(f, "%d/%d/%s", seed, u, salt)
	return &synth{f.Sum64() | 1}
}

func (s *synth) intn(n int) int {
	// xorshift64*
	s.h ^= s.h >> 12
	s.h ^= s.h << 25
	s.h ^= s.h >> 27
	return int((s.h * 2685821657736338717 >> 33) % uint64(n))
}

// FromInspections builds a brokerage instance from real schools and their
// real inspection outcomes. The latest inspection decides, read by
// partnership.Inspection.Concern: a school whose latest inspection found
// it below good (overall requires improvement or inadequate; or, for an
// inspection with no overall grade, a key judgement below good, a
// report-card area needing attention or urgent improvement, or
// safeguarding not met) has a need, and a school whose latest inspection
// judged it outstanding overall makes an offer. An older overall grade is
// never used in place of a latest inspection that gave none. Schools, locations,
// phases, regions, trusts, disadvantage and judgements are the published
// ones; what no extract publishes is generated deterministically from the
// URN and seed and the need or offer is marked Synthetic:
//
//   - a need's area (from those usual for its phase; inadequate schools
//     need leadership or safeguarding support half the time), its days
//     (4–12), its trust preference and its context preference;
//   - a need's priority follows the concern: 5 when serious (inadequate,
//     urgent improvement or safeguarding not met), 3 otherwise, one more
//     when the inspection before was below good too (a school that is
//     "stuck");
//   - an offer's areas (1–3, drawn uniformly from the areas usual for its
//     phase, so that every area a mainstream need can have is offered by
//     mainstream schools: safeguarding by about one outstanding mainstream
//     school in five, as by special schools and alternative provision),
//     its capacity (1–3 engagements) and its cost per day (£350–£550); its
//     evidence is EvidenceInspection. These proportions are synthetic, not
//     published: no extract says which schools offer which expertise.
//
// Needs and offers are in URN order; IDs are "need-URN" and "offer-URN".
func FromInspections(m *partnership.Model, opts *InstanceOptions) ([]Need, []Offer) {
	if opts == nil {
		opts = &InstanceOptions{}
	}
	schools := slices.Clone(m.Schools())
	slices.SortFunc(schools, func(a, b partnership.School) int { return int(a.URN) - int(b.URN) })
	var needs []Need
	var offers []Offer
	for i := range schools {
		s := &schools[i]
		h := m.Inspections(s.URN)
		if len(h) == 0 {
			continue
		}
		concern := h[0].Concern()
		if concern < partnership.ConcernImprove && h[0].Overall != partnership.RatingOutstanding {
			continue
		}
		var nets []partnership.NetworkID
		for _, ms := range m.MembershipsOf(s.URN.OrgID(), opts.At) {
			nets = append(nets, ms.Network)
		}
		slices.Sort(nets)
		nets = slices.Compact(nets)
		fsm := s.FSMPercent.Or(-1) // a Need's and an Offer's FSMPercent are negative when unknown
		areas := areasFor(s.Phase)
		switch {
		case concern >= partnership.ConcernImprove:
			r := newSynth(opts.Seed, s.URN, "need")
			n := Need{ID: NeedID(fmt.Sprintf("need-%d", s.URN)), School: s.URN, Name: s.Name, Phase: s.Phase,
				Location: s.Location, Region: s.Region, LA: s.LAName, Trust: s.TrustName, FSMPercent: fsm,
				Networks: nets, Synthetic: true}
			switch { // a middle school's need is about the key stages of the phase it is deemed, when known
			case s.Phase == partnership.PhaseMiddle && s.DeemedPhase == partnership.PhasePrimary:
				n.KeyStages = DeemedPrimary
			case s.Phase == partnership.PhaseMiddle && s.DeemedPhase == partnership.PhaseSecondary:
				n.KeyStages = DeemedSecondary
			}
			// Weight towards the first areas: min of two draws.
			n.Area = areas[min(r.intn(len(areas)), r.intn(len(areas)))]
			n.Priority = 3
			if concern == partnership.ConcernSerious {
				n.Priority = 5
				if r.intn(2) == 0 {
					n.Area = []partnership.ExpertiseID{"leadership", "safeguarding"}[r.intn(2)]
				}
			}
			if len(h) > 1 && h[1].Concern() >= partnership.ConcernImprove {
				n.Priority = min(n.Priority+1, 5)
			}
			n.Days = float64(4 + r.intn(9))
			if s.TrustName != "" && r.intn(3) == 0 {
				n.PreferTrust = TrustWithin
			} else if r.intn(4) == 0 {
				n.PreferTrust = TrustBeyond
			}
			if fsm >= 0 && r.intn(3) == 0 {
				n.PreferContext = ContextSimilar
			}
			needs = append(needs, n)
		default: // outstanding overall
			r := newSynth(opts.Seed, s.URN, "offer")
			o := Offer{ID: OfferID(fmt.Sprintf("offer-%d", s.URN)), Provider: s.Name, Kind: ProviderSchool, School: s.URN,
				Trust: s.TrustName, Location: s.Location, Region: s.Region, FSMPercent: fsm, Synthetic: true,
				Capacity: 1 + r.intn(3), CostPerDay: float64(350 + 50*r.intn(5))}
			if s.Phase != partnership.PhaseUnknown {
				o.Phases = []partnership.Phase{s.Phase}
			}
			for k := 1 + r.intn(3); k > 0; k-- {
				a := areas[r.intn(len(areas))]
				if o.Evidence(a) == EvidenceNone {
					o.Areas = append(o.Areas, AreaEvidence{Area: a, Evidence: EvidenceInspection})
				}
			}
			offers = append(offers, o)
		}
	}
	return needs, offers
}
