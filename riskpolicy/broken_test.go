package riskpolicy_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestBroken compiles every policy under testdata/broken and compares the
// errors, with their carets, to the .golden file beside it.
func TestBroken(t *testing.T) {
	files, err := filepath.Glob("testdata/broken/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 30, "the corpus has fewer than 30 broken policies")
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			p, err := riskpolicy.Compile(filepath.ToSlash(f), src)
			require.Error(t, err, "policy compiled")
			require.Nil(t, p)
			var list riskpolicy.ErrorList
			require.True(t, errors.As(err, &list), "error is %T, not an ErrorList", err)
			var one *riskpolicy.Error
			require.True(t, errors.As(err, &one))
			for _, e := range list {
				require.True(t, e.Pos.IsValid(), "error without a position: %v", e)
			}
			got := list.Caret() + "\n"
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden file; run go test -run TestBroken -update")
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("errors differ (-want +got):\n%s", d)
			}
		})
	}
}
