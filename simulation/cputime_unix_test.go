//go:build unix

package simulation_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, user and system: a
// measure of work that a busy machine does not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
