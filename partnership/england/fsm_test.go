package england_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// fsmLayout is a school census layout that gives the FSM percentage beside
// the counts it is computed from: its header, a row of it with the given
// URN, headcount, FSM count and FSM percentage, and the 1-based columns of
// those three values.
type fsmLayout struct {
	name                 string
	header               string
	row                  func(urn int, headcount, count, percent string) string
	headcount, count, pc int
	countName, pcName    string
	baseName             string
}

// fsmLayouts are the census layouts that give FSM counts: before
// explore-education-statistics (2017/18, 2018/19), explore-education-
// statistics with its variable names (snake case), and the 2022/23 file
// as published (snake case, then the long names of the old layout).
var fsmLayouts = []fsmLayout{{
	name: "2017/18",
	header: "URN,LA,Estab,LAESTAB,School Name,Phase-type grouping,Type of establishment,Region,LA name,LA number," +
		"Urban / Rural,School Postcode,headcount of pupils,number of pupils known to be eligible for free school meals," +
		"% of pupils known to be eligible for free school meals\r\n",
	row: func(urn int, h, c, p string) string {
		return fmt.Sprintf("%d,383,2001,3832001,School %d,State-funded primary,Academy converter,Yorkshire and The Humber,Leeds,383,"+
			"(England/Wales) Urban major conurbation,LS1 1AB,%s,%s,%s\r\n", urn, urn, h, c, p)
	},
	headcount: 13, count: 14, pc: 15,
	countName: "number of pupils known to be eligible for free school meals",
	pcName:    "% of pupils known to be eligible for free school meals",
	baseName:  "headcount of pupils",
}, {
	name: "explore-education-statistics",
	header: "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code," +
		"new_la_code,la_name,urn,laestab,school_name,phase_type_grouping,type_of_establishment,urban_rural,headcount_of_pupils," +
		"number_of_pupils_known_to_be_eligible_for_free_school_meals,percent_of_pupils_known_to_be_eligible_for_free_school_meals\n",
	row: func(urn int, h, c, p string) string {
		return fmt.Sprintf("202324,Academic year,School,E92000001,England,E12000003,Yorkshire and The Humber,383,E08000035,Leeds,"+
			"%d,3832001,School %d,State-funded primary,Academy converter,(England/Wales) Urban major conurbation,%s,%s,%s\n", urn, urn, h, c, p)
	},
	headcount: 17, count: 18, pc: 19,
	countName: "number_of_pupils_known_to_be_eligible_for_free_school_meals",
	pcName:    "percent_of_pupils_known_to_be_eligible_for_free_school_meals",
	baseName:  "headcount_of_pupils",
}, {
	name: "2022/23 as published",
	header: "time_period,time_identifier,geographic_level,country_code,country_name,region_name,region_code,urn,old_la_code," +
		"la_name,new_la_code,estab,school_name,laestab,phase_type_grouping,trust,opendate,sex_of_school_description," +
		"typeofestablishment_name,middle_school,all_through_school,urban_rural,school_postcode,headcount of pupils,fte pupils," +
		"number of pupils known to be eligible for free school meals,% of pupils known to be eligible for free school meals," +
		"Number of pupils (used for FSM calculation in Performance Tables)," +
		"number of pupils known to be eligible for free school meals (Performance Tables)," +
		"% of pupils known to be eligible for free school meals (Performance Tables)\n",
	row: func(urn int, h, c, p string) string {
		// The performance-tables columns hold other values: they are
		// not read, so they neither agree nor disagree.
		return fmt.Sprintf("202223,Academic year,School,E92000001,England,Yorkshire and The Humber,E12000003,%d,383,Leeds,"+
			"E08000035,2001,School %d,3832001,State-funded primary,,,Mixed,Academy converter,,,"+
			"(England/Wales) Urban major conurbation,LS1 1AB,%s,1,%s,%s,7,5,71.4\n", urn, urn, h, c, p)
	},
	headcount: 24, count: 26, pc: 27,
	countName: "number of pupils known to be eligible for free school meals",
	pcName:    "% of pupils known to be eligible for free school meals",
	baseName:  "headcount of pupils",
}}

