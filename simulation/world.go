package simulation

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Sentinel errors. Errors wrap one of them; test with errors.Is.
var (
	// ErrInvalid: a parameter, structure, policy or experiment is not
	// usable (an out-of-range value, a policy reading an indicator the
	// model does not produce, a network naming no school of the world).
	ErrInvalid = errors.New("invalid")
	// ErrNotFound: a named file, structure, policy or strategy does not
	// exist.
	ErrNotFound = errors.New("not found")
)

// NationalFSM is the percentage of pupils eligible for free school meals in
// England in January 2023 (24%), the centre of the fsm_effect parameter and
// the value the latent model gives a school whose share is unknown or
// suppressed (School.FSMImputed). The imputed value never reaches a risk
// policy, brokerage or review as data: to them the share is missing.
const NationalFSM = 24.0

// School is one school of a World: its context and the inspection record
// the simulation starts from.
type School struct {
	URN      partnership.URN
	Name     string
	Phase    partnership.Phase
	Gov      partnership.Governance
	LA       int
	Region   string
	Location partnership.Location
	// Pupils is the roll at the last census; 0 when unknown, which a
	// policy's pupils indicator sees as missing.
	Pupils int
	// FSMPercent is the share of pupils eligible for free school meals;
	// NationalFSM when the data did not say (FSMImputed is then true). The
	// imputed value feeds the latent model only (the long-run level, the
	// attainment indicator's level and the fit of support); a policy's
	// fsm_percent, brokerage and review see the share as missing, and the
	// FSM segregation metrics leave the school out.
	FSMPercent float64
	FSMImputed bool
	// Trust is the school's trust network at the start, "" for none.
	Trust partnership.NetworkID
	// History holds the school's inspections up to the start, graded or
	// not, newest first (up to six), with their dates; empty when it was
	// never inspected. The simulation starts from the latest one, read
	// through Standing: an inspection with no overall judgement is never
	// passed over for an older one that had one.
	History []partnership.Inspection
}

// reportedFSM is the FSM share as data for brokerage and review: -1
// (their unknown) when the latent model imputed it.
func (s *School) reportedFSM() float64 {
	if s.FSMImputed {
		return -1
	}
	return s.FSMPercent
}

// Standing is the model's reading of one real inspection on its
// four-point scale of overall effectiveness (1 outstanding, 2 good, 3
// requires improvement, 4 inadequate): the range of overall ratings the
// inspection admits, best to worst.
//
//   - An overall judgement decides alone: best = worst = the judgement.
//   - Without one (key judgements only, from September 2024, or a report
//     card, from November 2025), each graded item maps onto the scale —
//     a key judgement as itself; a report-card area exceptional 1, strong
//     standard or expected standard 2, needs attention 3, urgent
//     improvement 4 (the model's own report-card cuts: exceptional above
//     the outstanding cut, strong and expected standard between the good
//     and outstanding cuts, needs attention between the inadequate and
//     good cuts); safeguarding not met 4 — and the school stands at the
//     worst of them (best = worst), Ofsted's limiting judgement and the
//     same reading as partnership.Inspection.Concern: 4 exactly when the
//     concern is serious, 3 when it is improvement, 1 or 2 when none.
//   - Safeguarding met and nothing else graded admits good or better
//     (best 1, worst 2).
//   - Nothing graded: RatingNone for both; the inspection says nothing of
//     the school's effectiveness (it still dates the school's latest
//     inspection), and the school starts as one never inspected.
func Standing(in *partnership.Inspection) (best, worst partnership.Rating) {
	switch in.Overall {
	case partnership.RatingOutstanding, partnership.RatingGood, partnership.RatingRequiresImprovement, partnership.RatingInadequate:
		return in.Overall, in.Overall
	}
	w := partnership.RatingNone
	for _, j := range in.Judgements {
		switch j.Rating {
		case partnership.RatingOutstanding, partnership.RatingGood, partnership.RatingRequiresImprovement, partnership.RatingInadequate:
			w = max(w, j.Rating)
		}
	}
	for _, a := range in.Areas {
		switch a.Grade {
		case partnership.GradeExceptional:
			w = max(w, partnership.RatingOutstanding)
		case partnership.GradeStrongStandard, partnership.GradeExpectedStandard:
			w = max(w, partnership.RatingGood)
		case partnership.GradeNeedsAttention:
			w = max(w, partnership.RatingRequiresImprovement)
		case partnership.GradeUrgentImprovement:
			w = partnership.RatingInadequate
		}
	}
	switch {
	case in.Safeguarding == partnership.SafeguardingNotMet:
		return partnership.RatingInadequate, partnership.RatingInadequate
	case w != partnership.RatingNone:
		return w, w
	case in.Safeguarding == partnership.SafeguardingMet:
		return partnership.RatingOutstanding, partnership.RatingGood
	}
	return partnership.RatingNone, partnership.RatingNone
}

