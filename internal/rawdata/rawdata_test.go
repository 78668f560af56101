package rawdata_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
)

func TestDir(t *testing.T) {
	dir := rawdata.Dir(t)
	if dir == "" {
		// Where shared/ is absent the helper must say so, not fail.
		assert.Empty(t, rawdata.File(t, "SOURCES.md"))
		return
	}
	assert.True(t, filepath.IsAbs(dir))
	_, err := os.Stat(filepath.Join(dir, "SOURCES.md"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "SOURCES.md"), rawdata.File(t, "SOURCES.md"))
	assert.Empty(t, rawdata.File(t, "no-such-file.csv"))
}

func TestDirAbsent(t *testing.T) {
	t.Chdir(t.TempDir())
	assert.Empty(t, rawdata.Dir(t))
}