// TestFSMCrossCheck: where a census row gives the FSM percentage and the
// counts it is computed from, the percentage must be the count over the
// headcount, to the publisher's one decimal place (half up); a
// disagreement, or a count above the headcount, is an error naming file,
// line, column, field and both values. A suppressed or blank count,
// headcount or percentage is unknown: nothing to check, never zero. In
// each layout that gives the counts.
func TestFSMCrossCheck(t *testing.T) {
	type row struct{ h, c, p string }
	tests := []struct {
		name string
		rows []row
		fsm  []float64                  // each row's FSM percentage as loaded; -1 for unknown
		errs func(l fsmLayout) []string // the errors of a strict load, one per bad row
	}{
		{name: "agrees", rows: []row{{"112", "31", "27.7"}, {"421", "63", "15.0"}, {"421", "63", "14.96"}, {"90", "0", "0"}, {"90", "90", "100"}},
			fsm: []float64{27.7, 15, 14.96, 0, 100}},
		// 161 of 400 is 40.25: published as 40.3 (URN 100136 in
		// 2022/23); 40.2 is as near.
		{name: "rounded half up", rows: []row{{"400", "161", "40.3"}, {"400", "161", "40.2"}}, fsm: []float64{40.3, 40.2}},
		{name: "suppressed or blank is unknown", rows: []row{
			{"112", "x", "9.2"}, {"112", "c", "9.2"}, {"112", "z", "9.2"}, {"112", "", "9.2"}, // count unknown: not checked
			{"x", "31", "9.2"}, {"", "31", "9.2"}, // headcount unknown: not checked
			{"112", "31", "z"}, {"112", "31", ""}, {"112", "31", "x"}, // percentage unknown: unknown, not 0
		}, fsm: []float64{9.2, 9.2, 9.2, 9.2, 9.2, 9.2, -1, -1, -1}},
		{name: "disagrees", rows: []row{{"112", "31", "9.2"}, {"112", "31", "27.6"}, {"112", "31", "27.8"}, {"112", "31", "27.7"}},
			fsm: []float64{27.7},
			errs: func(l fsmLayout) []string {
				return []string{
					l.at(2, l.pc, l.pcName, "percent 9.2 but 31 of 112 pupils is 27.7 (%q of %q)", l.countName, l.baseName),
					l.at(3, l.pc, l.pcName, "percent 27.6 but 31 of 112 pupils is 27.7 (%q of %q)", l.countName, l.baseName),
					l.at(4, l.pc, l.pcName, "percent 27.8 but 31 of 112 pupils is 27.7 (%q of %q)", l.countName, l.baseName),
				}
			}},
		{name: "count above headcount", rows: []row{{"112", "113", "100"}, {"112", "113", "z"}, {"0", "1", "0"}},
			errs: func(l fsmLayout) []string {
				return []string{
					l.at(2, l.count, l.countName, "113 pupils eligible for free school meals but only 112 pupils (%q)", l.baseName),
					l.at(3, l.count, l.countName, "113 pupils eligible for free school meals but only 112 pupils (%q)", l.baseName),
					l.at(4, l.count, l.countName, "1 pupils eligible for free school meals but only 0 pupils (%q)", l.baseName),
				}
			}},
		// A headcount of 0 is an unknown pupil count; a percentage of
		// it can only be the 0 the publisher writes, and it is unknown
		// (-1 here), never a 0% school.
		{name: "no pupils", rows: []row{{"0", "0", "0"}, {"0", "0", "5.0"}}, fsm: []float64{-1},
			errs: func(l fsmLayout) []string {
				return []string{l.at(3, l.pc, l.pcName, "percent 5.0 but 0 of 0 pupils (%q) is no percentage: 0 or blank is expected", l.baseName)}
			}},
		// Three rows of fractions: too few for the whole-column check
		// (ten or more), each caught by its counts. A 0 agrees either
		// way.
		{name: "fractions in a short column", rows: []row{{"112", "31", "0.277"}, {"400", "161", "0.4025"}, {"90", "0", "0"}},
			fsm: []float64{0},
			errs: func(l fsmLayout) []string {
				return []string{
					l.at(2, l.pc, l.pcName, "percent 0.277 but 31 of 112 pupils is 27.7 (%q of %q): a fraction where a percentage (0-100) is expected; write percentages (27.7, not 0.277)", l.countName, l.baseName),
					l.at(3, l.pc, l.pcName, "percent 0.4025 but 161 of 400 pupils is 40.2 (%q of %q): a fraction where a percentage (0-100) is expected; write percentages (40.2, not 0.4025)", l.countName, l.baseName),
				}
			}},
	}
	for _, l := range fsmLayouts {
		for _, tt := range tests {
			t.Run(l.name+"/"+tt.name, func(t *testing.T) {
				var b strings.Builder
				b.WriteString(l.header)
				for i, r := range tt.rows {
					b.WriteString(l.row(140001+i, r.h, r.c, r.p))
				}
				fsys := fstest.MapFS{"c.csv": {Data: []byte(b.String())}}
				var want []string
				if tt.errs != nil {
					want = tt.errs(l)
				}
				_, err := england.LoadFS(context.Background(), fsys, nil)
				if len(want) == 0 {
					require.NoError(t, err)
				} else {
					var list england.ErrorList
					require.ErrorAs(t, err, &list)
					var got []string
					for _, e := range list {
						got = append(got, e.Error())
						assert.ErrorIs(t, e, partnership.ErrInvalid)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("errors (-want +got):\n%s", diff)
					}
				}

				// Lenient: the bad rows are skipped and counted, the
				// others loaded with their percentage (or unknown).
				r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
				if len(tt.fsm) == 0 {
					require.Error(t, err, "no schools")
					return
				}
				require.NoError(t, err)
				f := r.Files[indexOf(r.Files, "c.csv")]
				assert.Equal(t, [3]int{len(tt.rows), len(tt.fsm), len(want)}, [3]int{f.Rows, f.Used, f.Skipped}, "rows, used, skipped")
				assert.Equal(t, f.Rows, f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate)
				var got []float64
				for _, s := range r.Dataset.Schools {
					got = append(got, s.FSMPercent.Or(-1))
				}
				assert.Equal(t, tt.fsm, got)
			})
		}
	}
}

