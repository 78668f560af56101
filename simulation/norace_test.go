//go:build !race

package simulation_test

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
