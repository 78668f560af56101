package england_test

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// peakHeap samples the live heap every millisecond until stop is called,
// and returns the largest sample.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var (
		peak uint64
		wg   sync.WaitGroup
	)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// peakRSS returns the process's resident-set high-water mark in bytes
// (Linux's VmHWM), or 0 where it is not available. resetPeakRSS resets it.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkLoadEngland loads all of England from ../shared/data/raw (the
// embedded subset when it is absent) and reports, beside time and
// allocation, the peak live heap during a load and the process's peak
// resident set.
func BenchmarkLoadEngland(b *testing.B) {
	dir := rawdata.Dir(b)
	load := func() (*england.Result, error) { return england.Load(context.Background(), dir, nil) }
	if dir == "" {
		b.Log("../shared/data/raw is absent: loading the embedded subset")
		load = func() (*england.Result, error) { return england.LoadEmbedded(context.Background()) }
	}
	runtime.GC()
	resetPeakRSS()
	b.ReportAllocs()
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stop := peakHeap()
		r, err := load()
		if p := stop(); p > peak {
			peak = p
		}
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Dataset.Schools) == 0 {
			b.Fatal("no schools")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	}
}

// BenchmarkLoadEmbedded loads the embedded regional subset.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := england.LoadEmbedded(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStats computes the network stats of all England (or the
// embedded subset), for all of it and for one local authority.
func BenchmarkStats(b *testing.B) {
	var r *england.Result
	var err error
	if dir := rawdata.Dir(b); dir != "" {
		r, err = england.Load(context.Background(), dir, nil)
	} else {
		r, err = england.LoadEmbedded(context.Background())
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Stats(""); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Stats("Leeds"); err != nil {
			b.Fatal(err)
		}
	}
}