// at is the error Load gives for column col (field name) of line in c.csv.
func (l fsmLayout) at(line, col int, name, format string, args ...any) string {
	return fmt.Sprintf("c.csv:%d:%d: %s: ", line, col, name) + fmt.Sprintf(format, args...)
}

// TestFSMCrossCheckDenominator: a census giving "number of pupils (used for
// FSM calculation)" (the denominator of the percentage up to 2012/13) is
// checked against that column, not the headcount.
func TestFSMCrossCheckDenominator(t *testing.T) {
	const header = "URN,School Name,Phase-type grouping,headcount of pupils,number of pupils (used for FSM calculation)," +
		"number of pupils known to be eligible for free school meals,% of pupils known to be eligible for free school meals\n"
	load := func(rows string) error {
		_, err := england.LoadFS(context.Background(), fstest.MapFS{"c.csv": {Data: []byte(header + rows)}}, nil)
		return err
	}
	// 31 of 112 used for the calculation, of 120 on roll.
	require.NoError(t, load("140001,A,State-funded primary,120,112,31,27.7\n"))
	err := load("140001,A,State-funded primary,120,112,31,25.8\n")
	require.Error(t, err)
	assert.Equal(t, `c.csv:2:7: % of pupils known to be eligible for free school meals: percent 25.8 but 31 of 112 pupils is 27.7 `+
		`("number of pupils known to be eligible for free school meals" of "number of pupils (used for FSM calculation)")`, err.Error())
	// The denominator column suppressed: nothing to check against.
	require.NoError(t, load("140001,A,State-funded primary,120,x,31,25.8\n"))
	err = load("140001,A,State-funded primary,120,30,31,25.8\n")
	require.Error(t, err)
	assert.Equal(t, `c.csv:2:6: number of pupils known to be eligible for free school meals: `+
		`31 pupils eligible for free school meals but only 30 pupils ("number of pupils (used for FSM calculation)")`, err.Error())
}

