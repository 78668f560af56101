package riskpolicy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// FuzzCompile feeds arbitrary text to the loader: it must never panic, and
// must either compile or return a non-empty ErrorList whose every error has
// a position.
func FuzzCompile(f *testing.F) {
	for _, n := range riskpolicy.Builtins() {
		src, _ := riskpolicy.BuiltinSource(n)
		f.Add(src)
	}
	files, _ := filepath.Glob("testdata/broken/*.yaml")
	for _, file := range files {
		src, _ := os.ReadFile(file)
		f.Add(src)
	}
	f.Add([]byte(smallPolicy))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := riskpolicy.Compile("fuzz.yaml", src)
		if err == nil {
			if p == nil {
				t.Fatal("nil policy and nil error")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			p.Test(ctx)
			return
		}
		var list riskpolicy.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %v", err)
		}
		for _, e := range list {
			if !e.Pos.IsValid() {
				t.Fatalf("error without a position: %v", e)
			}
			_ = e.Caret()
		}
	})
}

// FuzzEvaluate feeds arbitrary indicator values, as a CSV cell each, to
// every built-in policy: evaluation must never panic; a value that does
// not fit is an ErrInvalid error.
func FuzzEvaluate(f *testing.F) {
	var policies []*riskpolicy.Policy
	for _, n := range riskpolicy.Builtins() {
		p, err := riskpolicy.Builtin(n)
		if err != nil {
			f.Fatal(err)
		}
		policies = append(policies, p)
	}
	small, err := riskpolicy.Compile("small.yaml", []byte(smallPolicy))
	if err != nil {
		f.Fatal(err)
	}
	policies = append(policies, small)
	f.Add("88.5", "3", "requires improvement", "good;inadequate", "true", "2020-01-01", "leadership_and_governance=urgent improvement")
	f.Add("", "", "", "", "", "", "")
	f.Add("NaN", "-1", "4", ";;", "maybe", "not a date", "x=y;z")
	f.Add("1e308", "99999999999", "A", "1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21;22", "0", "20250101", "=")
	f.Fuzz(func(t *testing.T, num, count, grade, list, boolean, date, areas string) {
		vals := map[string]riskpolicy.Value{}
		for _, k := range []string{"attendance", "parent_confidence", "staff_confidence", "budget_deficit", "attainment", "fsm_percent"} {
			vals[k] = riskpolicy.Text(num)
		}
		for _, k := range []string{"complaints", "scorecard_red", "standards_group"} {
			vals[k] = riskpolicy.Text(count)
		}
		for _, k := range []string{"ofsted_rating", "improvement_capacity", "safeguarding", "category_of_concern", "rating"} {
			vals[k] = riskpolicy.Text(grade)
		}
		vals["ofsted_history"] = riskpolicy.Text(list)
		for _, k := range []string{"head_absent", "safeguarding_concern", "on_concern_register", "leadership_barrier", "recovery_on_track", "warning_notice"} {
			vals[k] = riskpolicy.Text(boolean)
		}
		vals["last_inspected"] = riskpolicy.Text(date)
		vals["report_card"] = riskpolicy.Text(areas)
		n := len(num) % 4 // zero to three periods
		rec := riskpolicy.Record{URN: 1}
		for range n {
			rec.Periods = append(rec.Periods, riskpolicy.Snapshot{Values: vals})
		}
		for _, p := range policies {
			a, err := p.Evaluate(context.Background(), rec, &riskpolicy.EvalOptions{At: at})
			if err != nil {
				if !errors.Is(err, riskpolicy.ErrInvalid) {
					t.Fatalf("%s: %v", p.Name(), err)
				}
				continue
			}
			if p.Level(a.Level) == nil {
				t.Fatalf("%s: unknown level %q", p.Name(), a.Level)
			}
			_, _ = p.ReadCSV("f.csv", strings.NewReader("urn,attendance,report_card,ofsted_rating\n1,"+num+","+areas+","+list+"\n"), "", nil, nil)
		}
	})
}

// FuzzReadCSV feeds arbitrary files to the CSV readers (a policy's data
// contract and the overrides file): they must never panic, and a failure
// must be an ErrorList of positioned errors.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("urn,attendance,card.leadership\n1,90,good\n"), []byte("urn,period,attendance\n1,T1,91\n"))
	f.Add([]byte("# comment\nurn,name\n\"1\",\"a\"\"b\"\n"), []byte(""))
	f.Add([]byte("urn\n1e+05\n-3\n"), []byte("urn,period\n1,\n"))
	f.Add([]byte("policy,urn,level,by,reason,at,expires\np,1,a,b,c,2025-01-01,2025-02-01\n"), []byte{})
	p, err := riskpolicy.Compile("csv.yaml", []byte(csvPolicy))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cur, hist []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			var list riskpolicy.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e.Pos.File == "" {
					t.Fatalf("error without a file: %v", e)
				}
			}
		}
		d, err := p.ReadCSV("cur.csv", strings.NewReader(string(cur)), "hist.csv", strings.NewReader(string(hist)), nil)
		check(err)
		if err == nil {
			for r, err := range riskpolicy.All(context.Background(), d.Source) {
				if err != nil || len(r.Periods) == 0 {
					t.Fatalf("record %v: %v", r.URN, err)
				}
			}
		}
		_, err = riskpolicy.ReadOverridesCSV("ovr.csv", strings.NewReader(string(cur)))
		check(err)
	})
}
