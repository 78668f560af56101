package csvx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Defaults for the zero fields of Options.
const (
	DefaultMaxBytes       = 1 << 30 // 1 GiB: the full GIAS extract is about 60 MB
	DefaultMaxRecordBytes = 1 << 20 // 1 MiB: a GIAS row is about 2 KB
	DefaultMaxErrors      = 1000
)

// Options configure a Reader. A nil *Options means the zero Options, and
// every zero field means its default.
type Options struct {
	// Encoding forces an encoding; Detect (zero) detects it.
	Encoding Encoding
	// Comma is the field delimiter; 0 detects ',' or '\t' from the header
	// line (whichever occurs more often outside quotes; ',' on a tie).
	Comma rune
	// AllowShortRows accepts a row with fewer fields than the header, its
	// missing trailing fields reading as "" (spreadsheets and some
	// publishers leave trailing empty fields out). False (zero) refuses
	// such a row with ErrFieldCount. A row with more fields than the
	// header is always refused.
	AllowShortRows bool
	// MaxBytes caps the file's size after gzip decompression and before
	// decoding; zero means DefaultMaxBytes. The cap is checked while
	// streaming: Next fails with ErrTooLarge as soon as it is passed.
	MaxBytes int64
	// MaxRecordBytes caps one record (a line, or several when a quoted
	// field holds line breaks) after decoding; zero means
	// DefaultMaxRecordBytes. Memory held for one record stays within about
	// MaxRecordBytes + 64 KiB: a 200 MB line fails with ErrRecordTooLong
	// after about MaxRecordBytes have been read.
	MaxRecordBytes int
	// MaxErrors caps how many skipped rows Skipped keeps (the rest are
	// only counted); zero means DefaultMaxErrors.
	MaxErrors int
	// Comment, when not zero, marks comment lines: a line starting with
	// it (before or after the header) is ignored, and line numbers still
	// count it. Zero (the default) reads every line as data.
	Comment rune

	// TransientFields lets the strings Field and Record return share the
	// Reader's buffer, for a reader of large files that converts every
	// value it keeps: each such string is valid only until the next call
	// of Next (or Close), after which its bytes change; keep one with
	// strings.Clone. Rows are then split without a copy and without an
	// allocation. False (zero) gives strings that may be kept for ever.
	TransientFields bool

	// slow turns the fast path off (tests compare the two).
	slow bool
	// bufSize sets the read buffer's size (tests cut lines with a small
	// one); zero means sniffSize.
	bufSize int
}

// Col is a header column bound by name (see Reader.Col). The zero Col is
// an absent column, whose Field is always "".
type Col struct {
	i    int // index + 1; 0 when absent
	name string
}

// Found reports whether the column is in the header.
func (c Col) Found() bool { return c.i > 0 }

// Index returns the column's 0-based index in the header, or -1.
func (c Col) Index() int { return c.i - 1 }

// Name returns the header name as written in the file, or "".
func (c Col) Name() string { return c.name }

// Reader reads one CSV file row by row: the header once, then records
// whose fields are looked up through the columns bound by name. It is not
// safe for concurrent use.
type Reader struct {
	file     string
	opts     Options
	closer   io.Closer
	gz       *gzip.Reader
	enc      Encoding
	fallback bool
	comma    rune
	limit    *recordLimit
	cr       *csv.Reader
	buf      *bufio.Reader // cr reads from it too
	fast     bool          // lines without quotes are split here, not by cr
	fastRec  []string
	fastLine int   // lines the fast path consumed
	fastOff  int64 // bytes the fast path consumed
	crLines  int   // lines cr consumed (its own line count)
	header   []string
	index    map[string]int
	rec      []string
	line     int
	rows     int
	skipped  ErrorList
	nskipped int
	err      error
	done     bool
}

