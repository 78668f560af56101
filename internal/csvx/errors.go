package csvx

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors. Every error the Reader returns or records is an *Error
// wrapping one of these (or an I/O error of the underlying reader), so
// callers branch with errors.Is.
var (
	// ErrEmpty: the file holds no header (zero bytes, or only blank lines).
	ErrEmpty = errors.New("file is empty: no header row")
	// ErrNotText: the header holds control characters (NUL, for example):
	// the file is binary or in an encoding the Reader did not recognise.
	ErrNotText = errors.New("not a CSV text file")
	// ErrRepeatedHeader: two header cells have the same name under the
	// lookup rule (case, spaces and underscores ignored), so a lookup by
	// name would be ambiguous.
	ErrRepeatedHeader = errors.New("repeated header name")
	// ErrFieldCount: a row has more fields than the header, or fewer when
	// Options.AllowShortRows is false.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrSyntax: a row is not CSV (a bare or unterminated quote).
	ErrSyntax = errors.New("CSV syntax error")
	// ErrTooLarge: the file (after gzip decompression, before decoding)
	// exceeds Options.MaxBytes. Reading stops.
	ErrTooLarge = errors.New("file too large")
	// ErrRecordTooLong: one record exceeds Options.MaxRecordBytes. Reading
	// stops: the Reader never holds more than about that much of one
	// record.
	ErrRecordTooLong = errors.New("record too long")
)

// Error is a problem at a position in a file: a row that is not CSV, a
// value a reader refused, a header that repeats a name. Domain packages
// wrap their own problems in it (see Reader.Errorf) so that every message
// about a user's file has one form.
type Error struct {
	// File is the file's name as given to NewReader or Open.
	File string
	// Line is the 1-based line on which the row starts; 0 when the
	// problem is the file as a whole.
	Line int
	// Column is the 1-based field number of the bad value (counting every
	// field, an unnamed index column included); 0 when the problem is the
	// row (or file) as a whole.
	Column int
	// Field is the header name of that column; "" when Column is 0 or the
	// column is beyond the header.
	Field string
	// Err describes the problem; errors.Is sees through it.
	Err error
}

// Error returns "file:line:column: field: problem", the form compilers use,
// leaving out the parts that are zero or empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is a list of positioned errors, in the style of go/scanner's
// ErrorList: the zero value is an empty list ready to use, Err is nil when
// it is empty, Sort orders it by file, line and column, and errors.Is and
// errors.As look inside it.
type ErrorList []*Error

// Add appends an error at a position.
func (l *ErrorList) Add(file string, line, column int, field string, err error) {
	*l = append(*l, &Error{File: file, Line: line, Column: column, Field: field, Err: err})
}

// maxListed is how many errors ErrorList.Error spells out.
const maxListed = 10

// Error lists the first ten errors, one a line, and says how many more
// there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors:", len(l))
	for i, e := range l {
		if i == maxListed {
			fmt.Fprintf(&b, "\n\t(and %d more)", len(l)-maxListed)
			break
		}
		b.WriteString("\n\t")
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, so that errors.Is and errors.As look inside
// the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Sort orders the list by file, line and column, keeping the order of
// errors at one position.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// excerpt returns at most n runes of s, quoted, with "..." when cut: error
// messages quote input without repeating a huge line.
func excerpt(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return fmt.Sprintf("%q...", s[:j])
		}
		i++
	}
	return fmt.Sprintf("%q", s)
}
