package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var riskBenchData struct {
	once sync.Once
	dir  string
	err  string
}

// riskBenchDir returns a directory holding indicators.csv and history.csv
// for every open state-funded school in England with seven terms, as
// "fulcrum risk synth --periods 7" writes them (once per test binary,
// removed when it exits); it skips when the England extracts are absent.
func riskBenchDir(b *testing.B) string {
	b.Helper()
	raw := rawData(b)
	if raw == "" {
		b.Skip("the England extracts (../shared/data/raw) are absent")
	}
	riskBenchData.once.Do(func() {
		dir, err := os.MkdirTemp("", "fulcrum-risk-bench-")
		if err != nil {
			riskBenchData.err = err.Error()
			return
		}
		riskBenchData.dir = dir
		var out, errb bytes.Buffer
		if code := run(context.Background(), &env{stdout: &out, stderr: &errb},
			[]string{"risk", "synth", "--data", raw, "--out", dir, "--periods", "7"}); code != 0 {
			riskBenchData.err = errb.String()
		}
	})
	if riskBenchData.err != "" {
		b.Fatal(riskBenchData.err)
	}
	return riskBenchData.dir
}

// TestMain removes the benchmarks' data when the test binary is done.
func TestMain(m *testing.M) {
	code := m.Run()
	if riskBenchData.dir != "" {
		os.RemoveAll(riskBenchData.dir)
	}
	os.Exit(code)
}

// BenchmarkRiskEvalEngland measures the whole "fulcrum risk eval" command
// (flags, policy compilation, reading both CSV files against the policy,
// evaluation, coverage, output) over every open state-funded school in
// England with seven terms of history: the command the 2 s target
// is set on. cpu-ms/op is user+system time, which a busy machine does not
// inflate as it does ns/op.
func BenchmarkRiskEvalEngland(b *testing.B) {
	dir := riskBenchDir(b)
	for _, c := range []struct{ policy, format string }{
		{"builtin:trust-at-risk", "csv"},
		{"builtin:trust-at-risk", "json"},
		{"builtin:la-five-levels", "csv"},
	} {
		b.Run(c.policy[len("builtin:"):]+"/"+c.format, func(b *testing.B) {
			defer reportCommandCPU(b)()
			b.ReportAllocs()
			var out, errb bytes.Buffer
			for b.Loop() {
				out.Reset()
				errb.Reset()
				if code := run(context.Background(), &env{stdout: &out, stderr: &errb},
					[]string{"risk", "eval", c.policy, "--data", dir, "--at", "2026-12-01", "--format", c.format}); code != 0 {
					b.Fatalf("exit %d: %s", code, errb.String())
				}
			}
			b.SetBytes(fileSize(b, filepath.Join(dir, "indicators.csv")) + fileSize(b, filepath.Join(dir, "history.csv")))
		})
	}
}

func fileSize(b *testing.B, name string) int64 {
	fi, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// reportCommandCPU reports the CPU time (user+system) per operation.
func reportCommandCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if b.N > 0 && start > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}
