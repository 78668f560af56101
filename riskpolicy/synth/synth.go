// Package synth writes indicator data sets for the built-in risk policies
// from the real schools of England.
//
// Real fields come from the published extracts that partnership/england
// loads: each school's URN, name, phase, local authority, pupils, free
// school meals percentage (both blank where the census does not give
// them, never 0 or an average), the overall-effectiveness judgement of its
// latest inspection (ofsted_rating: blank when that inspection gave none,
// as inspections from September 2024 do, never an older judgement) and
// every overall judgement (ofsted_history, latest first, following
// predecessor URNs). Where the latest inspection is a report card, its
// area grades and safeguarding outcome are written as they are (blank for
// an area it did not grade); where it gave key judgements only, its
// safeguarding outcome. Indicators that are not published (attendance by
// term, complaints, survey confidence, score cards, budget deficits,
// report-card grades before a school's first report card and the like)
// are generated,
// deterministically from a seed and each school's URN, and correlated with
// the real fields (a school with more disadvantaged pupils or a weaker
// judgement tends to have lower attendance and attainment). Every file
// written says in its header comment which columns are real and which are
// synthetic; the synthetic ones must never be read as facts about a school.
package synth

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Options configure Write. A nil *Options means the defaults.
type Options struct {
	// Seed makes the synthetic values; the same seed and data give the
	// same files. Zero means 1.
	Seed uint64
	// Periods is how many terms to write: the current one and Periods-1
	// earlier ones in the history file. Zero means 3.
	Periods int
	// Labels names the terms, newest first; zero means "2024-25 summer",
	// "2024-25 spring", ... going back.
	Labels []string
	// Formulas writes every cell unchanged. False (zero) guards a cell a
	// spreadsheet would run as a formula (a school name beginning "=",
	// "+", "-" or "@") with a leading apostrophe, which Policy.ReadCSV
	// removes again, so the files still read back to the same schools.
	Formulas bool
}

// RealColumns are the columns taken from the published data.
var RealColumns = []string{"urn", "name", "phase", "la", "pupils", "fsm_percent", "ofsted_rating", "ofsted_history",
	"new_structure_since_inspection"}

// SyntheticColumns are the generated columns. The report_card.* and
// safeguarding columns are real for a school whose latest inspection
// graded them (see the package documentation) and generated otherwise.
var SyntheticColumns = []string{
	"attendance", "complaints", "head_absent", "safeguarding_concern", "parent_confidence", "staff_confidence",
	"scorecard_red", "on_concern_register", "budget_deficit", "leadership_barrier", "recovery_on_track",
	"attainment", "head_new", "governance_concern", "warning_notice",
	"report_card.inclusion", "report_card.curriculum_and_teaching", "report_card.achievement",
	"report_card.attendance_and_behaviour", "report_card.personal_development",
	"report_card.leadership_and_governance", "safeguarding", "category_of_concern",
	"standards_group", "improvement_capacity",
}

// Stats reports what Write wrote.
type Stats struct {
	Schools int // open state-funded schools written
	Rows    int // rows in the history file
}

// Schools returns the open state-funded schools of m, in URN order.
func Schools(m *partnership.Model) []partnership.School {
	var out []partnership.School
	for _, s := range m.Schools() {
		if s.Governance.IsStateFunded() && s.Closed.IsZero() {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b partnership.School) int { return int(a.URN - b.URN) })
	return out
}

