package england_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// TestPublishedLayouts loads the synthetic fixture of each published
// layout in testdata/layouts (with a census beside it when the layout is not
// a list of schools) and checks what it gives.
func TestPublishedLayouts(t *testing.T) {
	read := func(name string) *fstest.MapFile {
		data, err := os.ReadFile(filepath.Join("testdata", "layouts", name))
		require.NoError(t, err)
		return &fstest.MapFile{Data: data}
	}
	// Oakwood's graded inspection of November 2024 in both 2024/25 layouts.
	oakwood2024 := partnership.Inspection{URN: 140001, Date: day("2024-11-05"), Judgements: []partnership.KeyJudgement{
		{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingGood},
		{Area: partnership.JudgementBehaviourAndAttitudes, Rating: partnership.RatingOutstanding},
		{Area: partnership.JudgementPersonalDevelopment, Rating: partnership.RatingGood},
		{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingGood},
		{Area: partnership.JudgementEarlyYears, Rating: partnership.RatingGood},
	}, Safeguarding: partnership.SafeguardingMet}
	// St Anne's graded inspection of October 2022, with the key
	// judgements published beside its overall rating.
	stAnnes2022 := partnership.Inspection{URN: 140002, Date: day("2022-10-05"), Overall: partnership.RatingOutstanding,
		Judgements: []partnership.KeyJudgement{
			{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingOutstanding},
			{Area: partnership.JudgementBehaviourAndAttitudes, Rating: partnership.RatingOutstanding},
			{Area: partnership.JudgementPersonalDevelopment, Rating: partnership.RatingOutstanding},
			{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingOutstanding},
			{Area: partnership.JudgementSixthForm, Rating: partnership.RatingOutstanding},
		}, Safeguarding: partnership.SafeguardingMet}
	type school struct {
		Name   string
		Pupils int
		FSM    float64
		Phase  partnership.Phase
	}
	tests := []struct {
		name        string
		files       []string
		layout      string
		encoding    england.Encoding
		schools     map[partnership.URN]school
		counts      [5]int // used, unmatched, ignored, skipped, duplicate of the layout's file
		insp        int
		keyOnly     int                      // rows read as key judgements without an overall rating
		reportCards int                      // rows read as report cards
		want        []partnership.Inspection // inspections that must be read exactly so
	}{{
		name: "GIAS edubasealldata", files: []string{"gias_edubasealldata.csv"},
		layout: england.LayoutEstablishments, encoding: england.EncodingWindows1252,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 421, 14.2, partnership.PhasePrimary},
			140002: {"St Anne’s Catholic High School", 1020, -1, partnership.PhaseSecondary},
		},
		counts: [5]int{2, 2, 0, 0, 0}, // the closed school and the children's centre are not schools of the data
	}, {
		name: "performance tables census 2024/25", files: []string{"england_census_2024-25.csv"},
		layout: england.LayoutPerformanceTable, encoding: england.EncodingUTF8,
		schools: map[partnership.URN]school{
			140001: {"URN 140001", 420, 15, partnership.PhaseUnknown},
			140002: {"URN 140002", 1000, -1, partnership.PhaseUnknown},
			100005: {"URN 100005", 0, -1, partnership.PhaseUnknown},
		},
		counts: [5]int{3, 0, 0, 0, 0},
	}, {
		name: "performance tables census named by GIAS", files: []string{"england_census_2024-25.csv", "gias_edubasealldata.csv"},
		layout: england.LayoutPerformanceTable, encoding: england.EncodingUTF8,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 420, 15, partnership.PhasePrimary},
			140002: {"St Anne’s Catholic High School", 1000, -1, partnership.PhaseSecondary},
			100005: {"URN 100005", 0, -1, partnership.PhaseUnknown},
		},
		counts: [5]int{3, 0, 0, 0, 0},
	}, {
		name: "school census, explore-education-statistics names", files: []string{"spc_school_level_ees.csv"},
		layout: england.LayoutSchoolCensus, encoding: england.EncodingUTF8,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 421, 14.9, partnership.PhasePrimary},
			140002: {"St Anne's Catholic High School", 1020, -1, partnership.PhaseSecondary},
		},
		counts: [5]int{2, 0, 0, 0, 0},
	}, {
		// The 2022/23 file as published: explore-education-statistics
		// names, then the old long names, with the FSM count beside the
		// percentage (checked against it) and the performance-tables
		// FSM columns (not read).
		name: "school census 2022/23 as published", files: []string{"spc_school_level_2022-23.csv"},
		layout: england.LayoutSchoolCensus, encoding: england.EncodingUTF8,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 421, 15, partnership.PhasePrimary},
			140002: {"St Anne's Catholic High School", 1020, -1, partnership.PhaseSecondary},
			140003: {"Beech Primary School", 400, 40.3, partnership.PhasePrimary},
		},
		counts: [5]int{3, 0, 0, 0, 0},
	}, {
		// Before explore-education-statistics (2017/18, 2018/19): the
		// names public code harmonising those years reads ("Phase-type
		// grouping", "School Name", "headcount of pupils", "% of pupils
		// known to be eligible for free school meals"), Windows-1252, CRLF,
		// "x" for a suppressed value.
		name: "school census before explore-education-statistics (2017/18)", files: []string{"spc_school_level_2017-18.csv"},
		layout: england.LayoutSchoolCensus, encoding: england.EncodingWindows1252,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 421, 15, partnership.PhasePrimary},
			140002: {"St Anne’s Catholic High School", 1020, -1, partnership.PhaseSecondary},
		},
		counts: [5]int{2, 0, 0, 0, 0},
	}, {
		name: "census saved by Excel as Unicode text", files: []string{"census_excel_unicode_text.txt"},
		layout: england.LayoutSchoolCensus, encoding: england.EncodingUTF16LE,
		schools: map[partnership.URN]school{
			140001: {"Oakwood Primary Academy", 421, 14.9, partnership.PhasePrimary},
			140002: {"St Anne’s Catholic High School", 1020, -1, partnership.PhaseSecondary},
		},
		counts: [5]int{2, 0, 0, 0, 0},
	}, {
		name: "Ofsted management information, OEIF (2019-2024)", files: []string{"ofsted_mi_oeif_2023.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 3,
		counts: [5]int{2, 0, 0, 0, 1}, // an identical row repeated
	}, {
		// Graded inspections from September 2024 have key judgements and
		// no overall effectiveness; none is derived.
		name: "Ofsted management information, current inspection (2024/25)", files: []string{"ofsted_mi_2024-25.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 4, keyOnly: 2,
		counts: [5]int{2, 0, 1, 0, 0}, // an ungraded inspection has no judgement
		want: []partnership.Inspection{oakwood2024, {URN: 140002, Date: day("2025-03-12"), Judgements: []partnership.KeyJudgement{
			{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingRequiresImprovement},
			{Area: partnership.JudgementBehaviourAndAttitudes, Rating: partnership.RatingGood},
			{Area: partnership.JudgementPersonalDevelopment, Rating: partnership.RatingGood},
			{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingRequiresImprovement},
			{Area: partnership.JudgementSixthForm, Rating: partnership.RatingRequiresImprovement},
		}, Safeguarding: partnership.SafeguardingNotMet},
			{URN: 140001, Date: day("2019-06-10"), Overall: partnership.RatingGood},
			{URN: 140002, Date: day("2016-01-14"), Overall: partnership.RatingGood}},
	}, {
		name: "Ofsted management information, latest OEIF (2024/25)", files: []string{"ofsted_mi_oeif_2024-25.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 4, keyOnly: 1,
		counts: [5]int{2, 0, 0, 0, 0},
		want:   []partnership.Inspection{oakwood2024, stAnnes2022},
	}, {
		// Graded inspections before September 2024: the overall rating
		// and the key judgements published beside it.
		name: "Ofsted management information, current inspection (2023/24)", files: []string{"ofsted_mi_2023-24.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 4,
		counts: [5]int{2, 0, 0, 0, 0},
		want: []partnership.Inspection{stAnnes2022, {URN: 140001, Date: day("2019-06-10"), Overall: partnership.RatingGood,
			Judgements: []partnership.KeyJudgement{
				{Area: partnership.JudgementQualityOfEducation, Rating: partnership.RatingGood},
				{Area: partnership.JudgementBehaviourAndAttitudes, Rating: partnership.RatingGood},
				{Area: partnership.JudgementPersonalDevelopment, Rating: partnership.RatingOutstanding},
				{Area: partnership.JudgementLeadershipAndManagement, Rating: partnership.RatingGood},
				{Area: partnership.JudgementEarlyYears, Rating: partnership.RatingGood},
			}, Safeguarding: partnership.SafeguardingMet},
			{URN: 140001, Date: day("2016-02-02"), Overall: partnership.RatingRequiresImprovement}},
	}, {
		// Report cards from November 2025: evaluation-area grades and
		// safeguarding met or not met; no overall rating.
		name: "Ofsted management information, report cards (2025/26)", files: []string{"ofsted_mi_report_cards_2025-26.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 4, reportCards: 2,
		counts: [5]int{2, 0, 1, 0, 0}, // the ungraded inspection has no grade
		want: []partnership.Inspection{{URN: 140001, Date: day("2025-11-18"), Areas: []partnership.AreaGrade{
			{Area: partnership.AreaInclusion, Grade: partnership.GradeStrongStandard},
			{Area: partnership.AreaCurriculumAndTeaching, Grade: partnership.GradeExpectedStandard},
			{Area: partnership.AreaAchievement, Grade: partnership.GradeExpectedStandard},
			{Area: partnership.AreaAttendanceAndBehaviour, Grade: partnership.GradeExceptional},
			{Area: partnership.AreaPersonalDevelopment, Grade: partnership.GradeStrongStandard},
			{Area: partnership.AreaLeadershipAndGovernance, Grade: partnership.GradeExpectedStandard},
			{Area: partnership.AreaEarlyYears, Grade: partnership.GradeNeedsAttention},
		}, Safeguarding: partnership.SafeguardingMet}, {URN: 140002, Date: day("2026-02-02"), Areas: []partnership.AreaGrade{
			{Area: partnership.AreaInclusion, Grade: partnership.GradeNeedsAttention},
			{Area: partnership.AreaCurriculumAndTeaching, Grade: partnership.GradeUrgentImprovement},
			{Area: partnership.AreaAchievement, Grade: partnership.GradeNeedsAttention},
			{Area: partnership.AreaAttendanceAndBehaviour, Grade: partnership.GradeExpectedStandard},
			{Area: partnership.AreaPersonalDevelopment, Grade: partnership.GradeExpectedStandard},
			{Area: partnership.AreaLeadershipAndGovernance, Grade: partnership.GradeNeedsAttention},
			{Area: partnership.AreaSixthForm, Grade: partnership.GradeExpectedStandard},
		}, Safeguarding: partnership.SafeguardingNotMet},
			{URN: 140001, Date: day("2019-06-10"), Overall: partnership.RatingGood},
			{URN: 140002, Date: day("2022-10-05"), Overall: partnership.RatingOutstanding}},
	}, {
		name: "Ofsted management information (2015-2019)", files: []string{"ofsted_mi_2018.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedMI, encoding: england.EncodingUTF8, insp: 3,
		counts: [5]int{2, 0, 0, 0, 0},
	}, {
		name: "an inspection history", files: []string{"ofsted_rating_history.csv", "spc_school_level_ees.csv"},
		layout: england.LayoutOfstedHistory, encoding: england.EncodingUTF8, insp: 2,
		counts: [5]int{2, 0, 0, 0, 1}, // "Satisfactory" and "Requires Improvement" on one day are one judgement
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = read(f)
			}
			r, err := england.LoadFS(context.Background(), fsys, nil)
			require.NoError(t, err)
			f := r.Files[indexOf(r.Files, tt.files[0])]
			assert.Equal(t, tt.layout, f.Layout)
			assert.Equal(t, tt.encoding, f.Encoding)
			assert.Equal(t, tt.counts, [5]int{f.Used, f.Unmatched, f.Ignored, f.Skipped, f.Duplicate}, "used, unmatched, ignored, skipped, duplicate")
			assert.Equal(t, f.Rows, f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate)
			if tt.schools != nil {
				got := map[partnership.URN]school{}
				for _, s := range r.Dataset.Schools {
					got[s.URN] = school{s.Name, s.Pupils.Or(0), s.FSMPercent.Or(-1), s.Phase} // 0 and -1 stand for unknown in the table
				}
				assert.Equal(t, tt.schools, got)
			}
			if tt.insp > 0 {
				assert.Len(t, r.Dataset.Inspections, tt.insp)
			}
			assert.Equal(t, tt.keyOnly, f.KeyJudgementsOnly, "rows read as key judgements only")
			assert.Equal(t, tt.reportCards, f.ReportCards, "rows read as report cards")
			for _, w := range tt.want {
				assert.Contains(t, r.Dataset.Inspections, w)
			}
			// Whatever the layout, the Service takes the result.
			require.NoError(t, partnership.NewService(partnership.NewMemoryStore(), nil).Import(context.Background(), &r.Dataset))
		})
	}
}

func indexOf(files []england.File, name string) int {
	for i, f := range files {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// TestRefusedFiles: a repeated header, an empty file and a binary file are
// refused with an error naming the file (and, for a repeated header, both
// columns); a lenient load lists them and goes on.
func TestRefusedFiles(t *testing.T) {
	census := "urn,school_name,phase_type_grouping\n100000,A,State-funded primary\n"
	for name, tt := range map[string]struct {
		data string
		want string
	}{
		"repeated header": {"URN,Rating,Inspection Date,urn\n100000,Good,20200101,100000\n",
			`x.csv:1:4: urn: repeated header name: columns 1 "URN" and 4 "urn" have the same name`},
		"empty":   {"", "x.csv: file is empty: no header row"},
		"binary":  {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.csv: not a CSV text file: a NUL byte at offset 8"},
		"garbage": {"\x00\x01\x02\x03", "x.csv"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"census.csv": {Data: []byte(census)}, "x.csv": {Data: []byte(tt.data)}}
			_, err := england.LoadFS(context.Background(), fsys, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
			require.NoError(t, err)
			require.Len(t, r.Skipped, 1)
			assert.Equal(t, "x.csv", r.Skipped[0].File)
			assert.Contains(t, r.Files[indexOf(r.Files, "x.csv")].Note, "refused")
		})
	}
}

// TestStatsOfPerformanceCensus: the performance tables census counts as a
// census in Stats; a school of unknown type is counted as unclassified,
// not as zero or as state-funded.
func TestStatsOfPerformanceCensus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "layouts", "england_census_2024-25.csv"))
	require.NoError(t, err)
	data = append(data, "100006,383,3002,,100,50,50,,,,,,,,,,,,,10,20,100,20.0%\n"...)
	r, err := england.LoadFS(context.Background(), fstest.MapFS{"c.csv": {Data: data}}, nil)
	require.NoError(t, err)
	st, err := r.Stats("")
	require.NoError(t, err)
	assert.Equal(t, 3, st.Schools, "two academies and a community school")
	assert.Equal(t, 1, st.Unclassified)
	assert.Equal(t, 3, st.ByPhase[partnership.PhaseUnknown], "no phase without GIAS")
}

// TestKeyJudgementErrors: a key judgement or safeguarding outcome that is
// not one of Ofsted's values, or a missing date, is an error naming file,
// line, column and field. A safeguarding outcome with no key judgement (an
// ungraded inspection's row) is counted as ignored, not read as a grade.
func TestKeyJudgementErrors(t *testing.T) {
	census, err := os.ReadFile(filepath.Join("testdata", "layouts", "spc_school_level_ees.csv"))
	require.NoError(t, err)
	head := "URN,Overall effectiveness,Inspection start date,Quality of education,Behaviour and attitudes,Safeguarding is effective?\n"
	for name, tt := range map[string]struct{ row, want string }{
		"rating":       {"140001,Not judged,05/11/2024,Great,2,Yes", `mi.csv:2:4: Quality of education: unknown rating "Great"`},
		"safeguarding": {"140001,NULL,05/11/2024,2,2,Maybe", `mi.csv:2:6: Safeguarding is effective?: unknown safeguarding outcome "Maybe"`},
		"date":         {"140001,,,2,2,Yes", "mi.csv:2:3: Inspection start date: value is required"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"census.csv": {Data: census}, "mi.csv": {Data: []byte(head + tt.row + "\n")}}
			_, err := england.LoadFS(context.Background(), fsys, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	fsys := fstest.MapFS{"census.csv": {Data: census}, "mi.csv": {Data: []byte(head + "140001,,05/11/2024,NULL,,No\n")}}
	r, err := england.LoadFS(context.Background(), fsys, nil)
	require.NoError(t, err)
	f := r.Files[indexOf(r.Files, "mi.csv")]
	assert.Equal(t, [3]int{1, 0, 0}, [3]int{f.Ignored, f.Used, f.KeyJudgementsOnly})
	assert.Empty(t, r.Dataset.Inspections)
}

// TestKeyJudgementDuplicates: the same inspection in two files is merged
// when its key judgements agree and refused, naming both, when they differ.
func TestKeyJudgementDuplicates(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "layouts", name))
		require.NoError(t, err)
		return data
	}
	census, mi := read("spc_school_level_ees.csv"), read("ofsted_mi_2024-25.csv")
	r, err := england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: census},
		"a.csv": {Data: mi}, "b.csv": {Data: mi}}, nil)
	require.NoError(t, err)
	assert.Len(t, r.Dataset.Inspections, 4)
	assert.Equal(t, 2, r.Files[indexOf(r.Files, "b.csv")].Duplicate)

	changed := strings.Replace(string(mi), "Not judged,NULL,2,1,2,2,Yes", "Not judged,NULL,3,1,2,2,Yes", 1)
	require.NotEqual(t, string(mi), changed)
	_, err = england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: census},
		"a.csv": {Data: mi}, "b.csv": {Data: []byte(changed)}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inspection of 140001 on 2024-11-05")
	assert.ErrorIs(t, err, partnership.ErrConflict, "a conflicting duplicate")
	assert.ErrorIs(t, err, partnership.ErrInvalid, "every row error Load returns is invalid input")
	var re *england.RowError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "b.csv", re.File)
	assert.Contains(t, err.Error(), "quality-of-education=good")
	assert.Contains(t, err.Error(), "quality-of-education=requires-improvement")
}

