package main

import (
	"context"

	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/internal/atomicfile"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

// newRiskCmd is "fulcrum risk ...": check, test, evaluate and compare
// at-risk policies.
func newRiskCmd(e *env) *cobra.Command {
	return newGroup("risk", "check, test, evaluate and compare at-risk policies",
		newRiskCheckCmd(e),
		newRiskTestCmd(e),
		newRiskEvalCmd(e),
		newRiskOverrideCmd(e),
		newRiskDiffCmd(e),
		newRiskSynthCmd(e),
		newRiskListCmd(e),
		newRiskShowCmd(e),
		newRiskSchemaCmd(e),
	)
}

// newRiskShowCmd is "fulcrum risk show builtin:NAME": a built-in policy's
// YAML, to copy and adapt.
func newRiskShowCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "show builtin:NAME",
		Short: "print a built-in policy's file, to copy and adapt",
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("show needs one built-in policy (see fulcrum risk list)")
			}
			name := strings.TrimPrefix(args[0], "builtin:")
			src, err := riskpolicy.BuiltinSource(name)
			if err != nil {
				return err
			}
			_, err = e.stdout.Write(src)
			return err
		},
	}
}

// maxPolicyBytes bounds a policy file: the largest built-in is under
// 20 KB, and a policy has at most 1000 rules.
const maxPolicyBytes = 4 << 20

// compilePolicy compiles a policy file, or a built-in one named
// builtin:NAME. A policy that does not compile is reported on stderr with
// carets and returned as its error list; err is for everything else (a
// file that cannot be read, an unknown built-in).
func compilePolicy(e *env, arg string) (*riskpolicy.Policy, riskpolicy.ErrorList, error) {
	var p *riskpolicy.Policy
	var err error
	if name, ok := strings.CutPrefix(arg, "builtin:"); ok {
		p, err = riskpolicy.Builtin(name)
	} else {
		var src []byte
		if src, err = readFileLimited(arg, maxPolicyBytes); err != nil {
			return nil, nil, err
		}
		p, err = riskpolicy.Compile(arg, src)
	}
	var list riskpolicy.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(e.stderr, list.Caret())
		fmt.Fprintf(e.stderr, "%s: %d error(s)\n", arg, len(list))
		return nil, list, nil
	}
	return p, nil, err
}

// loadPolicy is compilePolicy for commands that need the policy: one that
// does not compile fails with exitError{1}, its errors already reported.
func loadPolicy(e *env, arg string) (*riskpolicy.Policy, error) {
	p, list, err := compilePolicy(e, arg)
	if list != nil {
		return nil, exitError{1}
	}
	return p, err
}

// builtinPolicy is one record of "risk list".
type builtinPolicy struct {
	Policy string `json:"policy"` // builtin:NAME, as check, test and eval take it
	Title  string `json:"title"`
}

func newRiskListCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "list",
		Short: "list the built-in policies",
		Args:  noArgs,
	}
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(*cobra.Command, []string) error {
		var list []builtinPolicy
		for _, n := range riskpolicy.Builtins() {
			p, err := riskpolicy.Builtin(n)
			if err != nil {
				return err
			}
			list = append(list, builtinPolicy{"builtin:" + n, p.Title()})
		}
		switch format.value {
		case "json":
			return writeJSON(e.stdout, list)
		case "csv":
			rows := make([][]string, len(list))
			for i, b := range list {
				rows[i] = []string{b.Policy, b.Title}
			}
			return e.writeRecords("csv", []string{"policy", "title"}, rows)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, b := range list {
			fmt.Fprintf(tw, "%s\t%s\n", b.Policy, b.Title)
		}
		return tw.Flush()
	}
	return c
}

func newRiskCheckCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "check POLICY...",
		Short: "compile policies (files or builtin:NAME) and report every error with its position",
		Args:  cobra.ArbitraryArgs,
	}
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(_ *cobra.Command, args []string) error {
		return riskCheck(e, args, format.value)
	}
	return c
}

// policyCheck is one record of "risk check": a policy that compiled (OK,
// with its size) or did not (Errors, each "file:line:column: message").
type policyCheck struct {
	Policy     string   `json:"policy"` // as given: a file or builtin:NAME
	OK         bool     `json:"ok"`
	Name       string   `json:"name"`
	Indicators int      `json:"indicators"`
	Rules      int      `json:"rules"`
	Levels     int      `json:"levels"`
	Tests      int      `json:"tests"`
	Errors     []string `json:"errors"`
}