// Open opens name in fsys and reads its header (see NewReader). Close the
// Reader to close the file.
func Open(fsys fs.FS, name string, opts *Options) (*Reader, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	r, err := NewReader(name, f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads the header of the CSV text in src. file names the source
// in errors. The text may be gzip-compressed (recognised by its magic
// number, not its name) and in any Encoding (see the package
// documentation).
//
// It fails with an *Error (File set) wrapping ErrEmpty when there is no
// header, ErrNotText when the header holds control characters,
// ErrRepeatedHeader when two header cells share a name, ErrSyntax,
// ErrTooLarge or ErrRecordTooLong, or the error of src or of gzip.
func NewReader(file string, src io.Reader, opts *Options) (*Reader, error) {
	r := &Reader{file: file}
	if opts != nil {
		r.opts = *opts
	}
	if r.opts.MaxBytes <= 0 {
		r.opts.MaxBytes = DefaultMaxBytes
	}
	if r.opts.MaxRecordBytes <= 0 {
		r.opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if r.opts.MaxErrors <= 0 {
		r.opts.MaxErrors = DefaultMaxErrors
	}
	if err := r.start(src); err != nil {
		if r.gz != nil {
			r.gz.Close()
		}
		var e *Error
		switch {
		case errors.As(err, &e):
			return nil, e
		case errors.Is(err, ErrEmpty), errors.Is(err, ErrNotText):
			return nil, &Error{File: file, Err: err}
		}
		return nil, r.readError(nil, err)
	}
	return r, nil
}

func (r *Reader) start(src io.Reader) error {
	raw := bufio.NewReaderSize(src, sniffSize)
	var body io.Reader = raw
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		r.gz = gz
		body = gz
	}
	capped := bufio.NewReaderSize(&sizeLimit{r: body, left: r.opts.MaxBytes}, sniffSize)
	text, enc, err := decoder(capped, r.opts.Encoding, &r.fallback)
	if err != nil {
		return err
	}
	r.enc = enc
	r.limit = &recordLimit{r: text, max: int64(r.opts.MaxRecordBytes) + sniffSize}
	size := sniffSize
	if r.opts.bufSize > 0 {
		size = r.opts.bufSize
	}
	buf := bufio.NewReaderSize(r.limit, size)
	r.buf = buf
	r.comma = r.opts.Comma
	if r.comma == 0 {
		head, err := buf.Peek(sniffSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
		r.comma = detectComma(head)
	}
	r.cr = csv.NewReader(buf) // uses buf itself: it is large enough
	r.cr.Comma = r.comma
	r.cr.Comment = r.opts.Comment
	r.cr.FieldsPerRecord = -1
	r.cr.ReuseRecord = true
	hdr, err := r.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return ErrEmpty
		}
		return r.readError(hdr, err)
	}
	r.limit.mark = r.cr.InputOffset()
	r.line, _ = r.cr.FieldPos(0)
	r.crLines = crLinesAfter(r.cr, hdr)
	r.fast = !r.opts.slow && (r.comma == ',' || r.comma == '\t' || r.comma == ';' || r.comma == '|') && r.opts.Comment != r.comma
	r.header = make([]string, len(hdr))
	r.index = make(map[string]int, len(hdr))
	for i, h := range hdr {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if strings.IndexFunc(h, func(c rune) bool { return unicode.IsControl(c) && c != '\t' }) >= 0 {
			return &Error{File: r.file, Line: r.line, Column: i + 1, Err: fmt.Errorf("%w: header cell %s holds control characters (binary data, or an encoding not recognised)", ErrNotText, excerpt(h, 20))}
		}
		r.header[i] = h
		k := Key(h)
		if k == "" {
			continue // unnamed (a pandas index column): not bound by name
		}
		if j, dup := r.index[k]; dup {
			return &Error{File: r.file, Line: r.line, Column: i + 1, Field: h,
				Err: fmt.Errorf("%w: columns %d %q and %d %q have the same name", ErrRepeatedHeader, j+1, r.header[j], i+1, h)}
		}
		r.index[k] = i
	}
	return nil
}

// detectComma picks ',' or '\t' by counting them, outside quotes, on the
// first line of head.
func detectComma(head []byte) rune {
	commas, tabs, quoted := 0, 0, false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if tabs > commas {
				return '\t'
			}
			return ','
		case c == ',':
			commas++
		case c == '\t':
			tabs++
		}
	}
	if tabs > commas {
		return '\t'
	}
	return ','
}

// Key returns the form in which header names are compared: lower case,
// '_' read as a space, spaces trimmed and runs of them collapsed, so that
// "Phase_type_grouping" and "phase type  grouping" are one name.
func Key(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.ReplaceAll(h, "_", " ")
	return strings.Join(strings.Fields(h), " ")
}

// File returns the name the Reader was given.
func (r *Reader) File() string { return r.file }

// Encoding returns the encoding the file is read in. A file read as UTF-8
// in which a byte that is not UTF-8 was met (and decoded as Windows-1252)
// reports Windows1252 from then on.
func (r *Reader) Encoding() Encoding {
	if r.enc == UTF8 && r.fallback {
		return Windows1252
	}
	return r.enc
}

