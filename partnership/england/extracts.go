package england

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// predLink is one predecessor relation read from the GIAS links extract.
type predLink struct {
	school, predecessor partnership.URN
	date                time.Time
	line                int
}

// predFile is what the GIAS links extract gave.
type predFile struct {
	links   []predLink
	ignored int // rows of other link types (sixth-form centres, "Other", ...)
}

// linkDirection classifies a GIAS link type: +1 when LinkURN is the
// predecessor of URN, -1 when it is the successor, 0 for a link that says
// nothing of succession, or says it both ways ("Result of Amalgamation",
// "Merged - ...", sixth-form links).
func linkDirection(linkType string) int {
	f := foldName(linkType)
	switch {
	case strings.HasPrefix(f, "predecessor"):
		return +1
	case strings.HasPrefix(f, "successor"):
		return -1
	}
	return 0
}

func parsePredecessors(t *table, stop func() bool) *predFile {
	urn, link, typ, date := t.col("urn"), t.col("linkurn"), t.col("linktype"), t.col("linkestablisheddate")
	out := &predFile{}
	for t.next() {
		if t.rows()%4096 == 0 && stop() {
			break
		}
		ok := true
		a, err := parseURN(t.raw(urn))
		if err != nil {
			t.failf(urn, err)
			ok = false
		}
		b, err := parseURN(t.raw(link))
		if err != nil {
			t.failf(link, err)
			ok = false
		}
		d, err := parseDate(t.raw(date))
		if err != nil {
			t.failf(date, err)
			ok = false
		}
		if !ok {
			continue
		}
		switch linkDirection(t.raw(typ)) {
		case +1:
			out.links = append(out.links, predLink{school: a, predecessor: b, date: d, line: t.line})
		case -1:
			out.links = append(out.links, predLink{school: b, predecessor: a, date: d, line: t.line})
		default:
			out.ignored++
		}
	}
	return out
}

// censusFile is what a school census file gave.
type censusFile struct {
	schools     []partnership.School
	phaseGroups []string
	lines       []int
}

// censusPhase derives a school's phase from the census: its phase grouping,
// refined by the middle-school and all-through flags and the 16 to 19
// establishment types, and special for the non-state special schools.
func censusPhase(group, typ, middle, allThrough string) partnership.Phase {
	lt := strings.ToLower(typ)
	switch {
	case middle != "" && strings.HasPrefix(strings.ToLower(middle), "middle"):
		return partnership.PhaseMiddle
	case strings.EqualFold(allThrough, "yes") || strings.EqualFold(allThrough, "all-through"):
		return partnership.PhaseAllThrough
	case strings.Contains(lt, "16 to 19") || strings.Contains(lt, "16-19"):
		return partnership.Phase16Plus
	}
	if p, err := partnership.ParsePhase(group); err == nil && p != partnership.PhaseUnknown {
		return p
	}
	if strings.Contains(lt, "special") || strings.Contains(strings.ToLower(group), "special") {
		return partnership.PhaseSpecial
	}
	return partnership.PhaseUnknown
}

func parseCensus(t *table, stop func() bool) *censusFile {
	var (
		urn        = t.col("urn")
		name       = t.col("school name")
		group      = t.col("phase type grouping")
		typ        = t.col("typeofestablishment name", "type of establishment name", "type of establishment")
		laCode     = t.col("old la code", "la code")
		laName     = t.col("la name")
		region     = t.col("region name")
		postcode   = t.col("school postcode", "postcode")
		urbanRural = t.col("urban rural")
		headcount  = t.col("headcount of pupils", "headcount")
		fsm        = t.col("% of pupils known to be eligible for free school meals",
			"percent of pupils known to be eligible for free school meals",
			"percentage of pupils known to be eligible for free school meals")
		trust      = t.col("trust")
		opened     = t.col("opendate", "open date")
		middle     = t.col("middle school")
		allThrough = t.col("all through school")
	)
	out := &censusFile{}
	for t.next() {
		if t.rows()%1024 == 0 && stop() {
			break
		}
		ok := true
		var s partnership.School
		var err error
		if s.URN, err = parseURN(t.raw(urn)); err != nil {
			t.failf(urn, err)
			ok = false
		}
		pg := t.shared(group)
		if pg == "" {
			t.failf(group, errNoValue)
			ok = false
		}
		s.Name = t.text(name)
		s.EstablishmentType = t.shared(typ)
		s.Governance = partnership.GovernanceOfType(s.EstablishmentType)
		s.Phase = censusPhase(pg, s.EstablishmentType, t.raw(middle), t.raw(allThrough))
		code, _, err := parseCode(t.raw(laCode))
		if err != nil {
			t.failf(laCode, err)
			ok = false
		}
		s.LA = code
		s.LAName = t.shared(laName)
		s.Region = t.shared(region)
		s.Postcode = t.text(postcode)
		ur := t.raw(urbanRural)
		if i := strings.Index(ur, ") "); strings.HasPrefix(ur, "(") && i > 0 {
			ur = ur[i+2:]
		}
		if !strings.EqualFold(ur, "unknown") {
			s.UrbanRural = t.strs.get(ur)
		}
		if n, _, err := parseCount(t.raw(headcount)); err != nil {
			t.failf(headcount, err)
			ok = false
		} else {
			s.Pupils = n
		}
		s.FSMPercent = -1
		if f, has, err := parsePercent(t.raw(fsm)); err != nil {
			t.failf(fsm, err)
			ok = false
		} else if has {
			s.FSMPercent = f
		}
		s.TrustName = t.text(trust)
		if s.Opened, err = parseDate(t.raw(opened)); err != nil {
			t.failf(opened, err)
			ok = false
		}
		if !ok {
			continue
		}
		out.schools = append(out.schools, s)
		out.phaseGroups = append(out.phaseGroups, pg)
		out.lines = append(out.lines, t.line)
	}
	return out
}

