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

func DistanceKm(a, b partnership.Location) float64 { return a.DistanceKm(b) }
