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

// eesMiddleCensus is the school-level census in the
// explore-education-statistics names, with the middle_school and
// all_through_school columns the published file has (2022/23 onwards).
const eesMiddleCensus = "urn,school_name,phase_type_grouping,typeofestablishment_name,middle_school,all_through_school,old_la_code,la_name,headcount of pupils,% of pupils known to be eligible for free school meals\n" +
	"140011,Ashby Middle School,State-funded primary,Community school,Middle deemed primary,,383,Leeds,300,10.0\n" +
	"140012,Beacon Middle School,State-funded secondary,Academy converter,Middle deemed secondary,,383,Leeds,600,12.5\n" +
	"140013,Castle Primary School,State-funded primary,Community school,,,383,Leeds,200,8.0\n"

// TestMiddleSchoolDeemedPhase: a middle school keeps the phase it is
// deemed, from the census's middle_school column, from GIAS's phase of
// education, and from GIAS when it completes a census that has no phase;
// a deemed phase that is neither primary nor secondary is refused,
// positioned.
func TestMiddleSchoolDeemedPhase(t *testing.T) {
	gias, err := os.ReadFile(filepath.Join("testdata", "layouts", "gias_edubasealldata.csv"))
	require.NoError(t, err)
	giasMiddle := string(gias) +
		"140021,383,Leeds,2021,Dale Middle School,1,Community school,4,Local authority maintained schools,1,Open,,,5,Middle deemed primary,320,9.5,,,A1,Urban major conurbation,D,Yorkshire and the Humber,LS6 6FF\r\n" +
		"140022,383,Leeds,4022,Elm Middle School,28,Academy converter,10,Academies,1,Open,,,6,Middle deemed secondary,640,11.0,,,A1,Urban major conurbation,D,Yorkshire and the Humber,LS7 7GG\r\n"
	perfCensus := "URN,LA,ESTAB,SCHOOLTYPE,NOR,NUMFSM\n140021,383,2021,Community school,320,30\n140022,383,4022,Academy converter,640,70\n"
	type phases struct{ Phase, Deemed partnership.Phase }
	middle := func(d partnership.Phase) phases { return phases{partnership.PhaseMiddle, d} }
	tests := []struct {
		name  string
		files map[string]string
		want  map[partnership.URN]phases
	}{
		{"school census middle_school", map[string]string{"census.csv": eesMiddleCensus}, map[partnership.URN]phases{
			140011: middle(partnership.PhasePrimary), 140012: middle(partnership.PhaseSecondary),
			140013: {partnership.PhasePrimary, partnership.PhaseUnknown}}},
		{"GIAS phase of education", map[string]string{"edubasealldata.csv": giasMiddle}, map[partnership.URN]phases{
			140021: middle(partnership.PhasePrimary), 140022: middle(partnership.PhaseSecondary)}},
		{"performance tables census completed by GIAS", map[string]string{"england_census.csv": perfCensus, "edubasealldata.csv": giasMiddle},
			map[partnership.URN]phases{140021: middle(partnership.PhasePrimary), 140022: middle(partnership.PhaseSecondary)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			r, err := england.LoadFS(context.Background(), fsys, nil)
			require.NoError(t, err)
			for _, s := range r.Dataset.Schools {
				if want, ok := tt.want[s.URN]; ok {
					assert.Equal(t, want, phases{s.Phase, s.DeemedPhase}, "URN %d", s.URN)
					delete(tt.want, s.URN)
				}
			}
			assert.Empty(t, tt.want, "schools not loaded")
			require.NoError(t, partnership.NewService(partnership.NewMemoryStore(), nil).Import(context.Background(), &r.Dataset))
		})
	}

	t.Run("refused", func(t *testing.T) {
		bad := strings.Replace(eesMiddleCensus, "Middle deemed secondary", "Middle deemed tertiary", 1)
		_, err := england.LoadFS(context.Background(), fstest.MapFS{"census.csv": {Data: []byte(bad)}}, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "census.csv:3:5: middle_school")
		assert.Contains(t, err.Error(), `"Middle deemed tertiary" is not a middle school's phase`)
		badGIAS := strings.Replace(giasMiddle, "Middle deemed primary", "Middle deemed nursery", 1)
		_, err = england.LoadFS(context.Background(), fstest.MapFS{"edubasealldata.csv": {Data: []byte(badGIAS)}}, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "PhaseOfEducation (name)")
		assert.Contains(t, err.Error(), `"Middle deemed nursery" is not a middle school's phase`)
	})
}
