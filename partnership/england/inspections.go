package england

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// inspectionsFile is what an inspection outcomes file gave.
type inspectionsFile struct {
	inspections []partnership.Inspection
	lines       []int
	ignored     int // rows without a judgement or grade
	keyOnly     int // rows read as key judgements without an overall rating
	reportCards int // rows read as report-card grades
}

// keyJudgementCols are the key-judgement columns of Ofsted's management
// information, by partnership.JudgementArea from
// JudgementQualityOfEducation, each with the names it is published under.
// Within a set of columns (see inspectionSets) the names are prefixed by
// the set's prefix ("Latest OEIF quality of education").
var keyJudgementCols = [][]string{
	{"quality of education"},
	{"behaviour and attitudes"},
	{"personal development"},
	{"effectiveness of leadership and management", "leadership and management"},
	{"early years provision (where applicable)", "early years provision"},
	{"sixth form provision (where applicable)", "sixth form provision"},
}

// areaCols are the evaluation-area columns of a report card, by
// partnership.EvaluationArea from AreaInclusion, each with the names
// accepted: the evaluation areas as the renewed framework (November 2025)
// names them. Ofsted's management-information column names for report
// cards could not be confirmed; a grade in a column not listed here is an
// error (see gradeOutside), never dropped.
var areaCols = [][]string{
	{"inclusion"},
	{"curriculum and teaching"},
	{"achievement"},
	{"attendance and behaviour"},
	{"personal development and well-being", "personal development and wellbeing"},
	{"leadership and governance"},
	{"early years", "early years (where applicable)"},
	{"post-16 provision", "post-16 provision (where applicable)", "sixth form", "sixth form (where applicable)"},
}

// safeguardingCols are the names of a safeguarding outcome column: the
// graded inspection's "Safeguarding is effective?" (Yes or No) and the
// report card's safeguarding (Met or Not met).
var safeguardingCols = []string{"safeguarding is effective?", "safeguarding", "safeguarding standards"}

// inspectionCols describes one set of columns that gives one inspection
// of a row: its overall-rating and date columns and, when keys is set, the
// key-judgement, area and safeguarding columns of the same inspection,
// named with prefix.
var inspectionCols = []struct {
	prefix, overall, date string
	keys, areas           bool
}{
	{"", "rating", "inspection date", false, false}, // the scraped history
	{"", "overall effectiveness", "inspection start date", true, true},
	{"latest oeif ", "latest oeif overall effectiveness", "inspection start date of latest oeif graded inspection", true, false},
	{"previous ", "previous graded inspection overall effectiveness", "previous inspection start date", true, false},
	{"previous ", "previous full inspection overall effectiveness", "previous inspection start date", true, false},
}

// inspectionSet is one set of inspectionCols found in a header: column
// indexes, -1 when absent.
type inspectionSet struct {
	overall, date int
	safeguarding  []int // every safeguarding column present
	keys          []int // by keyJudgementCols
	areas         []int // by areaCols
	history       bool  // the scraped history's Rating and Inspection Date
}

// inspectionSets finds the sets of inspection columns of a header: those
// with a date column and at least an overall rating, a key judgement or an
// evaluation area. A header with none is not an inspections extract.
func inspectionSets(t *table) []inspectionSet {
	var out []inspectionSet
	for i, v := range inspectionCols {
		s := inspectionSet{overall: t.col(v.overall), date: t.col(v.date), history: i == 0}
		found := s.overall >= 0
		if v.keys {
			for _, names := range keyJudgementCols {
				c := t.col(prefixed(v.prefix, names)...)
				s.keys = append(s.keys, c)
				found = found || c >= 0
			}
			for _, n := range prefixed(v.prefix, safeguardingCols) {
				if c := t.col(n); c >= 0 {
					s.safeguarding = append(s.safeguarding, c)
				}
			}
		}
		if v.areas {
			for _, names := range areaCols {
				c := t.col(names...)
				s.areas = append(s.areas, c)
				found = found || c >= 0
			}
		}
		if found && s.date >= 0 {
			out = append(out, s)
		}
	}
	return out
}

