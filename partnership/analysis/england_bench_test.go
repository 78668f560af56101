package analysis_test

import (
	"context"
	"sync"
	"testing"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

type loaded struct {
	m      *partnership.Model
	source string
	err    error
}

var (
	englandOnce   sync.Once
	englandLoaded loaded
)

// englandModel loads the real data once per test binary: all of England
// when ../shared/data/raw exists, otherwise the embedded Yorkshire and the
// Humber subset.
func englandModel(tb testing.TB) loaded {
	tb.Helper()
	englandOnce.Do(func() { englandLoaded = loadEngland(rawdata.Dir(tb)) })
	return englandLoaded
}

func loadEngland(dir string) loaded {
	ctx := context.Background()
	var res *england.Result
	var err error
	if dir != "" {
		res, err = england.Load(ctx, dir, nil)
	} else {
		res, err = england.LoadEmbedded(ctx)
	}
	if err != nil {
		return loaded{err: err, source: "England data"}
	}
	m, err := res.Model()
	return loaded{m: m, source: res.Source, err: err}
}

// BenchmarkEngland runs every analysis on the published extracts for all of
// England (the embedded regional subset when they are not there).
func BenchmarkEngland(b *testing.B) {
	l := englandModel(b)
	if l.err != nil {
		b.Fatalf("loading %s: %v", l.source, l.err)
	}
	b.Logf("%s: %d schools, %d networks, %d memberships", l.source, len(l.m.Schools()), len(l.m.Networks()),
		len(l.m.Dataset().Memberships))
	benchAnalyses(b, l.m)
}
