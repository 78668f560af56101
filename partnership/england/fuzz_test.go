package england_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// fuzzCensus gives the fuzzed files schools to match.
const fuzzCensus = censusHeader +
	"100000,A,State-funded primary,Community school,383,Leeds,100,12.5,\n" +
	"100001,B,State-funded secondary,Academy converter,383,Leeds,1e+03,z,01/09/2013\n"

// checkLoad loads fsys strictly and leniently and checks what may never
// happen whatever the input: a panic, an error that does not name its row,
// counts that do not add up, or a dataset the model refuses.
func checkLoad(t *testing.T, fsys fstest.MapFS) {
	ctx := context.Background()
	_, err := england.LoadFS(ctx, fsys, nil)
	var list england.ErrorList
	if err != nil && errors.As(err, &list) {
		for _, e := range list {
			if (e.Line < 1 && e.Column != 0) || e.File == "" || e.Err == nil {
				t.Fatalf("row error without a position: %#v", e)
			}
			if _, ok := fsys[e.File]; !ok {
				t.Fatalf("row error names unknown file %q", e.File)
			}
		}
	}
	r, err := england.LoadFS(ctx, fsys, &england.Options{Lenient: true})
	if err != nil {
		if strings.Contains(err.Error(), "no schools") {
			return
		}
		t.Fatalf("lenient load failed: %v", err)
	}
	for _, f := range r.Files {
		if f.Kind != england.KindUnrecognised && f.Rows != f.Used+f.Unmatched+f.Ignored+f.Skipped+f.Duplicate {
			t.Fatalf("%s: rows %d != used %d + unmatched %d + ignored %d + skipped %d + duplicate %d",
				f.Name, f.Rows, f.Used, f.Unmatched, f.Ignored, f.Skipped, f.Duplicate)
		}
		if f.KeyJudgementsOnly < 0 || f.KeyJudgementsOnly > f.Rows {
			t.Fatalf("%s: %d rows read as key judgements of %d", f.Name, f.KeyJudgementsOnly, f.Rows)
		}
		if f.ReportCards < 0 || f.ReportCards > f.Rows {
			t.Fatalf("%s: %d rows read as report cards of %d", f.Name, f.ReportCards, f.Rows)
		}
		if f.Skipped < 0 {
			t.Fatalf("%s: negative skipped count", f.Name)
		}
	}
	for _, in := range r.Dataset.Inspections {
		if in.Overall == partnership.RatingNone && len(in.Judgements) == 0 && len(in.Areas) == 0 {
			t.Fatalf("inspection with nothing: %+v", in)
		}
		for i := 1; i < len(in.Judgements); i++ {
			if in.Judgements[i-1].Area >= in.Judgements[i].Area {
				t.Fatalf("judgements not one per area in order: %+v", in)
			}
		}
		for i := 1; i < len(in.Areas); i++ {
			if in.Areas[i-1].Area >= in.Areas[i].Area {
				t.Fatalf("areas not one per area in order: %+v", in)
			}
		}
	}
	for i := range r.Dataset.Schools {
		if err := partnership.ValidateSchool(&r.Dataset.Schools[i]); err != nil && r.Dataset.Schools[i].DeemedPhase != partnership.PhaseUnknown {
			t.Fatalf("school with a deemed phase the service refuses: %v: %+v", err, r.Dataset.Schools[i])
		}
	}
	if _, err := r.Model(); err != nil {
		t.Fatalf("model refuses the dataset: %v", err)
	}
	if _, err := r.Stats(""); err != nil {
		t.Fatalf("stats: %v", err)
	}
}

// fuzzBody fuzzes the rows of one kind of extract under a fixed header,
// beside a census.
func fuzzBody(f *testing.F, header string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fsys := fstest.MapFS{"census.csv": {Data: []byte(fuzzCensus)}}
		fsys["x.csv"] = &fstest.MapFile{Data: append([]byte(header), body...)}
		checkLoad(t, fsys)
	})
}

func FuzzGroups(f *testing.F) {
	fuzzBody(f, groupsHeader,
		"10,TR1,Trust One,06,Multi-academy trust,,2012-09-01,Open\n",
		"1001,,Fed,01,Federation,31-08-2015,06-07-2009,Closed\n12,,X,99,Odd,2015-08-31,2015-08-31,Weird\n",
		"\"10\",\"a\"\"b\",\"multi\nline\",6,,,,\n10,TR1,dup,6,,,,\n")
}

func FuzzGroupLinks(f *testing.F) {
	fuzzBody(f, linksHeader,
		"0,100000,10,Trust One,Multi-academy trust,Open,2013-09-01,383,Leeds\n",
		"1,100001,11,Fed,Federation,Closed,1900-01-01,383,Leeds\n2,1e+05,11,Fed,Federation,Closed,01-09-2010,0383,Leeds\n",
		"3,100001,12,\xe9t\x96,Children's Centres Group,Open,,,\n")
}

func FuzzLinks(f *testing.F) {
	fuzzBody(f, "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n",
		"100000,107000,Old,Predecessor,01-09-2013\n107000,100000,New,Successor,\n",
		"100000,100001,X,Predecessor - merged,2020-01-01\n100001,100000,Y,Predecessor,2020-01-01\n100000,100000,Z,Successor,\n")
}

func FuzzCensus(f *testing.F) {
	for _, s := range []string{
		"100002,C,State-funded nursery,Local authority nursery school,383,Leeds,50,x,\n",
		"1e+05,Dup,Independent school,Other independent school,201,City of London,2.5e+02,z,02/05/1991\n",
		"100003,\"FIERT\xc9\",State-funded AP school,Pupil referral unit,383,Leeds,c,u,\n",
		"100004,M,Middle deemed primary,Community school,383,Leeds,300,10,\n100005,N,middle  DEEMED secondary,Academy converter,383,Leeds,600,9,\n",
		"100006,O,Middle deemed tertiary,Community school,383,Leeds,300,10,\n100007,P,Middle school,Community school,383,Leeds,300,10,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkLoad(t, fstest.MapFS{"census.csv": {Data: append([]byte(censusHeader), body...)}})
	})
}