// standing is the rating the model's dynamics read from an inspection
// (the response to a poor judgement, the interval to the next
// inspection, the choice of hubs): Standing's worst, 0 when it graded
// nothing.
func standing(in *partnership.Inspection) uint8 {
	_, w := Standing(in)
	return uint8(w)
}

// World is the fixed population a simulation runs on: the schools, their
// context, their inspection records, and the data's own partnership
// structure (for the Trusts generator). A World is immutable once built and
// is shared by every run of an experiment; it is safe for concurrent use.
type World struct {
	Schools []School
	// Start is the date of the simulation's first term.
	Start time.Time
	// Source names where the schools came from ("embedded", a directory,
	// "generated").
	Source string
	// Dropped counts the schools of the data left out, by reason.
	Dropped map[string]int
	// FSMImputed counts the schools whose FSM share is unknown (imputed
	// NationalFSM in the latent model, missing to policies); PupilsUnknown
	// those whose roll is unknown (missing to policies).
	FSMImputed, PupilsUnknown int

	model *partnership.Model
	index map[partnership.URN]int
	// ids[i] is school i's index as text: its need and offer ID in
	// brokerage, made once and shared by every run.
	ids []string
}

// Model returns the partnership model the world was built from, nil for a
// generated world.
func (w *World) Model() *partnership.Model { return w.model }

// Index returns the position of the school with URN u in Schools.
func (w *World) Index(u partnership.URN) (int, bool) {
	i, ok := w.index[u]
	return i, ok
}

// NewWorld builds a world from a partnership model: every open
// state-funded school at start, in URN order, with its latest inspections
// up to start, graded or not (its predecessors' included), and its trust. Schools closed
// by start, independent schools and schools opened after start are left
// out and counted in Dropped.
func NewWorld(m *partnership.Model, start time.Time, source string) (*World, error) {
	w := &World{Start: start, Source: source, Dropped: map[string]int{}, model: m, index: map[partnership.URN]int{}}
	for _, s := range m.Schools() {
		switch {
		case !s.Governance.IsStateFunded():
			w.Dropped["not state-funded"]++
			continue
		case !s.Closed.IsZero() && !s.Closed.After(start):
			w.Dropped["closed"]++
			continue
		case !s.Opened.IsZero() && s.Opened.After(start):
			w.Dropped["not yet open"]++
			continue
		}
		sc := School{URN: s.URN, Name: s.Name, Phase: s.Phase, Gov: s.Governance, LA: s.LA, Region: s.Region,
			Location: s.Location}
		if n, ok := s.PupilCount(); ok {
			sc.Pupils = n
		}
		if f, ok := s.FSM(); ok {
			sc.FSMPercent = f
		} else {
			sc.FSMPercent, sc.FSMImputed = NationalFSM, true
			w.FSMImputed++
		}
		if sc.Pupils == 0 {
			w.PupilsUnknown++
		}
		for _, in := range m.Inspections(s.URN) {
			if !in.Date.After(start) && len(sc.History) < 6 {
				sc.History = append(sc.History, in)
			}
		}
		for _, ms := range m.MembershipsOf(s.URN.OrgID(), start) {
			if n := m.Network(ms.Network); n != nil && n.Kind == partnership.NetworkTrust && (sc.Trust == "" || n.ID < sc.Trust) {
				sc.Trust = n.ID
			}
		}
		w.Schools = append(w.Schools, sc)
	}
	if len(w.Schools) == 0 {
		return nil, fmt.Errorf("simulation: world: %w: no open state-funded school at %s", ErrInvalid, start.Format(time.DateOnly))
	}
	slices.SortFunc(w.Schools, func(a, b School) int { return cmp.Compare(a.URN, b.URN) })
	w.indexSchools()
	return w, nil
}

// GenerateOptions shape a generated world. The zero value gives 2,000
// schools in a 150 km square with England's mix of phases.
type GenerateOptions struct {
	Schools int
	// SizeKm is the side of the square the schools are spread over.
	SizeKm float64
	// TrustShare is the share of schools in a trust (trusts of 2–20
	// schools of one phase group, formed among neighbours).
	TrustShare float64
	Seed       uint64
}

