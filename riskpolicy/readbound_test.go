package riskpolicy_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// hidden hides a Source's concrete type, so a policy reads its records
// through Records like any other source's.
type hidden struct{ riskpolicy.Source }

// randomData writes current and history CSV files for every indicator of
// p: n schools, periods terms each, values of every kind spelt in the
// ways a file may spell them, some missing, areas by area column or all
// in one column.
func randomData(p *riskpolicy.Policy, seed uint64, n, periods int) (cur, hist []byte) {
	rng := rand.New(rand.NewPCG(seed, 1))
	scales := map[string]*riskpolicy.Scale{}
	for _, s := range p.Scales() {
		scales[s.Name] = s
	}
	type col struct {
		header string
		gen    func() string
	}
	grade := func(s *riskpolicy.Scale) string {
		i := rng.IntN(len(s.Grades))
		switch rng.IntN(4) {
		case 0:
			return strings.ToUpper(s.Grades[i][:1]) + s.Grades[i][1:]
		case 1:
			return strings.ReplaceAll(s.Grades[i], " ", "_")
		case 2:
			return fmt.Sprint(i + 1)
		}
		return s.Grades[i]
	}
	var cols []col
	for _, ind := range p.Indicators() {
		ind := ind
		var gen func() string
		switch ind.Kind {
		case riskpolicy.KindNumber:
			gen = func() string { return fmt.Sprint(rng.NormFloat64() * 10) }
		case riskpolicy.KindPercentage:
			gen = func() string { return fmt.Sprintf("%.1f", rng.Float64()*ind.Max) }
		case riskpolicy.KindCount:
			gen = func() string { return fmt.Sprint(rng.IntN(12)) }
		case riskpolicy.KindBoolean:
			gen = func() string { return []string{"true", "false", "yes", "no", "1", "0"}[rng.IntN(6)] }
		case riskpolicy.KindDate:
			gen = func() string {
				return time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3000)).Format(time.DateOnly)
			}
		case riskpolicy.KindGrade:
			s := scales[ind.Scale]
			gen = func() string { return grade(s) }
			if ind.List {
				gen = func() string {
					parts := make([]string, 1+rng.IntN(4))
					for i := range parts {
						parts[i] = grade(s)
					}
					return strings.Join(parts, ";")
				}
			}
		case riskpolicy.KindAreas:
			s := scales[ind.Scale]
			if rng.IntN(2) == 0 {
				cols = append(cols, col{ind.Name, func() string {
					var parts []string
					for _, a := range ind.Areas {
						if rng.IntN(5) > 0 {
							parts = append(parts, strings.ReplaceAll(a, "_", " ")+"="+grade(s))
						}
					}
					return strings.Join(parts, ";")
				}})
				continue
			}
			for _, a := range ind.Areas {
				cols = append(cols, col{ind.Name + "." + a, func() string { return grade(s) }})
			}
			continue
		}
		cols = append(cols, col{ind.Name, gen})
	}
	write := func(history bool) []byte {
		var b bytes.Buffer
		b.WriteString("urn,name,period,at")
		for _, c := range cols {
			b.WriteString("," + c.header)
		}
		b.WriteString("\n")
		for i := range n {
			from, to := 0, 1
			if history {
				from, to = 1, periods
			}
			for k := from; k < to; k++ {
				fmt.Fprintf(&b, "%d,School %d,%d,%s", 100000+i*7, i, 2030-k, time.Date(2030-k, 7, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
				for _, c := range cols {
					b.WriteString(",")
					if rng.IntN(8) > 0 {
						b.WriteString(c.gen())
					}
				}
				b.WriteString("\n")
			}
		}
		return b.Bytes()
	}
	return write(false), write(true)
}

// TestReadCSVBoundAgreesWithRecords checks the path Policy.ReadCSV's
// source takes (values converted once as they are read, straight into the
// evaluation's slots) against the general one (records with Values, as
// the source's Records gives them): every built-in policy on random data
// of every kind gives the same assessments and coverage either way.
func TestReadCSVBoundAgreesWithRecords(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2030, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range riskpolicy.Builtins() {
		p, err := riskpolicy.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for seed := range uint64(3) {
			cur, hist := randomData(p, seed, 150, 1+int(seed)*3)
			d, err := p.ReadCSV("cur.csv", bytes.NewReader(cur), "hist.csv", bytes.NewReader(hist), nil)
			if err != nil {
				t.Fatalf("%s seed %d: %v", name, seed, err)
			}
			fast, err := p.EvaluateAll(ctx, d.Source, &riskpolicy.EvalOptions{At: at})
			if err != nil {
				t.Fatal(err)
			}
			slow, err := p.EvaluateAll(ctx, hidden{d.Source}, &riskpolicy.EvalOptions{At: at})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(slow, fast, cmp.AllowUnexported(riskpolicy.Assessment{})); diff != "" {
				t.Fatalf("%s seed %d: assessments differ (-records +read):\n%s", name, seed, diff)
			}
			cf, err := p.Coverage(ctx, d.Source, fast)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := p.Coverage(ctx, hidden{d.Source}, slow)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(cs, cf); diff != "" {
				t.Fatalf("%s seed %d: coverage differs (-records +read):\n%s", name, seed, diff)
			}
			rec, err := d.Source.Record(ctx, partnership.URN(100007))
			if err != nil || len(rec.Periods) != 1+min(int(seed)*3, p.History()) && len(rec.Periods) != 1+int(seed)*3 {
				t.Fatalf("%s seed %d: Record: %d periods, %v", name, seed, len(rec.Periods), err)
			}
			if len(rec.Periods[0].Values) == 0 {
				t.Fatalf("%s seed %d: Record gives no Values", name, seed)
			}
		}
	}
}
