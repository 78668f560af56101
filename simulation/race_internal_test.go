//go:build race

package simulation

// raceEnabled reports whether the race detector is on (it changes what
// the heap holds).
const raceEnabled = true
