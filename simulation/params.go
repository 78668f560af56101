package simulation

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Params are the model's parameters. Every field is listed, with its unit,
// default and the source of the default, by ParamTable, which `fulcrum sim
// describe` prints and the package documentation reproduces. Experiment
// files set them by name (the `yaml` tag). DefaultParams gives the
// calibrated defaults; the zero Params is not a valid model.
//
// Effectiveness is a latent, unitless quantity on the scale of the
// population's spread: 0 is the average school, 1 is one standard
// deviation of the national distribution of overall effectiveness.
type Params struct {
	// Latent dynamics, fitted to the Ofsted history (see Calibrate).
	Persistence      float64 `yaml:"persistence"`
	SchoolEffect     float64 `yaml:"school_effect"`
	InspectionNoise  float64 `yaml:"inspection_noise"`
	CutOutstanding   float64 `yaml:"cut_outstanding"`
	CutGood          float64 `yaml:"cut_good"`
	CutInadequate    float64 `yaml:"cut_inadequate"`
	ResponseRI       float64 `yaml:"response_ri"`
	ResponseInad     float64 `yaml:"response_inadequate"`
	AreaSpread       float64 `yaml:"area_spread"`
	AreaPersistence  float64 `yaml:"area_persistence"`
	FSMEffect        float64 `yaml:"fsm_effect"`
	HeadDeparture    float64 `yaml:"head_departure"`
	HeadEffect       float64 `yaml:"head_effect"`
	RollFall         float64 `yaml:"roll_fall"`
	RollEffect       float64 `yaml:"roll_effect"`
	IntervalOutst    float64 `yaml:"interval_outstanding"`
	IntervalGood     float64 `yaml:"interval_good"`
	IntervalRI       float64 `yaml:"interval_ri"`
	IntervalInad     float64 `yaml:"interval_inadequate"`
	IntervalJitter   float64 `yaml:"interval_jitter"`
	PeerNoise        float64 `yaml:"peer_review_noise"`
	PeerShare        float64 `yaml:"peer_review_share"`
	ClusterSize      float64 `yaml:"cluster_size"`
	ClusterLearning  float64 `yaml:"cluster_learning"`
	NeedDays         float64 `yaml:"need_days"`
	SupplyDays       float64 `yaml:"supply_days"`
	OfferThreshold   float64 `yaml:"offer_threshold"`
	SupportEffect    float64 `yaml:"support_effect"`
	SupportSpill     float64 `yaml:"support_spill"`
	SupporterCost    float64 `yaml:"supporter_cost"`
	FitScale         float64 `yaml:"fit_scale"`
	MaxDistanceKm    float64 `yaml:"max_distance_km"`
	SpreadRate       float64 `yaml:"spread_rate"`
	CapacityRecovery float64 `yaml:"capacity_recovery"`
	Attendance       float64 `yaml:"attendance_base"`
	AttendanceSlope  float64 `yaml:"attendance_slope"`
	Attainment       float64 `yaml:"attainment_base"`
	AttainmentSlope  float64 `yaml:"attainment_slope"`
	SafeguardingCut  float64 `yaml:"safeguarding_cut"`
}

// Param describes one parameter.
type Param struct {
	// Name is the parameter's name in experiment files and CSV output.
	Name string
	// Unit is the unit of the value ("sd" is one national standard
	// deviation of latent effectiveness; "term" is a school term, a third
	// of a year).
	Unit string
	// Default is the value DefaultParams gives.
	Default float64
	// Min and Max bound the values Validate accepts.
	Min, Max float64
	// Calibrated marks the parameters Calibrate fits.
	Calibrated bool
	// Meaning says what the parameter does; Source where its default
	// comes from.
	Meaning, Source string

	field int
}

type paramSpec struct {
	name, unit      string
	min, max        float64
	calibrated      bool
	meaning, source string
}

