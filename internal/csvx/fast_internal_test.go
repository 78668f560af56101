package csvx

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// trace reads text with opts and writes down everything a caller sees:
// the header, each row with its line, the rows skipped with their errors,
// the error that stopped reading.
func trace(text string, opts Options) string {
	var b strings.Builder
	r, err := NewReader("t.csv", strings.NewReader(text), &opts)
	if err != nil {
		return "open: " + err.Error()
	}
	fmt.Fprintf(&b, "header %q line %d\n", r.Header(), r.Line())
	for r.Next() {
		fmt.Fprintf(&b, "%d: %q\n", r.Line(), r.Record())
	}
	for _, e := range r.Skipped() {
		fmt.Fprintf(&b, "skipped %v\n", e)
	}
	fmt.Fprintf(&b, "err %v rows %d skipped %d line %d\n", r.Err(), r.Rows(), r.SkippedCount(), r.Line())
	return b.String()
}

// TestFastPathAgreesWithEncodingCSV: the fast path (lines without quotes
// split in place) and encoding/csv alone give the same rows, lines,
// skipped rows and errors, on random text mixing plain and quoted fields,
// quotes in the wrong place, fields spanning lines, CRLF, comments, empty
// lines, short and long rows and no final line break, read through
// buffers small enough to cut lines anywhere.
func TestFastPathAgreesWithEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fields := []string{"", "a", "12.5", "x y", "\"q\"", "\"a,b\"", "\"two\nlines\"", "\"crlf\r\nin\"", "b\"ad", "\"un\"closed", "é", "#c", " sp ", "\"\"", "\r"}
	ends := []string{"\n", "\r\n", "\n", "\n\n", "\n# comment, \"quoted\"\n", "\r\n\r\n"}
	for iter := range 400 {
		var b strings.Builder
		b.WriteString("h1,h2,h3\n")
		for range rng.IntN(12) {
			n := 1 + rng.IntN(4)
			for i := range n {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString(fields[rng.IntN(len(fields))])
			}
			b.WriteString(ends[rng.IntN(len(ends))])
		}
		text := b.String()
		if rng.IntN(3) == 0 {
			text = strings.TrimRight(text, "\r\n")
		}
		for _, o := range []Options{{}, {Comment: '#'}, {AllowShortRows: true, Comment: '#', MaxErrors: 2}, {Comma: ';'}, {Comment: '#', TransientFields: true}} {
			for _, size := range []int{16, 23, 64, 0} {
				o.bufSize = size
				o.slow = true
				want := trace(text, o)
				o.slow = false
				if got := trace(text, o); got != want {
					t.Fatalf("iteration %d, %+v: %q\nencoding/csv:\n%s\nfast path:\n%s", iter, o, text, want, got)
				}
			}
		}
	}
}

// FuzzFastPath: on any text, the fast path and encoding/csv alone agree.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,b\n\"1\n2\",3\n4,5", "a\n#x\n\n1\r\n\"\"\"\n", "a,b\n1,b\"c\n2,3\n"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, mode uint8) {
		o := Options{Comment: '#', AllowShortRows: mode&1 == 1, MaxRecordBytes: 64, MaxErrors: 5}
		if mode&2 == 2 {
			o.bufSize = 16 + int(mode>>3)
		}
		o.TransientFields = mode&4 == 4
		o.slow = true
		want := trace(text, o)
		o.slow = false
		if got := trace(text, o); got != want {
			t.Fatalf("%q:\nencoding/csv:\n%s\nfast path:\n%s", text, want, got)
		}
	})
}

// TestTransientFields: with TransientFields, a row's fields are those
// of a reader without it until the next call of Next, over a file many
// times the buffer's size, through both the fast path and encoding/csv
// (quoted lines), and kept copies stay right.
func TestTransientFields(t *testing.T) {
	var b strings.Builder
	b.WriteString("urn,name,x\n")
	for i := range 5000 {
		if i%7 == 0 {
			fmt.Fprintf(&b, "%d,\"School, %d\",%d.5\n", i, i, i%100)
		} else {
			fmt.Fprintf(&b, "%d,School %d,%d.5\r\n", i, i, i%100)
		}
	}
	text := b.String()
	for _, size := range []int{16, 64, 0} {
		want := trace(text, Options{bufSize: size})
		if got := trace(text, Options{bufSize: size, TransientFields: true}); got != want {
			t.Fatalf("buffer %d: transient fields differ", size)
		}
		r, err := NewReader("t.csv", strings.NewReader(text), &Options{bufSize: size, TransientFields: true})
		if err != nil {
			t.Fatal(err)
		}
		name := r.Col("name")
		var kept []string
		for r.Next() {
			kept = append(kept, strings.Clone(r.Field(name)))
		}
		if r.Err() != nil || len(kept) != 5000 {
			t.Fatalf("buffer %d: %d rows, %v", size, len(kept), r.Err())
		}
		for i, k := range kept {
			if want := fmt.Sprintf("School %d", i); i%7 == 0 && k != "School, "+want[len("School "):] || i%7 != 0 && k != want {
				t.Fatalf("buffer %d: row %d kept %q", size, i, k)
			}
		}
	}
}
