// Package limitfile opens a file for streaming whose reads fail, naming
// the file and the limit, once more than a limit of bytes have been read:
// a data file is refused before it can take more memory than its limit
// allows, whatever its reader does with it. It imports only the standard
// library, so the lean fulcrum-mcf can use it too.
package limitfile

import (
	"errors"
	"fmt"
	"os"
)

// ErrTooLarge is the error of a file over its limit, wrapped with the
// file's name and the limit.
var ErrTooLarge = errors.New("file too large")

// File is an open file with a read limit.
type File struct {
	f           *os.File
	name        string
	left, limit int64
}

// Open opens name; reading more than limit bytes of it fails with
// ErrTooLarge.
func Open(name string, limit int64) (*File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &File{f: f, name: name, left: limit, limit: limit}, nil
}

// Read reads up to len(p) bytes; it reads at most one byte past the limit,
// to tell a file of exactly the limit from a longer one.
func (l *File) Read(p []byte) (int, error) {
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

// Stat reports the file's size, so that a reader such as
// flow.ParseDIMACS can size its arrays once instead of growing them.
func (l *File) Stat() (os.FileInfo, error) { return l.f.Stat() }

// Close closes the file.
func (l *File) Close() error { return l.f.Close() }

func (l *File) tooLarge() error {
	return fmt.Errorf("%s: %w: over %d MiB", l.name, ErrTooLarge, l.limit>>20)
}