func prefixed(prefix string, names []string) []string {
	if prefix == "" {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// noJudgement reports whether a rating cell says there is no judgement.
func noJudgement(s string) bool {
	switch strings.ToLower(s) {
	case "", "null", "9", "0", "not judged", "not applicable", "none", "-":
		return true
	}
	return suppressed(s)
}

// noGrade reports whether a report-card grade cell says there is no grade.
// Unlike noJudgement it reads no number as "none": how (or whether)
// Ofsted codes report-card grades as numbers is not known, so a number is
// an error.
func noGrade(s string) bool {
	switch strings.ToLower(s) {
	case "", "null", "not graded", "not applicable", "n/a", "none", "-":
		return true
	}
	return suppressed(s)
}

// parseSafeguarding reads a safeguarding outcome: "Yes" or "Met", "No" or
// "Not met"; ok false for anything else that is not empty.
func parseSafeguarding(s string) (g partnership.Safeguarding, ok bool) {
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "yes", "met":
		return partnership.SafeguardingMet, true
	case "no", "not met":
		return partnership.SafeguardingNotMet, true
	}
	return partnership.SafeguardingNotGraded, noJudgement(s)
}

// readInspection reads the inspection a set of columns gives on the
// current row. It returns ok false after recording an error, and a zero
// Inspection (no date) when the set holds no overall rating, key judgement
// or grade on this row (a safeguarding outcome alone, as an ungraded
// inspection's row may have, is not an outcome the model records).
func readInspection(t *table, u partnership.URN, s inspectionSet) (in partnership.Inspection, ok bool) {
	ok = true
	if rs := t.raw(s.overall); !noJudgement(rs) {
		r, err := partnership.ParseRating(rs)
		if err != nil || r == partnership.RatingNone {
			t.failf(s.overall, fmt.Errorf("unknown rating %q", rs))
			ok = false
		}
		in.Overall = r
	}
	for k, c := range s.keys {
		rs := t.raw(c)
		if noJudgement(rs) {
			continue
		}
		r, err := partnership.ParseRating(rs)
		if err != nil || r == partnership.RatingNone {
			t.failf(c, fmt.Errorf("unknown rating %q", rs))
			ok = false
			continue
		}
		in.Judgements = append(in.Judgements, partnership.KeyJudgement{
			Area: partnership.JudgementQualityOfEducation + partnership.JudgementArea(k), Rating: r})
	}
	for a, c := range s.areas {
		gs := t.raw(c)
		if noGrade(gs) {
			continue
		}
		g, err := partnership.ParseGrade(gs)
		if err != nil || g == partnership.GradeNone {
			t.failf(c, fmt.Errorf("unknown report-card grade %q (want exceptional, strong standard, expected standard, needs attention or urgent improvement)", gs))
			ok = false
			continue
		}
		in.Areas = append(in.Areas, partnership.AreaGrade{Area: partnership.AreaInclusion + partnership.EvaluationArea(a), Grade: g})
	}
	for _, c := range s.safeguarding {
		g, good := parseSafeguarding(t.raw(c))
		if !good {
			t.failf(c, fmt.Errorf("unknown safeguarding outcome %q (want Yes or No, Met or Not met)", t.raw(c)))
			ok = false
			continue
		}
		if m, agree := either(in.Safeguarding, g, partnership.SafeguardingNotGraded); agree {
			in.Safeguarding = m
		} else {
			t.failf(c, fmt.Errorf("safeguarding outcome %q disagrees with %s in another column", t.raw(c), in.Safeguarding))
			ok = false
		}
	}
	if !ok || (in.Overall == partnership.RatingNone && len(in.Judgements) == 0 && len(in.Areas) == 0) {
		return partnership.Inspection{}, ok
	}
	d, err := parseDate(t.raw(s.date))
	if err == nil && d.IsZero() {
		err = errNoValue
	}
	if err != nil {
		t.failf(s.date, err)
		return partnership.Inspection{}, false
	}
	in.URN, in.Date = u, d
	return in, true
}

// unreadCols returns the columns of a header that no inspection set reads,
// for gradeOutside.
func unreadCols(t *table, urn int, sets []inspectionSet) []int {
	read := map[int]bool{urn: true}
	for _, s := range sets {
		for _, c := range slices.Concat([]int{s.overall, s.date}, s.safeguarding, s.keys, s.areas) {
			read[c] = true
		}
	}
	var out []int
	for i := range t.r.Header() {
		if !read[i] {
			out = append(out, i)
		}
	}
	return out
}

// warnLookalikes warns, once per file, of each column not read whose name
// contains an evaluation area's or safeguarding's name ("Inclusion grade"):
// a renamed report-card column whose values are not grade words (which
// gradeOutside catches) would otherwise go unread without a word.
func warnLookalikes(t *table, unread []int) {
	h := t.r.Header()
	for _, c := range unread {
		k := csvx.Key(h[c])
		for _, names := range append(slices.Clone(areaCols), []string{"safeguarding"}) {
			if strings.Contains(k, csvx.Key(names[0])) {
				t.warns = append(t.warns, t.rowError(1, c, fmt.Errorf(
					"column not read: its name contains %q but is none Fulcrum reads as an evaluation area or safeguarding outcome (it reads %s, \"Safeguarding\")",
					names[0], areaNames())))
				break
			}
		}
	}
}

// gradeOutside returns the first of cols whose cell on the current row is
// a report-card grade ("Strong standard"), or -1: a grade in a column
// Load does not read (a renamed or unknown evaluation-area column) must
// fail the row, not vanish.
func gradeOutside(t *table, cols []int) int {
	for _, c := range cols {
		s := t.raw(c)
		if n := len(s); n < len("exceptional") || n > len("urgent improvement") {
			continue
		}
		if g, err := partnership.ParseGrade(s); err == nil && g != partnership.GradeNone {
			return c
		}
	}
	return -1
}

func parseInspections(t *table, stop func() bool) *inspectionsFile {
	urn := t.col("urn")
	sets := inspectionSets(t)
	unread := unreadCols(t, urn, sets)
	warnLookalikes(t, unread)
	out := &inspectionsFile{}
	var got []partnership.Inspection
	for t.next() {
		if t.rows()%4096 == 0 && stop() {
			break
		}
		got = got[:0]
		ok := true
		u, err := parseURN(t.raw(urn))
		if err != nil {
			t.failf(urn, err)
			ok = false
		}
		if c := gradeOutside(t, unread); c >= 0 {
			t.failf(c, fmt.Errorf("report-card grade %q in a column Fulcrum does not read as an evaluation area (it reads %s)",
				t.raw(c), areaNames()))
			ok = false
		}
		for _, s := range sets {
			in, good := readInspection(t, u, s)
			ok = ok && good
			if !good || in.Date.IsZero() {
				continue
			}
			i := slices.IndexFunc(got, func(g partnership.Inspection) bool { return g.Date.Equal(in.Date) })
			if i < 0 {
				got = append(got, in)
				continue
			}
			m, agree := mergeOutcome(got[i], in)
			if !agree {
				t.failf(s.date, fmt.Errorf("two outcomes of one inspection on %s disagree (%s; %s)",
					in.Date.Format("2006-01-02"), outcome(got[i]), outcome(in)))
				ok = false
				continue
			}
			got[i] = m
		}
		if !ok {
			continue
		}
		if len(got) == 0 {
			out.ignored++
			continue
		}
		keyOnly, card := false, false
		for _, in := range got {
			keyOnly = keyOnly || (in.Overall == partnership.RatingNone && len(in.Judgements) > 0)
			card = card || len(in.Areas) > 0
			out.inspections = append(out.inspections, in)
			out.lines = append(out.lines, t.line)
		}
		if keyOnly {
			out.keyOnly++
		}
		if card {
			out.reportCards++
		}
	}
	return out
}

// areaNames lists the evaluation-area column names read, for errors.
func areaNames() string {
	var names []string
	for _, n := range areaCols {
		names = append(names, fmt.Sprintf("%q", n[0]))
	}
	return strings.Join(names, ", ")
}

// mergeOutcome returns the union of two records of one inspection (a URN
// on a date) when they agree: the overall rating, the safeguarding outcome,
// and each key judgement and area grade the same in both or given by one
// only (an older extract lists a graded inspection's overall rating alone,
// a later one its key judgements too). agree is false when any of them
// differ; a is returned unchanged then.
func mergeOutcome(a, b partnership.Inspection) (m partnership.Inspection, agree bool) {
	if a.URN != b.URN || !a.Date.Equal(b.Date) {
		return a, false
	}
	m = a
	var ok1, ok2, ok3, ok4 bool
	m.Overall, ok1 = either(a.Overall, b.Overall, partnership.RatingNone)
	m.Safeguarding, ok2 = either(a.Safeguarding, b.Safeguarding, partnership.SafeguardingNotGraded)
	m.Judgements, ok3 = union(a.Judgements, b.Judgements, func(j partnership.KeyJudgement) partnership.JudgementArea { return j.Area })
	m.Areas, ok4 = union(a.Areas, b.Areas, func(g partnership.AreaGrade) partnership.EvaluationArea { return g.Area })
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return a, false
	}
	return m, true
}