// Comma returns the field delimiter in use.
func (r *Reader) Comma() rune { return r.comma }

// Compressed reports whether the file was gzip-compressed.
func (r *Reader) Compressed() bool { return r.gz != nil }

// Header returns the header cells as written (decoded, spaces trimmed).
// The caller must not modify it.
func (r *Reader) Header() []string { return r.header }

// Col binds a column by name: the first of names in the header (compared
// by Key), or the zero Col when none is. Bind once, after NewReader, and
// use the Col for every row.
func (r *Reader) Col(names ...string) Col {
	for _, n := range names {
		if i, ok := r.index[Key(n)]; ok {
			return Col{i: i + 1, name: r.header[i]}
		}
	}
	return Col{}
}

// Has reports whether every one of names is in the header.
func (r *Reader) Has(names ...string) bool {
	for _, n := range names {
		if _, ok := r.index[Key(n)]; !ok {
			return false
		}
	}
	return true
}

// Next advances to the next well-formed row and reports whether there is
// one. A malformed row (bad quoting, a wrong number of fields) is recorded
// in Skipped and passed over. Next returns false at the end of the file or
// on an error that stops reading (ErrTooLarge, ErrRecordTooLong, an I/O
// error), which Err then returns.
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	for {
		if r.fast {
			if rec, ok := r.nextFast(); ok {
				r.rows++
				if r.accept(rec) {
					return true
				}
				continue
			}
		}
		before := r.cr.InputOffset()
		rec, err := r.cr.Read()
		r.limit.mark = r.cr.InputOffset() + r.fastOff
		if errors.Is(err, io.EOF) {
			r.done = true
			return false
		}
		r.rows++
		var pe *csv.ParseError
		switch {
		case err == nil:
			r.crLines = crLinesAfter(r.cr, rec)
		case errors.As(err, &pe):
			r.crLines = pe.Line
		}
		if err == nil {
			r.line, _ = r.cr.FieldPos(0)
			r.line += r.fastLine
			if r.accept(rec) {
				return true
			}
			continue
		}
		if pe != nil {
			r.line = pe.StartLine + r.fastLine
			r.skip(&Error{File: r.file, Line: r.line, Err: fmt.Errorf("%w: %v (line %d, byte %d)", ErrSyntax, pe.Err, pe.Line+r.fastLine, pe.Column)})
			if r.cr.InputOffset() > before {
				continue
			}
		} else {
			r.err = r.readError(rec, err)
		}
		r.done = true
		r.rec = nil
		return false
	}
}

// accept makes rec the current row when its number of fields fits the
// header, and otherwise records it as skipped.
func (r *Reader) accept(rec []string) bool {
	n, h := len(rec), len(r.header)
	if n == h || (n < h && r.opts.AllowShortRows) {
		r.rec = rec
		return true
	}
	r.skip(&Error{File: r.file, Line: r.line, Err: fmt.Errorf("%w: the row has %d, the header %d", ErrFieldCount, n, h)})
	return false
}

// nextFast reads the next record when it is a line already in the buffer,
// whole, that holds no quote: split at each delimiter, as encoding/csv
// would split it, with comment and empty lines passed over as it passes
// them. Anything else (a quote, a line not yet buffered, the last line
// without a line break) is left to encoding/csv, which reads on from the
// same buffer; line numbers add up the lines each consumed.
func (r *Reader) nextFast() ([]string, bool) {
	for {
		b, _ := r.buf.Peek(r.buf.Buffered())
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil, false
		}
		line := b[:i]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		skip := len(line) == 0
		if c := r.opts.Comment; c != 0 && !skip {
			first, _ := utf8.DecodeRune(line)
			skip = first == c
		}
		if !skip && bytes.IndexByte(line, '"') >= 0 {
			return nil, false
		}
		r.fastLine++
		r.fastOff += int64(i + 1)
		if skip {
			r.buf.Discard(i + 1)
			continue
		}
		var s string
		if r.opts.TransientFields {
			// The bytes stay in the buffer until the next read from
			// it, which only the next call of Next makes.
			s = unsafe.String(unsafe.SliceData(line), len(line))
		} else {
			s = string(line)
		}
		r.buf.Discard(i + 1)
		rec := r.fastRec[:0]
		comma := byte(r.comma)
		for {
			j := strings.IndexByte(s, comma)
			if j < 0 {
				rec = append(rec, s)
				break
			}
			rec = append(rec, s[:j])
			s = s[j+1:]
		}
		r.fastRec = rec
		r.line = r.crLines + r.fastLine
		r.limit.mark = r.cr.InputOffset() + r.fastOff
		return rec, true
	}
}

