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
// # Reading a guarded file back
//
// The guard is exactly reversible. A cell that begins with an apostrophe
// followed by something the guard would neutralise is itself prefixed
// ('=1 is written with two apostrophes), so Restore, which removes the one
// apostrophe the guard added, returns every cell as it was before
// writing: no cell written by a Writer reads back changed, guarded or not.
// Fulcrum's readers of the files its tool writes and reads again (needs
// and offers, reviewers and schools, the school names in risk indicators)
// call Restore, so those files stay guarded for the people who open them
// and still round-trip. Restore reads a hand-written cell such as '=1 the
// way a spreadsheet shows it: =1.
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
// carriage return and is not a decimal number; and, so that Restore can
// undo it, when it is an apostrophe followed by such a cell. Other cells
// are returned unchanged.
func Neutralise(cell string) string {
	if guarded(cell) {
		return "'" + cell
	}
	return cell
}

// Restore undoes Neutralise: it removes the leading apostrophe of a cell
// whose remainder Neutralise would have prefixed, and returns other cells
// unchanged. Restore(Neutralise(c)) == c for every c.
func Restore(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && guarded(cell[1:]) {
		return cell[1:]
	}
	return cell
}

// guarded reports whether Neutralise prefixes cell.
func guarded(cell string) bool {
	for i := 0; i < len(cell); i++ {
		switch cell[i] {
		case '\'':
			continue // '=1 is guarded as ''=1, so that Restore can tell them apart
		case '=', '@', '\t', '\r':
			return true
		case '+', '-':
			return !isDecimal(cell[i+1:])
		}
		return false
	}
	return false
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
