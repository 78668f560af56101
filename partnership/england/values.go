package england

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// parseDate reads a date in any of the layouts the extracts use:
// YYYY-MM-DD (pandas, optionally followed by a time), DD-MM-YYYY (GIAS),
// DD/MM/YYYY (the census, Ofsted's management information) and YYYYMMDD
// (the scraped Ofsted history). An empty value, and GIAS's placeholder
// 1900-01-01 for "not recorded", give the zero time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if i := strings.IndexAny(s, " T"); i >= 0 && i >= 8 {
		// "2019-09-01 00:00:00" or "2019-09-01T00:00:00": keep the day.
		s = s[:i]
	}
	var y, m, d int
	var ok bool
	switch {
	case len(s) == 8 && allDigits(s):
		y, m, d, ok = atoi(s[0:4]), atoi(s[4:6]), atoi(s[6:8]), true
	case len(s) == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]:
		y, m, d, ok = digits(s[0:4]), digits(s[5:7]), digits(s[8:10]), true
	case len(s) == 10 && (s[2] == '-' || s[2] == '/') && s[5] == s[2]:
		d, m, y, ok = digits(s[0:2]), digits(s[3:5]), digits(s[6:10]), true
	}
	if !ok || y < 0 || m < 0 || d < 0 {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or YYYYMMDD", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1800 || y > 2200 {
		return time.Time{}, fmt.Errorf("date %q does not exist", s)
	}
	if y == 1900 && m == 1 && d == 1 {
		return time.Time{}, nil
	}
	return t, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// digits returns the value of a run of ASCII digits, or -1.
func digits(s string) int {
	if !allDigits(s) {
		return -1
	}
	return atoi(s)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// suppressed reports whether s is one of the symbols that DfE's statistics
// write in place of a number: z (not applicable), x (not available),
// c (confidential), u (low reliability), k (fewer than 0.5), low, and the
// conventional ":" , ".." and "NA".
func suppressed(s string) bool {
	switch strings.ToLower(s) {
	case "z", "x", "c", "u", "k", "low", ":", "..", "na", "n/a", "supp", "ne", "np":
		return true
	}
	return false
}

// parseCount reads a whole, non-negative number written in decimal or in
// the exponent form R uses ("1e+05"). ok is false for an empty or
// suppressed value.
func parseCount(s string) (n int, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" || suppressed(s) {
		return 0, false, nil
	}
	if v, err := strconv.Atoi(s); err == nil {
		switch {
		case v < 0:
			return 0, false, fmt.Errorf("count %q is negative", s)
		case v > 1e9:
			return 0, false, fmt.Errorf("count %q is not a whole number from 0 to 10^9", s)
		}
		return v, true, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("%q is not a number", s)
	}
	if f < 0 || f != math.Trunc(f) || f > 1e9 {
		return 0, false, fmt.Errorf("count %q is not a whole number from 0 to 10^9", s)
	}
	return int(f), true, nil
}

// parseNumber reads a decimal number; ok is false for an empty or
// suppressed value.
func parseNumber(s string) (f float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" || suppressed(s) {
		return 0, false, nil
	}
	f, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("%q is not a number", s)
	}
	return f, true, nil
}

// parsePercent reads a percentage from 0 to 100.
func parsePercent(s string) (float64, bool, error) {
	f, ok, err := parseNumber(s)
	if ok && (f < 0 || f > 100) {
		return 0, false, fmt.Errorf("percentage %q is not between 0 and 100", s)
	}
	return f, ok, err
}

// parseURN reads a URN, required.
func parseURN(s string) (partnership.URN, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errNoValue
	}
	return partnership.ParseURN(s)
}

// parseCode reads a numeric code such as a GIAS type code or LA code,
// with or without leading zeros ("01" and "1" are the same). ok is false
// when the value is empty.
func parseCode(s string) (n int, ok bool, err error) {
	n, ok, err = parseCount(s)
	if err == nil && !ok && s != "" {
		// A suppression symbol is not a code.
		return 0, false, fmt.Errorf("%q is not a code", s)
	}
	return n, ok, err
}