// Write writes the current term's indicators of every open state-funded
// school in m to current, and the earlier terms to history (skipped when
// history is nil), in the CSV layout Policy.ReadCSV reads.
func Write(ctx context.Context, m *partnership.Model, current, history io.Writer, opts *Options) (Stats, error) {
	o := Options{Seed: 1, Periods: 3}
	if opts != nil {
		if opts.Seed != 0 {
			o.Seed = opts.Seed
		}
		if opts.Periods > 0 {
			o.Periods = opts.Periods
		}
		o.Labels = opts.Labels
		o.Formulas = opts.Formulas
	}
	for len(o.Labels) < o.Periods {
		i := len(o.Labels)
		year := 2024 - i/3
		o.Labels = append(o.Labels, fmt.Sprintf("%d-%02d %s", year, (year+1)%100, []string{"summer", "spring", "autumn"}[i%3]))
	}
	header := append([]string{"urn", "name", "period", "phase", "la", "pupils", "fsm_percent", "ofsted_rating", "ofsted_history",
		"new_structure_since_inspection"},
		SyntheticColumns...)
	comment := "# Indicators for fulcrum risk policies. Real columns, from the published DfE/GIAS/Ofsted extracts (Open Government Licence v3.0): " +
		strings.Join(RealColumns, ", ") + ".\n# SYNTHETIC columns, generated (seed " + strconv.FormatUint(o.Seed, 10) +
		") and not facts about any school: " + strings.Join(SyntheticColumns, ", ") +
		"; except that report_card.* and safeguarding are the latest inspection's own where it was a report card (safeguarding too where it gave key judgements only).\n"
	copts := &csvout.Options{Formulas: o.Formulas}
	cw := csvout.NewWriter(current, copts)
	if _, err := io.WriteString(current, comment); err != nil {
		return Stats{}, err
	}
	if err := cw.Write(header); err != nil {
		return Stats{}, err
	}
	var hw *csvout.Writer
	if history != nil {
		if _, err := io.WriteString(history, comment); err != nil {
			return Stats{}, err
		}
		hw = csvout.NewWriter(history, copts)
		if err := hw.Write(header); err != nil {
			return Stats{}, err
		}
	}
	var st Stats
	for i, s := range Schools(m) {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		var ratings []string
		ins := m.Inspections(s.URN) // newest first
		for _, in := range ins {
			if in.Overall != partnership.RatingNone {
				ratings = append(ratings, in.Overall.String())
			}
		}
		var latest *partnership.Inspection
		if len(ins) > 0 {
			latest = &ins[0]
		}
		g := newGen(o.Seed, s, ratings, latest)
		for k := 0; k < o.Periods; k++ {
			row := g.row(k, o.Labels[k])
			if k == 0 {
				if err := cw.Write(row); err != nil {
					return st, err
				}
			} else if hw != nil {
				if err := hw.Write(row); err != nil {
					return st, err
				}
				st.Rows++
			}
		}
		st.Schools++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return st, err
	}
	if hw != nil {
		hw.Flush()
		if err := hw.Error(); err != nil {
			return st, err
		}
	}
	return st, nil
}

// gen makes one school's synthetic values.
type gen struct {
	s       partnership.School
	ratings []string // every overall judgement, newest first
	// latest is the school's latest inspection (nil: never inspected); its
	// overall judgement is ofsted_rating, blank when it gave none.
	latest *partnership.Inspection
	rng    *rand.Rand
	// latent traits, fixed across periods
	weakness   float64 // 0 strong .. 1 weak
	fsm        float64
	moved      bool    // the latest inspection was of a predecessor URN
	attendance float64 // the school's typical attendance
	attainment float64
}