// TestReportCardErrors: a report-card grade, or safeguarding outcome, that
// is not one of Ofsted's values, safeguarding columns that disagree, and a
// grade in a column the loader does not read as an evaluation area (a
// renamed column) are errors naming file, line, column and field; never a
// grade dropped or read as zero. A header with grades but no column it
// knows is not an extract.
func TestReportCardErrors(t *testing.T) {
	census, err := os.ReadFile(filepath.Join("testdata", "layouts", "spc_school_level_ees.csv"))
	require.NoError(t, err)
	load := func(mi string) (*england.Result, error) {
		return england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: census}, "mi.csv": {Data: []byte(mi)}}, nil)
	}
	head := "URN,Inspection start date,Inclusion,Achievement grade,Safeguarding is effective?,Safeguarding\n"
	for name, tt := range map[string]struct{ row, want string }{
		"numeric grade":        {"140001,18/11/2025,2,,,Met", `mi.csv:2:3: Inclusion: unknown report-card grade "2"`},
		"old scale":            {"140001,18/11/2025,Good,,,Met", `mi.csv:2:3: Inclusion: unknown report-card grade "Good"`},
		"renamed column":       {"140001,18/11/2025,Exceptional,Strong standard,,Met", `mi.csv:2:4: Achievement grade: report-card grade "Strong standard" in a column Fulcrum does not read`},
		"safeguarding":         {"140001,18/11/2025,Exceptional,,,Partly", `mi.csv:2:6: Safeguarding: unknown safeguarding outcome "Partly"`},
		"safeguarding differs": {"140001,18/11/2025,Exceptional,,Yes,Not met", `mi.csv:2:6: Safeguarding: safeguarding outcome "Not met" disagrees with met`},
		"no date":              {"140001,,Exceptional,,,Met", "mi.csv:2:2: Inspection start date: value is required"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := load(head + tt.row + "\n")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	// A report card without the older columns is read.
	r, err := load("URN,Inspection start date,Inclusion,Leadership and governance,Safeguarding\n140001,18/11/2025,Exceptional,Expected standard,Met\n")
	require.NoError(t, err)
	require.Len(t, r.Dataset.Inspections, 1)
	assert.Equal(t, partnership.Inspection{URN: 140001, Date: day("2025-11-18"), Areas: []partnership.AreaGrade{
		{Area: partnership.AreaInclusion, Grade: partnership.GradeExceptional},
		{Area: partnership.AreaLeadershipAndGovernance, Grade: partnership.GradeExpectedStandard},
	}, Safeguarding: partnership.SafeguardingMet}, r.Dataset.Inspections[0])

	// A renamed area column whose values are not grade words: read as
	// nothing, with a warning naming the column.
	r, err = load("URN,Inspection start date,Inclusion,Achievement grade\n140001,18/11/2025,Exceptional,3\n")
	require.NoError(t, err)
	assert.Contains(t, r.Warnings.Error(), `mi.csv:1:4: Achievement grade: column not read: its name contains "achievement"`)

	// Grades only under names the loader does not know: not an extract.
	_, err = load("URN,Inspection start date,Inclusion grade\n140001,18/11/2025,Exceptional\n")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mi.csv")
	assert.Contains(t, err.Error(), "not an extract")
}

// TestInspectionRecordsMerge: one graded inspection listed with its overall
// rating alone in one extract and with its key judgements too in another is
// one inspection with both, the second row counted as a duplicate; one that
// differs is refused naming both places.
func TestInspectionRecordsMerge(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "layouts", name))
		require.NoError(t, err)
		return data
	}
	census, full, overall := read("spc_school_level_ees.csv"), read("ofsted_mi_2023-24.csv"), read("ofsted_mi_oeif_2023.csv")
	r, err := england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: census},
		"a.csv": {Data: overall}, "b.csv": {Data: full}}, nil)
	require.NoError(t, err)
	var got partnership.Inspection
	for _, in := range r.Dataset.Inspections {
		if in.URN == 140002 && in.Date.Equal(day("2022-10-05")) {
			got = in
		}
	}
	assert.Equal(t, partnership.RatingOutstanding, got.Overall)
	assert.Len(t, got.Judgements, 5, "the key judgements of the fuller record")
	assert.Equal(t, partnership.SafeguardingMet, got.Safeguarding)
	assert.Equal(t, 1, r.Files[indexOf(r.Files, "b.csv")].Duplicate)

	changed := strings.Replace(string(overall), "1,05/10/2022", "2,05/10/2022", 2)
	require.NotEqual(t, string(overall), changed)
	_, err = england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: census},
		"a.csv": {Data: []byte(changed)}, "b.csv": {Data: full}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inspection of 140002 on 2022-10-05")
}

