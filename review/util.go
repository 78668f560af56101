package review

import (
	"errors"
	"math"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// distanceKm is the great-circle distance between two points.
func distanceKm(a, b partnership.Location) float64 {
	const r = 6371.0088
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla := la2 - la1
	dlo := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// DistanceKm returns the great-circle distance between two points in
// kilometres, the measure of travel throughout the package.
func DistanceKm(a, b partnership.Location) float64 { return distanceKm(a, b) }
