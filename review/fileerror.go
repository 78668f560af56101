package review

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Position is a place in a user's file: 1-based line and column (column 0
// when only the line is known).
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

// String returns "file:line:col", "file:line" or "file".
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// FileError is a problem in a user-authored file (a framework, rules,
// schools or reviewers): where it is, which field, and what is wrong. It
// wraps ErrInvalid.
type FileError struct {
	Pos   Position
	Field string
	Msg   string
}

// Error returns "file:line:col: field: msg".
func (e *FileError) Error() string {
	if e.Field == "" {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Pos.String() + ": " + e.Field + ": " + e.Msg
}

// Unwrap returns ErrInvalid.
func (e *FileError) Unwrap() error { return ErrInvalid }

// ErrorList is every problem found in one pass over a file, sorted by
// position.
type ErrorList []*FileError

// Error joins the problems, one a line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Err returns nil for an empty list and the sorted list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	slices.SortStableFunc(l, func(a, b *FileError) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	return l
}

// Unwrap returns the problems, so errors.Is(list, ErrInvalid) holds.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

func (l *ErrorList) add(file string, line, col int, field, format string, a ...any) {
	*l = append(*l, &FileError{Pos: Position{File: file, Line: line, Column: col}, Field: field, Msg: fmt.Sprintf(format, a...)})
}
