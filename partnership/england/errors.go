package england

import (
	"errors"
	"fmt"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// RowError is a problem with one row of an extract: a value that does not
// parse, a row with the wrong number of fields, a URN that appears twice.
// It is the module's one positioned-error type, that of the CSV layer
// (internal/csvx): File (the file's name in the directory or file system
// loaded), Line (1-based line on which the row starts; 0 for the file as a
// whole), Column (1-based field number of the bad value, counting every
// field including an unnamed index column; 0 for the row as a whole),
// Field (the header name of that column) and Err; Error returns
// "file:line:column: field: problem", the form compilers use, leaving out
// the parts that are zero.
//
// Every RowError that Load returns or lists matches partnership.ErrInvalid
// under errors.Is; one about a duplicate record also matches
// partnership.ErrConflict.
type RowError = csvx.Error

// ErrorList is a list of row errors, which Load returns when it refuses
// rows, sorted by file, line and column. errors.As finds each *RowError in
// it, and errors.Is looks inside each. Err is nil for an empty list; Error
// spells out the first ten.
type ErrorList = csvx.ErrorList

// invalidError marks a row error's problem as invalid input without
// changing its message: errors.Is(err, partnership.ErrInvalid) holds, and
// the problem itself is still found by errors.Is and errors.As.
type invalidError struct{ err error }

func (e invalidError) Error() string { return e.err.Error() }

func (e invalidError) Unwrap() error { return e.err }

func (e invalidError) Is(target error) bool { return target == partnership.ErrInvalid }

// rowErr returns a RowError whose problem matches partnership.ErrInvalid.
func rowErr(file string, line, column int, field string, err error) *RowError {
	if err == nil {
		err = errors.New("invalid row")
	}
	if !errors.Is(err, partnership.ErrInvalid) {
		err = invalidError{err}
	}
	return &RowError{File: file, Line: line, Column: column, Field: field, Err: err}
}

// rowErrorOf converts an error of package csvx.
func rowErrorOf(e *csvx.Error) *RowError { return rowErr(e.File, e.Line, e.Column, e.Field, e.Err) }

// errDuplicate reports a record that appeared before.
func errDuplicate(what string, first string) error {
	return fmt.Errorf("%s appears twice with different values (first at %s): %w", what, first, partnership.ErrConflict)
}

var errNoValue = errors.New("value is required")