// either returns the value a and b agree on, none standing for "not
// given".
func either[T comparable](a, b, none T) (T, bool) {
	switch {
	case a == b || b == none:
		return a, true
	case a == none:
		return b, true
	}
	return a, false
}

// union merges two lists keyed by area into a new list in area order;
// false when one area has two different values.
func union[T comparable, A cmp.Ordered](a, b []T, area func(T) A) ([]T, bool) {
	if len(b) == 0 {
		return a, true
	}
	if len(a) == 0 {
		return b, true
	}
	out := slices.Clone(a)
	for _, x := range b {
		i := slices.IndexFunc(out, func(y T) bool { return area(y) == area(x) })
		switch {
		case i < 0:
			out = append(out, x)
		case out[i] != x:
			return a, false
		}
	}
	slices.SortFunc(out, func(x, y T) int { return cmp.Compare(area(x), area(y)) })
	return out, true
}

// outcome describes an inspection's outcome for an error message.
func outcome(in partnership.Inspection) string {
	if len(in.Judgements) == 0 && len(in.Areas) == 0 && in.Safeguarding == partnership.SafeguardingNotGraded {
		return in.Overall.String()
	}
	var b strings.Builder
	b.WriteString(in.Overall.String())
	for _, j := range in.Judgements {
		fmt.Fprintf(&b, " %s=%s", j.Area, j.Rating)
	}
	for _, a := range in.Areas {
		fmt.Fprintf(&b, " %s=%s", a.Area, a.Grade)
	}
	fmt.Fprintf(&b, " safeguarding=%s", in.Safeguarding)
	return b.String()
}
