package brokerage

import (
	"encoding/json"
	"strconv"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Km is the great-circle distance in kilometres between a need's school
// and an offer's provider, or unknown when either location is unknown. Unknown is
// not a distance: it never satisfies a distance limit (unless
// MaxDistance.AllowUnknown says so), it is priced by the Distance scorer
// as unknown (Distance.UnknownKm), it prints as "unknown" and it is null
// in JSON.
type Km struct {
	Value float64 // kilometres; meaningful only when Known
	Known bool
}

// DistanceBetween returns the distance between a and b
// (partnership.Location.DistanceKm), unknown when either is unknown.
func DistanceBetween(a, b partnership.Location) Km {
	if !a.Known() || !b.Known() {
		return Km{}
	}
	return Km{Value: a.DistanceKm(b), Known: true}
}

// String returns e.g. "12.3 km", or "unknown".
func (d Km) String() string {
	if !d.Known {
		return "unknown"
	}
	return strconv.FormatFloat(d.Value, 'f', 1, 64) + " km"
}

// MarshalJSON writes the kilometres, or null when unknown.
func (d Km) MarshalJSON() ([]byte, error) {
	if !d.Known {
		return []byte("null"), nil
	}
	return json.Marshal(d.Value)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Km) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Km{}
		return nil
	}
	*d = Km{Known: true}
	return json.Unmarshal(b, &d.Value)
}