// specs are in the order of the fields of Params.
var specs = []paramSpec{
	{"persistence", "per term", 0, 1, true, "share of a school's deviation from its own long-run level that carries over to the next term (AR(1) coefficient)", "fitted to the Ofsted history (Calibrate)"},
	{"school_effect", "share", 0, 1, true, "share of the variance of effectiveness that is a lasting school effect rather than a passing deviation", "fitted to the Ofsted history (Calibrate)"},
	{"inspection_noise", "sd", 0, 3, true, "standard deviation of an inspector's error in observing effectiveness", "fitted to the Ofsted history (Calibrate)"},
	{"cut_outstanding", "sd", -4, 4, true, "observed overall effectiveness above which a judgement is outstanding", "fitted to the Ofsted history (Calibrate)"},
	{"cut_good", "sd", -4, 4, true, "observed overall effectiveness above which a judgement is good", "fitted to the Ofsted history (Calibrate)"},
	{"cut_inadequate", "sd", -4, 4, true, "observed overall effectiveness below which a judgement is inadequate", "fitted to the Ofsted history (Calibrate)"},
	{"response_ri", "sd per term", -1, 1, true, "improvement per term after a requires-improvement judgement, until the next inspection: the system's existing response (monitoring, local authority and trust support)", "fitted to the Ofsted history (Calibrate)"},
	{"response_inadequate", "sd per term", -1, 1, true, "improvement per term after an inadequate judgement, until the next inspection (special measures, academy orders, monitoring)", "fitted to the Ofsted history (Calibrate)"},
	{"area_spread", "sd", 0, 2, false, "standard deviation of an evaluation area's deviation from the school's overall effectiveness", "assumption: report cards grade most schools within one grade across areas"},
	{"area_persistence", "per term", 0, 1, false, "AR(1) coefficient of an area's deviation", "assumption: area strengths last a few years"},
	{"fsm_effect", "sd per 10 FSM points", -1, 1, false, "shift of a school's long-run level per 10 percentage points of pupils eligible for free school meals above 24% (the 2023 national mean)", "assumption from the known gradient of judgements with disadvantage (Ofsted annual reports); not fitted"},
	{"head_departure", "probability per term", 0, 1, false, "chance that the headteacher leaves in a term", "about 1 in 10 heads leave each year (DfE school workforce statistics), a third of that per term"},
	{"head_effect", "sd", -2, 2, false, "fall in effectiveness when the head leaves; leadership capacity halves too", "assumption"},
	{"roll_fall", "probability per term", 0, 1, false, "chance of a falling roll (a tenth of pupils lost) in a term", "assumption: falling primary rolls since 2019"},
	{"roll_effect", "sd", -2, 2, false, "fall in effectiveness with a falling roll (budget cuts)", "assumption"},
	{"interval_outstanding", "terms", 1, 60, false, "mean time to the next graded inspection after an outstanding judgement", "mean gap between consecutive inspections in the Ofsted history, 56 months"},
	{"interval_good", "terms", 1, 60, false, "mean time to the next inspection after good", "mean gap in the Ofsted history, 45 months"},
	{"interval_ri", "terms", 1, 60, false, "mean time to the next inspection after requires improvement", "mean gap in the Ofsted history, 29 months"},
	{"interval_inadequate", "terms", 1, 60, false, "mean time to the next inspection after inadequate", "mean gap in the Ofsted history, 18 months"},
	{"interval_jitter", "share", 0, 1, false, "the interval is drawn uniformly within this share either side of its mean", "assumption: inspections fall due within a window"},
	{"peer_review_noise", "sd", 0, 3, false, "standard deviation of a peer review's error in observing an area", "assumption: peer reviewers see less than inspectors but more often"},
	{"peer_review_share", "share", 0, 1, false, "share of the schools in a partnership that join the year's peer-review clusters", "assumption: most schools in a peer-review partnership take part each year"},
	{"cluster_size", "schools", 3, 7, false, "target size of a peer-review cluster", "triads, the usual form (review.DefaultClusterRules)"},
	{"cluster_learning", "share per year", 0, 1, false, "share of the gap to the best school in its cluster that a reviewed school closes, per area, at each review", "assumption"},
	{"need_days", "days", 0.5, 100, false, "days of support one need asks for", "the typical engagement of brokerage.FromInspections, 4 to 12 days"},
	{"supply_days", "days per term", 0, 200, false, "days a supporting school can give per term at full leadership capacity", "assumption: two leaders giving a day a fortnight"},
	{"offer_threshold", "sd", -4, 4, false, "observed area effectiveness above which a school offers support in that area", "set so that about the top fifth of schools offer in an area"},
	{"support_effect", "sd per day", 0, 1, false, "improvement of the supported area per day of support at full fit and strength", "assumption, of the order of the effects reported for school-to-school support (small, a tenth of an sd for a term's engagement)"},
	{"support_spill", "share", 0, 1, false, "share of an area's improvement that carries to the school's overall effectiveness", "assumption"},
	{"supporter_cost", "sd per day", 0, 1, false, "fall in the supporter's effectiveness per day given (leaders away from their own school)", "assumption"},
	{"fit_scale", "FSM points", 0.1, 100, false, "difference in free-school-meals share at which fit falls to 1/e", "assumption: support works best between similar contexts"},
	{"max_distance_km", "km", 0, 1000, false, "farthest a supporter travels", "brokerage's distance constraint"},
	{"spread_rate", "share per term", 0, 1, false, "share of the gap to the mean of its better partners that an area closes each term through network ties", "assumption"},
	{"capacity_recovery", "share per term", 0, 1, false, "share of the gap to its normal level that leadership capacity recovers each term", "assumption"},
	{"attendance_base", "%", 0, 100, false, "attendance of an average school", "national overall attendance, about 93% in 2023-24"},
	{"attendance_slope", "% per sd", 0, 20, false, "attendance per sd of the attendance-and-behaviour area", "assumption"},
	{"attainment_base", "%", 0, 100, false, "pupils reaching the expected standard at an average school", "about 60% at key stage 2 in 2023"},
	{"attainment_slope", "% per sd", 0, 50, false, "attainment per sd of the achievement area", "assumption"},
	{"safeguarding_cut", "sd", -6, 0, false, "leadership-and-governance effectiveness below which safeguarding is not met at an inspection", "assumption: about 1% of inspections"},
}

