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
	for name, body := range map[string]string{
		"header": "a,b\n",
		"number": "variant,term,metric,n,mean,sd,ci95_low,ci95_high\na,x,gap,2,1,0.1,0.5,1.5\n",
		"fields": "variant,term,metric,n,mean,sd,ci95_low,ci95_high\na,1,gap\n",
	} {
		f := filepath.Join(dir, name+".csv")
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		_, err := simplot.ReadSummary(f)
		require.ErrorIs(t, err, simplot.ErrInvalid, name)
	}
}