func riskCheck(e *env, pos []string, format string) error {
	if len(pos) == 0 {
		return usagef("check needs a policy")
	}
	failed := false
	checks := make([]policyCheck, 0, len(pos))
	for _, a := range pos {
		pc := policyCheck{Policy: a, Errors: []string{}}
		p, list, err := compilePolicy(e, a)
		if err != nil {
			return err
		}
		if list != nil {
			failed = true
			for _, le := range list {
				pc.Errors = append(pc.Errors, le.Error())
			}
		} else {
			pc.OK, pc.Name = true, p.Name()
			pc.Indicators, pc.Rules, pc.Levels, pc.Tests = len(p.Indicators()), len(p.Rules()), len(p.Levels()), p.Tests()
		}
		checks = append(checks, pc)
	}
	var err error
	switch format {
	case "json":
		err = writeJSON(e.stdout, checks)
	case "csv":
		rows := make([][]string, len(checks))
		for i, pc := range checks {
			rows[i] = []string{pc.Policy, strconv.FormatBool(pc.OK), pc.Name, strconv.Itoa(pc.Indicators), strconv.Itoa(pc.Rules),
				strconv.Itoa(pc.Levels), strconv.Itoa(pc.Tests), strings.Join(pc.Errors, "\n")}
		}
		err = e.writeRecords("csv", []string{"policy", "ok", "name", "indicators", "rules", "levels", "tests", "errors"}, rows)
	default:
		for _, pc := range checks {
			if pc.OK {
				fmt.Fprintf(e.stdout, "%s: ok: policy %s, %d indicators, %d rules, %d levels, %d tests\n",
					pc.Policy, pc.Name, pc.Indicators, pc.Rules, pc.Levels, pc.Tests)
			}
		}
	}
	if err != nil {
		return err
	}
	if failed {
		return exitError{1}
	}
	return nil
}

func newRiskTestCmd(e *env) *cobra.Command {
	var verbose bool
	c := &cobra.Command{
		Use:   "test [-v] POLICY...",
		Short: "run the tests written in policies",
		Args:  cobra.ArbitraryArgs,
	}
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every test in the table, not only failures")
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(c *cobra.Command, args []string) error {
		return riskTest(c.Context(), e, args, verbose, format.value)
	}
	return c
}

// policyTest is one record of "risk test": a test of a policy, or a
// policy that did not compile (Status "error", no test).
type policyTest struct {
	Policy    string   `json:"policy"`
	Position  string   `json:"position"` // file:line:column of the test
	Name      string   `json:"name"`
	Status    string   `json:"status"` // pass, fail or error
	Want      string   `json:"want"`
	Got       string   `json:"got"`
	WantFired []string `json:"want_fired"` // null when the test does not list fired rules
	GotFired  []string `json:"got_fired"`
	Error     string   `json:"error,omitempty"`
}

// testOutput is the JSON of "risk test".
type testOutput struct {
	Passed int          `json:"passed"`
	Failed int          `json:"failed"`
	Broken int          `json:"broken"` // policies that did not compile
	Tests  []policyTest `json:"tests"`
}

func riskTest(ctx context.Context, e *env, pos []string, verbose bool, format string) error {
	if len(pos) == 0 {
		return usagef("test needs a policy")
	}
	var tests []policyTest
	passed, failed, broken := 0, 0, 0
	for _, a := range pos {
		p, list, err := compilePolicy(e, a)
		if err != nil {
			return err
		}
		if list != nil {
			broken++ // its errors are printed; it has no tests to count
			tests = append(tests, policyTest{Policy: a, Status: "error", Error: fmt.Sprintf("%d error(s) in the policy", len(list))})
			continue
		}
		for _, r := range p.Test(ctx) {
			t := policyTest{Policy: a, Position: r.Pos.String(), Name: r.Name, Status: "pass", Want: r.Want, Got: r.Got,
				WantFired: r.WantFired, GotFired: r.GotFired}
			switch {
			case r.Err != nil:
				failed++
				t.Status, t.Error = "error", r.Err.Error()
			case !r.Passed:
				failed++
				t.Status = "fail"
			default:
				passed++
			}
			tests = append(tests, t)
		}
	}
	var err error
	switch format {
	case "json":
		err = writeJSON(e.stdout, testOutput{passed, failed, broken, tests})
	case "csv":
		rows := make([][]string, len(tests))
		for i, t := range tests {
			rows[i] = []string{t.Policy, t.Position, t.Name, t.Status, t.Want, t.Got, strings.Join(t.WantFired, ";"),
				strings.Join(t.GotFired, ";"), t.Error}
		}
		err = e.writeRecords("csv", []string{"policy", "position", "name", "status", "want", "got", "want_fired", "got_fired", "error"}, rows)
	default:
		err = writeTestTable(e.stdout, tests, verbose, passed, failed, broken)
	}
	if err != nil {
		return err
	}
	if failed > 0 || broken > 0 {
		return exitError{1}
	}
	return nil
}

