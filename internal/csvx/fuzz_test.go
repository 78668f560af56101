package csvx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// FuzzReader: any input is read or refused with an *Error naming the file;
// never a panic; rows never longer than the header; decoded text is UTF-8;
// limits hold.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"URN,Name\n1,a\n",
		"\xef\xbb\xbfURN,Name\r\n1,\"a,b\"\r\n2\n",
		"\xff\xfeU\x00R\x00N\x00\t\x00x\x00\n\x001\x00\t\x002\x00\n\x00",
		"\xfe\xff\x00a\x00,\x00b",
		"a,b,a\n",
		"a\"b\n",
		"a,b\n\"1,2\n",
		"\x1f\x8b\x08\x00",
		"Caf\xe9,\x93x\x94\n1,2\n",
		"\x00\x00\x00",
		"",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, short bool) {
		opts := &csvx.Options{AllowShortRows: short, MaxRecordBytes: 256, MaxBytes: 4096, MaxErrors: 3}
		r, err := csvx.NewReader("fz.csv", bytes.NewReader(data), opts)
		if err != nil {
			var e *csvx.Error
			if !errors.As(err, &e) || e.File != "fz.csv" || !strings.HasPrefix(err.Error(), "fz.csv") {
				t.Fatalf("error %q is not an *Error naming the file", err)
			}
			return
		}
		defer r.Close()
		seen := map[string]bool{}
		for _, h := range r.Header() {
			if !utf8.ValidString(h) {
				t.Fatalf("header %q is not UTF-8", h)
			}
			k := csvx.Key(h)
			if k != "" && seen[k] {
				t.Fatalf("repeated header %q accepted", h)
			}
			seen[k] = true
		}
		for r.Next() {
			rec := r.Record()
			if len(rec) > len(r.Header()) || (!short && len(rec) != len(r.Header())) {
				t.Fatalf("row of %d fields under a header of %d", len(rec), len(r.Header()))
			}
			for _, v := range rec {
				if !utf8.ValidString(v) {
					t.Fatalf("field %q is not UTF-8", v)
				}
			}
			if r.Line() < 2 {
				t.Fatalf("row on line %d", r.Line())
			}
		}
		if len(r.Skipped()) > 3 || r.SkippedCount() < len(r.Skipped()) {
			t.Fatalf("skipped %d kept, %d counted", len(r.Skipped()), r.SkippedCount())
		}
		if err := r.Err(); err != nil && !strings.HasPrefix(err.Error(), "fz.csv") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}
