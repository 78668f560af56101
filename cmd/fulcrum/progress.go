package main

import (
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressAfter is how long work runs before its progress is shown: work
// that ends sooner shows nothing.
const progressAfter = time.Second

// startTask shows desc with a spinner and the elapsed time on stderr while
// work runs, once it has run for progressAfter, and only when stderr is an
// interactive terminal (never in pipes, files or CI). Progress is never in
// colour, so NO_COLOR is always honoured. stop ends it and clears its line;
// call it before writing anything else to stderr. Calling stop again does
// nothing.
func (e *env) startTask(desc string) (stop func()) {
	if !e.interactive {
		return func() {}
	}
	var (
		mu      sync.Mutex
		bar     *progressbar.ProgressBar
		stopped bool
	)
	t := time.AfterFunc(e.progressAfter, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionEnableColorCodes(false),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionClearOnFinish(),
		)
	})
	return func() {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		stopped = true
		if bar != nil {
			bar.Finish()
		}
	}
}