// crLinesAfter returns how many lines cr has consumed once it returned
// rec: the line its last field starts on, plus the line breaks inside it
// (a quoted field may hold some).
func crLinesAfter(cr *csv.Reader, rec []string) int {
	if len(rec) == 0 {
		return 0
	}
	line, _ := cr.FieldPos(len(rec) - 1)
	return line + strings.Count(rec[len(rec)-1], "\n")
}

// readError turns an error that stops reading into an *Error.
func (r *Reader) readError(rec []string, err error) error {
	line := r.line + 1
	if len(rec) > 0 {
		line, _ = r.cr.FieldPos(0)
		line += r.fastLine
	}
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return &Error{File: r.file, Line: pe.StartLine + r.fastLine, Err: fmt.Errorf("%w: %v (line %d, byte %d)", ErrSyntax, pe.Err, pe.Line+r.fastLine, pe.Column)}
	case errors.Is(err, ErrRecordTooLong):
		start := ""
		if len(rec) > 0 {
			start = ", starting " + excerpt(rec[0], 40)
		}
		return &Error{File: r.file, Line: line, Err: fmt.Errorf("%w: more than %d bytes%s", ErrRecordTooLong, r.opts.MaxRecordBytes, start)}
	case errors.Is(err, ErrTooLarge):
		return &Error{File: r.file, Line: line, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, r.opts.MaxBytes)}
	}
	return &Error{File: r.file, Line: line, Err: err}
}

func (r *Reader) skip(e *Error) {
	r.nskipped++
	if len(r.skipped) < r.opts.MaxErrors {
		r.skipped = append(r.skipped, e)
	}
}

// Err returns the error that stopped reading, or nil at a clean end of
// file. Rows skipped are not errors of the Reader: see Skipped.
func (r *Reader) Err() error { return r.err }

// Skipped returns the malformed rows passed over so far (at most
// Options.MaxErrors of them), in file order. Each wraps ErrSyntax or
// ErrFieldCount.
func (r *Reader) Skipped() ErrorList { return r.skipped }

// SkippedCount returns how many rows were skipped, including those beyond
// Options.MaxErrors.
func (r *Reader) SkippedCount() int { return r.nskipped }

// Rows returns how many records after the header were read so far, good
// or skipped.
func (r *Reader) Rows() int { return r.rows }

// Line returns the 1-based line on which the current row starts.
func (r *Reader) Line() int { return r.line }

// Record returns the current row's fields, valid until the next call of
// Next; it may be shorter than the header when Options.AllowShortRows is
// set.
func (r *Reader) Record() []string { return r.rec }

// Field returns the value of column c in the current row, as decoded and
// untrimmed; "" when c is absent or the row is short.
func (r *Reader) Field(c Col) string {
	if i := c.i - 1; i >= 0 && i < len(r.rec) {
		return r.rec[i]
	}
	return ""
}

// Errorf returns an *Error about column c of the current row (the row as
// a whole when c is the zero Col), with a message formatted as by
// fmt.Errorf (so %w wraps).
func (r *Reader) Errorf(c Col, format string, args ...any) *Error {
	e := &Error{File: r.file, Line: r.line, Err: fmt.Errorf(format, args...)}
	if c.Found() {
		e.Column, e.Field = c.i, c.name
	}
	return e
}

// Close releases the gzip reader and closes the file when the Reader was
// made by Open. It does not close a reader given to NewReader.
func (r *Reader) Close() error {
	var err error
	if r.gz != nil {
		err = r.gz.Close()
	}
	if r.closer != nil {
		if cerr := r.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// sizeLimit fails with ErrTooLarge once more than left bytes are read.
type sizeLimit struct {
	r    io.Reader
	left int64
}

func (l *sizeLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

// recordLimit fails with ErrRecordTooLong once more than max bytes have
// been read past mark, the offset at which the current record starts.
type recordLimit struct {
	r    io.Reader
	read int64
	mark int64
	max  int64
}

func (l *recordLimit) Read(p []byte) (int, error) {
	left := l.mark + l.max - l.read
	if left <= 0 {
		return 0, ErrRecordTooLong
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