// ParamTable returns every parameter with its unit, default and source, in
// a fixed order.
func ParamTable() []Param {
	d := DefaultParams()
	v := reflect.ValueOf(d)
	out := make([]Param, len(specs))
	for i, s := range specs {
		out[i] = Param{Name: s.name, Unit: s.unit, Default: v.Field(i).Float(), Min: s.min, Max: s.max,
			Calibrated: s.calibrated, Meaning: s.meaning, Source: s.source, field: i}
	}
	return out
}

// ParamNames returns the parameters' names in table order.
func ParamNames() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.name
	}
	return out
}

func paramIndex(name string) int {
	return slices.IndexFunc(specs, func(s paramSpec) bool { return s.name == name })
}

// Get returns the value of the named parameter.
func (p *Params) Get(name string) (float64, error) {
	i := paramIndex(name)
	if i < 0 {
		return 0, fmt.Errorf("%w: unknown parameter %q%s", ErrInvalid, name, suggest(name, ParamNames()))
	}
	return reflect.ValueOf(p).Elem().Field(i).Float(), nil
}

// Set sets the named parameter, checking its range.
func (p *Params) Set(name string, v float64) error {
	i := paramIndex(name)
	if i < 0 {
		return fmt.Errorf("%w: unknown parameter %q%s", ErrInvalid, name, suggest(name, ParamNames()))
	}
	s := specs[i]
	if math.IsNaN(v) || v < s.min || v > s.max {
		return fmt.Errorf("%w: parameter %s = %v is outside %v..%v (%s)", ErrInvalid, name, v, s.min, s.max, s.unit)
	}
	reflect.ValueOf(p).Elem().Field(i).SetFloat(v)
	return nil
}

// Validate checks every parameter's range and the order of the cut points.
func (p *Params) Validate() error {
	v := reflect.ValueOf(p).Elem()
	var errs []string
	for i, s := range specs {
		f := v.Field(i).Float()
		if math.IsNaN(f) || f < s.min || f > s.max {
			errs = append(errs, fmt.Sprintf("%s = %v is outside %v..%v", s.name, f, s.min, s.max))
		}
	}
	if !(p.CutInadequate < p.CutGood && p.CutGood < p.CutOutstanding) {
		errs = append(errs, fmt.Sprintf("cut points must rise: cut_inadequate %v < cut_good %v < cut_outstanding %v", p.CutInadequate, p.CutGood, p.CutOutstanding))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// values returns the parameters in table order, formatted for CSV.
func (p *Params) values() []string {
	v := reflect.ValueOf(p).Elem()
	out := make([]string, len(specs))
	for i := range specs {
		out[i] = strconv.FormatFloat(v.Field(i).Float(), 'g', -1, 64)
	}
	return out
}

func suggest(name string, options []string) string {
	best, bestD := "", 4
	for _, o := range options {
		if d := editDistance(name, o); d < bestD {
			best, bestD = o, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
