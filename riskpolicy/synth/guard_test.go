package synth_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

// A school name a spreadsheet would run as a formula is guarded in the
// files Write writes (unless Formulas is set), and Policy.ReadCSV reads
// the name back as published either way.
func TestWriteGuardsFormulas(t *testing.T) {
	names := map[partnership.URN]string{
		100001: `=HYPERLINK("http://evil.example","click")`,
		100002: "@SUM(A1)",
		100003: "-5 Ways Academy",
		100004: "'=already guarded",
		100005: "Ash Primary",
	}
	var d partnership.Dataset
	for urn, name := range names {
		d.Schools = append(d.Schools, partnership.School{URN: urn, Name: name, Phase: partnership.PhasePrimary,
			Governance: partnership.GovernanceLAMaintained, LA: 202, Pupils: partnership.Known(200), FSMPercent: partnership.Known(20.0)})
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	p, err := riskpolicy.Builtin(riskpolicy.Builtins()[0])
	require.NoError(t, err)
	for _, formulas := range []bool{false, true} {
		var cur bytes.Buffer
		_, err := synth.Write(context.Background(), m, &cur, nil, &synth.Options{Formulas: formulas})
		require.NoError(t, err)
		assert.Equal(t, !formulas, strings.Contains(cur.String(), `"'=HYPERLINK(`), "guarded: %v", !formulas)
		assert.Equal(t, !formulas, strings.Contains(cur.String(), "'@SUM(A1)"), "guarded: %v", !formulas)
		data, err := p.ReadCSV("indicators.csv", &cur, "", nil, nil)
		require.NoError(t, err)
		got := map[partnership.URN]string{}
		for r, err := range riskpolicy.All(context.Background(), data.Source) {
			require.NoError(t, err)
			got[r.URN] = r.Name
		}
		want := names
		if formulas {
			// Unguarded, a name that looks guarded reads as a
			// spreadsheet shows it.
			want = map[partnership.URN]string{}
			for k, v := range names {
				want[k] = v
			}
			want[100004] = "=already guarded"
		}
		assert.Equal(t, want, got, "formulas %v", formulas)
	}
}
