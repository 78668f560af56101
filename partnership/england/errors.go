package england

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// RowError is a problem with one row of an extract: a value that does not
// parse, a row with the wrong number of fields, a URN that appears twice.
//
// Every RowError matches partnership.ErrInvalid under errors.Is; one about a
// duplicate record also matches partnership.ErrConflict.
type RowError struct {
	// File is the file's name in the directory (or file system) loaded.
	File string
	// Line is the 1-based line on which the row starts.
	Line int
	// Column is the 1-based field number of the bad value, counting every
	// field of the row including an unnamed index column; 0 when the
	// problem is the row as a whole.
	Column int
	// Field is the header name of that column; "" when Column is 0.
	Field string
	// Err describes the problem.
	Err error
}

// Error returns "file:line:column: field: problem", the form compilers use,
// omitting the column and field when the row as a whole is at fault, and
// the line too when the file as a whole is.
func (e *RowError) Error() string {
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
		b.WriteString("invalid row")
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *RowError) Unwrap() error { return e.Err }

// Is reports whether target is partnership.ErrInvalid: every row error is a
// kind of invalid input.
func (e *RowError) Is(target error) bool { return target == partnership.ErrInvalid }

// ErrorList is a list of row errors, which Load returns when it refuses
// rows. Load sorts it by file, line and column. errors.As finds each
// *RowError in it.
type ErrorList []*RowError

// maxListed is how many errors ErrorList.Error spells out.
const maxListed = 10

// Error lists the first few errors, one a line, and says how many more
// there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows:", len(l))
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

// Unwrap returns the errors, so that errors.Is and errors.As look inside the
// list.
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

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *RowError) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// rowErrorOf converts an error of package csvx.
func rowErrorOf(e *csvx.Error) *RowError {
	return &RowError{File: e.File, Line: e.Line, Column: e.Column, Field: e.Field, Err: e.Err}
}

// errDuplicate reports a record that appeared before.
func errDuplicate(what string, first string) error {
	return fmt.Errorf("%s appears twice with different values (first at %s): %w", what, first, partnership.ErrConflict)
}

var errNoValue = errors.New("value is required")
