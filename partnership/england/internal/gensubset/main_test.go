package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
)

// sources returns the embedded data itself, which is in the same layouts
// as the raw files (so the subset of the subset must be the subset), and
// ../shared/data/raw beside the module when it is present.
func sources(t *testing.T) []string {
	t.Helper()
	srcs := []string{filepath.Join("..", "..", "data")}
	if raw := rawdata.Dir(t); raw != "" {
		srcs = append(srcs, raw)
	}
	return srcs
}

// TestEmbeddedDataIsCurrent regenerates the subset and checks that the
// embedded files are byte for byte what the generator writes.
func TestEmbeddedDataIsCurrent(t *testing.T) {
	embedded, err := filepath.Glob(filepath.Join("..", "..", "data", "*.csv.gz"))
	if err != nil || len(embedded) != 6 {
		t.Fatalf("want 6 embedded files, found %d (%v)", len(embedded), err)
	}
	for _, src := range sources(t) {
		t.Run(filepath.Base(src), func(t *testing.T) {
			out := t.TempDir()
			if err := run(src, out, "Yorkshire and The Humber", io.Discard); err != nil {
				t.Fatal(err)
			}
			for _, f := range embedded {
				want, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(out, filepath.Base(f)))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(want, got) {
					t.Errorf("%s differs from what gensubset writes from %s: run go generate in partnership/england",
						filepath.Base(f), src)
				}
			}
			if err := run(src, t.TempDir(), "Atlantis", io.Discard); err == nil {
				t.Error("a region with no schools should fail")
			}
		})
	}
}
