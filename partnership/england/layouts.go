package england

import (
	"fmt"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// parsePerformanceCensus reads the census file of the school performance
// tables (england_census.csv: URN, LA, ESTAB, SCHOOLTYPE, NOR, ..., NUMFSM,
// NUMFSMEVER, NORFSMEVER, PNUMFSMEVER). It has no school name, phase or
// region: those come from GIAS when a GIAS extract is loaded too.
//
// It reads five columns: URN, LA, SCHOOLTYPE, NOR (pupils on roll) and
// NUMFSM (pupils known to be eligible for free school meals). FSM percent
// is computed, NUMFSM / NOR, and a NUMFSM above NOR is a row error. No
// percentage column is read, so none needs the check for fractions
// (0.214 for 21.4%) that the school-level census's percentage has: not
// PNUMFSMEVER (eligible at any time in six years, another measure, over
// NORFSMEVER), nor PNORG, PNORB, PSENELSE, PSENELK, PNUMEAL, PNUMENGFL or
// PNUMUNCFL; nor ESTAB, NORG, NORB, TSENELSE, TSENELK, NUMEAL, NUMENGFL,
// NUMUNCFL, NUMFSMEVER or NORFSMEVER.
func parsePerformanceCensus(t *table, stop func() bool) *censusFile {
	var (
		urn    = t.col("urn")
		la     = t.col("la")
		typ    = t.col("schooltype")
		nor    = t.col("nor")
		numFSM = t.col("numfsm")
	)
	t.expect(nor, "NOR", "every school's pupil count is unknown")
	t.expect(numFSM, "NUMFSM", "every school's FSM percentage is unknown")
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
		code, _, err := parseCode(t.raw(la))
		if err != nil {
			t.failf(la, err)
			ok = false
		}
		s.LA = code
		s.EstablishmentType = t.shared(typ)
		s.Governance = partnership.GovernanceOfType(s.EstablishmentType)
		pupils, hasPupils, err := parseCount(t.raw(nor))
		if err != nil {
			t.failf(nor, err)
			ok = false
		}
		if hasPupils && pupils > 0 { // a headcount of 0 is unknown: no pupils to measure
			s.Pupils = partnership.Known(pupils)
		}
		fsm, hasFSM, err := parseCount(t.raw(numFSM))
		switch {
		case err != nil:
			t.failf(numFSM, err)
			ok = false
		case hasFSM && hasPupils && fsm > pupils:
			t.failf(numFSM, fmt.Errorf("%d pupils eligible for free school meals of %d on roll", fsm, pupils))
			ok = false
		case hasFSM && hasPupils && pupils > 0:
			s.FSMPercent = partnership.Known(100 * float64(fsm) / float64(pupils))
		}
		if !ok {
			continue
		}
		out.schools = append(out.schools, s)
		out.phaseGroups = append(out.phaseGroups, "")
		out.lines = append(out.lines, t.line)
	}
	return out
}

// establishment is one row of GIAS edubasealldata.
type establishment struct {
	school   partnership.School
	open     bool // open, or open but proposed to close
	isSchool bool
}

// estabFile is what a GIAS establishments extract gave.
type estabFile struct {
	rows  []establishment
	lines []int
}

// schoolTypeGroups are the GIAS establishment type groups that are schools
// (the others: colleges, universities, children's centres, Welsh
// establishments, online providers, other types).
var schoolTypeGroups = []string{"local authority maintained schools", "academies", "free schools",
	"independent schools", "special schools"}

