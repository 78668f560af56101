//go:build race

package sqlstore_test

// raceEnabled is true when the race detector is on: the tests over all of
// England, which exercise no concurrency, skip under it.
const raceEnabled = true
