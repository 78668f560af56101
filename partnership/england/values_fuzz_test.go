package england

import (
	"testing"
	"time"
)

// FuzzParseDate checks that a date that parses formats back, in each
// layout the extracts use, to the same date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2013-09-01", "01-09-2013", "01/09/2013", "20130901", "1900-01-01",
		"2019-09-01 00:00:00", "31/02/2020", "", "1e+05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if err != nil || d.IsZero() {
			return
		}
		for _, layout := range []string{"2006-01-02", "02-01-2006", "02/01/2006", "20060102"} {
			back, err := parseDate(d.Format(layout))
			if err != nil || !back.Equal(d) {
				t.Fatalf("%q -> %v -> %q -> %v, %v", s, d, d.Format(layout), back, err)
			}
		}
		if d.Location() != time.UTC || d.Hour() != 0 {
			t.Fatalf("%q: not a UTC day: %v", s, d)
		}
	})
}

// FuzzParseNumbers checks the number readers never accept what they
// should not.
func FuzzParseNumbers(f *testing.F) {
	for _, s := range []string{"1e+05", "12.5", "z", "-3", "NaN", "Inf", "1e400", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok, err := parseCount(s); err == nil && ok && (n < 0 || n > 1e9) {
			t.Fatalf("count %q = %d", s, n)
		}
		if p, ok, err := parsePercent(s); err == nil && ok && (p < 0 || p > 100) {
			t.Fatalf("percent %q = %v", s, p)
		}
		if u, err := parseURN(s); err == nil && u <= 0 {
			t.Fatalf("URN %q = %d", s, u)
		}
	})
}