func newGen(seed uint64, s partnership.School, ratings []string, latest *partnership.Inspection) *gen {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d", s.URN)
	g := &gen{s: s, ratings: ratings, latest: latest, rng: rand.New(rand.NewPCG(seed, h.Sum64()))}
	g.moved = latest != nil && latest.URN != s.URN
	var ok bool
	if g.fsm, ok = s.FSM(); !ok {
		// The national average, for the synthetic columns' correlation
		// only: the fsm_percent column is blank.
		g.fsm = 22
	}
	w := 0.25 + 0.4*g.rng.Float64()
	// The synthetic values follow what the latest inspection says of the
	// school (partnership.Inspection.Concern): an overall judgement, or
	// its key judgements, report card and safeguarding; never an older
	// judgement.
	if latest != nil {
		switch {
		case latest.Overall == partnership.RatingOutstanding:
			w -= 0.2
		case latest.Overall == partnership.RatingRequiresImprovement:
			w += 0.25
		case latest.Overall == partnership.RatingInadequate:
			w += 0.45
		case latest.Overall == partnership.RatingNone && latest.Concern() == partnership.ConcernImprove:
			w += 0.25
		case latest.Overall == partnership.RatingNone && latest.Concern() == partnership.ConcernSerious:
			w += 0.45
		}
	}
	w += (g.fsm - 22) / 150
	g.weakness = math.Max(0, math.Min(1, w))
	g.attendance = 96.5 - 6*g.weakness - (g.fsm-22)/12 + g.rng.NormFloat64()*1.1
	g.attainment = 78 - 40*g.weakness - (g.fsm-22)/3 + g.rng.NormFloat64()*6
	return g
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) row(k int, label string) []string {
	s, r := g.s, g.rng
	w := g.weakness + float64(k)*0.02*(r.Float64()-0.5)
	f := func(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64) }
	b := strconv.FormatBool
	rating, hist := "", strings.Join(g.ratings, ";")
	if g.latest != nil && g.latest.Overall != partnership.RatingNone {
		rating = g.latest.Overall.String()
	}
	attendance := g.attendance + r.NormFloat64()*0.5
	attainment := g.attainment + r.NormFloat64()*2
	complaints := int(math.Max(0, math.Round(r.ExpFloat64()*(0.3+2*w*w))))
	grades := []string{"exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement"}
	grade := func() string {
		x := 1.2 + 2.0*w + r.NormFloat64()*0.4
		return grades[int(math.Max(0, math.Min(4, math.Round(x))))]
	}
	rc := []string{grade(), grade(), grade(), grade(), grade(), grade()}
	sg := "met"
	if g.chance(0.002 + 0.02*w*w) {
		sg = "not met"
	}
	g.realGrades(rc, &sg)
	concern := "none"
	urgent := slices.Contains(rc, "urgent improvement")
	switch {
	case rc[5] == "urgent improvement" && (sg == "not met" || strings.Count(strings.Join(rc, ","), "urgent") >= 2):
		concern = "special measures"
	case urgent || sg == "not met":
		concern = "requires significant improvement"
	}
	group := 1 + int(math.Max(0, math.Min(3, math.Round(2.5*w+r.NormFloat64()*0.6-0.3))))
	capacity := []string{"A", "B", "C", "D"}[int(math.Max(0, math.Min(3, math.Round(3*w+r.NormFloat64()*0.5-0.6))))]
	return []string{
		s.URN.String(), s.Name, label, s.Phase.String(), strconv.Itoa(s.LA), pupilsText(s), fsmText(s),
		rating, hist, b(g.moved),
		f(math.Min(100, attendance)), strconv.Itoa(complaints), b(g.chance(0.005 + 0.02*w*w)), b(g.chance(0.002 + 0.01*w*w)),
		f(math.Min(100, 92-30*w+r.NormFloat64()*8)), f(math.Min(100, 88-25*w+r.NormFloat64()*8)),
		strconv.Itoa(int(math.Max(0, math.Round(r.NormFloat64()*0.8+3*w-0.5)))), b(g.chance(0.01 + 0.2*w*w)),
		f(math.Max(0, r.NormFloat64()*2+6*w-2.5)), b(g.chance(0.002 + 0.05*w*w)), b(g.chance(0.6 - 0.4*w)),
		f(math.Max(0, math.Min(100, attainment))), b(g.chance(0.12)), b(g.chance(0.02 + 0.1*w)), b(g.chance(0.002 + 0.02*w*w)),
		rc[0], rc[1], rc[2], rc[3], rc[4], rc[5], sg, concern,
		strconv.Itoa(group), capacity,
	}
}

// reportCardAreas are the evaluation areas of the report_card.* columns,
// in column order.
var reportCardAreas = []partnership.EvaluationArea{partnership.AreaInclusion, partnership.AreaCurriculumAndTeaching,
	partnership.AreaAchievement, partnership.AreaAttendanceAndBehaviour, partnership.AreaPersonalDevelopment,
	partnership.AreaLeadershipAndGovernance}

// realGrades puts the latest inspection's own grades over the generated
// ones: a report card's area grades (blank for an area it did not grade)
// and its safeguarding outcome; the safeguarding outcome of an inspection
// that gave key judgements only. An inspection with an overall judgement
// leaves the generated values.
func (g *gen) realGrades(rc []string, sg *string) {
	in := g.latest
	if in == nil || in.Overall != partnership.RatingNone {
		return
	}
	if len(in.Areas) > 0 {
		for k, a := range reportCardAreas {
			rc[k] = ""
			for _, ag := range in.Areas {
				if ag.Area == a && ag.Grade != partnership.GradeNone {
					rc[k] = strings.ReplaceAll(ag.Grade.String(), "-", " ")
				}
			}
		}
	}
	switch in.Safeguarding {
	case partnership.SafeguardingMet:
		*sg = "met"
	case partnership.SafeguardingNotMet:
		*sg = "not met"
	default:
		if len(in.Areas) > 0 {
			*sg = ""
		}
	}
}

// pupilsText is the roll, blank when the census did not give it.
func pupilsText(s partnership.School) string {
	if n, ok := s.PupilCount(); ok {
		return strconv.Itoa(n)
	}
	return ""
}

// fsmText is the FSM percentage, blank when unknown or suppressed.
func fsmText(s partnership.School) string {
	if v, ok := s.FSM(); ok {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return ""
}
