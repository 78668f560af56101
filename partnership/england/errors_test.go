package england_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

const (
	censusHeader = "urn,school_name,phase_type_grouping,typeofestablishment_name,old_la_code,la_name," +
		"headcount of pupils,% of pupils known to be eligible for free school meals,opendate\n"
	groupsHeader = "Group UID,Group ID,Group Name,Group Type (code),Group Type,Closed Date,Open date,Group Status\n"
	linksHeader  = ",URN,Group UID,Group Name,Group Type,Group Status,Joined date,LA (code),LA (name)\n"
)

// TestLoadErrors checks that each bad row is reported with its file, line
// and column, all in one pass, and that Lenient skips exactly those rows.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // every error, in order
		used  int      // rows loaded under Lenient, over all files
	}{{
		name: "census values",
		files: map[string]string{"c.csv": censusHeader +
			"100000,A,State-funded primary,Community school,383,Leeds,1e+02,12.5,01/09/2013\n" +
			"abc,B,State-funded primary,Community school,383,Leeds,100,12,\n" +
			"100002,C,,Community school,383,Leeds,-3,120,31/02/2020\n" +
			"100003,D,State-funded primary,Community school,38x,Leeds,z,x,\n" +
			"100000,E,State-funded primary,Community school,383,Leeds,1,1,\n"},
		want: []string{
			`c.csv:3:1: urn: URN "abc" is not a whole positive number`,
			`c.csv:4:3: phase_type_grouping: value is required`,
			`c.csv:4:7: headcount of pupils: count "-3" is negative`,
			`c.csv:4:8: % of pupils known to be eligible for free school meals: percentage "120" is not between 0 and 100`,
			`c.csv:4:9: opendate: date "31/02/2020" does not exist`,
			`c.csv:5:5: old_la_code: "38x" is not a number`,
			`c.csv:6: school 100000 appears twice with different values (first at line 2): conflict`,
		},
		used: 1,
	}, {
		name: "groups and links",
		files: map[string]string{
			"g.csv": groupsHeader +
				"10,TR1,Trust One,06,Multi-academy trust,,2012-09-01,Open\n" +
				"x,TR2,Trust Two,06,Multi-academy trust,,2012-09-01,Open\n" +
				"12,TR3,Trust Three,6,Multi-academy trust,,2020-13-01,Open\n" +
				"10,TR1,Trust One again,06,Multi-academy trust,,2012-09-01,Open\n",
			"l.csv": linksHeader +
				"0,100000,10,Trust One,Multi-academy trust,Open,2013-09-01,383,Leeds\n" +
				"1,,10,Trust One,Multi-academy trust,Open,yesterday,383,Leeds\n" +
				"2,100000,10,Trust One,Multi-academy trust,Open,2014-09-01,383,Leeds\n",
			"c.csv": censusHeader + "100000,A,State-funded primary,Academy converter,383,Leeds,100,12.5,\n",
		},
		want: []string{
			`g.csv:3:1: Group UID: "x" is not a code`,
			`g.csv:4:7: Open date: date "2020-13-01" does not exist`,
			`g.csv:5: group UID 10 appears twice with different values (first at line 2): conflict`,
			`l.csv:3:2: URN: value is required`,
			`l.csv:3:7: Joined date: date "yesterday" is not YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or YYYYMMDD`,
			`l.csv:4: membership of URN 100000 in group 10 appears twice with different values (first at line 2): conflict`,
		},
		used: 1 + 1 + 1,
	}, {
		name: "inspections, coordinates and links",
		files: map[string]string{
			"o.csv": "URN,Rating,Inspection Date\n100000,Good,20130418\n100000,Great,20130418\n100000,Good,\n100000,,\n",
			"x.csv": "URN,LAT,LON\n100000,95,1\n100001,53,\n100002,53.1,-1.5\n100002,53.2,-1.5\n100002,53.1,-1.5\n",
			"p.csv": "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n100000,0,A,Predecessor,\n",
			"c.csv": censusHeader + "100002,A,State-funded primary,Academy converter,383,Leeds,100,12.5,\n",
		},
		want: []string{
			`o.csv:3:2: Rating: unknown rating "Great"`,
			`o.csv:4:3: Inspection Date: value is required`,
			`p.csv:2:2: LinkURN: URN "0" is not positive`,
			`x.csv:2:2: LAT: latitude "95" is not between -90 and 90`,
			`x.csv:3:3: LON: value is required: latitude and longitude come together`,
			`x.csv:5: URN 100002 appears twice with different values (first at line 4): conflict`,
		},
		used: 1 + 1,
	}, {
		name: "CSV syntax",
		files: map[string]string{
			"o.csv": "URN,Rating,Inspection Date\n100000,Good,20130418\n100000,Go\"od,20130418\n100000,Good\n" +
				"100000,Good,20130418,extra\n100000,Good,20140418\n",
			"c.csv": censusHeader + "100000,A,State-funded primary,Academy converter,383,Leeds,100,12.5,\n",
		},
		want: []string{
			`o.csv:3: CSV syntax error: bare " in non-quoted-field (line 3, byte 10)`,
			`o.csv:4:3: Inspection Date: value is required`, // a short row: its missing fields are empty
			`o.csv:5: wrong number of fields: the row has 4, the header 3`,
		},
		used: 1 + 2,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, s := range tt.files {
				fsys[n] = &fstest.MapFile{Data: []byte(s)}
			}
			_, err := england.LoadFS(context.Background(), fsys, nil)
			require.Error(t, err)
			var list england.ErrorList
			require.True(t, errors.As(err, &list), "%T", err)
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			var re *england.RowError
			require.True(t, errors.As(err, &re))
			assert.ErrorIs(t, err, partnership.ErrInvalid)

			r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
			require.NoError(t, err)
			assert.Equal(t, list, r.Skipped)
			used, skipped := 0, 0
			for _, f := range r.Files {
				used += f.Used
				skipped += f.Skipped
				assert.Equal(t, f.Rows, f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate, f.Name)
			}
			assert.Equal(t, tt.used, used)
			assert.NotZero(t, skipped)
			_, err = r.Model()
			require.NoError(t, err)
		})
	}
}