// Generate builds a synthetic world: schools placed round towns in a
// square (centred on 53.8°N 1.5°W), with the national shares of phases (77%
// primary, 16% secondary, 5% special, 2% other), sizes, free-school-meals
// shares drawn from a beta-like distribution with mean 24%, grades drawn
// from the national distribution of the latest judgements, and trusts.
// The same options give the same world.
func Generate(opts GenerateOptions) *World {
	if opts.Schools <= 0 {
		opts.Schools = 2000
	}
	if opts.SizeKm <= 0 {
		opts.SizeKm = 150
	}
	if opts.TrustShare == 0 {
		opts.TrustShare = 0.45
	}
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed_0f_7e11))
	start := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	w := &World{Start: start, Source: "generated", Dropped: map[string]int{}, index: map[partnership.URN]int{}}
	const lat0, lon0 = 53.8, -1.5
	kmLat, kmLon := 111.2, 111.2*math.Cos(lat0*math.Pi/180)
	towns := make([][2]float64, max(3, opts.Schools/60))
	for i := range towns {
		towns[i] = [2]float64{(r.Float64() - 0.5) * opts.SizeKm, (r.Float64() - 0.5) * opts.SizeKm}
	}
	for i := range opts.Schools {
		t := towns[r.IntN(len(towns))]
		x, y := t[0]+r.NormFloat64()*opts.SizeKm/25, t[1]+r.NormFloat64()*opts.SizeKm/25
		s := School{URN: partnership.URN(900000 + i), Name: fmt.Sprintf("Generated school %d", i+1),
			Location: partnership.Location{Lat: lat0 + y/kmLat, Lon: lon0 + x/kmLon}, LA: 900 + int(math.Floor((x/opts.SizeKm+0.5)*3))*3 + int(math.Floor((y/opts.SizeKm+0.5)*3)),
			Region: "Generated"}
		s.Gov = partnership.GovernanceLAMaintained
		switch u := r.Float64(); {
		case u < 0.77:
			s.Phase, s.Pupils = partnership.PhasePrimary, 100+r.IntN(500)
		case u < 0.93:
			s.Phase, s.Pupils = partnership.PhaseSecondary, 500+r.IntN(1300)
		case u < 0.98:
			s.Phase, s.Pupils = partnership.PhaseSpecial, 50+r.IntN(200)
		default:
			s.Phase, s.Pupils = partnership.PhaseAlternativeProvision, 20+r.IntN(100)
		}
		// Sum of two uniforms squared: right-skewed, mean about 24%.
		f := (r.Float64() + r.Float64()) / 2
		s.FSMPercent = math.Round(min(95, 72*f*f)*10) / 10
		g := partnership.RatingGood
		switch u := r.Float64(); {
		case u < 0.17:
			g = partnership.RatingOutstanding
		case u < 0.17+0.63:
		case u < 0.17+0.63+0.16:
			g = partnership.RatingRequiresImprovement
		default:
			g = partnership.RatingInadequate
		}
		s.History = []partnership.Inspection{{URN: s.URN, Overall: g, Date: start.AddDate(0, -1-r.IntN(48), 0)}}
		w.Schools = append(w.Schools, s)
	}
	// Trusts: walk the schools in a random order; a free school starts a
	// trust and takes its nearest free neighbours of the same phase group.
	order := r.Perm(len(w.Schools))
	inTrust := make([]bool, len(w.Schools))
	want := int(opts.TrustShare * float64(len(w.Schools)))
	placed, nt := 0, 0
	for _, i := range order {
		if placed >= want {
			break
		}
		if inTrust[i] {
			continue
		}
		size := 2 + r.IntN(19)
		nt++
		id := partnership.NetworkID(fmt.Sprintf("trust:%d", nt))
		near := nearest(w.Schools, i, func(j int) bool {
			return !inTrust[j] && phaseGroup(w.Schools[j].Phase) == phaseGroup(w.Schools[i].Phase)
		}, size-1)
		for _, j := range append([]int{i}, near...) {
			inTrust[j] = true
			w.Schools[j].Trust = id
			w.Schools[j].Gov = partnership.GovernanceAcademyConverter
			placed++
		}
	}
	w.indexSchools()
	return w
}

// indexSchools builds what runs look schools up by: the index by URN and
// the brokerage IDs.
func (w *World) indexSchools() {
	w.ids = make([]string, len(w.Schools))
	for i, s := range w.Schools {
		w.index[s.URN] = i
		w.ids[i] = strconv.Itoa(i)
	}
}

// nearest returns up to k schools nearest to school i that keep says may be
// taken, nearest first (ties by index).
func nearest(ss []School, i int, keep func(int) bool, k int) []int {
	type cand struct {
		j int
		d float64
	}
	var cs []cand
	for j := range ss {
		if j != i && keep(j) && ss[j].Location.Known() {
			cs = append(cs, cand{j, ss[i].Location.DistanceKm(ss[j].Location)})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.j, b.j)) })
	out := make([]int, 0, min(k, len(cs)))
	for _, c := range cs[:min(k, len(cs))] {
		out = append(out, c.j)
	}
	return out
}

// phaseGroup puts schools that can support or review each other together:
// primary-like (nursery, primary, middle), secondary-like (secondary,
// all-through, 16-plus) and specialist (special, alternative provision).
func phaseGroup(p partnership.Phase) int {
	switch p {
	case partnership.PhaseNursery, partnership.PhasePrimary, partnership.PhaseMiddle:
		return 0
	case partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.Phase16Plus:
		return 1
	case partnership.PhaseSpecial, partnership.PhaseAlternativeProvision:
		return 2
	}
	return 3
}
