package partnership_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

func TestLocationDistanceKm(t *testing.T) {
	leeds := p.Location{Lat: 53.7997, Lon: -1.5492}
	york := p.Location{Lat: 53.9590, Lon: -1.0815}
	london := p.Location{Lat: 51.5074, Lon: -0.1278}
	edinburgh := p.Location{Lat: 55.9533, Lon: -3.1883}
	assert.InDelta(t, 35.4, leeds.DistanceKm(york), 0.5)
	assert.InDelta(t, 534, london.DistanceKm(edinburgh), 2)
	assert.InDelta(t, leeds.DistanceKm(york), york.DistanceKm(leeds), 1e-9, "symmetric")
	assert.Zero(t, leeds.DistanceKm(leeds))
	antipode := p.Location{Lat: -53.7997, Lon: 178.4508}
	assert.InDelta(t, 3.14159*p.EarthRadiusKm, leeds.DistanceKm(antipode), 1, "half the circumference")
}
