package brokerage

import "github.com/fulcrum-edu/fulcrum/partnership"

// DistanceKm returns the great-circle distance between a and b in
// kilometres (partnership.Location.DistanceKm), or -1 when either location
// is unknown.
func DistanceKm(a, b partnership.Location) float64 {
	if !a.Known() || !b.Known() {
		return -1
	}
	return a.DistanceKm(b)
}
