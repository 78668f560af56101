// Package csvx is Fulcrum's one layer for reading CSV files that people
// bring: public extracts (GIAS, the DfE census, Ofsted), spreadsheets saved
// from Excel, and files written by hand. Every reader of user CSV in the
// module uses it, so that every such file is read, and refused, the same
// way.
//
// # Reading a file
//
//	r, err := csvx.Open(fsys, "schools.csv", &csvx.Options{AllowShortRows: true})
//	if err != nil {
//		return err // *csvx.Error naming the file: empty, binary, repeated header ...
//	}
//	defer r.Close()
//	urn := r.Col("URN")                               // bind each column once, by name
//	fsm := r.Col("% FSM", "PercentageFSM", "pnumfsm") // or by the first of several aliases
//	if !urn.Found() {
//		return r.Errorf(csvx.Col{}, "no URN column")
//	}
//	var errs csvx.ErrorList
//	for r.Next() {
//		if _, err := strconv.Atoi(r.Field(urn)); err != nil {
//			errs = append(errs, r.Errorf(urn, "%q is not a URN", r.Field(urn)))
//		}
//	}
//	if err := r.Err(); err != nil {
//		return err // too large, a record too long, I/O: reading stopped
//	}
//	errs = append(errs, r.Skipped()...) // malformed rows, passed over
//	errs.Sort()
//	return errs.Err()
//
// # Header
//
// The first record is the header. Names are compared by Key: case, runs of
// spaces and underscores do not matter. Two cells with one name are an
// error (ErrRepeatedHeader) naming the file and both columns: a lookup by
// name would otherwise silently pick one. Empty cells (such as the unnamed
// index column pandas writes) are allowed and never bound. A header that
// holds control characters, or a file read as UTF-8 or Windows-1252 with a
// NUL byte in its first 64 KiB, is refused with ErrNotText (a binary file,
// or an encoding not recognised).
//
// # Encodings
//
// With Options.Encoding left at Detect, in this order:
//   - a byte-order mark settles it: UTF-8 (EF BB BF), UTF-16LE (FF FE, what
//     Excel's "Unicode text" writes), UTF-16BE (FE FF); the mark is removed;
//   - without a mark, a zero byte among the first two means UTF-16 (a
//     header's first character is below U+0100);
//   - otherwise the first 64 KiB are checked: not valid UTF-8 means
//     Windows-1252 (what GIAS and the DfE publish) for the whole file;
//     valid means UTF-8, and a byte further on that is not UTF-8 is still
//     decoded as Windows-1252, never as U+FFFD (Encoding then reports
//     Windows1252). A Windows-1252 file whose first 64 KiB are ASCII and
//     whose later non-ASCII bytes happen to spell valid UTF-8 (such as
//     "Ã©") is misread; forcing Options.Encoding avoids it.
//
// The field delimiter is ',' or, when the header line holds more tabs than
// commas outside quotes, '\t' (Excel's "Unicode text" is tab-separated);
// Options.Comma forces one. A gzip-compressed file is recognised by its
// magic number and decompressed. Decoding uses golang.org/x/text.
//
// # Limits
//
// Nothing is read whole. The file's size (after decompression) is capped
// by Options.MaxBytes and one record by Options.MaxRecordBytes, both
// checked while streaming: a 200 MB line fails after about
// MaxRecordBytes have been read, and the message quotes only a short
// excerpt of it. Skipped keeps at most Options.MaxErrors errors.
//
// # Rows
//
// Next passes over a malformed row (bad quoting: ErrSyntax; a row with
// more fields than the header, or fewer unless Options.AllowShortRows:
// ErrFieldCount), recording it in Skipped, and stops at the end of the file
// or at an error that ends reading (ErrTooLarge, ErrRecordTooLong, I/O),
// which Err returns. Blank lines are ignored. Field returns values as
// decoded, untrimmed. With Options.TransientFields they share the
// Reader's buffer and are valid only until the next call of Next: a
// reader of large files that converts every value it keeps saves a copy
// and an allocation per row.
//
// # Errors
//
// Every error is an *Error with the file, the 1-based line, the 1-based
// field number and the header name where they apply, formatted
// "file:line:column: field: problem", wrapping a sentinel of this package
// or the domain's own error. ErrorList collects them for a report of every
// problem in one pass, in the style of go/scanner: Sort, Err (nil when
// empty), and Unwrap so that errors.Is and errors.As look inside. Domain
// packages build their own positioned errors with Reader.Errorf and may
// convert *Error into their exported error type.
//
// # Concurrency
//
// A Reader is used by one goroutine at a time. The package has no global
// state.
package csvx
