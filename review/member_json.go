package review

import "encoding/json"

// MarshalJSON writes the member with travel_km null when the distance is
// unknown (TravelUnknown), so that no reader takes an unknown distance for
// 0 km; a known distance, 0 included, is a number.
func (m Member) MarshalJSON() ([]byte, error) {
	type plain Member // without the method
	var km *float64
	if !m.TravelUnknown {
		km = &m.TravelKm
	}
	return json.Marshal(struct {
		plain
		TravelKm *float64 `json:"travel_km"`
	}{plain(m), km})
}