func TestErrorListMessage(t *testing.T) {
	var l england.ErrorList
	require.NoError(t, l.Err())
	for i := range 12 {
		l = append(l, &england.RowError{File: "f.csv", Line: 12 - i, Column: 2, Field: "URN", Err: errors.New("bad")})
	}
	l.Sort()
	assert.Equal(t, 1, l[0].Line)
	msg := l.Err().Error()
	assert.True(t, strings.HasPrefix(msg, "12 errors:\n\tf.csv:1:2: URN: bad\n"), msg)
	assert.Contains(t, msg, "(and 2 more)")
	dup := &england.RowError{File: "f.csv", Line: 3, Err: partnership.ErrConflict}
	assert.ErrorIs(t, dup, partnership.ErrConflict)
	assert.Equal(t, "f.csv:3: conflict", dup.Error())
	// RowError is the CSV layer's positioned error: one type in the module.
	var ce *csvx.Error = dup
	assert.Equal(t, 3, ce.Line)
}

func TestLoadDirectories(t *testing.T) {
	ctx := context.Background()
	_, err := england.Load(ctx, filepath.Join(t.TempDir(), "missing"), nil)
	assert.ErrorIs(t, err, os.ErrNotExist)

	empty := t.TempDir()
	_, err = england.Load(ctx, empty, nil)
	assert.ErrorContains(t, err, "holds no files")
	assert.ErrorContains(t, err, "no schools: a load needs a list of schools, which comes from the school census")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# notes\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "empty.csv"), nil, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hidden.csv"), []byte("URN,Rating,Inspection Date\nx,y,z\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "o.csv"), []byte("URN,Rating,Inspection Date\n1,Good,20200101\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.csv"), []byte(censusHeader+"100000,A,State-funded primary,Community school,383,Leeds,100,12.5,\n"), 0o644))
	_, err = england.Load(ctx, dir, nil)
	assert.EqualError(t, err, "empty.csv: file is empty: no header row", "every file is used or refused")
	r, err := england.Load(ctx, dir, &england.Options{Lenient: true})
	require.NoError(t, err)
	var notes []string
	for _, f := range r.Files {
		notes = append(notes, f.Name+": "+f.Kind.String()+" "+f.Note)
	}
	assert.Equal(t, []string{"c.csv: school-census ", "empty.csv: unrecognised refused: file is empty: no header row",
		"notes.md: unrecognised documentation: not read", "o.csv: inspections "}, notes)
	assert.Empty(t, r.Dataset.Inspections, "URN 1 is no school")
	require.Len(t, r.Skipped, 1, "the refused file is listed with the skipped rows")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = england.Load(cancelled, dir, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestCutShortFileRefusedWhole: a file whose reading stopped early (here a
// record over the 1 MiB limit) is refused as a whole, even under Lenient:
// none of the rows read before the cut is used, and the file's rows all
// count as skipped.
func TestCutShortFileRefusedWhole(t *testing.T) {
	census := censusHeader + "100000,A,State-funded primary,Community school,383,Leeds,100,12.5,\n" +
		"100001,B,State-funded primary,Community school,383,Leeds,100,12.5,\n"
	insp := "URN,Rating,Inspection Date\n100000,Good,20200101\n100001,Good," + strings.Repeat("x", 2<<20) + "\n100001,Good,20200101\n"
	fsys := fstest.MapFS{"c.csv": {Data: []byte(census)}, "o.csv": {Data: []byte(insp)}}
	_, err := england.LoadFS(context.Background(), fsys, nil)
	require.ErrorIs(t, err, csvx.ErrRecordTooLong)
	assert.ErrorContains(t, err, "o.csv:3: record too long")

	r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
	require.NoError(t, err)
	assert.Empty(t, r.Dataset.Inspections, "no row of a cut-short file is used")
	f := r.Files[indexOf(r.Files, "o.csv")]
	assert.Equal(t, f.Rows, f.Skipped, "%+v", f)
	assert.Zero(t, f.Used)
	assert.Contains(t, f.Note, "refused: record too long")
	require.Len(t, r.Skipped, 1)
}

// TestCoordinatesOutsideEngland: a point outside England's bounding box is
// an error naming file, line, column and field: (0, 0), swapped columns
// (said so), a point abroad; one half blank is an error, never the equator.
func TestCoordinatesOutsideEngland(t *testing.T) {
	census := censusHeader + "100000,A,State-funded primary,Community school,383,Leeds,100,12.5,\n"
	coords := "URN,LAT,LON\n" +
		"100000,53.8,-1.55\n" + // Leeds: used
		"100000,-1.55,53.8\n" + // swapped
		"100000,0,0\n" +
		"100000,57.15,-2.1\n" + // Aberdeen
		"100000,53.8,8.5\n" + // the North Sea coast of Germany
		"100000,,-1.71\n" +
		"100000,,\n" // unknown: ignored
	fsys := fstest.MapFS{"c.csv": {Data: []byte(census)}, "xy.csv": {Data: []byte(coords)}}
	_, err := england.LoadFS(context.Background(), fsys, nil)
	require.Error(t, err)
	var list england.ErrorList
	require.True(t, errors.As(err, &list), "%T", err)
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	box := " lies outside England (latitude 49.8 to 55.9, longitude -6.5 to 1.8)"
	want := []string{
		"xy.csv:3:2: LAT: latitude -1.55, longitude 53.8" + box + ": latitude and longitude look swapped",
		"xy.csv:4:2: LAT: latitude 0, longitude 0" + box + ": leave both blank when the location is unknown",
		"xy.csv:5:2: LAT: latitude 57.15, longitude -2.1" + box,
		"xy.csv:6:3: LON: latitude 53.8, longitude 8.5" + box,
		"xy.csv:7:2: LAT: value is required: latitude and longitude come together",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
	require.NoError(t, err)
	assert.Equal(t, partnership.Location{Lat: 53.8, Lon: -1.55}, r.Dataset.Schools[0].Location)
	f := r.Files[indexOf(r.Files, "xy.csv")]
	assert.Equal(t, []int{1, 5, 1}, []int{f.Used, f.Skipped, f.Ignored})
}

// TestCensusColumnsAsAWhole: a census FSM column of fractions (0.092 for
// 9.2%) is refused, column named, even under Lenient (every school's FSM is
// then unknown); a column blank in every row is a warning like a missing
// one; and warnings about a file or column as a whole come first, before
// any row's.
func TestCensusColumnsAsAWhole(t *testing.T) {
	var fractions, blank strings.Builder
	fractions.WriteString(censusHeader)
	blank.WriteString(censusHeader)
	for i := range 12 {
		fmt.Fprintf(&fractions, "%d,S,State-funded primary,Community school,383,Leeds,100,0.%02d,\n", 100000+i, 5+i)
		fmt.Fprintf(&blank, "%d,S,State-funded primary,Community school,383,Leeds,,z,\n", 100000+i)
	}
	fsys := fstest.MapFS{"c.csv": {Data: []byte(fractions.String())}}
	_, err := england.LoadFS(context.Background(), fsys, nil)
	require.Error(t, err)
	assert.ErrorContains(t, err, "c.csv:1:8: % of pupils known to be eligible for free school meals: every one of its 12 values is between 0 and 1: fractions where percentages (0-100) are expected")
	r, err := england.LoadFS(context.Background(), fsys, &england.Options{Lenient: true})
	require.NoError(t, err)
	require.Len(t, r.Dataset.Schools, 12)
	for _, s := range r.Dataset.Schools {
		assert.False(t, s.FSMPercent.IsKnown(), "refused, so unknown")
	}
	require.Len(t, r.Skipped, 1)

	// A percentage column with some values above 1 is percentages.
	fsys["c.csv"] = &fstest.MapFile{Data: []byte(fractions.String() + "100099,S,State-funded primary,Community school,383,Leeds,100,1.5,\n")}
	_, err = england.LoadFS(context.Background(), fsys, nil)
	require.NoError(t, err)

	// Blank or suppressed in every row; a groups file, sorting earlier,
	// with a row warning.
	fsys = fstest.MapFS{"z.csv": {Data: []byte(blank.String())},
		"a.csv": {Data: []byte(groupsHeader + "10,TR1,Trust One,06,Multi-academy trust,2011-09-01,2012-09-01,Closed\n")}}
	r, err = england.LoadFS(context.Background(), fsys, nil)
	require.NoError(t, err)
	var got []string
	for _, w := range r.Warnings {
		got = append(got, w.Error())
	}
	require.Len(t, got, 3, "%q", got)
	assert.Equal(t, "z.csv:1:7: headcount of pupils: no value in any of the 12 rows: every school's pupil count is unknown", got[0])
	assert.Equal(t, "z.csv:1:8: % of pupils known to be eligible for free school meals: no value in any of the 12 rows: every school's FSM percentage is unknown", got[1])
	assert.Contains(t, got[2], "a.csv:2:")
}