// inspectionsFile is what an inspection outcomes file gave.
type inspectionsFile struct {
	inspections []partnership.Inspection
	lines       []int
	ignored     int // rows without a judgement
	keyOnly     int // rows read as key judgements without an overall rating
}

// keyJudgementCols are the key-judgement columns of Ofsted's management
// information, in the order of partnership.JudgementArea from
// JudgementQualityOfEducation, then the safeguarding column. The layout of
// the current inspection names them plainly ("Quality of education"); the
// 2019-2025 layout prefixes them "Latest OEIF " (its safeguarding column
// has two spaces, which csvx.Key ignores).
var keyJudgementCols = []string{
	"quality of education", "behaviour and attitudes", "personal development",
	"effectiveness of leadership and management", "early years provision (where applicable)",
	"sixth form provision (where applicable)", "safeguarding is effective?",
}

// keySet is one set of key-judgement columns with its date column and the
// overall-effectiveness column of the same inspection.
type keySet struct {
	overall, date int
	cols          []int // by keyJudgementCols; -1 when absent
}

// keySets finds the key-judgement column sets of a header: the plain set
// dated by "Inspection start date" and the "Latest OEIF" set dated by
// "Inspection start date of latest OEIF graded inspection".
func keySets(t *table) []keySet {
	var out []keySet
	for _, v := range [][3]string{
		{"", "overall effectiveness", "inspection start date"},
		{"latest oeif ", "latest oeif overall effectiveness", "inspection start date of latest oeif graded inspection"},
	} {
		ks := keySet{overall: t.col(v[1]), date: t.col(v[2])}
		found := false
		for _, c := range keyJudgementCols {
			i := t.col(v[0] + c)
			ks.cols = append(ks.cols, i)
			found = found || i >= 0
		}
		if found && ks.date >= 0 {
			out = append(out, ks)
		}
	}
	return out
}

// keyJudgements reads a row's key judgements of one set when its overall
// effectiveness is absent or empty ("Not judged", "NULL", "" as in graded
// inspections from September 2024). It returns ok false after recording an
// error, and a zero Inspection (no date) when there is nothing to read
// (no key judgement, whatever the safeguarding column says).
func keyJudgements(t *table, u partnership.URN, ks keySet) (in partnership.Inspection, ok bool) {
	if ks.overall >= 0 && !noJudgement(t.raw(ks.overall)) {
		return in, true // an overall rating: read by judgementCols
	}
	ok = true
	last := len(keyJudgementCols) - 1
	for k, c := range ks.cols[:last] {
		if c < 0 || noJudgement(t.raw(c)) {
			continue
		}
		r, err := partnership.ParseRating(t.raw(c))
		if err != nil || r == partnership.RatingNone {
			t.failf(c, fmt.Errorf("unknown rating %q", t.raw(c)))
			ok = false
			continue
		}
		in.Judgements = append(in.Judgements, partnership.KeyJudgement{
			Area: partnership.JudgementQualityOfEducation + partnership.JudgementArea(k), Rating: r})
	}
	if c := ks.cols[last]; c >= 0 {
		switch s := t.raw(c); strings.ToLower(s) {
		case "yes":
			in.Safeguarding = partnership.SafeguardingMet
		case "no":
			in.Safeguarding = partnership.SafeguardingNotMet
		default:
			if !noJudgement(s) {
				t.failf(c, fmt.Errorf("unknown safeguarding outcome %q (want Yes or No)", s))
				ok = false
			}
		}
	}
	if !ok || len(in.Judgements) == 0 {
		// A safeguarding outcome alone (as an ungraded inspection's row may
		// have) is not an inspection outcome the model records: the row is
		// counted as ignored.
		return partnership.Inspection{}, ok
	}
	d, err := parseDate(t.raw(ks.date))
	if err == nil && d.IsZero() {
		err = errNoValue
	}
	if err != nil {
		t.failf(ks.date, err)
		return partnership.Inspection{}, false
	}
	in.URN, in.Date = u, d
	return in, true
}

