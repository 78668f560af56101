package simulation

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

var auditStart = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// auditWorld builds a world from schools and inspections given as data.
func auditWorld(t *testing.T, schools []partnership.School, ins []partnership.Inspection) *World {
	t.Helper()
	m, err := partnership.NewModel(partnership.Dataset{Schools: schools, Inspections: ins})
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorld(m, auditStart, "test")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func auditSchool(u partnership.URN, fsm float64, pupils int, lat float64) partnership.School {
	s := partnership.School{URN: u, Name: "School " + u.String(), Phase: partnership.PhasePrimary,
		Governance: partnership.GovernanceLAMaintained, LA: 383, Location: partnership.Location{Lat: lat, Lon: -1.5}}
	if pupils > 0 { // 0 stands for unknown here
		s.Pupils = partnership.Known(pupils)
	}
	if fsm >= 0 { // negative stands for unknown here
		s.FSMPercent = partnership.Known(fsm)
	}
	return s
}

func auditPolicy(t *testing.T, src string) *riskpolicy.Policy {
	t.Helper()
	pol, err := riskpolicy.Compile("audit.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

const latestPolicy = `policy: latest
missing: skip
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
indicators:
  ofsted_rating: {type: grade, scale: ofsted, source: model}
  ofsted_history: {type: grade, list: true, scale: ofsted, source: model}
levels:
  - name: fine
  - name: judged_outstanding
rules:
  - name: outstanding
    when: ofsted_rating == ofsted.outstanding || ofsted_history.exists(g, g == ofsted.outstanding)
    level: judged_outstanding
`

// Audit finding 2: a school whose latest inspection gave no overall
// judgement starts from that inspection's standing (key judgements, report
// card, safeguarding), not from an older graded inspection, and its
// ofsted_rating is missing, not the older grade.
func TestStartFromLatestInspection(t *testing.T) {
	const n = 120
	var schools []partnership.School
	var ins []partnership.Inspection
	kinds := []string{"judgements inadequate", "report card urgent", "safeguarding not met", "report card exceptional", "nothing graded"}
	for i := range n {
		u := partnership.URN(100001 + i)
		schools = append(schools, auditSchool(u, 20, 300, 53.0+float64(i)*0.01))
		// Outstanding at the older, graded inspection.
		ins = append(ins, partnership.Inspection{URN: u, Date: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Overall: partnership.RatingOutstanding})
		latest := partnership.Inspection{URN: u, Date: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)}
		switch kinds[i%len(kinds)] {
		case "judgements inadequate":
			latest.Date = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			latest.Judgements = []partnership.KeyJudgement{
				{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingInadequate},
				{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingRequiresImprovement}}
		case "report card urgent":
			latest.Areas = []partnership.AreaGrade{
				{Area: partnership.AreaAchievement, Grade: partnership.GradeUrgentImprovement},
				{Area: partnership.AreaInclusion, Grade: partnership.GradeExpectedStandard}}
			latest.Safeguarding = partnership.SafeguardingMet
		case "safeguarding not met":
			latest.Areas = []partnership.AreaGrade{{Area: partnership.AreaInclusion, Grade: partnership.GradeStrongStandard}}
			latest.Safeguarding = partnership.SafeguardingNotMet
		case "report card exceptional":
			for _, a := range []partnership.EvaluationArea{partnership.AreaInclusion, partnership.AreaCurriculumAndTeaching,
				partnership.AreaAchievement, partnership.AreaAttendanceAndBehaviour, partnership.AreaPersonalDevelopment,
				partnership.AreaLeadershipAndGovernance} {
				latest.Areas = append(latest.Areas, partnership.AreaGrade{Area: a, Grade: partnership.GradeExceptional})
			}
			latest.Safeguarding = partnership.SafeguardingMet
		}
		ins = append(ins, latest)
	}
	w := auditWorld(t, schools, ins)
	p := DefaultParams()
	cfg := Config{World: w, Policy: auditPolicy(t, latestPolicy), Params: p, Terms: 1, Seed: 3}
	e, err := newEngine(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	below := map[string]int{}
	for i := range e.ss {
		kind := kinds[i%len(kinds)]
		s, sc := &e.ss[i], &w.Schools[i]
		if len(sc.History) != 2 || sc.History[0].Date.Year() < 2025 {
			t.Fatalf("%s: school %d's history %v does not start with its latest inspection", kind, sc.URN, sc.History)
		}
		want := map[string]uint8{"judgements inadequate": 4, "report card urgent": 4, "safeguarding not met": 4,
			"report card exceptional": 1, "nothing graded": 0}[kind]
		if s.ratings[0] != want {
			t.Errorf("%s: school %d starts at standing %d, want %d", kind, sc.URN, s.ratings[0], want)
		}
		if s.graded&1 != 0 {
			t.Errorf("%s: the latest inspection gave no overall judgement but counts as one", kind)
		}
		// The policy sees no overall rating for the latest inspection and
		// the older judgement in the history only.
		sn := e.snapshot(i, 0)
		v := e.values(i, &sn)
		if r, ok := v["ofsted_rating"]; ok {
			t.Errorf("%s: ofsted_rating is %v, want missing (the latest inspection gave none)", kind, r)
		}
		if h, ok := v["ofsted_history"]; !ok || h.String() != "outstanding" {
			t.Errorf("%s: ofsted_history %v, want the one overall judgement", kind, h)
		}
		if e.start[i] < p.CutGood {
			below[kind]++
		}
		if kind == "report card urgent" && s.rc[2] != uint8(partnership.GradeUrgentImprovement) {
			t.Errorf("report card urgent: the school's report card starts with achievement %d, not the real grade", s.rc[2])
		}
		if kind == "safeguarding not met" && s.sg != 2 {
			t.Errorf("safeguarding not met: the school starts with safeguarding %d", s.sg)
		}
	}
	per := n / len(kinds)
	for _, kind := range kinds[:3] {
		// A serious concern conditions the start far below good; an older
		// outstanding grade would put almost none there.
		if below[kind] < per*8/10 {
			t.Errorf("%s: %d of %d schools start below good", kind, below[kind], per)
		}
	}
	if below["report card exceptional"] > per/10 {
		t.Errorf("report card exceptional: %d of %d schools start below good", below["report card exceptional"], per)
	}

	// Hub-and-spoke: only schools whose latest inspection stands at
	// outstanding become hubs; the older outstanding grade makes none.
	st := HubAndSpoke(w, StructureOptions{})
	for _, ms := range st.Memberships {
		if ms.Role != partnership.RoleHub {
			continue
		}
		u, _ := partnership.SchoolOf(ms.Member)
		i, _ := w.Index(u)
		if kind := kinds[i%len(kinds)]; kind != "report card exceptional" {
			t.Errorf("school %d (%s) is a hub on its older outstanding grade", u, kind)
		}
	}
	if len(st.Networks) == 0 {
		t.Error("no hub: the schools whose report card is exceptional throughout stand at outstanding")
	}
}

// strength sorts an inspection that graded nothing after inadequate, never
// before outstanding.
func TestStrengthUnknownLast(t *testing.T) {
	ungraded := School{History: []partnership.Inspection{{Overall: partnership.RatingOutstanding}, {}}}
	inadequate := School{History: []partnership.Inspection{{Overall: partnership.RatingOutstanding}, {Overall: partnership.RatingInadequate}}}
	if a, b := strength(&ungraded), strength(&inadequate); !(a[1] > b[1]) {
		t.Errorf("strength: nothing graded %v sorts before inadequate %v", a, b)
	}
}

// Standing agrees with partnership.Inspection.Concern: inadequate exactly
// when the concern is serious, requires improvement when it is
// improvement, good or better when none, nothing when unknown.
func TestStandingMatchesConcern(t *testing.T) {
	ratings := []partnership.Rating{partnership.RatingNone, partnership.RatingOutstanding, partnership.RatingGood,
		partnership.RatingRequiresImprovement, partnership.RatingInadequate}
	grades := []partnership.Grade{partnership.GradeNone, partnership.GradeExceptional, partnership.GradeStrongStandard,
		partnership.GradeExpectedStandard, partnership.GradeNeedsAttention, partnership.GradeUrgentImprovement}
	sgs := []partnership.Safeguarding{partnership.SafeguardingNotGraded, partnership.SafeguardingMet, partnership.SafeguardingNotMet}
	n := 0
	for _, overall := range ratings {
		for _, j1 := range ratings {
			for _, j2 := range ratings {
				for _, g1 := range grades {
					for _, g2 := range grades {
						for _, sg := range sgs {
							in := partnership.Inspection{Overall: overall, Safeguarding: sg}
							if j1 != partnership.RatingNone {
								in.Judgements = append(in.Judgements, partnership.KeyJudgement{Area: partnership.JudgementQualityOfEducation, Rating: j1})
							}
							if j2 != partnership.RatingNone {
								in.Judgements = append(in.Judgements, partnership.KeyJudgement{Area: partnership.JudgementLeadershipAndManagement, Rating: j2})
							}
							if g1 != partnership.GradeNone {
								in.Areas = append(in.Areas, partnership.AreaGrade{Area: partnership.AreaInclusion, Grade: g1})
							}
							if g2 != partnership.GradeNone {
								in.Areas = append(in.Areas, partnership.AreaGrade{Area: partnership.AreaAchievement, Grade: g2})
							}
							best, worst := Standing(&in)
							var want partnership.Concern
							switch {
							case worst == partnership.RatingNone:
								want = partnership.ConcernUnknown
							case worst <= partnership.RatingGood:
								want = partnership.ConcernNone
							case worst == partnership.RatingRequiresImprovement:
								want = partnership.ConcernImprove
							default:
								want = partnership.ConcernSerious
							}
							if got := in.Concern(); got != want || best > worst || (best == partnership.RatingNone) != (worst == partnership.RatingNone) {
								t.Fatalf("%+v: Standing %d..%d, Concern %d", in, best, worst, got)
							}
							if overall != partnership.RatingNone && (best != overall || worst != overall) {
								t.Fatalf("%+v: Standing %d..%d ignores the overall judgement", in, best, worst)
							}
							n++
						}
					}
				}
			}
		}
	}
	if n != 5*5*5*6*6*3 {
		t.Fatalf("checked %d inspections", n)
	}
}

const contextPolicy = `policy: context
missing: %s
indicators:
  fsm_percent: {type: percentage, source: model}
  pupils: {type: count, source: model}
levels:
  - name: fine
  - name: disadvantaged
  - name: small
rules:
  - name: disadvantaged
    when: fsm_percent > 20.0
    level: disadvantaged
  - name: small
    when: pupils < 10
    level: small
`

// Audit finding 10: a school whose FSM share or roll is unknown has the
// latent model's imputed share (NationalFSM) and a roll of 0, but a policy
// reading fsm_percent or pupils sees them missing, so the policy's missing
// setting decides; brokerage and review get their unknown (-1); the world
// counts the schools.
func TestImputedValuesMissingToPolicies(t *testing.T) {
	schools := []partnership.School{
		auditSchool(100001, -1, 0, 53.0),    // FSM and roll unknown
		auditSchool(100002, 30, 250, 53.01), // known, disadvantaged
		auditSchool(100003, 10, 250, 53.02), // known, neither
	}
	w := auditWorld(t, schools, nil)
	if w.FSMImputed != 1 || w.PupilsUnknown != 1 {
		t.Errorf("world counts %d imputed FSM and %d unknown rolls, want 1 and 1", w.FSMImputed, w.PupilsUnknown)
	}
	if !w.Schools[0].FSMImputed || w.Schools[0].FSMPercent != NationalFSM || w.Schools[0].reportedFSM() >= 0 {
		t.Errorf("school 100001: FSM %v imputed %v reported %v", w.Schools[0].FSMPercent, w.Schools[0].FSMImputed, w.Schools[0].reportedFSM())
	}
	pol := func(missing string) *riskpolicy.Policy {
		return auditPolicy(t, strings.Replace(contextPolicy, "%s", missing, 1))
	}
	cfg := Config{World: w, Policy: pol("skip"), Params: DefaultParams(), Terms: 1, Seed: 1, PerSchool: true}
	e, err := newEngine(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	sn := e.snapshot(0, 1)
	v := e.values(0, &sn)
	if x, ok := v["fsm_percent"]; ok {
		t.Errorf("fsm_percent of a school with unknown FSM reaches the policy as %v", x)
	}
	if x, ok := v["pupils"]; ok {
		t.Errorf("pupils of a school with an unknown roll reaches the policy as %v", x)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := []int{res.Schools[1][0].Level, res.Schools[1][1].Level, res.Schools[1][2].Level}
	if want := []int{0, 1, 0}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("levels %v, want %v (missing: skip passes the unknown school over)", got, want)
	}
	// With the default, a rule on a missing value is undetermined: the run
	// fails, as risk eval does, rather than grading the school.
	cfg.Policy = pol("undetermined")
	if _, err := Run(context.Background(), cfg); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "URN 100001") {
		t.Errorf("missing: undetermined: %v, want the run to fail naming URN 100001", err)
	}
}

// The real transition matrix pairs consecutive inspections that both gave
// an overall judgement: an inspection without one between two graded ones
// breaks the chain rather than pairing the judgements either side of it.
// The simulated pairs follow the same rule: a school whose latest
// inspection gave no overall judgement has no pair with its first
// simulated one.
func TestTransitionsSkipNoUngradedPairs(t *testing.T) {
	d := func(y int) time.Time { return time.Date(y, 1, 10, 0, 0, 0, 0, time.UTC) }
	ins := []partnership.Inspection{
		{URN: 100001, Date: d(2010), Overall: partnership.RatingOutstanding},
		{URN: 100001, Date: d(2015), Judgements: []partnership.KeyJudgement{{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingGood}}},
		{URN: 100001, Date: d(2019), Overall: partnership.RatingInadequate},
		{URN: 100001, Date: d(2022), Overall: partnership.RatingRequiresImprovement},
		{URN: 100002, Date: d(2018), Overall: partnership.RatingGood},
		{URN: 100002, Date: d(2025), Areas: []partnership.AreaGrade{{Area: partnership.AreaInclusion, Grade: partnership.GradeNeedsAttention}}},
	}
	w := auditWorld(t, []partnership.School{auditSchool(100001, 20, 300, 53), auditSchool(100002, 20, 300, 53.1)}, ins)
	tr, err := RealTransitions(w, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Transitions{Grades: [4]float64{1, 1, 1, 1}}
	want.Counts[3][2] = 1 // inadequate then requires improvement, the one consecutive pair
	if *tr != want {
		t.Errorf("transitions %+v, want %+v", *tr, want)
	}
	sim, err := SimulatedTransitions(context.Background(), w, DefaultParams(), 12, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Every simulated inspection is paired with the one before except the
	// first of school 100002 (inspected within the 12 terms).
	pairs, grades := 0.0, sim.Grades[0]+sim.Grades[1]+sim.Grades[2]+sim.Grades[3]
	for r := range 4 {
		for c := range 4 {
			pairs += sim.Counts[r][c]
		}
	}
	res, err := Run(context.Background(), Config{World: w, Params: DefaultParams(), Terms: 12, Seed: 1, NoInterventions: true, Inspections: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Inspections, func(in SimInspection) bool { return in.School == 1 }) {
		t.Fatal("school 100002 was not inspected in 12 terms")
	}
	if pairs != grades-1 {
		t.Errorf("%v simulated pairs of %v inspections: the first inspection of school 100002 is paired with its older judgement", pairs, grades)
	}
}
