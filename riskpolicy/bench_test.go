package riskpolicy_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// benchSchool is the hand-written baseline's view of a school.
type benchSchool struct {
	attendance, fsm, attainment, parentConf, staffConf, deficit, turnover, persistent, send float64
	complaints, exclusions, pupils, scorecard                                               int
	rating                                                                                  int // 1 outstanding .. 4 inadequate
	headAbsent, safeguarding, governance                                                    bool
}

// benchRules are the 30 rules, each as CEL and as the Go that computes the
// same thing.
var benchRules = []struct {
	cel   string
	level int
	fn    func(s *benchSchool) bool
}{
	{"attendance < 90.0", 1, func(s *benchSchool) bool { return s.attendance < 90 }},
	{"attendance < 85.0", 2, func(s *benchSchool) bool { return s.attendance < 85 }},
	{"complaints >= 3", 1, func(s *benchSchool) bool { return s.complaints >= 3 }},
	{"complaints >= 6", 2, func(s *benchSchool) bool { return s.complaints >= 6 }},
	{"rating >= ofsted.requires_improvement", 1, func(s *benchSchool) bool { return s.rating >= 3 }},
	{"rating == ofsted.inadequate", 3, func(s *benchSchool) bool { return s.rating == 4 }},
	{"fsm > 40.0 && attainment < 50.0", 1, func(s *benchSchool) bool { return s.fsm > 40 && s.attainment < 50 }},
	{"attainment < 40.0", 2, func(s *benchSchool) bool { return s.attainment < 40 }},
	{"head_absent", 2, func(s *benchSchool) bool { return s.headAbsent }},
	{"safeguarding", 3, func(s *benchSchool) bool { return s.safeguarding }},
	{"parent_conf < 50.0", 2, func(s *benchSchool) bool { return s.parentConf < 50 }},
	{"staff_conf < 50.0", 2, func(s *benchSchool) bool { return s.staffConf < 50 }},
	{"deficit > 5.0", 2, func(s *benchSchool) bool { return s.deficit > 5 }},
	{"deficit > 10.0", 3, func(s *benchSchool) bool { return s.deficit > 10 }},
	{"exclusions > 10", 1, func(s *benchSchool) bool { return s.exclusions > 10 }},
	{"pupils < 100 && deficit > 2.0", 1, func(s *benchSchool) bool { return s.pupils < 100 && s.deficit > 2 }},
	{"scorecard_red >= 3", 1, func(s *benchSchool) bool { return s.scorecard >= 3 }},
	{"scorecard_red >= 5", 2, func(s *benchSchool) bool { return s.scorecard >= 5 }},
	{"attendance < 92.0 && complaints >= 2", 1, func(s *benchSchool) bool { return s.attendance < 92 && s.complaints >= 2 }},
	{"rating >= ofsted.requires_improvement && attainment < 55.0", 2, func(s *benchSchool) bool { return s.rating >= 3 && s.attainment < 55 }},
	{"staff_turnover > 25.0", 1, func(s *benchSchool) bool { return s.turnover > 25 }},
	{"staff_turnover > 40.0 && head_absent", 3, func(s *benchSchool) bool { return s.turnover > 40 && s.headAbsent }},
	{"persistent_absence > 20.0", 1, func(s *benchSchool) bool { return s.persistent > 20 }},
	{"persistent_absence > 30.0", 2, func(s *benchSchool) bool { return s.persistent > 30 }},
	{"send_percent > 25.0 && attainment < 45.0", 1, func(s *benchSchool) bool { return s.send > 25 && s.attainment < 45 }},
	{"governance_concern", 1, func(s *benchSchool) bool { return s.governance }},
	{"governance_concern && rating == ofsted.inadequate", 3, func(s *benchSchool) bool { return s.governance && s.rating == 4 }},
	{"parent_conf < 60.0 && staff_conf < 60.0", 2, func(s *benchSchool) bool { return s.parentConf < 60 && s.staffConf < 60 }},
	{"exclusions > 20 || complaints >= 10", 2, func(s *benchSchool) bool { return s.exclusions > 20 || s.complaints >= 10 }},
	{"attendance < 88.0 && persistent_absence > 25.0", 2, func(s *benchSchool) bool { return s.attendance < 88 && s.persistent > 25 }},
}

var benchLevels = []string{"universal", "targeted", "intensive", "intervention"}

func benchPolicy() string {
	var b strings.Builder
	b.WriteString(`policy: bench-30
combine: highest
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
indicators:
`)
	for _, ind := range []string{"attendance:percentage", "fsm:percentage", "attainment:percentage", "parent_conf:percentage",
		"staff_conf:percentage", "deficit:number", "staff_turnover:percentage", "persistent_absence:percentage",
		"send_percent:percentage", "complaints:count", "exclusions:count", "pupils:count", "scorecard_red:count",
		"head_absent:boolean", "safeguarding:boolean", "governance_concern:boolean"} {
		name, kind, _ := strings.Cut(ind, ":")
		fmt.Fprintf(&b, "  %s: {type: %s, source: benchmark}\n", name, kind)
	}
	b.WriteString("  rating: {type: grade, scale: ofsted, source: benchmark}\nlevels:\n")
	for _, l := range benchLevels {
		fmt.Fprintf(&b, "  - name: %s\n", l)
	}
	b.WriteString("rules:\n")
	for i, r := range benchRules {
		fmt.Fprintf(&b, "  - name: r%02d\n    when: %s\n    level: %s\n", i, r.cel, benchLevels[r.level])
	}
	return b.String()
}

