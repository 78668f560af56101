package england

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// Encoding is the character encoding a file was read in.
type Encoding int

// Encodings of the extracts. GIAS and DfE publish Windows-1252; copies that
// went through pandas or R are UTF-8 (or plain ASCII, which is both).
const (
	EncodingUTF8 Encoding = iota
	EncodingWindows1252
)

// String returns "utf-8" or "windows-1252".
func (e Encoding) String() string {
	if e == EncodingWindows1252 {
		return "windows-1252"
	}
	return "utf-8"
}

// MarshalText implements encoding.TextMarshaler.
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Encoding) UnmarshalText(b []byte) error {
	switch string(b) {
	case "utf-8":
		*e = EncodingUTF8
	case "windows-1252":
		*e = EncodingWindows1252
	default:
		return fmt.Errorf("unknown encoding %q", b)
	}
	return nil
}

// maxFileSize bounds how much of a file (after decompression) Load reads.
// The largest real extract, the full GIAS establishment file, is about
// 60 MB.
const maxFileSize = 1 << 30

// readSource reads a whole file, decompressing gzip (recognised by its
// magic number, not its name) and removing a UTF-8 byte-order mark.
func readSource(fsys fs.FS, name string) (data []byte, compressed bool, err error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, false, err
	}
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		if len(raw) > maxFileSize {
			return nil, false, fmt.Errorf("%s: larger than %d bytes", name, maxFileSize)
		}
		return bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")), false, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", name, err)
	}
	defer zr.Close()
	// The gzip trailer holds the uncompressed size (of the last member,
	// modulo 2^32): a hint for the buffer, no more.
	hint := int64(len(raw)) * 4
	if len(raw) >= 18 {
		if n := int64(binary.LittleEndian.Uint32(raw[len(raw)-4:])); n <= maxFileSize && n <= int64(len(raw))*1100 {
			hint = n
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, hint+bytes.MinRead))
	if _, err := io.Copy(buf, io.LimitReader(zr, maxFileSize+1)); err != nil {
		return nil, true, fmt.Errorf("%s: %w", name, err)
	}
	if buf.Len() > maxFileSize {
		return nil, true, fmt.Errorf("%s: larger than %d bytes", name, maxFileSize)
	}
	return bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")), true, nil
}

// table reads the rows of one CSV file, giving access to fields by header
// name.
type table struct {
	file   string
	enc    Encoding
	r      *csv.Reader
	header []string // as written
	index  map[string]int
	rec    []string
	line   int       // line of the current row
	rows   int       // data rows read so far, good or bad
	lines  int       // lines in the file: an upper bound on its rows
	errs   ErrorList // rows refused
	warns  ErrorList // rows kept with a value dropped or adjusted
	strs   interner
}

// newTable parses the header of data. It fails when the first record is
// not CSV.
func newTable(file string, data []byte) (*table, error) {
	t := &table{file: file, enc: EncodingUTF8, strs: interner{}}
	if !validUTF8(data) {
		t.enc = EncodingWindows1252
	}
	t.lines = bytes.Count(data, []byte{'\n'}) + 1
	t.r = csv.NewReader(bytes.NewReader(data))
	t.r.ReuseRecord = true
	hdr, err := t.r.Read()
	if err != nil {
		return nil, err
	}
	t.header = make([]string, len(hdr))
	t.index = make(map[string]int, len(hdr))
	for i, h := range hdr {
		h = t.decode(h)
		t.header[i] = h
		k := normalise(h)
		if _, dup := t.index[k]; !dup && k != "" {
			t.index[k] = i
		}
	}
	return t, nil
}

// normalise folds a header name for lookup: lower case, '_' read as a
// space, runs of spaces collapsed, so that "phase_type_grouping" and
// "Phase type grouping" match.
func normalise(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.ReplaceAll(h, "_", " ")
	return strings.Join(strings.Fields(h), " ")
}

// col returns the index of the first of names present in the header, or
// -1. Names are given normalised.
func (t *table) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.index[n]; ok {
			return i
		}
	}
	return -1
}

// has reports whether every name is in the header.
func (t *table) has(names ...string) bool {
	for _, n := range names {
		if _, ok := t.index[n]; !ok {
			return false
		}
	}
	return true
}

// next advances to the next well-formed row. Malformed rows (bad quoting,
// a wrong number of fields) are recorded as errors and skipped. It returns
// false at the end of the file.
func (t *table) next() bool {
	for {
		before := t.r.InputOffset()
		rec, err := t.r.Read()
		if err == io.EOF {
			return false
		}
		t.rows++
		var pe *csv.ParseError
		switch {
		case err == nil:
			t.rec = rec
			t.line, _ = t.r.FieldPos(0)
			return true
		case errors.As(err, &pe) && pe.Err == csv.ErrFieldCount:
			t.fail(pe.StartLine, -1, fmt.Errorf("row has %d fields, the header %d", len(rec), len(t.header)))
		case errors.As(err, &pe):
			t.fail(pe.StartLine, -1, fmt.Errorf("%w (at line %d, byte %d)", pe.Err, pe.Line, pe.Column))
		default:
			t.fail(t.line+1, -1, err)
			return false
		}
		if t.r.InputOffset() == before {
			return false // no progress: stop rather than loop
		}
	}
}

// raw returns field i of the current row, trimmed, without copying: use it
// for values that are parsed, not kept. It is "" when i is -1 (column
// absent).
func (t *table) raw(i int) string {
	if i < 0 || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// text returns field i decoded to UTF-8, as a fresh string that does not
// hold the row's memory.
func (t *table) text(i int) string {
	s := t.raw(i)
	if t.enc == EncodingWindows1252 {
		if d := decodeCP1252(s); len(d) != len(s) || d != s {
			return d
		}
	}
	return strings.Clone(s)
}

// shared returns field i decoded, sharing memory with equal values read
// before: for values that repeat, such as LA and type names.
func (t *table) shared(i int) string {
	return t.strs.get(t.decode(t.raw(i)))
}

func (t *table) decode(s string) string {
	if t.enc == EncodingWindows1252 {
		return decodeCP1252(s)
	}
	return s
}

// rowError returns an error about column i (-1 for the row as a whole) of
// the row on line.
func (t *table) rowError(line, i int, err error) *RowError {
	e := &RowError{File: t.file, Line: line, Err: err}
	if i >= 0 {
		e.Column = i + 1
		if i < len(t.header) {
			e.Field = t.header[i]
		}
	}
	return e
}

// fail records a problem with column i (-1 for the row as a whole) of the
// row on line; the row is refused.
func (t *table) fail(line, i int, err error) { t.errs = append(t.errs, t.rowError(line, i, err)) }

// failf records a problem with column i of the current row.
func (t *table) failf(i int, err error) { t.fail(t.line, i, err) }

// warnf records that column i of the current row was dropped or adjusted.
func (t *table) warnf(i int, err error) { t.warns = append(t.warns, t.rowError(t.line, i, err)) }

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
