package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fulcrum-edu/fulcrum/internal/limitfile"
)

// Limits on the files commands open themselves; the readers of the domain
// packages enforce their own limits on lines and records as they stream.
const (
	maxYAMLBytes = 4 << 20 // rules, offers, policies: hand-written files
	// maxListBytes caps lists of schools, reviewers, needs, offers and
	// overrides: England's 22,000 schools take about 3 MB.
	maxListBytes = 64 << 20
	// maxDataBytes caps indicators, history and DIMACS files: England's
	// history over risk synth's 30 terms takes about 200 MB.
	maxDataBytes = 1 << 30
)

// readFileLimited reads the file name whole, refusing one over limit bytes
// having read at most limit+1 of them.
func readFileLimited(name string, limit int64) ([]byte, error) {
	return readWith(name, limit, func(_ string, r io.Reader) ([]byte, error) { return io.ReadAll(r) })
}

// readWith opens name with openLimited, reads it with read (given the
// name, for its errors) and closes it.
func readWith[T any](name string, limit int64, read func(name string, r io.Reader) (T, error)) (T, error) {
	f, err := openLimited(name, limit)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return read(name, f)
}

// openLimited opens name for streaming: its reads fail with
// limitfile.ErrTooLarge, naming the file and the limit, once more than
// limit bytes have been read.
func openLimited(name string, limit int64) (io.ReadCloser, error) {
	f, err := limitfile.Open(name, limit)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// maxEchoBytes is the most of one line of an error message the tool
// prints: a malformed file can put a whole line, megabytes long, into a
// reader's message.
const maxEchoBytes = 512

// excerpt shortens every line of msg to maxEchoBytes, saying how much was
// left out.
func excerpt(msg string) string {
	if len(msg) <= maxEchoBytes {
		return msg
	}
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if len(l) > maxEchoBytes {
			cut := maxEchoBytes
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			lines[i] = fmt.Sprintf("%s... (%d more bytes)", l[:cut], len(l)-cut)
		}
	}
	return strings.Join(lines, "\n")
}
