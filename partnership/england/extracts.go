package england

import (
	"errors"
	"fmt"
	"math"
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
// establishment types, and special for the non-state special schools. For
// a middle school it also returns the phase the school is deemed, from the
// middle-school flag ("Middle deemed primary") or, in GIAS, the phase of
// education itself; PhaseUnknown when neither says. A middle-school value
// that names another deemed phase is an error, for the column the caller
// read it from: middleErr for the middle flag, groupErr for the grouping.
func censusPhase(group, typ, middle, allThrough string) (phase, deemed partnership.Phase, middleErr, groupErr error) {
	lt := strings.ToLower(typ)
	if ok, d, err := middlePhase(middle); ok || err != nil {
		return partnership.PhaseMiddle, d, err, nil
	}
	if ok, d, err := middlePhase(group); ok || err != nil {
		return partnership.PhaseMiddle, d, nil, err
	}
	switch {
	case strings.EqualFold(allThrough, "yes") || strings.EqualFold(allThrough, "all-through"):
		return partnership.PhaseAllThrough, partnership.PhaseUnknown, nil, nil
	case strings.Contains(lt, "16 to 19") || strings.Contains(lt, "16-19"):
		return partnership.Phase16Plus, partnership.PhaseUnknown, nil, nil
	}
	if p, err := partnership.ParsePhase(group); err == nil && p != partnership.PhaseUnknown {
		return p, partnership.PhaseUnknown, nil, nil
	}
	if strings.Contains(lt, "special") || strings.Contains(strings.ToLower(group), "special") {
		return partnership.PhaseSpecial, partnership.PhaseUnknown, nil, nil
	}
	return partnership.PhaseUnknown, partnership.PhaseUnknown, nil, nil
}

// middlePhase reads a value naming a middle school ("Middle deemed
// primary", "Middle deemed secondary", or "Middle" and "Middle school"
// without a deemed phase): whether it names one, and the phase it is
// deemed. A value starting "middle deemed" that names neither primary nor
// secondary is an error, not a middle school of unknown deemed phase.
func middlePhase(v string) (middle bool, deemed partnership.Phase, err error) {
	l := strings.Join(strings.Fields(strings.ToLower(v)), " ")
	rest, ok := strings.CutPrefix(l, "middle")
	if !ok {
		return false, partnership.PhaseUnknown, nil
	}
	switch strings.TrimSpace(rest) {
	case "", "school", "schools":
		return true, partnership.PhaseUnknown, nil
	case "deemed primary":
		return true, partnership.PhasePrimary, nil
	case "deemed secondary":
		return true, partnership.PhaseSecondary, nil
	}
	return false, partnership.PhaseUnknown, fmt.Errorf("%q is not a middle school's phase: a middle school is deemed primary or deemed secondary (\"Middle deemed primary\", \"Middle deemed secondary\")", v)
}

func parseCensus(t *table, stop func() bool) *censusFile {
	var (
		urn        = t.col("urn")
		name       = t.col("school name")
		group      = t.col("phase type grouping", "phase-type grouping")
		typ        = t.col("typeofestablishment name", "type of establishment name", "type of establishment")
		laCode     = t.col("old la code", "la code", "la number")
		laName     = t.col("la name")
		region     = t.col("region name", "region")
		postcode   = t.col("school postcode", "postcode")
		urbanRural = t.col("urban rural", "urban / rural")
		headcount  = t.col("headcount of pupils", "headcount", "headcount of pupils (unrounded)")
		fsmCount   = t.col("number of pupils known to be eligible for free school meals",
			"number of pupils known to be eligible for and claiming free school meals")
		// Up to 2012/13 the census gave the denominator of its FSM
		// percentage as a column of its own; from 2013/14 it is the
		// headcount (see fsmCounts).
		fsmBase = t.col("number of pupils (used for fsm calculation)")
		fsm     = t.col("% of pupils known to be eligible for free school meals",
			"percent of pupils known to be eligible for free school meals",
			"percentage of pupils known to be eligible for free school meals",
			"% of pupils known to be eligible for and claiming free school meals")
		trust      = t.col("trust")
		opened     = t.col("opendate", "open date")
		middle     = t.col("middle school")
		allThrough = t.col("all through school")
	)
	t.expect(name, "school name", "every school is named from GIAS, or by its URN")
	t.expect(headcount, "headcount of pupils", "every school's pupil count is unknown")
	t.expect(fsm, "% of pupils known to be eligible for free school meals", "every school's FSM percentage is unknown")
	out := &censusFile{}
	var pupils, fsmValues colStats
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
		var middleErr, groupErr error
		s.Phase, s.DeemedPhase, middleErr, groupErr = censusPhase(pg, s.EstablishmentType, t.raw(middle), t.raw(allThrough))
		if middleErr != nil {
			t.failf(middle, middleErr)
			ok = false
		}
		if groupErr != nil {
			t.failf(group, groupErr)
			ok = false
		}
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
		n, hasN, err := parseCount(t.raw(headcount))
		if err != nil {
			t.failf(headcount, err)
			ok = false
		} else if hasN {
			if n > 0 { // a headcount of 0 is unknown: no pupils to measure
				s.Pupils = partnership.Known(n)
			}
			pupils.add(float64(n))
		}
		base, hasBase, baseCol := n, hasN, headcount
		if fsmBase >= 0 {
			baseCol = fsmBase
			if base, hasBase, err = parseCount(t.raw(fsmBase)); err != nil {
				t.failf(fsmBase, err)
				ok = false
			}
		}
		count, hasCount, err := parseCount(t.raw(fsmCount))
		if err != nil {
			t.failf(fsmCount, err)
			ok = false
		}
		f, hasF, err := parsePercent(t.raw(fsm))
		if err != nil {
			t.failf(fsm, err)
			ok = false
		} else if hasF && hasBase && base == 0 {
			// A percentage of no pupils (the publisher writes 0 for 0 of
			// 0) measures nothing: unknown, like a headcount of 0.
		} else if hasF {
			s.FSMPercent = partnership.Known(f)
			fsmValues.add(f)
		}
		if hasCount && hasBase {
			c := fsmCounts{count: count, base: base, countName: t.name(fsmCount), baseName: t.name(baseCol)}
			if c.count > c.base {
				t.failf(fsmCount, c.errAbove())
				ok = false
			} else if hasF {
				if err := c.disagreement(f, t.raw(fsm)); err != nil {
					t.failf(fsm, err)
					ok = false
				}
			}
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
	t.expectValues(headcount, pupils.n, "every school's pupil count is unknown")
	t.expectValues(fsm, fsmValues.n, "every school's FSM percentage is unknown")
	if fsmValues.fractions() {
		// The whole column is refused, even under Lenient: 0.092 read as
		// 0.092% would be a wrong answer, not an unknown one.
		t.fail(1, fsm, fmt.Errorf("every one of its %d values is between 0 and 1: fractions where percentages (0-100) are expected; write percentages (9.2, not 0.092). The column is refused: every school's FSM percentage is unknown",
			fsmValues.n))
		for i := range out.schools {
			out.schools[i].FSMPercent = partnership.Optional[float64]{}
		}
	}
	return out
}

// fsmCounts are the counts a census row's FSM percentage is computed from:
// the pupils known to be eligible for free school meals, and the pupils
// they are counted among, with the names of their columns.
//
// The denominator is the publisher's: from 2013/14 the census computes "%
// of pupils known to be eligible for free school meals" as "number of
// pupils known to be eligible for free school meals" / "headcount of
// pupils" (every one of the 22,034 rows of the 2022/23 school-level file
// that gives all three agrees, rounded half up to one decimal place); up to
// 2012/13 it divided by "number of pupils (used for FSM calculation)",
// which excluded pupils whose eligibility was not collected, and a file
// with that column is checked against it. The performance-tables columns
// of the same file ("Number of pupils (used for FSM calculation in
// Performance Tables)" and the FSM count and percentage marked
// "(Performance Tables)", over reception to year 11 only) are another
// measure and are not read.
type fsmCounts struct {
	count, base         int
	countName, baseName string
}

// errAbove is the error of a count of eligible pupils above the pupils
// they are counted among.
func (c fsmCounts) errAbove() error {
	return fmt.Errorf("%d pupils eligible for free school meals but only %d pupils (%q)", c.count, c.base, c.baseName)
}

// fsmTolerance is the publisher's rounding, to one decimal place (half up),
// with room for the binary representation of the values.
const fsmTolerance = 0.05 + 1e-9

// disagreement checks a census row's FSM percentage pct (written text)
// against its counts: nil when pct is count/base as a percentage, rounded
// to one decimal place (or written more precisely), and an error giving
// both values when it is not. A percentage of 0 pupils is 0 or it
// disagrees. A fraction (0.277 for 27.7%) disagrees, and the error says so,
// whatever the rest of the column holds.
func (c fsmCounts) disagreement(pct float64, text string) error {
	if c.base == 0 {
		if pct == 0 {
			return nil
		}
		return fmt.Errorf("percent %s but %d of 0 pupils (%q) is no percentage: 0 or blank is expected", text, c.count, c.baseName)
	}
	want := 100 * float64(c.count) / float64(c.base)
	if math.Abs(pct-want) <= fsmTolerance {
		return nil
	}
	err := fmt.Errorf("percent %s but %d of %d pupils is %.1f (%q of %q)", text, c.count, c.base, want, c.countName, c.baseName)
	if pct <= 1 && math.Abs(100*pct-want) <= fsmTolerance {
		err = fmt.Errorf("%w: a fraction where a percentage (0-100) is expected; write percentages (%.1f, not %s)", err, want, text)
	}
	return err
}

// colStats follows the values of a numeric column, for the checks of the
// column as a whole.
type colStats struct {
	n        int // values read (not blank, not suppressed)
	max      float64
	positive bool
}

func (c *colStats) add(v float64) {
	c.n++
	c.max = max(c.max, v)
	c.positive = c.positive || v > 0
}

// fractions reports whether a percentage column holds fractions: ten or
// more values, every one between 0 and 1, some above 0 (riskpolicy's rule
// for its indicator files). A real census column of ten schools all at or
// under 1% FSM is possible but rare; the error says how to fix either case.
func (c *colStats) fractions() bool { return c.n >= 10 && c.max <= 1 && c.positive }

// coordsFile is what a coordinates file gave.
type coordsFile struct {
	urns    []partnership.URN
	locs    []partnership.Location
	lines   []int
	ignored int // rows without coordinates
}

// England's bounding box with a margin of a few km: from Lizard Point and
// the Isles of Scilly (lat 49.86, lon -6.45) to Marshall Meadows (lat 55.81)
// and Lowestoft Ness (lon 1.76).
const (
	englandMinLat, englandMaxLat = 49.8, 55.9
	englandMinLon, englandMaxLon = -6.5, 1.8
)

// outsideEngland returns an error, and the column to blame (latCol or
// lonCol), when the point (lat, lon) lies outside England's bounding box:
// (0, 0), latitude and longitude swapped, a point abroad. The message says
// when the swapped pair would lie in England.
func outsideEngland(lat, lon float64, latCol, lonCol int) (int, error) {
	in := func(la, lo float64) bool {
		return la >= englandMinLat && la <= englandMaxLat && lo >= englandMinLon && lo <= englandMaxLon
	}
	if in(lat, lon) {
		return 0, nil
	}
	where := fmt.Sprintf("latitude %g, longitude %g lies outside England (latitude %g to %g, longitude %g to %g)",
		lat, lon, englandMinLat, englandMaxLat, englandMinLon, englandMaxLon)
	switch {
	case in(lon, lat):
		where += ": latitude and longitude look swapped"
	case lat == 0 && lon == 0:
		where += ": leave both blank when the location is unknown"
	}
	i := latCol
	if lat >= englandMinLat && lat <= englandMaxLat {
		i = lonCol
	}
	return i, errors.New(where)
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
		if ok && hasLat {
			if i, err := outsideEngland(la, lo, lat, lon); err != nil {
				t.failf(i, err)
				ok = false
			}
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
