package simplot_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	sum := "variant,term,metric,n,mean,sd,ci95_low,ci95_high\n" +
		"a,0,gap,2,1,0.1,0.5,1.5\na,1,gap,2,1.1,0.1,0.6,1.6\na,2,gap,2,1.2,NA,NA,NA\n" +
		"b,0,gap,2,2,0.1,1.5,2.5\nb,1,gap,2,2.1,0.1,1.6,2.6\nb,2,gap,2,2.2,0.1,1.7,2.7\n" +
		"a,0,risk_share:x,2,NA,NA,NA,NA\n"
	name := filepath.Join(dir, "summary.csv")
	require.NoError(t, os.WriteFile(name, []byte(sum), 0o644))
	s, err := simplot.ReadSummary(name)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, s.Variants)
	files, err := s.WriteAll(filepath.Join(dir, "charts"))
	require.NoError(t, err)
	require.Len(t, files, 4)
	svg, err := os.ReadFile(filepath.Join(dir, "charts", "gap.svg"))
	require.NoError(t, err)
	require.True(t, bytes.Contains(svg, []byte("<svg")))
	png, err := os.ReadFile(filepath.Join(dir, "charts", "risk_share_x.png"))
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(png, []byte("\x89PNG")))
}

func TestReadSummaryErrors(t *testing.T) {
	dir := t.TempDir()
	const head = "variant,term,metric,n,mean,sd,ci95_low,ci95_high\n"
	for name, c := range map[string]struct{ body, want string }{
		"header": {"a,b\n", `header.csv:1: invalid: no column "variant": not a simulation summary`},
		"number": {head + "a,x,gap,2,1,0.1,0.5,1.5\n", `number.csv:2:2: term: invalid: "x" is not a term`},
		"fields": {head + "a,1,gap\n", "fields.csv:2: invalid: wrong number of fields"},
		// Every problem in one pass: the second row's too.
		"every": {head + "a,1,gap,2,one,0.1,0.5,1.5\na,2,gap,2,1,0.1,low,1.5\n",
			"every.csv:3:7: ci95_low: invalid: \"low\" is not a number or NA"},
		"empty": {"", "empty.csv: invalid: file is empty"},
	} {
		f := filepath.Join(dir, name+".csv")
		require.NoError(t, os.WriteFile(f, []byte(c.body), 0o644))
		_, err := simplot.ReadSummary(f)
		require.ErrorIs(t, err, simplot.ErrInvalid, name)
		require.Contains(t, err.Error(), filepath.Join(dir, c.want), name)
	}
}

// FuzzReadSummary: any bytes read as a summary give a summary or an error
// wrapping ErrInvalid, never a panic.
func FuzzReadSummary(f *testing.F) {
	f.Add([]byte("variant,term,metric,n,mean,sd,ci95_low,ci95_high\na,0,gap,2,1,0.1,0.5,1.5\n"))
	f.Add([]byte("variant,term,metric,n,mean,sd,ci95_low,ci95_high\na,x,gap,2,NA,0.1,low,1.5\nb,1\n"))
	f.Add([]byte("\xff\xfev\x00a\x00r\x00"))
	name := filepath.Join(f.TempDir(), "summary.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		require.NoError(t, os.WriteFile(name, b, 0o644))
		s, err := simplot.ReadSummary(name)
		if err != nil {
			require.ErrorIs(t, err, simplot.ErrInvalid)
			return
		}
		require.NotNil(t, s)
	})
}
