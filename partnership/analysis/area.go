package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Area selects schools by place: a local authority (by code or by name), a
// region, or a radius around a point. The zero Area is the whole model.
// Build one with InLA, InLANamed, InRegion or Within.
type Area struct {
	by       areaKind
	la       int
	name     string // LA name or region, compared case-insensitively
	centre   partnership.Location
	radiusKm float64
}

type areaKind int

const (
	areaAll areaKind = iota
	areaLA
	areaLAName
	areaRegion
	areaRadius
)

// Everywhere returns the Area that contains every school; it equals the
// zero Area.
func Everywhere() Area { return Area{} }

// InLA returns the Area of the schools whose local authority has the
// three-digit code la (for example 383 for Leeds).
func InLA(la int) Area { return Area{by: areaLA, la: la} }

// InLANamed returns the Area of the schools whose local authority is called
// name, compared case-insensitively and ignoring surrounding space.
func InLANamed(name string) Area { return Area{by: areaLAName, name: strings.TrimSpace(name)} }

// InRegion returns the Area of the schools in the region called name (for
// example "Yorkshire and the Humber"), compared case-insensitively.
func InRegion(name string) Area { return Area{by: areaRegion, name: strings.TrimSpace(name)} }

// Within returns the Area of the schools whose known location lies within
// km kilometres (great-circle distance) of centre. Schools with an unknown
// location are outside every radius.
func Within(centre partnership.Location, km float64) Area {
	return Area{by: areaRadius, centre: centre, radiusKm: km}
}

// ParseLA returns InLA when s is a number and InLANamed otherwise: the
// meaning of the command line's --la flag.
func ParseLA(s string) Area {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return InLA(n)
	}
	return InLANamed(s)
}

// Contains reports whether the school lies in the area.
func (a Area) Contains(s *partnership.School) bool {
	switch a.by {
	case areaLA:
		return s.LA == a.la
	case areaLAName:
		return strings.EqualFold(strings.TrimSpace(s.LAName), a.name)
	case areaRegion:
		return strings.EqualFold(strings.TrimSpace(s.Region), a.name)
	case areaRadius:
		return s.Location.Known() && a.centre.DistanceKm(s.Location) <= a.radiusKm
	}
	return true
}

// String describes the area, e.g. "LA 383", "LA Leeds", "region Yorkshire
// and the Humber", "within 5 km of 53.8000,-1.5500" or "everywhere".
func (a Area) String() string {
	switch a.by {
	case areaLA:
		return "LA " + strconv.Itoa(a.la)
	case areaLAName:
		return "LA " + a.name
	case areaRegion:
		return "region " + a.name
	case areaRadius:
		return fmt.Sprintf("within %g km of %.4f,%.4f", a.radiusKm, a.centre.Lat, a.centre.Lon)
	}
	return "everywhere"
}

// validate reports an Area that can select nothing meaningful.
func (a Area) validate() error {
	switch a.by {
	case areaLAName, areaRegion:
		if a.name == "" {
			return fmt.Errorf("%w: area: empty name", partnership.ErrInvalid)
		}
	case areaRadius:
		if !(a.radiusKm >= 0) || math.IsInf(a.radiusKm, 0) || !a.centre.Known() {
			return fmt.Errorf("%w: area: radius %g km around %v", partnership.ErrInvalid, a.radiusKm, a.centre)
		}
	}
	return nil
}
