package csvx_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// BenchmarkReader reads 100,000 rows of 30 fields (numbers, grades and
// names, about 20 MB of UTF-8 with the odd quoted field), binding three
// columns by name and fetching them on every row, as the indicator
// readers do.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("urn,name,period")
	for i := range 27 {
		fmt.Fprintf(&buf, ",col%d", i)
	}
	buf.WriteString("\n")
	for r := range 100_000 {
		fmt.Fprintf(&buf, "%d,", 100000+r)
		if r%50 == 0 {
			fmt.Fprintf(&buf, "\"St Mary's, Église %d\"", r)
		} else {
			fmt.Fprintf(&buf, "Ordinary School %d", r)
		}
		fmt.Fprintf(&buf, ",2024-25 t%d", r%3)
		for i := range 27 {
			switch i % 3 {
			case 0:
				fmt.Fprintf(&buf, ",%.1f", float64((r*7+i)%1000)/10)
			case 1:
				buf.WriteString(",requires improvement")
			default:
				fmt.Fprintf(&buf, ",%d", (r+i)%40)
			}
		}
		buf.WriteString("\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := csvx.NewReader("bench.csv", bytes.NewReader(data), nil)
		if err != nil {
			b.Fatal(err)
		}
		urn, name, c5 := r.Col("urn"), r.Col("name"), r.Col("col5")
		n := 0
		for r.Next() {
			n += len(r.Field(urn)) + len(r.Field(name)) + len(r.Field(c5))
		}
		if r.Err() != nil || n == 0 || r.SkippedCount() > 0 {
			b.Fatal(r.Err(), n, r.Skipped())
		}
	}
}
