package riskpolicy

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Errors that callers branch on with errors.Is.
var (
	// ErrNotFound: a Source knows nothing of the school, or a Store holds
	// no such assessment or override.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a Store already holds a record with the same key (an
	// assessment of the same school for the same policy and period, an
	// override with the same ID).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: an argument breaks a rule of the package: an override
	// without a reason or with an unknown level, an indicator value of the
	// wrong type, a malformed data file. Policy files report their problems
	// as an ErrorList instead.
	ErrInvalid = errors.New("invalid")
)

// Pos is a position in a file: 1-based line and column, the column
// counted in characters (Unicode code points), as go/token.Position.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether the position has a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "file:line" or "file".
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Error is one problem in a user-authored file (a policy or a data file):
// where it is, what is wrong, and the text of the line it is on.
type Error struct {
	Pos Pos
	Msg string
	// Line is the text of the line the error is on, without its newline;
	// empty when unknown.
	Line string
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Caret returns the error followed by the offending line and a caret under
// the column, the way a compiler shows it:
//
//	policy.yaml:12:9: undeclared reference to 'attendence' (did you mean 'attendance'?)
//	    when: attendence < 90
//	          ^
func (e *Error) Caret() string {
	if e.Line == "" || e.Pos.Col <= 0 {
		return e.Error()
	}
	var b strings.Builder
	b.WriteString(e.Error())
	b.WriteString("\n")
	b.WriteString(e.Line)
	b.WriteString("\n")
	col := 1
	for _, r := range e.Line {
		if col >= e.Pos.Col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	for ; col < e.Pos.Col; col++ {
		b.WriteByte(' ')
	}
	b.WriteString("^")
	return b.String()
}

// ErrorList is every problem found in one pass over a file, sorted by
// position. Compile and the CSV reader return one; use errors.As to get it.
type ErrorList []*Error

// Error returns the errors one per line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Caret returns every error with its line and caret, separated by newlines.
func (l ErrorList) Caret() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Caret())
	}
	return b.String()
}

// Err returns nil for an empty list and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors, so errors.As finds an *Error in the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Len implements sort.Interface.
func (l ErrorList) Len() int { return len(l) }

// Swap implements sort.Interface.
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less orders errors by file, line, column and message.
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i].Pos, l[j].Pos
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	return l[i].Msg < l[j].Msg
}

// sortDedup sorts the list and removes exact duplicates.
func (l ErrorList) sortDedup() ErrorList {
	sort.Stable(l)
	out := l[:0]
	for i, e := range l {
		if i > 0 && e.Pos == l[i-1].Pos && e.Msg == l[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	return out
}

// suggest returns " (did you mean 'x'?)" for the candidate closest to
// name, or "" when none is close enough.
func suggest(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := levenshtein(strings.ToLower(name), strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := 1
	switch n := utf8.RuneCountInString(name); {
	case n >= 8:
		limit = 3
	case n >= 4:
		limit = 2
	}
	if bestD < 0 || bestD > limit {
		return ""
	}
	return fmt.Sprintf(" (did you mean '%s'?)", best)
}

// levenshtein is the edit distance between a and b in code points.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