func parseEstablishments(t *table, stop func() bool) *estabFile {
	var (
		urn      = t.col("urn")
		name     = t.col("establishmentname")
		typ      = t.col("typeofestablishment (name)")
		group    = t.col("establishmenttypegroup (name)")
		status   = t.col("establishmentstatus (name)")
		phase    = t.col("phaseofeducation (name)")
		laCode   = t.col("la (code)")
		laName   = t.col("la (name)")
		region   = t.col("gor (name)")
		postcode = t.col("postcode")
		urban    = t.col("urbanrural (name)")
		pupils   = t.col("numberofpupils")
		fsm      = t.col("percentagefsm")
		trust    = t.col("trusts (name)")
		opened   = t.col("opendate")
		closed   = t.col("closedate")
	)
	t.expect(pupils, "NumberOfPupils", "every school's pupil count is unknown")
	t.expect(fsm, "PercentageFSM", "every school's FSM percentage is unknown")
	out := &estabFile{}
	for t.next() {
		if t.rows()%1024 == 0 && stop() {
			break
		}
		ok := true
		var e establishment
		s := &e.school
		var err error
		if s.URN, err = parseURN(t.raw(urn)); err != nil {
			t.failf(urn, err)
			ok = false
		}
		s.Name = t.text(name)
		s.EstablishmentType = t.shared(typ)
		s.Governance = partnership.GovernanceOfType(s.EstablishmentType)
		var phaseErr error
		s.Phase, s.DeemedPhase, _, phaseErr = censusPhase(t.raw(phase), s.EstablishmentType, "", "")
		if phaseErr != nil {
			t.failf(phase, phaseErr)
			ok = false
		}
		code, _, err := parseCode(t.raw(laCode))
		if err != nil {
			t.failf(laCode, err)
			ok = false
		}
		s.LA, s.LAName, s.Region = code, t.shared(laName), t.shared(region)
		s.Postcode = t.text(postcode)
		if ur := t.raw(urban); ur != "" && !strings.EqualFold(ur, "unknown") {
			s.UrbanRural = t.shared(urban)
		}
		n, has, err := parseCount(t.raw(pupils))
		if err != nil {
			t.failf(pupils, err)
			ok = false
		}
		if has && n > 0 { // a headcount of 0 is unknown: no pupils to measure
			s.Pupils = partnership.Known(n)
		}
		f, has, err := parsePercent(t.raw(fsm))
		if err != nil {
			t.failf(fsm, err)
			ok = false
		}
		if has {
			s.FSMPercent = partnership.Known(f)
		}
		s.TrustName = t.text(trust)
		if s.Opened, err = parseDate(t.raw(opened)); err != nil {
			t.failf(opened, err)
			ok = false
		}
		if s.Closed, err = parseDate(t.raw(closed)); err != nil {
			t.failf(closed, err)
			ok = false
		}
		st := strings.ToLower(t.raw(status))
		e.open = status < 0 || strings.HasPrefix(st, "open")
		g := strings.ToLower(t.raw(group))
		e.isSchool = group < 0
		for _, sg := range schoolTypeGroups {
			e.isSchool = e.isSchool || g == sg
		}
		if !ok {
			continue
		}
		out.rows = append(out.rows, e)
		out.lines = append(out.lines, t.line)
	}
	return out
}

// phaseGroupOf derives a census-style phase grouping ("State-funded
// primary", "Independent school") for a school whose source has none, so
// that Stats counts it by the same rule; "" when its governance is unknown.
func phaseGroupOf(s *partnership.School) string {
	switch s.Governance {
	case partnership.GovernanceUnknown:
		return ""
	case partnership.GovernanceIndependent, partnership.GovernanceIndependentSpecial:
		return "Independent school"
	case partnership.GovernanceNonMaintainedSpecial:
		return "Non-maintained special school"
	}
	switch s.Phase {
	case partnership.PhaseNursery:
		return "State-funded nursery"
	case partnership.PhasePrimary, partnership.PhaseMiddle:
		return "State-funded primary"
	case partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.Phase16Plus:
		return "State-funded secondary"
	case partnership.PhaseSpecial:
		return "State-funded special school"
	case partnership.PhaseAlternativeProvision:
		return "State-funded AP school"
	}
	return "State-funded (phase unknown)"
}
