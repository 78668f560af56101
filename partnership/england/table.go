package england

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// Encoding is the character encoding a file was read in.
type Encoding int

// Encodings of the extracts. GIAS and DfE publish Windows-1252; copies that
// went through pandas or R are UTF-8 (or plain ASCII, which is both); a file
// saved from Excel as "Unicode text" is UTF-16.
const (
	EncodingUTF8 Encoding = iota
	EncodingWindows1252
	EncodingUTF16LE
	EncodingUTF16BE
)

var encodingNames = []string{"utf-8", "windows-1252", "utf-16le", "utf-16be"}

// String returns "utf-8", "windows-1252", "utf-16le" or "utf-16be".
func (e Encoding) String() string {
	if e >= 0 && int(e) < len(encodingNames) {
		return encodingNames[e]
	}
	return "encoding(" + strconv.Itoa(int(e)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Encoding) UnmarshalText(b []byte) error {
	for i, n := range encodingNames {
		if n == string(b) {
			*e = Encoding(i)
			return nil
		}
	}
	return fmt.Errorf("unknown encoding %q", b)
}

func encodingOf(e csvx.Encoding) Encoding {
	switch e {
	case csvx.Windows1252:
		return EncodingWindows1252
	case csvx.UTF16LE:
		return EncodingUTF16LE
	case csvx.UTF16BE:
		return EncodingUTF16BE
	}
	return EncodingUTF8
}

// csvOptions are how Load reads every file: streamed through package csvx
// (size capped at 1 GiB and a record at 1 MiB while reading), rows with
// fewer fields than the header accepted, their missing trailing fields
// empty.
var csvOptions = csvx.Options{AllowShortRows: true}

// table reads the rows of one CSV file, giving access to fields by header
// name.
type table struct {
	file  string
	r     *csvx.Reader
	rec   []string
	line  int       // line of the current row
	errs  ErrorList // rows refused
	warns ErrorList // rows kept with a value dropped or adjusted
	strs  interner
	err   error // what stopped reading early (size, I/O), if anything
}

// openTable opens a file and reads its header.
func openTable(fsys fs.FS, file string) (*table, error) {
	r, err := csvx.Open(fsys, file, &csvOptions)
	if err != nil {
		return nil, err
	}
	return &table{file: file, r: r, strs: interner{}}, nil
}

// close releases the file; the rows read stay.
func (t *table) close() { t.r.Close() }

// rows is the number of data rows read, good or bad.
func (t *table) rows() int { return t.r.Rows() }

// col returns the index of the first of names present in the header, or
// -1. Names are compared as csvx.Key folds them.
func (t *table) col(names ...string) int { return t.r.Col(names...).Index() }

// name returns the header name of column i as written, or "" when i is -1.
func (t *table) name(i int) string {
	if h := t.r.Header(); i >= 0 && i < len(h) {
		return h[i]
	}
	return ""
}

// has reports whether every name is in the header.
func (t *table) has(names ...string) bool { return t.r.Has(names...) }

// next advances to the next well-formed row. Malformed rows (bad quoting,
// more fields than the header) are recorded as errors and skipped. It
// returns false at the end of the file, or when reading stopped (t.err).
func (t *table) next() bool {
	if t.r.Next() {
		t.rec = t.r.Record()
		t.line = t.r.Line()
		return true
	}
	for _, e := range t.r.Skipped() {
		t.errs = append(t.errs, rowErrorOf(e))
	}
	if n := t.r.SkippedCount() - len(t.r.Skipped()); n > 0 {
		t.errs = append(t.errs, rowErr(t.file, 0, 0, "", fmt.Errorf("and %d more malformed rows", n)))
	}
	t.err = t.r.Err()
	t.rec = nil
	return false
}

// raw returns field i of the current row, trimmed, without copying: use it
// for values that are parsed, not kept. It is "" when i is -1 (column
// absent) or the row is short.
func (t *table) raw(i int) string {
	if i < 0 || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// text returns field i as a fresh string that does not hold the row's
// memory.
func (t *table) text(i int) string { return strings.Clone(t.raw(i)) }

// shared returns field i, sharing memory with equal values read before: for
// values that repeat, such as LA and type names.
func (t *table) shared(i int) string { return t.strs.get(t.raw(i)) }

// rowError returns an error about column i (-1 for the row as a whole) of
// the row on line.
func (t *table) rowError(line, i int, err error) *RowError {
	col, field := 0, ""
	if i >= 0 {
		col = i + 1
		if h := t.r.Header(); i < len(h) {
			field = h[i]
		}
	}
	return rowErr(t.file, line, col, field, err)
}

// fail records a problem with column i (-1 for the row as a whole) of the
// row on line; the row is refused.
func (t *table) fail(line, i int, err error) { t.errs = append(t.errs, t.rowError(line, i, err)) }

// failf records a problem with column i of the current row.
func (t *table) failf(i int, err error) { t.fail(t.line, i, err) }

// expectValues records a warning about the file as a whole when column i
// is present but gave no value (blank or suppressed in every row) while
// the file has rows: a column 100% empty is said once, like a missing one.
func (t *table) expectValues(i, values int, consequence string) {
	if i >= 0 && values == 0 && t.rows() > 0 {
		t.warns = append(t.warns, t.rowError(1, i, fmt.Errorf("no value in any of the %d rows: %s", t.rows(), consequence)))
	}
}

// warnf records that column i of the current row was dropped or adjusted.
func (t *table) warnf(i int, err error) { t.warns = append(t.warns, t.rowError(t.line, i, err)) }

// expect records a warning about the file as a whole when column i (found
// under the name want or an alias) is absent: what the loader then cannot
// know is said once, not left as silent unknowns in every row.
func (t *table) expect(i int, want, consequence string) {
	if i < 0 {
		t.warns = append(t.warns, rowErr(t.file, 1, 0, "", fmt.Errorf("no %q column (nor an alias of it): %s", want, consequence)))
	}
}

// interner shares the memory of strings that repeat in a file (LA names,
// type names, regions).
type interner map[string]string

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}
