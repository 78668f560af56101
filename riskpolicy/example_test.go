package riskpolicy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const examplePolicy = `
policy: example
period: term
scales:
  ofsted: [outstanding, good, requires_improvement, inadequate]
indicators:
  attendance: {type: percentage, source: Trust MIS}
  rating: {type: grade, scale: ofsted, source: Ofsted}
powers:
  local_financial_controls: Local financial controls
actions:
  recovery_plan: Allocate an executive leader to produce a recovery plan
levels:
  - name: universal
  - name: at_risk
    actions: [recovery_plan]
    review: monthly
    delegation: {withdraws: [local_financial_controls]}
rules:
  - name: inadequate
    when: rating == ofsted.inadequate
    level: at_risk
  - name: low_attendance
    when: attendance < 90.0
    near: attendance < 92.0
    level: at_risk
`

func Example() {
	p, err := riskpolicy.Compile("example.yaml", []byte(examplePolicy))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := p.Evaluate(context.Background(), riskpolicy.Record{URN: 100001, Periods: []riskpolicy.Snapshot{{
		Values: map[string]riskpolicy.Value{"attendance": riskpolicy.Number(88.2), "rating": riskpolicy.Text("Good")},
	}}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Level, a.Review)
	for _, f := range a.Fired {
		fmt.Println("fired:", f.Rule, f.Values)
	}
	fmt.Println("actions:", a.Actions[0].Text)
	fmt.Println("withdrawn:", a.Withdraws)
	// Output:
	// at_risk monthly
	// fired: low_attendance [{attendance 88.2}]
	// actions: Allocate an executive leader to produce a recovery plan
	// withdrawn: [local_financial_controls]
}

func ExampleCompile_errors() {
	_, err := riskpolicy.Compile("bad.yaml", []byte(`
policy: bad
indicators:
  attendance: {type: percentage, source: MIS}
levels: [{name: none}, {name: at_risk}]
rules:
  - name: low
    when: attendence < 90.0
    level: at_risk
`))
	var list riskpolicy.ErrorList
	if errors.As(err, &list) {
		fmt.Println(list.Caret())
	}
	// Output:
	// bad.yaml:8:11: rule 'low': undeclared reference to 'attendence' (did you mean 'attendance'?)
	//     when: attendence < 90.0
	//           ^
}

func ExampleBuiltin() {
	p, err := riskpolicy.Builtin("wales-categorisation")
	if err != nil {
		fmt.Println(err)
		return
	}
	passed := 0
	for _, r := range p.Test(context.Background()) {
		if r.Passed {
			passed++
		}
	}
	fmt.Printf("%s: %d of %d embedded tests pass\n", p.Name(), passed, p.Tests())
	// Output:
	// wales-categorisation: 9 of 9 embedded tests pass
}

func ExampleService_Override() {
	ctx := context.Background()
	p, _ := riskpolicy.Compile("example.yaml", []byte(examplePolicy))
	now := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	svc := riskpolicy.NewService(riskpolicy.NewMemoryStore(), &riskpolicy.ServiceOptions{Clock: func() time.Time { return now }})
	src := riskpolicy.NewMemorySource(riskpolicy.Record{URN: 100001, Periods: []riskpolicy.Snapshot{{
		Values: map[string]riskpolicy.Value{"attendance": riskpolicy.Number(96), "rating": riskpolicy.Text("good")}}}})

	_, err := svc.Override(ctx, p, riskpolicy.Override{URN: 100001, Level: "at_risk", By: "CEO",
		Reason: "Headteacher absent; loss of confidence among staff", Expires: now.AddDate(0, 3, 0)})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := svc.Assess(ctx, p, src, 100001)
	fmt.Println(a.Level, "(rules say", a.Computed+")", "by", a.Override.By)
	for e := range svc.Audit(ctx) {
		fmt.Println(e.Action, e.Actor, e.To, e.Reason)
	}
	// Output:
	// at_risk (rules say universal) by CEO
	// override-set CEO at_risk Headteacher absent; loss of confidence among staff
}

// trustMIS is a user's own Source: here a trust's information system that
// holds attendance only, answering from a map.
type trustMIS struct{ attendance map[partnership.URN]float64 }

func (m trustMIS) Record(ctx context.Context, urn partnership.URN) (riskpolicy.Record, error) {
	v, ok := m.attendance[urn]
	if !ok {
		return riskpolicy.Record{}, fmt.Errorf("school %d: %w", urn, riskpolicy.ErrNotFound)
	}
	return riskpolicy.Record{URN: urn, Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{
		"attendance": riskpolicy.Number(v), "rating": riskpolicy.Text("good")}}}}, nil
}

func (m trustMIS) Records(ctx context.Context, cursor string, limit int) ([]riskpolicy.Record, string, error) {
	var out []riskpolicy.Record
	for _, u := range []partnership.URN{100001, 100002} { // a real source would page through its database
		r, err := m.Record(ctx, u)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, "", nil
}

func Example_customSource() {
	p, _ := riskpolicy.Compile("example.yaml", []byte(examplePolicy))
	src := trustMIS{attendance: map[partnership.URN]float64{100001: 95.2, 100002: 91.0}}
	as, err := p.EvaluateAll(context.Background(), src, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range as {
		fmt.Println(a.URN, a.Level, len(a.NearMisses), "near miss(es)")
	}
	// Output:
	// 100001 universal 0 near miss(es)
	// 100002 universal 1 near miss(es)
}

// countingStore is a user's own Store: it keeps everything in a
// MemoryStore and counts the assessments written, as a store that mirrors
// them to another system would.
type countingStore struct {
	*riskpolicy.MemoryStore
	written int
}

func (s *countingStore) PutAssessment(ctx context.Context, a *riskpolicy.Assessment) error {
	s.written++
	return s.MemoryStore.PutAssessment(ctx, a)
}

func Example_customStore() {
	p, _ := riskpolicy.Compile("example.yaml", []byte(examplePolicy))
	store := &countingStore{MemoryStore: riskpolicy.NewMemoryStore()}
	svc := riskpolicy.NewService(store, nil)
	src := trustMIS{attendance: map[partnership.URN]float64{100001: 95.2, 100002: 89.0}}
	as, err := svc.AssessAll(context.Background(), p, src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(as), "assessed,", store.written, "written; school 100002 is", as[1].Level)
	// Output:
	// 2 assessed, 2 written; school 100002 is at_risk
}

// A school information system exports "Attendance %": read as is, the
// policy refuses the file rather than grading every school as having no
// attendance problem; with a column mapping it reads it.
func ExamplePolicy_ReadCSV_renamedHeader() {
	p, err := riskpolicy.Compile("attendance.yaml", []byte(`
policy: attendance
indicators:
  attendance: {type: percentage, scale: 0-100, source: School census}
levels: [{name: ok}, {name: watch}]
rules:
  - {name: low_attendance, when: attendance < 90.0, level: watch}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	const export = "URN,Attendance %\n100000,88.5\n"
	_, err = p.ReadCSV("export.csv", strings.NewReader(export), "", nil, nil)
	fmt.Println(err)

	data, err := p.ReadCSV("export.csv", strings.NewReader(export), "", nil,
		&riskpolicy.CSVOptions{Columns: map[string]string{"attendance": "Attendance %"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	as, err := p.EvaluateAll(context.Background(), data.Source, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(as[0].URN, as[0].Level)
	// Output:
	// export.csv:1:1: no column for attendance, which rule 'low_attendance' reads: name a column 'attendance', map one (columns: in the policy, or --column attendance=HEADER), or give the indicator a default (did you mean 'Attendance %'?)
	// 100000 watch
}
