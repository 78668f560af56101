// Package atomicfile writes files that appear whole or not at all.
//
// A File is a temporary file in the directory of its destination (so the
// final rename stays on one file system and is atomic on POSIX systems);
// Commit renames it into place, and Abort, or a failed or cancelled Write,
// removes it. A reader of the destination therefore sees the old file or
// the complete new one, never a truncated one, and an interrupted run
// leaves no partial file behind.
package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Perm is the permission of committed files, before the umask.
const Perm = 0o644

// File is a file being written to a temporary name beside its destination.
// It is not safe for concurrent use.
type File struct {
	f    *os.File
	path string
	done bool
}

// Create starts writing the file path: the data goes to a new temporary
// file in the same directory, named .BASE.tmp-RANDOM.
func Create(path string) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &File{f: f, path: path}, nil
}

// Name returns the destination path.
func (f *File) Name() string { return f.path }

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.f.Write(p) }

// Commit flushes the temporary file to disk, closes it and renames it to
// the destination, replacing any file there. On error the temporary file
// is removed and the destination is untouched. Commit after Commit or
// Abort returns an error.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("atomicfile: %s: already committed or aborted", f.path)
	}
	f.done = true
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.f.Name(), Perm)
	}
	if err == nil {
		err = os.Rename(f.f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.f.Name())
		return fmt.Errorf("atomicfile: %s: %w", f.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file, leaving the destination
// untouched. It does nothing after Commit or Abort, so it can be deferred.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	return errors.Join(f.f.Close(), os.Remove(f.f.Name()))
}

// WriteFile writes path with write, atomically: the destination is replaced
// only when write returns nil and ctx is not done; otherwise nothing is
// left behind and the error (ctx's, if it ended) is returned.
func WriteFile(ctx context.Context, path string, write func(io.Writer) error) error {
	return WriteFiles(ctx, []string{path}, func(ws []io.Writer) error { return write(ws[0]) })
}

// WriteFiles writes several files together: write gets one writer per
// path, in order, and the files are committed, in order, only when it
// returns nil and ctx is not done. A failure leaves no temporary file; only
// a failure between two renames (a full disk, say) can leave the first
// files new and the rest old.
func WriteFiles(ctx context.Context, paths []string, write func([]io.Writer) error) error {
	files := make([]*File, 0, len(paths))
	defer func() {
		for _, f := range files {
			f.Abort()
		}
	}()
	ws := make([]io.Writer, len(paths))
	for i, p := range paths {
		f, err := Create(p)
		if err != nil {
			return err
		}
		files = append(files, f)
		ws[i] = f
	}
	if err := write(ws); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, f := range files {
		if err := f.Commit(); err != nil {
			return err
		}
	}
	return nil
}
