package riskpolicy

import (
	"fmt"

	"cel.dev/cel-go/common/types/ref"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of an indicator as a policy declares it.
type Kind int

// Indicator kinds.
const (
	KindInvalid Kind = iota
	// KindNumber is any real number (a CEL double).
	KindNumber
	// KindPercentage is a real number from 0 to 100 (a CEL double):
	// attendance 93.5, not 0.935.
	KindPercentage
	// KindCount is a whole number (a CEL int).
	KindCount
	// KindBoolean is true or false.
	KindBoolean
	// KindDate is a calendar date (a CEL timestamp at midnight UTC).
	KindDate
	// KindGrade is a grade on one of the policy's named ordered scales.
	KindGrade
	// KindAreas is one grade per evaluation area, all on one scale, such as
	// a report-card inspection's grades.
	KindAreas
)

var kindNames = []string{"invalid", "number", "percentage", "count", "boolean", "date", "grade", "areas"}

// String returns the kind as a policy writes it, e.g. percentage.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

func parseKind(s string) (Kind, bool) {
	for i, n := range kindNames[1:] {
		if s == n {
			return Kind(i + 1), true
		}
	}
	return KindInvalid, false
}

// Value is one indicator's value for one school in one period, as a Source
// supplies it. Build one with Number, Bool, Date, Text, List or Areas. A
// compiled Policy converts it to the indicator's declared kind: Text is
// parsed ("93.5", "true", "2024-03-01", "requires improvement"), so a
// source that only has text (a CSV file) needs to know nothing of types.
// The zero Value is "missing".
type Value struct {
	kind  valueKind
	num   float64
	text  string
	t     time.Time
	list  []Value
	areas map[string]Value
	// cv is the value already converted for indicator cvFor (by
	// Policy.ReadCSV, which checks every cell as it reads it), so that
	// binding does not convert it again.
	cv    ref.Val
	cvFor *Indicator
}

type valueKind uint8

const (
	vMissing valueKind = iota
	vNumber
	vBool
	vDate
	vText
	vList
	vAreas
)

// Number returns a numeric value (for number, percentage and count
// indicators).
func Number(f float64) Value { return Value{kind: vNumber, num: f} }

// Bool returns a boolean value.
func Bool(b bool) Value {
	v := Value{kind: vBool}
	if b {
		v.num = 1
	}
	return v
}

// Date returns a date value.
func Date(t time.Time) Value { return Value{kind: vDate, t: t} }

// Text returns a value as written: a grade's name, or text to be parsed
// according to the indicator's kind. Empty text is a missing value.
func Text(s string) Value {
	if strings.TrimSpace(s) == "" {
		return Value{}
	}
	return Value{kind: vText, text: s}
}

// List returns a series of values, newest first, for an indicator declared
// with list: true (such as every inspection's judgement).
func List(vs ...Value) Value { return Value{kind: vList, list: vs} }

// Areas returns one value per evaluation area, for an areas indicator.
func Areas(m map[string]Value) Value { return Value{kind: vAreas, areas: m} }

// IsMissing reports whether v is the zero Value.
func (v Value) IsMissing() bool { return v.kind == vMissing }

// String returns the value as text: numbers in the shortest form, dates as
// 2006-01-02, lists joined with ";", areas as "area=grade;...".
func (v Value) String() string {
	switch v.kind {
	case vNumber:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case vBool:
		return strconv.FormatBool(v.num != 0)
	case vDate:
		return v.t.Format(time.DateOnly)
	case vText:
		return v.text
	case vList:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i] = e.String()
		}
		return strings.Join(parts, ";")
	case vAreas:
		keys := slices.Sorted(maps.Keys(v.areas))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + v.areas[k].String()
		}
		return strings.Join(parts, ";")
	}
	return ""
}

// foldName normalises a grade or area name for lookup: lower case, with
// spaces, hyphens and underscores alike.
func foldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1", "t":
		return true, true
	case "false", "no", "n", "0", "f":
		return false, true
	}
	return false, false
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, time.RFC3339, "20060102", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseNumber reads a finite number written plainly: "93.5", "-3", "1e3".
// "85%", "NaN", "Inf" and "1,000" are refused.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}