// benchData makes n schools, as records and as the baseline's structs.
func benchData(n int) ([]riskpolicy.Record, []benchSchool) {
	rng := rand.New(rand.NewPCG(1, 2))
	recs := make([]riskpolicy.Record, n)
	plain := make([]benchSchool, n)
	grades := []string{"outstanding", "good", "requires improvement", "inadequate"}
	for i := range recs {
		// Distributions like a real population: most schools fire no rule.
		norm := func(mean, sd float64) float64 { return mean + rng.NormFloat64()*sd }
		pct := func(mean, sd float64) float64 { return min(100, max(0, norm(mean, sd))) }
		exp := func(mean float64) int { return int(rng.ExpFloat64() * mean) }
		rating := 2
		switch x := rng.Float64(); {
		case x < 0.2:
			rating = 1
		case x > 0.97:
			rating = 4
		case x > 0.85:
			rating = 3
		}
		s := benchSchool{
			attendance: pct(94, 2.5), fsm: 5 + rng.Float64()*45, attainment: pct(65, 12),
			parentConf: pct(80, 12), staffConf: pct(78, 12), deficit: max(0, norm(0, 2)),
			turnover: pct(12, 7), persistent: pct(12, 5), send: pct(15, 6),
			complaints: exp(0.8), exclusions: exp(3), pupils: 30 + rng.IntN(1500), scorecard: exp(0.8),
			rating: rating, headAbsent: rng.IntN(100) == 0, safeguarding: rng.IntN(500) == 0, governance: rng.IntN(50) == 0,
		}
		plain[i] = s
		n := riskpolicy.Number
		recs[i] = riskpolicy.Record{URN: partnership.URN(100000 + i), Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{
			"attendance": n(s.attendance), "fsm": n(s.fsm), "attainment": n(s.attainment), "parent_conf": n(s.parentConf),
			"staff_conf": n(s.staffConf), "deficit": n(s.deficit), "staff_turnover": n(s.turnover), "persistent_absence": n(s.persistent),
			"send_percent": n(s.send), "complaints": n(float64(s.complaints)), "exclusions": n(float64(s.exclusions)),
			"pupils": n(float64(s.pupils)), "scorecard_red": n(float64(s.scorecard)), "rating": riskpolicy.Text(grades[s.rating-1]),
			"head_absent": riskpolicy.Bool(s.headAbsent), "safeguarding": riskpolicy.Bool(s.safeguarding),
			"governance_concern": riskpolicy.Bool(s.governance),
		}}}}
	}
	return recs, plain
}

// baselineLevels is the hand-written Go equivalent of the policy, spread
// over the same number of goroutines as EvaluateBatch.
func baselineLevels(schools []benchSchool, out []int) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (len(schools) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min(len(schools), (w+1)*chunk)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				lvl := 0
				for _, r := range benchRules {
					if r.level > lvl && r.fn(&schools[i]) {
						lvl = r.level
					}
				}
				out[i] = lvl
			}
		}()
	}
	wg.Wait()
}

func TestBenchPolicyMatchesBaseline(t *testing.T) {
	p, err := riskpolicy.Compile("bench.yaml", []byte(benchPolicy()))
	require.NoError(t, err)
	require.Len(t, p.Rules(), 30)
	recs, plain := benchData(3000)
	b, err := p.Bind(recs)
	require.NoError(t, err)
	as, err := p.EvaluateBatch(context.Background(), b, nil)
	require.NoError(t, err)
	want := make([]int, len(plain))
	baselineLevels(plain, want)
	for i, a := range as {
		require.Equal(t, benchLevels[want[i]], a.Level, "school %d", i)
	}
}

// BenchmarkEvaluate30Rules22k evaluates a 30-rule policy over 22,000
// schools: "cel" with the data already bound (Bind once, evaluate many) and
// full assessments (fired rules with their values, near misses), "cel-brief"
// the same with EvalOptions.Brief (levels and fired rule names),
// "cel+bind" converting the records each time, and "go" the hand-written
// baseline computing the same levels. The target is cel under 50 ms and
// under 20x go.
func BenchmarkEvaluate30Rules22k(b *testing.B) {
	p, err := riskpolicy.Compile("bench.yaml", []byte(benchPolicy()))
	require.NoError(b, err)
	recs, plain := benchData(22000)
	batch, err := p.Bind(recs)
	require.NoError(b, err)
	ctx := context.Background()
	// Each sub-benchmark also reports cpu-ms/op, the process CPU time per
	// evaluation of all schools, which a machine busy with other work
	// inflates less than the wall time.
	b.Run("cel", func(b *testing.B) {
		defer reportCPU(b)()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.EvaluateBatch(ctx, batch, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cel-brief", func(b *testing.B) {
		defer reportCPU(b)()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.EvaluateBatch(ctx, batch, &riskpolicy.EvalOptions{Brief: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cel+bind", func(b *testing.B) {
		defer reportCPU(b)()
		b.ReportAllocs()
		for b.Loop() {
			bb, err := p.Bind(recs)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.EvaluateBatch(ctx, bb, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go", func(b *testing.B) {
		defer reportCPU(b)()
		out := make([]int, len(plain))
		b.ReportAllocs()
		for b.Loop() {
			baselineLevels(plain, out)
		}
	})
}

// reportCPU starts measuring CPU time; the function it returns reports
// cpu-ms/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 && start > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}