// judgementCols pairs the rating and date columns of the inspection
// layouts: the scraped history's "Rating"/"Inspection Date", and the
// overall-effectiveness and start-date columns of Ofsted's management
// information (the latest and previous graded inspections).
var judgementCols = [][2]string{
	{"rating", "inspection date"},
	{"overall effectiveness", "inspection start date"},
	{"latest oeif overall effectiveness", "inspection start date of latest oeif graded inspection"},
	{"previous graded inspection overall effectiveness", "previous inspection start date"},
	{"previous full inspection overall effectiveness", "previous inspection start date"},
}

// noJudgement reports whether a rating cell says there is no judgement.
func noJudgement(s string) bool {
	switch strings.ToLower(s) {
	case "", "null", "9", "0", "not judged", "not applicable", "none", "-":
		return true
	}
	return suppressed(s)
}

func parseInspections(t *table, stop func() bool) *inspectionsFile {
	urn := t.col("urn")
	var pairs [][2]int
	for _, p := range judgementCols {
		if r, d := t.col(p[0]), t.col(p[1]); r >= 0 && d >= 0 {
			pairs = append(pairs, [2]int{r, d})
		}
	}
	sets := keySets(t)
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
		for _, p := range pairs {
			rs := t.raw(p[0])
			if noJudgement(rs) {
				continue
			}
			r, err := partnership.ParseRating(rs)
			if err != nil || r == partnership.RatingNone {
				t.failf(p[0], fmt.Errorf("unknown rating %q", rs))
				ok = false
				continue
			}
			d, err := parseDate(t.raw(p[1]))
			if err == nil && d.IsZero() {
				err = errNoValue
			}
			if err != nil {
				t.failf(p[1], err)
				ok = false
				continue
			}
			in := partnership.Inspection{URN: u, Date: d, Overall: r}
			dup := false
			for _, g := range got {
				dup = dup || (g.Date.Equal(in.Date) && g.Overall == in.Overall)
			}
			if !dup {
				got = append(got, in)
			}
		}
		keyOnly := false
		for _, ks := range sets {
			in, good := keyJudgements(t, u, ks)
			ok = ok && good
			if good && !in.Date.IsZero() && !slices.ContainsFunc(got, func(g partnership.Inspection) bool {
				return sameOutcome(g, in)
			}) {
				got, keyOnly = append(got, in), true
			}
		}
		if !ok {
			continue
		}
		if keyOnly {
			out.keyOnly++
		}
		if len(got) == 0 {
			out.ignored++
			continue
		}
		for _, in := range got {
			out.inspections = append(out.inspections, in)
			out.lines = append(out.lines, t.line)
		}
	}
	return out
}

// coordsFile is what a coordinates file gave.
type coordsFile struct {
	urns    []partnership.URN
	locs    []partnership.Location
	lines   []int
	ignored int // rows without coordinates
}

func parseCoordinates(t *table, stop func() bool) *coordsFile {
	urn, lat, lon := t.col("urn"), t.col("lat", "latitude"), t.col("lon", "long", "longitude")
	out := &coordsFile{}
	for t.next() {
		if t.rows()%4096 == 0 && stop() {
			break
		}
		ok := true
		u, err := parseURN(t.raw(urn))
		if err != nil {
			t.failf(urn, err)
			ok = false
		}
		la, hasLat, err := parseNumber(t.raw(lat))
		if err == nil && hasLat && (la < -90 || la > 90) {
			err = fmt.Errorf("latitude %q is not between -90 and 90", t.raw(lat))
		}
		if err != nil {
			t.failf(lat, err)
			ok = false
		}
		lo, hasLon, err := parseNumber(t.raw(lon))
		if err == nil && hasLon && (lo < -180 || lo > 180) {
			err = fmt.Errorf("longitude %q is not between -180 and 180", t.raw(lon))
		}
		if err != nil {
			t.failf(lon, err)
			ok = false
		}
		if ok && hasLat != hasLon {
			i := lat
			if hasLat {
				i = lon
			}
			t.failf(i, fmt.Errorf("%w: latitude and longitude come together", errNoValue))
			ok = false
		}
		if !ok {
			continue
		}
		loc := partnership.Location{Lat: la, Lon: lo}
		if !loc.Known() {
			out.ignored++
			continue
		}
		out.urns = append(out.urns, u)
		out.locs = append(out.locs, loc)
		out.lines = append(out.lines, t.line)
	}
	return out
}

// sameOutcome reports whether two inspections of a school on one date say
// the same thing.
func sameOutcome(a, b partnership.Inspection) bool {
	return a.Date.Equal(b.Date) && a.Overall == b.Overall && a.Safeguarding == b.Safeguarding &&
		slices.Equal(a.Judgements, b.Judgements) && slices.Equal(a.Areas, b.Areas)
}

// outcome describes an inspection's outcome for an error message.
func outcome(in partnership.Inspection) string {
	if len(in.Judgements) == 0 && len(in.Areas) == 0 {
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
