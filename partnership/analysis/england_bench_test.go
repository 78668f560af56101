package analysis_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// englandData returns the directory of the published extracts for all of
// England: ../shared/data/raw beside the module root (found by walking up
// to go.mod), or "" when it does not exist.
func englandData() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			raw := filepath.Join(dir, "..", "shared", "data", "raw")
			if fi, err := os.Stat(raw); err == nil && fi.IsDir() {
				return raw
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

type loaded struct {
	m      *partnership.Model
	source string
	err    error
}

// englandModel loads the real data once per test binary: all of England
// when ../shared/data/raw exists, otherwise the embedded Yorkshire and the
// Humber subset.
var englandModel = sync.OnceValue(func() loaded {
	ctx := context.Background()
	var res *england.Result
	var err error
	if dir := englandData(); dir != "" {
		res, err = england.Load(ctx, dir, nil)
	} else {
		res, err = england.LoadEmbedded(ctx)
	}
	if err != nil {
		return loaded{err: err, source: "England data"}
	}
	m, err := res.Model()
	return loaded{m: m, source: res.Source, err: err}
})

// BenchmarkEngland runs every analysis on the published extracts for all of
// England (the embedded regional subset when they are not there).
func BenchmarkEngland(b *testing.B) {
	l := englandModel()
	if l.err != nil {
		b.Fatalf("loading %s: %v", l.source, l.err)
	}
	b.Logf("%s: %d schools, %d networks, %d memberships", l.source, len(l.m.Schools()), len(l.m.Networks()),
		len(l.m.Dataset().Memberships))
	benchAnalyses(b, l.m)
}
