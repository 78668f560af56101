package limitfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file over the limit fails with ErrTooLarge, naming it and the limit,
// having read no more than the limit; one at the limit reads whole.
func TestFile(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		size int
		err  bool
	}{{mib + 1, true}, {mib, false}, {mib - 1, false}} {
		p := filepath.Join(t.TempDir(), "p.min")
		data := bytes.Repeat([]byte{'x'}, tc.size)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		f, err := Open(p, mib)
		require.NoError(t, err)
		b, err := io.ReadAll(f)
		require.NoError(t, f.Close())
		if tc.err {
			assert.ErrorIs(t, err, ErrTooLarge)
			assert.EqualError(t, err, p+": file too large: over 1 MiB")
			assert.LessOrEqual(t, len(b), mib)
		} else {
			require.NoError(t, err)
			assert.Equal(t, data, b)
		}
		fi, err := f.Stat()
		if err == nil { // closed files may still report
			assert.Equal(t, int64(tc.size), fi.Size())
		}
	}
	_, err := Open(filepath.Join(t.TempDir(), "missing"), mib)
	require.Error(t, err)
}