// TestFSMCrossCheckEngland: every row of the 2022/23 school-level census
// that gives the FSM percentage, count and headcount agrees (22,034 rows,
// counted independently; the other 2,408 give neither count nor
// percentage), so the strict load uses every row and every one of those
// schools has its FSM percentage.
func TestFSMCrossCheckEngland(t *testing.T) {
	dir := rawdata.Dir(t)
	if dir == "" {
		t.Skip("../shared/data/raw is absent")
	}
	const name = "spc_school_level_underlying_data_2022-23.csv.gz"
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	r, err := england.LoadFS(context.Background(), fstest.MapFS{name: {Data: data}}, nil)
	require.NoError(t, err)
	f := r.Files[indexOf(r.Files, name)]
	assert.Equal(t, [3]int{24442, 24442, 0}, [3]int{f.Rows, f.Used, f.Skipped}, "rows, used, skipped")
	known := 0
	for _, s := range r.Dataset.Schools {
		if s.FSMPercent.IsKnown() {
			known++
		}
	}
	// 22,034 rows give a percentage; 44 of them are 0 of 0 pupils, which
	// measure nothing and are unknown.
	assert.Equal(t, 22034-44, known)

	// The same file with the first school's percentage (49 of 271 is
	// 18.1) written as a fraction is refused at that row: the check reads
	// the columns under their published names.
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	changed := bytes.Replace(plain, []byte(`"49","18.1"`), []byte(`"49","0.181"`), 1)
	require.NotEqual(t, plain, changed)
	_, err = england.LoadFS(context.Background(), fstest.MapFS{name: {Data: changed}}, nil)
	require.Error(t, err)
	assert.Equal(t, name+`:2:216: % of pupils known to be eligible for free school meals: percent 0.181 but 49 of 271 pupils is 18.1 `+
		`("number of pupils known to be eligible for free school meals" of "headcount of pupils"): `+
		`a fraction where a percentage (0-100) is expected; write percentages (18.1, not 0.181)`, err.Error())
}

// TestPerformanceCensusFSMPercentNotRead: the performance tables census
// gives FSM percent as NUMFSM / NOR and reads no percentage column, so a
// file whose PNUMFSMEVER holds fractions (0.214 for 21.4%) loads with the
// same FSM percentages, pupils and row counts as the one with percentages;
// so does one whose PNUMFSMEVER is garbage. NUMFSM above NOR is an error.
func TestPerformanceCensusFSMPercentNotRead(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "layouts", "england_census_2024-25.csv"))
	require.NoError(t, err)
	load := func(t *testing.T, data []byte) map[partnership.URN][2]float64 {
		t.Helper()
		r, err := england.LoadFS(context.Background(), fstest.MapFS{"c.csv": {Data: data}}, nil)
		require.NoError(t, err)
		f := r.Files[indexOf(r.Files, "c.csv")]
		assert.Equal(t, england.LayoutPerformanceTable, f.Layout)
		assert.Equal(t, [2]int{3, 3}, [2]int{f.Rows, f.Used})
		got := map[partnership.URN][2]float64{}
		for _, s := range r.Dataset.Schools {
			got[s.URN] = [2]float64{float64(s.Pupils.Or(-1)), s.FSMPercent.Or(-1)}
		}
		return got
	}
	want := map[partnership.URN][2]float64{140001: {420, 15}, 140002: {1000, -1}, 100005: {-1, -1}}
	assert.Equal(t, want, load(t, data), "percentages")
	for name, pnumfsmever := range map[string][2]string{
		"fractions": {"0.214", "0.300"},
		"garbage":   {"lots", "1e999"},
	} {
		t.Run(name, func(t *testing.T) {
			changed := strings.Replace(string(data), ",420,21.4%\n", ",420,"+pnumfsmever[0]+"\n", 1)
			changed = strings.Replace(changed, ",1000,30.0%\n", ",1000,"+pnumfsmever[1]+"\n", 1)
			require.NotContains(t, changed, "21.4%")
			require.NotContains(t, changed, "30.0%")
			assert.Equal(t, want, load(t, []byte(changed)))
		})
	}

	_, err = england.LoadFS(context.Background(), fstest.MapFS{"c.csv": {Data: []byte(
		"URN,LA,ESTAB,SCHOOLTYPE,NOR,NUMFSM,PNUMFSMEVER\n140001,383,2001,Academy converter,420,421,0.5\n")}}, nil)
	require.Error(t, err)
	assert.Equal(t, "c.csv:2:6: NUMFSM: 421 pupils eligible for free school meals of 420 on roll", err.Error())
}

