package simulation

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadMetrics: any bytes read back as a metrics.csv give rows or an
// error wrapping ErrInvalid, never a panic.
func FuzzReadMetrics(f *testing.F) {
	f.Add([]byte(metricsHeader + "\n0,a,0,0,gap,1.5\n1,a,1,0,gap,NA\n"))
	f.Add([]byte(metricsHeader + "\n0,zz,0,x,gap,high\n0,a\n\"\n"))
	f.Add([]byte("value,metric,term,replicate,variant,run\n1,gap,0,0,a,0\n"))
	x := &Experiment{Variants: []Variant{{Name: "a"}}}
	name := filepath.Join(f.TempDir(), MetricsFile)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readMetrics(x, name); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error not wrapping ErrInvalid: %v", err)
		}
	})
}
