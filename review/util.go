package review

import (
	"errors"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// DistanceKm returns the great-circle distance between two points in
// kilometres, the measure of travel throughout the package.
func DistanceKm(a, b partnership.Location) float64 { return a.DistanceKm(b) }