// FuzzFSMCrossCheck: a census row with headcount h, FSM count c and a
// percentage t/10 (or, written as a fraction, t/10000) loads if and only
// if c <= h, the percentage is from 0 to 100 and within 0.05 of 100c/h
// (computed here in integers: |20·t·h − 2000·D·c| ≤ D·h for t/D), and then
// with that percentage; otherwise the error names the row and one of its
// FSM columns. Each of the three layouts that give counts.
func FuzzFSMCrossCheck(f *testing.F) {
	f.Add(uint16(112), uint16(31), uint16(277), false)  // agrees
	f.Add(uint16(112), uint16(31), uint16(92), false)   // "percent 9.2 but 31 of 112 pupils is 27.7"
	f.Add(uint16(400), uint16(161), uint16(403), false) // 40.25 rounded half up
	f.Add(uint16(400), uint16(161), uint16(402), false) // 40.25 rounded down
	f.Add(uint16(400), uint16(161), uint16(404), false)
	f.Add(uint16(112), uint16(113), uint16(1000), false) // count above headcount
	f.Add(uint16(0), uint16(0), uint16(0), false)
	f.Add(uint16(0), uint16(0), uint16(50), false)
	f.Add(uint16(112), uint16(31), uint16(2768), true) // 0.2768, a fraction
	f.Add(uint16(65535), uint16(1), uint16(0), false)  // 0.0015%: 0.0 is as near
	f.Fuzz(func(t *testing.T, h, c, tv uint16, fraction bool) {
		l := fsmLayouts[int(h)%len(fsmLayouts)]
		d, text := int64(10), fmt.Sprintf("%d.%d", tv/10, tv%10)
		if fraction {
			tv %= 10000
			d, text = 10000, fmt.Sprintf("0.%04d", tv)
		}
		H, C, T := int64(h), int64(c), int64(tv)
		var ok bool
		switch {
		case C > H, T > 100*d:
			ok = false
		case H == 0:
			ok = T == 0
		default:
			diff := 20*T*H - 2000*d*C
			ok = diff <= d*H && -diff <= d*H
		}
		data := l.header + l.row(140001, fmt.Sprint(h), fmt.Sprint(c), text)
		r, err := england.LoadFS(context.Background(), fstest.MapFS{"c.csv": {Data: []byte(data)}}, nil)
		if ok {
			if err != nil {
				t.Fatalf("%d of %d pupils, percent %s: %v", c, h, text, err)
			}
			got, known := r.Dataset.Schools[0].FSMPercent.Get()
			if H == 0 { // a percentage of no pupils is unknown
				if known {
					t.Fatalf("0 of 0 pupils, percent %s: FSM %v known, want unknown", text, got)
				}
				return
			}
			if want := float64(T) / float64(d); !known || got != want {
				t.Fatalf("%d of %d pupils, percent %s: FSM %v (known %v), want %v", c, h, text, got, known, want)
			}
			return
		}
		var list england.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("%d of %d pupils, percent %s: want a row error, got %v", c, h, text, err)
		}
		for _, e := range list {
			if e.File != "c.csv" || e.Line != 2 || (e.Column != l.count && e.Column != l.pc) {
				t.Fatalf("%d of %d pupils, percent %s: error not at the row's FSM count or percentage: %v", c, h, text, e)
			}
		}
	})
}

// FuzzCensusWithCounts fuzzes the rows of a census that gives FSM counts
// beside the percentage (the 2017/18 layout), for what may never happen.
func FuzzCensusWithCounts(f *testing.F) {
	l := fsmLayouts[0]
	for _, s := range []string{
		l.row(140001, "112", "31", "27.7") + l.row(140002, "112", "31", "9.2"),
		l.row(140001, "112", "113", "z") + l.row(140002, "0", "0", "0") + l.row(140003, "0", "0", "5"),
		l.row(140001, "112", "31", "0.277") + l.row(140002, "x", "c", "") + l.row(140003, "1e+02", "1e+01", "10.0"),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkLoad(t, fstest.MapFS{"census.csv": {Data: append([]byte(l.header), body...)}})
	})
}
