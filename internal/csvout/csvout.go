// Package csvout writes CSV for people who open it in a spreadsheet.
//
// A spreadsheet runs a cell that begins with =, +, - or @ (and, in some, a
// tab or a carriage return) as a formula, so a school name such as
// =HYPERLINK("http://evil.example","click") taken from an input file would
// become a live link, or worse, in the trust's copy of a report (CSV or
// formula injection). Writer neutralises such cells by prefixing an
// apostrophe, which spreadsheets take as "show the rest as text" and hide.
// Numbers such as -1.55 or +44 are left alone: a spreadsheet reads them as
// numbers, not formulas. Options.Formulas turns the guard off for files
// that will be read by programs only.
//
// The guard changes the data: a neutralised cell read back by a program
// keeps its apostrophe. Fulcrum's readers take cells as written.
package csvout

import (
	"encoding/csv"
	"io"
	"strings"
)

// Options configure a Writer. The zero value neutralises formula cells.
type Options struct {
	// Formulas writes every cell unchanged, formulas included.
	Formulas bool
}

// Writer writes CSV records as encoding/csv does (RFC 4180, comma, \n line
// ends), neutralising formula cells unless Options.Formulas is set. It is
// not safe for concurrent use.
type Writer struct {
	cw       *csv.Writer
	formulas bool
	buf      []string
}

// NewWriter returns a Writer on w; opts may be nil.
func NewWriter(w io.Writer, opts *Options) *Writer {
	cw := &Writer{cw: csv.NewWriter(w)}
	if opts != nil {
		cw.formulas = opts.Formulas
	}
	return cw
}

// Write writes one record, buffered; record is not modified or kept.
func (w *Writer) Write(record []string) error {
	if w.formulas {
		return w.cw.Write(record)
	}
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Neutralise(c))
	}
	return w.cw.Write(w.buf)
}

// Flush writes buffered records to the underlying writer; Error reports
// whether it failed.
func (w *Writer) Flush() { w.cw.Flush() }

// Error returns the first error of a Write or Flush.
func (w *Writer) Error() error { return w.cw.Error() }

// Neutralise returns cell prefixed with an apostrophe when a spreadsheet
// would run it as a formula: when it begins with =, +, -, @, a tab or a
// carriage return and is not a decimal number. Other cells are returned
// unchanged.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '@', '\t', '\r':
		return "'" + cell
	case '+', '-':
		if isDecimal(cell[1:]) {
			return cell
		}
		return "'" + cell
	}
	return cell
}

// isDecimal reports whether s is digits with at most one point and an
// optional exponent: 1, 1.5, .5, 1e-3.
func isDecimal(s string) bool {
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	digits, point := 0, false
	for _, c := range mant {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return false
		}
	}
	if digits == 0 {
		return false
	}
	if !hasExp {
		return true
	}
	if exp != "" && (exp[0] == '+' || exp[0] == '-') {
		exp = exp[1:]
	}
	if exp == "" {
		return false
	}
	for _, c := range exp {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
