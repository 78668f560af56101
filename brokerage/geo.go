package brokerage

import (
	"math"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// DistanceKm returns the great-circle distance between a and b in
// kilometres (haversine, mean Earth radius 6371.0088 km), or -1 when either
// location is unknown.
func DistanceKm(a, b partnership.Location) float64 {
	if !a.Known() || !b.Known() {
		return -1
	}
	const r = 6371.0088
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
