package riskpolicy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// readDir reads testdata/data/<case>: policy.yaml, indicators.csv and, if
// present, history.csv.
func readDir(t *testing.T, dir string, opts *riskpolicy.CSVOptions) (*riskpolicy.Policy, *riskpolicy.Data, error) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
	require.NoError(t, err)
	p, err := riskpolicy.Compile("policy.yaml", src)
	require.NoError(t, err)
	cur, err := os.ReadFile(filepath.Join(dir, "indicators.csv"))
	require.NoError(t, err)
	var hist *bytes.Reader
	if h, err := os.ReadFile(filepath.Join(dir, "history.csv")); err == nil {
		hist = bytes.NewReader(h)
	}
	if hist == nil {
		d, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur), "", nil, opts)
		return p, d, err
	}
	d, err := p.ReadCSV("indicators.csv", bytes.NewReader(cur), "history.csv", hist, opts)
	return p, d, err
}

// TestBrokenData reads every broken data set under testdata/data and
// compares the positioned errors to want.golden.
func TestBrokenData(t *testing.T) {
	dirs, err := filepath.Glob("testdata/data/*")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(dirs), 10)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			_, d, err := readDir(t, dir, nil)
			require.Error(t, err, "data read without an error")
			require.Nil(t, d)
			var list riskpolicy.ErrorList
			require.True(t, errors.As(err, &list), "error is %T, not an ErrorList", err)
			for _, e := range list {
				require.True(t, e.Pos.IsValid(), "error without a position: %v", e)
			}
			got := list.Error() + "\n"
			golden := filepath.Join(dir, "want.golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file; run go test -run TestBrokenData -update")
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("errors differ (-want +got):\n%s", diff)
			}
		})
	}
}