// TestGroupsUIDLayout: the GIAS groups and group links in the layout DfE's
// own historical GIAS reader maps (groups "UID", "Group Name", "Group
// Type", "Status", "Closed Date"; links "URN", "Linked UID", "Group Type")
// give the same trusts as the Downloads layout.
func TestGroupsUIDLayout(t *testing.T) {
	read := func(name string) *fstest.MapFile {
		data, err := os.ReadFile(filepath.Join("testdata", "layouts", name))
		require.NoError(t, err)
		return &fstest.MapFile{Data: data}
	}
	fsys := fstest.MapFS{"census.csv": read("spc_school_level_ees.csv"), "groups.csv": read("gias_groups_uid.csv"),
		"links.csv": read("gias_grouplinks_linked_uid.csv")}
	r, err := england.LoadFS(context.Background(), fsys, nil)
	require.NoError(t, err)
	require.NoError(t, r.Require(england.KindGroupLinks))
	groups, links := r.Files[indexOf(r.Files, "groups.csv")], r.Files[indexOf(r.Files, "links.csv")]
	assert.Equal(t, england.LayoutGroupsUID, groups.Layout)
	assert.Equal(t, england.LayoutGroupLinksUID, links.Layout)
	assert.Equal(t, [5]int{2, 1, 0, 0, 0}, [5]int{links.Used, links.Unmatched, links.Ignored, links.Skipped, links.Duplicate},
		"the federation's school is not in the census")
	st, err := r.Stats("")
	require.NoError(t, err)
	assert.Equal(t, 1, st.Trusts)
	assert.Equal(t, 2, st.SchoolsInTrust)
	require.NotEmpty(t, st.LargestTrusts)
	assert.Equal(t, "Academy Learning Trust", st.LargestTrusts[0].Name)
}

// TestMissingMeasureColumns: a census whose pupil or FSM column is absent
// (renamed) loads, with a warning naming the file and the column, so that
// its unknown counts are not silent.
func TestMissingMeasureColumns(t *testing.T) {
	csv := "urn,school_name,phase_type_grouping,pupils_on_roll\n140001,Oakwood,State-funded primary,421\n"
	r, err := england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: []byte(csv)}}, nil)
	require.NoError(t, err)
	w := r.Warnings.Error()
	assert.Contains(t, w, `census.csv:1: no "headcount of pupils" column`)
	assert.Contains(t, w, "pupil count is unknown")
	assert.Contains(t, w, `no "% of pupils known to be eligible for free school meals" column`)
	n, known := r.Dataset.Schools[0].PupilCount()
	assert.False(t, known, "unknown, not zero: %d", n)
}
