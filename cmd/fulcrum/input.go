package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
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

// errTooLarge is the error of a file over its limit.
var errTooLarge = errors.New("file too large")

// readFileLimited reads the file name whole, refusing one over limit bytes
// having read at most limit+1 of them.
func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := openLimited(name, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
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

// openLimited opens name for streaming: its reads fail with errTooLarge,
// naming the file and the limit, once more than limit bytes have been read.
func openLimited(name string, limit int64) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &limitedFile{f: f, name: name, left: limit, limit: limit}, nil
}

type limitedFile struct {
	f           *os.File
	name        string
	left, limit int64
}

func (l *limitedFile) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.tooLarge()
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.f.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n - 1, l.tooLarge()
	}
	return n, err
}

func (l *limitedFile) tooLarge() error {
	return fmt.Errorf("%s: %w: over %d MiB", l.name, errTooLarge, l.limit>>20)
}

func (l *limitedFile) Close() error { return l.f.Close() }

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
