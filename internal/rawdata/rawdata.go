// Package rawdata finds the real England extracts for tests and
// benchmarks: the directory ../shared/data/raw beside the module's root
// (the checkout's parent holds shared/, on developers' machines and in CI).
//
// It is for _test.go files only: production code takes its data directory
// from the user.
//
//	dir := rawdata.Dir(t)
//	if dir == "" {
//		// absent: fall back to the embedded subset, and say so
//	}
package rawdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/data/raw beside the module
// root (found by walking up from the working directory to go.mod), or ""
// when it is absent (no SOURCES.md in it). When absent it logs why with
// tb.Log, so a test that falls back says so in -v output.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Logf("rawdata: %v", err)
		return ""
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		tb.Logf("rawdata: %v", err)
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Log("rawdata: no go.mod above the working directory")
			return ""
		}
		dir = parent
	}
	raw := filepath.Join(filepath.Dir(dir), "shared", "data", "raw")
	if _, err := os.Stat(filepath.Join(raw, "SOURCES.md")); err != nil {
		tb.Logf("rawdata: %s is absent", raw)
		return ""
	}
	return raw
}

// File returns the path of name in Dir, or "" when Dir is absent or the
// file is not in it.
func File(tb testing.TB, name string) string {
	tb.Helper()
	dir := Dir(tb)
	if dir == "" {
		return ""
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		tb.Logf("rawdata: %v", err)
		return ""
	}
	return p
}
