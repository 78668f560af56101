package mcfcmd

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file over the limit fails with ErrTooLarge, naming it; one at the
// limit reads whole.
func TestLimitedFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.min")
	require.NoError(t, os.WriteFile(p, []byte("0123456789"), 0o644))
	for _, tc := range []struct {
		left int64
		err  bool
	}{{9, true}, {10, false}, {11, false}} {
		f, err := os.Open(p)
		require.NoError(t, err)
		b, err := io.ReadAll(&limitedFile{f: f, name: p, left: tc.left})
		f.Close()
		if tc.err {
			assert.ErrorIs(t, err, ErrTooLarge)
			assert.EqualError(t, err, p+": file too large: over 1024 MiB")
			assert.LessOrEqual(t, int64(len(b)), tc.left)
		} else {
			require.NoError(t, err)
			assert.Equal(t, "0123456789", string(b))
		}
	}
}