func FuzzPerformanceCensus(f *testing.F) {
	header := "URN,LA,ESTAB,SCHOOLTYPE,NOR,NORG,NORB,NUMFSM,NUMFSMEVER,NORFSMEVER,PNUMFSMEVER\n"
	for _, s := range []string{
		"140001,383,2001,Academy converter,420,210,210,63,90,420,21.4%\n",
		"140002,383,4001,Academy converter,1000,500,500,SUPP,300,1000,30.0%\n100005,383,3001,Community school,NA,NA,NA,NA,NA,NA,NA\n",
		"140003,383,4002,Academy converter,10,5,5,11,,,\n140001,383,2001,Academy converter,420,210,210,63,90,420,21.4%\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkLoad(t, fstest.MapFS{"england_census.csv": {Data: append([]byte(header), body...)}})
	})
}

func FuzzEstablishments(f *testing.F) {
	header := "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentTypeGroup (name)," +
		"EstablishmentStatus (name),OpenDate,CloseDate,PhaseOfEducation (name),NumberOfPupils,PercentageFSM\n"
	for _, s := range []string{
		"140001,383,Leeds,Oakwood,Academy converter,Academies,Open,01-09-2013,,Primary,421,14.2\n",
		"107000,383,Leeds,Old,Community school,Local authority maintained schools,Closed,,31-08-2013,Primary,,\n",
		"20001,383,Leeds,Centre,Children's centre,Children's centres,Open,,,Not applicable,SUPP,x\n140001,383,Leeds,Oakwood,Academy converter,Academies,Open,01-09-2013,,Primary,421,14.3\n",
		"140021,383,Leeds,Dale,Community school,Local authority maintained schools,Open,,,Middle deemed primary,320,9.5\n140022,383,Leeds,Elm,Academy converter,Academies,Open,,,Middle deemed sixth form,640,11\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkLoad(t, fstest.MapFS{"edubasealldata.csv": {Data: append([]byte(header), body...)}})
	})
}

func FuzzInspections(f *testing.F) {
	fuzzBody(f, "URN,Rating,Inspection Date,Overall effectiveness,Inspection start date\n",
		"100000,Good,20130418,,\n100001,Satisfactory,20080926,2,12/03/2019\n",
		"107000,,,NULL,\n100000,Outstanding,2013-04-18,1,2013-04-18\n")
}

// FuzzKeyJudgements fuzzes rows of Ofsted's management information with
// the key-judgement columns of graded inspections from September 2024.
func FuzzKeyJudgements(f *testing.F) {
	fuzzBody(f, "URN,Overall effectiveness,Inspection start date,Quality of education,Behaviour and attitudes,"+
		"Personal development,Effectiveness of leadership and management,Safeguarding is effective?,"+
		"Sixth form provision (where applicable),Latest OEIF overall effectiveness,"+
		"Inspection start date of latest OEIF graded inspection,Latest OEIF quality of education\n",
		"100000,Not judged,05/11/2024,2,1,2,2,Yes,NULL,,,\n100001,NULL,12/03/2025,3,2,2,3,No,3,1,05/10/2022,1\n",
		"100000,,,,,,,No,,,05/11/2024,2\n100001,2,05/11/2024,Great,,,,Maybe,,,,\n")
}

// FuzzReportCards fuzzes rows of Ofsted's management information with
// report-card columns beside the key judgements.
func FuzzReportCards(f *testing.F) {
	fuzzBody(f, "URN,Inspection start date,Overall effectiveness,Quality of education,Safeguarding is effective?,"+
		"Inclusion,Curriculum and teaching,Post-16 provision,Safeguarding,Achievement grade,"+
		"Previous inspection start date,Previous graded inspection overall effectiveness\n",
		"100000,18/11/2025,NULL,NULL,NULL,Exceptional,Strong standard,,Met,,10/06/2019,2\n"+
			"100001,05/10/2022,1,1,Yes,,,,,,05/10/2022,1\n",
		"100000,18/11/2025,,,Yes,2,Good,Needs attention,Not met,Urgent improvement,,\n100001,,,,,,,,Partly,,,\n")
}

func FuzzCoordinates(f *testing.F) {
	fuzzBody(f, "URN,SCHNAME,POSTCODE,ISPRIMARY,ISSECONDARY,LAT,LON\n",
		"100000,The Aldgate School,EC3A 5DE,1,0,51.513664,-0.07746\n100001,X,,0,1,,\n",
		"100000,Dup,,,,0,0\n100001,Y,,,,-91,181\n")
}

// FuzzFile fuzzes a whole file, header and all: whatever its kind, or none.
func FuzzFile(f *testing.F) {
	for _, s := range []string{
		fuzzCensus,
		groupsHeader + "10,TR1,Trust One,06,Multi-academy trust,,2012-09-01,Open\n",
		"URN,Rating,Inspection Date\n100000,Good,20130418\n",
		"URN,Inspection start date,Inclusion,Safeguarding\n100000,18/11/2025,Strong standard,Met\n",
		"\xef\xbb\xbfURN,Latitude,Longitude\n100000,51.5,-0.1\n",
		"\x1f\x8b\x08\x00\x00\x00\x00\x00",
		"# not a CSV\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoad(t, fstest.MapFS{"census.csv": {Data: []byte(fuzzCensus)}, "x": {Data: data}})
	})
}
