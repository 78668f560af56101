package atomicfile_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/atomicfile"
)

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestWriteFileReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(p, []byte("old\n"), 0o644))
	require.NoError(t, atomicfile.WriteFile(context.Background(), p, func(w io.Writer) error {
		_, err := io.WriteString(w, "new\n")
		return err
	}))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(b))
	assert.Equal(t, []string{"out.csv"}, files(t, dir))
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode().Perm()&0o044, "readable by others, as os.Create makes it, not 0600")
}

func TestWriteFileFailureLeavesOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(p, []byte("old\n"), 0o644))
	boom := errors.New("boom")
	err := atomicfile.WriteFile(context.Background(), p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	assert.ErrorIs(t, err, boom)
	b, _ := os.ReadFile(p)
	assert.Equal(t, "old\n", string(b))
	assert.Equal(t, []string{"out.csv"}, files(t, dir), "no temporary file left")
}

// A cancelled context removes everything, even when write did not notice.
func TestWriteFilesCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	err := atomicfile.WriteFiles(ctx, []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}, func(ws []io.Writer) error {
		io.WriteString(ws[0], "a")
		cancel()
		io.WriteString(ws[1], "b")
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, files(t, dir))
}

func TestAbortAndCommitOnce(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "x"))
	require.NoError(t, err)
	assert.Len(t, files(t, dir), 1, "the temporary file is beside the destination")
	require.NoError(t, f.Abort())
	require.NoError(t, f.Abort(), "Abort twice is harmless")
	assert.Error(t, f.Commit())
	assert.Empty(t, files(t, dir))

	_, err = atomicfile.Create(filepath.Join(dir, "missing", "x"))
	assert.Error(t, err)
}