// A policy evaluated on data with renamed headers fails loudly, and a
// column mapping makes the same file work.
func TestRenamedHeadersFailLoudly(t *testing.T) {
	_, _, err := readDir(t, "testdata/data/renamed_headers", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no column for attendance")
	assert.Contains(t, err.Error(), "no column for rating")
	p, d, err := readDir(t, "testdata/data/renamed_headers", &riskpolicy.CSVOptions{
		Columns: map[string]string{"attendance": "Attendance %", "rating": "Ofsted Rating"}})
	require.NoError(t, err)
	as, err := p.EvaluateAll(context.Background(), d.Source, &riskpolicy.EvalOptions{At: at})
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, "at_risk", as[0].Level)
	assert.Empty(t, d.Unread)

	// The built-in Ofsted categories on report-card columns named the
	// way a spreadsheet might: refused, not graded "none".
	b, err := riskpolicy.Builtin("ofsted-concern")
	require.NoError(t, err)
	csv := "urn,report_card.leadership,report_card.inclusion,safeguarding\n100000,urgent improvement,urgent improvement,not met\n"
	_, err = b.ReadCSV("rc.csv", strings.NewReader(csv), "", nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no column for report_card.leadership_and_governance")
}

// Out-of-range percentages fail loudly, each at its line and column.
func TestOutOfRangePercentagesFailLoudly(t *testing.T) {
	_, _, err := readDir(t, "testdata/data/out_of_range", nil)
	require.Error(t, err)
	for _, want := range []string{"indicators.csv:2:2:", "indicators.csv:3:2:", "indicators.csv:4:2:", "indicators.csv:5:2:", "indicators.csv:6:2:"} {
		assert.Contains(t, err.Error(), want)
	}
}

// Text in Windows-1252 is detected and decoded, not replaced by U+FFFD.
func TestWindows1252Detected(t *testing.T) {
	p, err := riskpolicy.Compile("p.yaml", []byte(`
policy: p
indicators:
  attendance: {type: percentage, source: census}
levels: [{name: ok}, {name: low}]
rules:
  - {name: low, when: attendance < 90.0, level: low}
`))
	require.NoError(t, err)
	d, err := p.ReadCSV("latin1.csv", strings.NewReader("urn,name,attendance\n100000,\xc9cole Saint-Andr\xe9,95\n"), "", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "windows-1252", d.Encodings["latin1.csv"])
	r, err := d.Source.Record(context.Background(), 100000)
	require.NoError(t, err)
	assert.Equal(t, "École Saint-André", r.Name)
}

// The per-value fractions check refuses a value in (0, 1] only where it
// stands apart from a column of percentages well above 1; a column whose
// values run down towards 0 (a genuine tail), a column whose bulk lies
// near 1, zeros, and a 0-1 column keep their small values.
func TestFractionCheckSparesGenuineSmallValues(t *testing.T) {
	compile := func(scale, limit string) *riskpolicy.Policy {
		p, err := riskpolicy.Compile("p.yaml", []byte(`
policy: p
indicators:
  pct: {type: percentage, source: t`+scale+`}
levels: [{name: ok}, {name: low}]
rules:
  - {name: low, when: pct < `+limit+`, level: low}
`))
		require.NoError(t, err)
		return p
	}
	read := func(p *riskpolicy.Policy, vals []string) error {
		var b strings.Builder
		b.WriteString("urn,pct\n")
		for i, v := range vals {
			fmt.Fprintf(&b, "%d,%s\n", 100000+i, v)
		}
		_, err := p.ReadCSV("f.csv", strings.NewReader(b.String()), "", nil, nil)
		return err
	}
	p := compile("", "50.0")
	var bulk []string
	for i := range 40 {
		bulk = append(bulk, fmt.Sprint(60+i/2))
	}
	require.Error(t, read(p, append(slices.Clone(bulk), "0.62")), "an isolated fraction")
	require.NoError(t, read(p, append(slices.Clone(bulk), "0", "0")), "zeros")
	require.NoError(t, read(p, append(slices.Clone(bulk), "0.3", "4.5", "12", "25")), "a tail down to 0")
	var low []string
	for i := range 40 {
		low = append(low, fmt.Sprint(1.5+float64(i)))
	}
	require.NoError(t, read(p, append(low, "0.8")), "a column whose bulk starts near 1")
	require.NoError(t, read(p, append(slices.Repeat([]string{"80"}, 19), "0.8")), "too few values to judge")
	var frac []string
	for i := range 40 {
		frac = append(frac, fmt.Sprint(0.6+float64(i)/100))
	}
	require.NoError(t, read(compile(", scale: 0-1", "0.5"), frac), "a 0-1 column")
}

// History periods are ordered explicitly, not by label text, and a history
// row that cannot be placed before the current period is refused at its
// line and period column, never dropped or reordered silently.
func TestReadCSVHistoryPeriodOrder(t *testing.T) {
	p, err := riskpolicy.Compile("csv.yaml", []byte("policy: p\nindicators:\n  x: {type: number, source: t}\nlevels: [{name: ok}, {name: bad}]\nrules:\n  - {name: high, when: x > 1.0, for: 3, level: bad}\n"))
	require.NoError(t, err)
	read := func(cur, hist string) (*riskpolicy.Data, error) {
		return p.ReadCSV("cur.csv", strings.NewReader("urn,period,x\n"+cur), "hist.csv", strings.NewReader("urn,period,x\n"+hist), nil)
	}
	d, err := read("1,Term 11,5\n", "1,Term 9,3\n1,Term 10,4\n")
	require.NoError(t, err)
	r, err := d.Source.Record(context.Background(), 1)
	require.NoError(t, err)
	var got []string
	for _, s := range r.Periods {
		got = append(got, s.Period)
	}
	assert.Equal(t, []string{"Term 11", "Term 10", "Term 9"}, got)

	d, err = read("1,2024-25 summer,5\n", "1,2024-25 spring,3\n1,2023-24,4\n1,2024-25 autumn,4\n")
	require.NoError(t, err)
	r, err = d.Source.Record(context.Background(), 1)
	require.NoError(t, err)
	got = got[:0]
	for _, s := range r.Periods {
		got = append(got, s.Period)
	}
	assert.Equal(t, []string{"2024-25 summer", "2024-25 spring", "2024-25 autumn", "2023-24"}, got)

	for _, tc := range []struct{ name, cur, hist, want string }{
		{"current label", "1,2024-25 summer,5\n", "1,2024-25 summer,4\n",
			`hist.csv:2:2: school 1: period "2024-25 summer": is the current period's label; history holds earlier periods only`},
		{"later", "1,2024-25 summer,5\n", "1,2025-26 autumn,4\n",
			`hist.csv:2:2: school 1: period "2025-26 autumn": is not earlier than the current period "2024-25 summer"`},
		{"twice", "1,Term 3,5\n", "1,Term 2,4\n1,Term 2,4\n",
			`hist.csv:3:2: school 1: period "Term 2": given twice (line 2)`},
		{"unorderable", "1,Term 3,5\n", "1,banana,4\n",
			`hist.csv:2:2: school 1: period "banana": cannot be ordered`},
		{"mixed forms", "1,Term 3,5\n", "1,2024-25 autumn,4\n",
			`hist.csv:2:2: school 1: period "2024-25 autumn": cannot be ordered against the current period "Term 3"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(tc.cur, tc.hist)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// A school of the history file with no row in the current file is not
// assessed; ReadCSV reports it, at its first history row, instead of
// dropping it unseen.
func TestReadCSVHistoryOnlySchools(t *testing.T) {
	p, err := riskpolicy.Compile("csv.yaml", []byte("policy: p\nindicators:\n  x: {type: number, source: t}\nlevels: [{name: ok}, {name: bad}]\nrules:\n  - {name: high, when: x > 1.0, for: 2, level: bad}\n"))
	require.NoError(t, err)
	d, err := p.ReadCSV("cur.csv", strings.NewReader("urn,period,x\n1,Term 3,5\n"), "hist.csv",
		strings.NewReader("period,urn,x\nTerm 2,1,4\nTerm 2,7,4\nTerm 1,9,3\nTerm 1,7,3\n"), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, d.Source.Len())
	assert.Equal(t, []riskpolicy.HistoryOnlySchool{
		{URN: 7, Pos: riskpolicy.Pos{File: "hist.csv", Line: 3, Col: 2}},
		{URN: 9, Pos: riskpolicy.Pos{File: "hist.csv", Line: 4, Col: 2}},
	}, d.HistoryOnly)
	assert.Equal(t, "hist.csv:3:2: school 7 has no row in the current file: it is not assessed and its history is not used", d.HistoryOnly[0].String())

	d, err = p.ReadCSV("cur.csv", strings.NewReader("urn,period,x\n1,Term 3,5\n"), "hist.csv", strings.NewReader("period,urn,x\nTerm 2,1,4\n"), nil)
	require.NoError(t, err)
	assert.Empty(t, d.HistoryOnly)
}