func writeTestTable(w io.Writer, tests []policyTest, verbose bool, passed, failed, broken int) error {
	var b strings.Builder
	for _, t := range tests {
		switch {
		case t.Position == "":
			// A policy that does not compile: its errors are on stderr.
		case t.Status == "error":
			fmt.Fprintf(&b, "FAIL %s: %s: %s\n", t.Position, t.Name, t.Error)
		case t.Status == "fail":
			fmt.Fprintf(&b, "FAIL %s: %s: want %s, got %s", t.Position, t.Name, t.Want, t.Got)
			if t.WantFired != nil {
				fmt.Fprintf(&b, " (want fired %v, got %v)", t.WantFired, t.GotFired)
			} else {
				fmt.Fprintf(&b, " (fired %v)", t.GotFired)
			}
			b.WriteString("\n")
		case verbose:
			fmt.Fprintf(&b, "ok   %s: %s: %s\n", t.Position, t.Name, t.Got)
		}
	}
	if passed+failed > 0 || broken == 0 {
		fmt.Fprintf(&b, "%d passed, %d failed\n", passed, failed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// dataFlags are the flags of the commands that read indicator data.
type dataFlags struct {
	data, indicators, history, overrides, at, encoding string
	columns                                            []string

	// warned records that load has printed the --at warnings (diff loads
	// the data twice).
	warned bool
	// unapplied, set by load, are the overrides of the --overrides file
	// that name a policy this run does not evaluate.
	unapplied []unappliedOverride
}

// unappliedOverride is an override of the --overrides file naming another
// policy than those the command evaluates: accepted (one file may serve
// several policies) but not applied, and said so.
type unappliedOverride struct {
	File   string          `json:"file"`
	Line   int             `json:"line"`
	ID     string          `json:"id"`
	Policy string          `json:"policy"`
	URN    partnership.URN `json:"urn"`
}

func (d *dataFlags) register(c *cobra.Command) {
	fs := c.Flags()
	fs.StringVar(&d.data, "data", "", "`dir`ectory holding indicators.csv and, if present, history.csv (as fulcrum risk synth writes them)")
	fs.StringVar(&d.indicators, "indicators", "", "CSV `file` of indicator values, one row per school (or --data)")
	fs.StringVar(&d.history, "history", "", "CSV `file` of earlier periods' values, one row per school and period")
	fs.StringVar(&d.overrides, "overrides", "", "CSV `file` of professional-judgement overrides: policy,urn,level,by,reason,at,expires (optional id, supersedes); an override that cannot be applied (unknown policy, level or school) is an error; one for another known policy is not applied, and is counted on stderr with its line")
	fs.StringVar(&d.at, "at", "", "assessment `date` (2006-01-02); default today. Refused when before the latest history period begins; warned of when before the current period or over a year after it")
	fs.StringArrayVar(&d.columns, "column", nil, "`INDICATOR=HEADER`: read the indicator (or indicator.area) from the column with this header (repeatable)")
	fs.StringVar(&d.encoding, "encoding", "", "the CSV files' `encoding` (utf-8, utf-16le, utf-16be, windows-1252); default: detected")
}

// load reads the data files against policy p: the data contract (see
// riskpolicy.Policy.ReadCSV). An override is refused, with its position,
// unless it names p or one of also (or a built-in policy): one for p must
// name a level of p and a school of the data.
func (d *dataFlags) load(e *env, p *riskpolicy.Policy, keep []string, also ...*riskpolicy.Policy) (*riskpolicy.Data, *riskpolicy.EvalOptions, error) {
	mapping := map[string]string{}
	for _, c := range d.columns {
		k, h, ok := strings.Cut(c, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(h) == "" {
			return nil, nil, usagef("--column %q: want INDICATOR=HEADER", c)
		}
		mapping[strings.TrimSpace(k)] = strings.TrimSpace(h)
	}
	if d.data != "" {
		if d.indicators == "" {
			d.indicators = filepath.Join(d.data, "indicators.csv")
		}
		if h := filepath.Join(d.data, "history.csv"); d.history == "" {
			if _, err := os.Stat(h); err == nil {
				d.history = h
			}
		}
	}
	if d.indicators == "" {
		return nil, nil, usagef("--indicators (or --data) is required")
	}
	cur, err := openLimited(d.indicators, maxDataBytes)
	if err != nil {
		return nil, nil, err
	}
	defer cur.Close()
	var hist io.Reader
	if d.history != "" {
		f, err := openLimited(d.history, maxDataBytes)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		hist = f
	}
	var data *riskpolicy.Data
	if hist != nil {
		data, err = p.ReadCSV(d.indicators, cur, d.history, hist, &riskpolicy.CSVOptions{Columns: mapping, Encoding: d.encoding, Keep: keep})
	} else {
		data, err = p.ReadCSV(d.indicators, cur, "", nil, &riskpolicy.CSVOptions{Columns: mapping, Encoding: d.encoding, Keep: keep})
	}
	if err != nil {
		return nil, nil, err
	}
	opts := &riskpolicy.EvalOptions{}
	at := time.Now()
	if d.at != "" {
		t, err := time.Parse(time.DateOnly, d.at)
		if err != nil {
			return nil, nil, usagef("--at %q: want 2006-01-02", d.at)
		}
		opts.At, at = t, t
	}
	// The date is checked against the data's periods: one before the
	// latest history period is refused, one far from the current period
	// warned of (see riskpolicy.Data.CheckAt).
	warnings, err := data.CheckAt(at)
	if err != nil {
		if d.at == "" {
			return nil, nil, fmt.Errorf("today's date (the default --at): %w", err)
		}
		return nil, nil, usagef("--at %s: %v", d.at, err)
	}
	if !d.warned {
		d.warned = true
		for _, w := range warnings {
			if d.at == "" {
				w += " (the date is today's: give the assessment's date with --at)"
			}
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
	}
	if d.overrides != "" {
		f, err := openLimited(d.overrides, maxListBytes)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		ovs, lines, err := riskpolicy.ReadOverridesCSVLines(d.overrides, f, overrideCheck(p, data.Source, also))
		if err != nil {
			return nil, nil, err
		}
		opts.Overrides = ovs
		d.unapplied = nil
		for i, o := range ovs {
			if o.Policy != p.Name() && !slices.ContainsFunc(also, func(q *riskpolicy.Policy) bool { return q.Name() == o.Policy }) {
				d.unapplied = append(d.unapplied, unappliedOverride{d.overrides, lines[i], string(o.ID), o.Policy, o.URN})
			}
		}
	}
	return data, opts, nil
}

// noteUnapplied says on stderr how many overrides of the --overrides file
// name another policy, and are therefore not applied, with their lines.
func noteUnapplied(e *env, d *dataFlags, policies ...*riskpolicy.Policy) {
	if len(d.unapplied) == 0 {
		return
	}
	var names []string
	for _, p := range policies {
		names = append(names, p.Name())
	}
	byPolicy := map[string]int{}
	var others []string
	var lines []string
	for _, u := range d.unapplied {
		if byPolicy[u.Policy] == 0 {
			others = append(others, u.Policy)
		}
		byPolicy[u.Policy]++
		if len(lines) < 20 {
			lines = append(lines, strconv.Itoa(u.Line))
		}
	}
	if len(d.unapplied) > len(lines) {
		lines = append(lines, fmt.Sprintf("and %d more", len(d.unapplied)-len(lines)))
	}
	for i, o := range others {
		others[i] = fmt.Sprintf("%s %d", o, byPolicy[o])
	}
	fmt.Fprintf(e.stderr, "%s: %d override(s) name another policy (%s) and are not applied by this run of %s: line(s) %s\n",
		d.overrides, len(d.unapplied), strings.Join(others, ", "), strings.Join(names, " and "), strings.Join(lines, ", "))
}

// overrideCheck returns the check (see riskpolicy.ReadOverridesCSVCheck)
// that refuses an override naming a policy other than p, the policies of
// also and the built-in ones, or, for p, a level p does not have or a
// school src does not hold.
func overrideCheck(p *riskpolicy.Policy, src *riskpolicy.MemorySource, also []*riskpolicy.Policy) func(*riskpolicy.Override) (string, string) {
	known := append([]string{p.Name()}, riskpolicy.Builtins()...)
	for _, q := range also {
		known = append(known, q.Name())
	}
	return func(o *riskpolicy.Override) (string, string) {
		if o.Policy != p.Name() {
			if !slices.Contains(known, o.Policy) {
				return "policy", fmt.Sprintf("no policy %q (this run evaluates %s)", o.Policy, p.Name())
			}
			return "", ""
		}
		if p.Level(o.Level) == nil {
			var names []string
			for _, l := range p.Levels() {
				names = append(names, l.Name)
			}
			return "level", fmt.Sprintf("%s has no level %q (it has %s)", p.Name(), o.Level, strings.Join(names, ", "))
		}
		if _, err := src.Record(context.Background(), o.URN); err != nil {
			return "urn", fmt.Sprintf("school %d is not in the indicator data", o.URN)
		}
		return "", ""
	}
}

func newRiskEvalCmd(e *env) *cobra.Command {
	var d dataFlags
	c := &cobra.Command{
		Use:   "eval POLICY (--indicators FILE.csv [--history FILE.csv] | --data DIR)",
		Short: "evaluate a policy over every school's indicators",
		Args:  cobra.ArbitraryArgs,
	}
	d.register(c)
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("eval needs one policy")
		}
		return riskEval(c.Context(), c, e, args[0], &d, format.value)
	}
	return c
}

func riskEval(ctx context.Context, c *cobra.Command, e *env, policy string, d *dataFlags, format string) error {
	p, err := loadPolicy(e, policy)
	if err != nil {
		return err
	}
	data, opts, err := d.load(e, p, nil)
	if err != nil {
		return printDataErr(e, err)
	}
	stop := e.startTask("evaluating " + p.Name())
	var as []*riskpolicy.Assessment
	if e.dbPath != "" {
		as, err = riskEvalDB(ctx, e, p, data, opts)
	} else {
		as, err = p.EvaluateAll(ctx, data.Source, opts)
	}
	stop()
	if err != nil {
		return err
	}
	cov, err := p.Coverage(ctx, data.Source, as)
	if err != nil {
		return err
	}
	printCoverage(e, data, cov)
	noteUnapplied(e, d, p)
	counts := map[string]int{}
	for _, a := range as {
		counts[a.Level]++
	}
	var summary []string
	for _, l := range p.Levels() {
		summary = append(summary, fmt.Sprintf("%s %d", l.Name, counts[l.Name]))
	}
	e.notef(c, "%s: %d schools: %s", p.Name(), len(as), strings.Join(summary, ", "))
	switch format {
	case "json":
		if err := writeJSONList(e.stdout, as); err != nil {
			return err
		}
		return undeterminedExit(cov)
	case "csv":
		w := e.newCSV(e.stdout)
		w.Write([]string{"urn", "name", "level", "undetermined", "previous", "change", "score", "fired", "near_misses", "override"})
		for _, a := range as {
			ov := ""
			if a.Override != nil {
				ov = a.Override.By + ": " + a.Override.Reason
			}
			w.Write([]string{a.URN.String(), a.Name, a.Level, whyUndetermined(a.Undetermined), a.Previous, a.Change.String(),
				strconv.FormatFloat(a.Score, 'g', -1, 64), firedList(a), nearList(a), ov})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		return undeterminedExit(cov)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "URN\tLEVEL\tCHANGE\tFIRED\tNEAR MISSES")
	for _, a := range as {
		ch := a.Change.String()
		if a.Previous != "" && a.Change != riskpolicy.ChangeSame {
			ch += " from " + a.Previous
		}
		switch {
		case a.Override != nil:
			ch += " (override)"
		case a.Held != "":
			ch += " (held)"
		}
		lvl := a.Level
		if a.IsUndetermined() {
			lvl = "undetermined (at least " + a.Level + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.URN, lvl, ch, firedList(a), nearList(a))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return undeterminedExit(cov)
}

// printCoverage writes the coverage report to stderr: the schools, each
// indicator the policy reads with its column and missing values, columns
// no indicator reads, and the schools whose level could not be decided.
func printCoverage(e *env, d *riskpolicy.Data, cov *riskpolicy.Coverage) {
	fmt.Fprintf(e.stderr, "coverage: %d schools", cov.Schools)
	for f, enc := range d.Encodings {
		if enc != "utf-8" {
			fmt.Fprintf(e.stderr, "; %s read as %s", f, enc)
		}
	}
	fmt.Fprintln(e.stderr)
	cols := map[string]riskpolicy.ColumnUse{}
	for _, c := range d.Columns {
		cols[c.Indicator] = c
	}
	tw := tabwriter.NewWriter(e.stderr, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  INDICATOR\tCOLUMN\tPRESENT\tMISSING\tDEFAULT")
	for _, ic := range cov.Indicators {
		col := cols[ic.Name].Header
		if col == "" {
			col = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%s\n", ic.Name, col, ic.Present, ic.Missing, ic.Default)
	}
	tw.Flush()
	if n := len(d.Unread); n > 0 {
		var names []string
		for _, u := range d.Unread[:min(n, 12)] {
			names = append(names, u.Msg[len("column '"):strings.Index(u.Msg, "' is not read")])
		}
		more := ""
		if n > 12 {
			more = fmt.Sprintf(" and %d more", n-12)
		}
		fmt.Fprintf(e.stderr, "  columns not read by the policy: %s%s\n", strings.Join(names, ", "), more)
	}
	if msg := historyOnlyNote(d); msg != "" {
		fmt.Fprintln(e.stderr, "  "+msg)
	}
	if cov.ShortHistory > 0 {
		fmt.Fprintf(e.stderr, "  %d school(s) have fewer than the %d periods of data a condition's for: needs (give --history): where it holds in the periods there are, whether it held long enough is unknown\n",
			cov.ShortHistory, cov.PeriodsNeeded)
	}
	if cov.Undetermined == 0 {
		fmt.Fprintln(e.stderr, "  every school's level was decided")
		return
	}
	fmt.Fprintf(e.stderr, "  %d school(s) whose level could not be decided (a value a condition needs is missing), for example:\n", cov.Undetermined)
	for _, u := range cov.Examples[:min(len(cov.Examples), 10)] {
		fmt.Fprintf(e.stderr, "    %d %s: at least %s; %s\n", u.URN, u.Name, u.AtLeast, whyUndetermined(u.Why))
	}
	fmt.Fprintln(e.stderr, "  give the values, a default: on the indicator, or missing: skip where a missing value may be passed over")
}

// historyOnlyNote says how many schools of the history file have no row
// in the current file, and are therefore not assessed, naming the first
// few with their positions; "" when there are none.
func historyOnlyNote(d *riskpolicy.Data) string {
	n := len(d.HistoryOnly)
	if n == 0 {
		return ""
	}
	var list []string
	for _, h := range d.HistoryOnly[:min(n, 5)] {
		list = append(list, fmt.Sprintf("%d (%s)", h.URN, h.Pos))
	}
	more := ""
	if n > 5 {
		more = fmt.Sprintf(" and %d more", n-5)
	}
	return fmt.Sprintf("%d school(s) of %s have no row in the current file, so are not assessed and their history is not used: %s%s",
		n, d.HistoryOnly[0].Pos.File, strings.Join(list, ", "), more)
}

// whyUndetermined says which conditions could not be evaluated and why.
func whyUndetermined(sk []riskpolicy.Skip) string {
	var parts []string
	for _, s := range sk {
		switch {
		case s.Err != "":
			parts = append(parts, s.Condition+" failed: "+s.Err)
		default:
			parts = append(parts, s.Condition+" needs "+strings.Join(s.Missing, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// undeterminedExit fails the command when a school's level could not be
// decided: unknown is not the lowest level.
func undeterminedExit(cov *riskpolicy.Coverage) error {
	if cov.Undetermined > 0 {
		return exitError{1}
	}
	return nil
}

func firedList(a *riskpolicy.Assessment) string {
	var s []string
	for _, f := range a.Fired {
		s = append(s, f.Rule)
	}
	return strings.Join(s, ";")
}

func nearList(a *riskpolicy.Assessment) string {
	var s []string
	for _, n := range a.NearMisses {
		s = append(s, n.Rule)
	}
	return strings.Join(s, ";")
}

// printDataErr prints a data file's positioned errors and returns
// exitError{1}; other errors pass through.
func printDataErr(e *env, err error) error {
	var list riskpolicy.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(e.stderr, list.Caret())
		return exitError{1}
	}
	return err
}

func newRiskDiffCmd(e *env) *cobra.Command {
	var d dataFlags
	var mapping, by, cell string
	c := &cobra.Command{
		Use:   "diff OLD NEW (--indicators FILE.csv [--history FILE.csv] | --data DIR)",
		Short: "compare two policies over the same schools: the transition matrix, who moves up or down and why",
		Long: `Compare two policies over the same schools.

The transition matrix counts the schools at each old level (rows) and new
level (columns), with percentages of all schools; --by la (or phase) gives
one per group, read from that column of the indicators file. Levels
correspond by --map (A=1,B=2,C=3A,D=3C), else by the same names, else by
position when both policies have as many levels; then each school moving
up or down is listed with the rules responsible (old: the rules that placed
it at its old level; new: those that place it at its new one). --cell
OLD:NEW lists the schools of one cell of the matrix.`,
		Args: cobra.ArbitraryArgs,
	}
	d.register(c)
	c.Flags().StringVar(&mapping, "map", "", "level `MAPPING` from old to new levels: A=1,B=2,C=3A,D=3C")
	c.Flags().StringVar(&by, "by", "", "one matrix per value of this indicators-file `COLUMN` (la, phase)")
	c.Flags().StringVar(&cell, "cell", "", "list the schools of one cell of the matrix: `OLD:NEW`")
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 2 {
			return usagef("diff needs two policies, old and new")
		}
		return riskDiff(c.Context(), e, args[0], args[1], &d, diffFlags{mapping, by, cell}, format.value)
	}
	return c
}

type diffFlags struct{ mapping, by, cell string }

// diffOutput is the JSON of "risk diff": the impact, and the overrides of
// --overrides that name neither policy (not applied).
type diffOutput struct {
	*riskpolicy.Impact
	UnappliedOverrides []unappliedOverride `json:"unapplied_overrides"`
}

func riskDiff(ctx context.Context, e *env, oldPolicy, newPolicy string, d *dataFlags, f diffFlags, format string) error {
	var opts riskpolicy.DiffOptions
	if f.mapping != "" {
		opts.Map = map[string]string{}
		for _, part := range strings.Split(f.mapping, ",") {
			k, v, ok := strings.Cut(part, "=")
			if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
				return usagef("--map %q: want OLD=NEW,OLD=NEW", f.mapping)
			}
			opts.Map[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	var cellFrom, cellTo string
	if f.cell != "" {
		var ok bool
		cellFrom, cellTo, ok = strings.Cut(f.cell, ":")
		if !ok {
			return usagef("--cell %q: want OLD:NEW", f.cell)
		}
	}
	old, err := loadPolicy(e, oldPolicy)
	if err != nil {
		return err
	}
	nw, err := loadPolicy(e, newPolicy)
	if err != nil {
		return err
	}
	if f.cell != "" && (old.Level(cellFrom) == nil || nw.Level(cellTo) == nil) {
		return usagef("--cell %q: %s is not a level of %s or %s not one of %s", f.cell, cellFrom, old.Name(), cellTo, nw.Name())
	}
	var keep []string
	if f.by != "" {
		keep = []string{f.by}
		opts.GroupBy = f.by
	}
	oldData, evalOpts, err := d.load(e, old, keep, nw)
	if err != nil {
		return printDataErr(e, err)
	}
	newData, _, err := d.load(e, nw, nil, old)
	if err != nil {
		return printDataErr(e, err)
	}
	opts.Eval = evalOpts
	im, err := riskpolicy.DiffSources(ctx, old, nw, oldData.Source, newData.Source, &opts)
	if err != nil {
		return err
	}
	if msg := historyOnlyNote(oldData); msg != "" {
		fmt.Fprintln(e.stderr, msg)
	}
	noteUnapplied(e, d, old, nw)
	schools := im.Changes
	if f.cell != "" {
		schools = im.Cell(cellFrom, cellTo)
	}
	switch format {
	case "json":
		if f.cell != "" {
			return writeJSON(e.stdout, schools)
		}
		return writeJSON(e.stdout, diffOutput{im, append([]unappliedOverride{}, d.unapplied...)})
	case "csv":
		w := e.newCSV(e.stdout)
		w.Write([]string{"urn", "name", "group", "from", "to", "direction", "old_rules", "new_rules", "gained", "lost", "old_score", "score", "held", "old_held"})
		for _, c := range schools {
			dir := c.Direction.String()
			if c.Direction == riskpolicy.ChangeNew {
				dir = "" // the levels do not correspond
			}
			w.Write([]string{c.URN.String(), c.Name, c.Group, c.From, c.To, dir, strings.Join(c.OldRules, ";"),
				strings.Join(c.NewRules, ";"), strings.Join(c.Gained, ";"), strings.Join(c.Lost, ";"),
				strconv.FormatFloat(c.OldScore, 'g', -1, 64), strconv.FormatFloat(c.Score, 'g', -1, 64), c.Held, c.OldHeld})
		}
		w.Flush()
		return w.Error()
	}
	if f.cell == "" {
		fmt.Fprintf(e.stdout, "%d schools, %s (rows) against %s (columns):\n\n", im.Schools, im.Old, im.New)
		writeMatrix(e, im.Matrix)
		for _, g := range im.Groups {
			fmt.Fprintf(e.stdout, "\n%s %s: %d schools, %d up, %d down\n", im.GroupBy, g.Group, g.Matrix.Schools, g.Up, g.Down)
			writeMatrix(e, g.Matrix)
		}
		fmt.Fprintln(e.stdout)
		if len(im.Mapping) == 0 {
			fmt.Fprintln(e.stdout, "the levels do not correspond (other names, another number of levels): give --map OLD=NEW,... for up and down")
			return nil
		}
		var pairs []string
		for _, p := range im.Mapping {
			pairs = append(pairs, p.Old+"="+p.New)
		}
		fmt.Fprintf(e.stdout, "levels correspond by %s (%s): %d up, %d down, %d same\n", im.MappedBy, strings.Join(pairs, ","), im.Up, im.Down, im.Same)
		if len(schools) == 0 {
			return nil
		}
		fmt.Fprintln(e.stdout)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "URN\tFROM\tTO\tDIRECTION\tWHY")
	for _, c := range schools {
		var why []string
		if len(c.NewRules) > 0 {
			why = append(why, "new: "+strings.Join(c.NewRules, ", "))
		}
		if len(c.OldRules) > 0 {
			why = append(why, "old: "+strings.Join(c.OldRules, ", "))
		}
		if c.Held != "" {
			why = append(why, "new: "+c.Held)
		}
		if c.OldHeld != "" {
			why = append(why, "old: "+c.OldHeld)
		}
		if len(why) == 0 {
			why = append(why, "no rule fires under either policy")
		}
		dir := c.Direction.String()
		if c.Direction == riskpolicy.ChangeNew {
			dir = "-" // the levels do not correspond
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.URN, c.From, c.To, dir, strings.Join(why, "; "))
	}
	return tw.Flush()
}

// writeMatrix prints a transition matrix: counts and percentages.
func writeMatrix(e *env, m riskpolicy.Matrix) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "old \\ new\t")
	for _, n := range m.New {
		fmt.Fprintf(tw, "%s\t", n)
	}
	fmt.Fprintln(tw)
	for i, o := range m.Old {
		fmt.Fprintf(tw, "%s\t", o)
		for j := range m.New {
			fmt.Fprintf(tw, "%d (%.1f%%)\t", m.Counts[i][j], m.Percent[i][j])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// maxPeriods bounds risk synth --periods: ten school years of three terms
// (England's history.csv is then about 200 MB: 20 MB for the 2,243 schools
// of the embedded region).
const maxPeriods = 30

func newRiskSynthCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "synth",
		Short: "write indicator CSVs for real schools, synthetic columns labelled, to evaluate policies on",
		Args:  noArgs,
	}
	fs := c.Flags()
	var data string
	var lenient bool
	addDataFlag(c, &data)
	addLenientFlag(c, &lenient)
	out := fs.String("out", ".", "`DIR` to write indicators.csv and history.csv to")
	seed := fs.Uint64("seed", 1, "seed of the synthetic values")
	periods := new(int)
	intFlag(c, periods, "periods", 3, 1, maxPeriods, "terms to write: the current one and the earlier ones in history.csv")
	format := addFormat(c, "table", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		return riskSynth(c.Context(), e, data, lenient, *out, *seed, *periods, format.value)
	}
	return c
}

// synthOutput is the JSON of "risk synth".
type synthOutput struct {
	Source     string `json:"source"`
	Indicators string `json:"indicators"` // the file written
	Schools    int    `json:"schools"`
	History    string `json:"history"`
	Rows       int    `json:"rows"` // of history
}

// riskSynth writes indicators.csv and history.csv into out, both whole or
// neither: they are written to temporary files renamed into place once both
// are complete, and an interruption (Ctrl-C) removes them.
func riskSynth(ctx context.Context, e *env, data string, lenient bool, out string, seed uint64, periods int, format string) error {
	res, err := loadData(ctx, e, data, lenient)
	if err != nil {
		return err
	}
	m, err := res.Model()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	o := synthOutput{Source: res.Source, Indicators: filepath.Join(out, "indicators.csv"), History: filepath.Join(out, "history.csv")}
	stop := e.startTask(fmt.Sprintf("writing %d periods of indicators", periods))
	err = atomicfile.WriteFiles(ctx, []string{o.Indicators, o.History}, func(ws []io.Writer) error {
		st, err := synth.Write(ctx, m, ws[0], ws[1], &synth.Options{Seed: seed, Periods: periods, Formulas: e.csvFormulas})
		o.Schools, o.Rows = st.Schools, st.Rows
		return err
	})
	stop()
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(e.stdout, o)
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s (%d schools) and %s (%d rows); columns marked SYNTHETIC in their header are generated\n",
		o.Indicators, o.Schools, o.History, o.Rows)
	return err
}

func newRiskSchemaCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema of policy files",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := e.stdout.Write(riskpolicy.Schema())
			return err
		},
	}
}
