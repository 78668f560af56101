package riskpolicy_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// CheckAt places the periods in time by each label form and by "at"
// dates: a date before the latest history period begins is refused, one
// before the current period begins or over a year after it ends is
// warned of, and numbered labels are not checked.
func TestCheckAt(t *testing.T) {
	p, err := riskpolicy.Compile("p.yaml", []byte(`
policy: p
period: term
indicators:
  x: {type: number, source: t}
levels:
  - name: ok
  - name: bad
rules:
  - {name: high, when: x > 10.0, level: bad}
`))
	require.NoError(t, err)
	read := func(t *testing.T, cur, hist string) *riskpolicy.Data {
		t.Helper()
		var d *riskpolicy.Data
		var err error
		if hist == "" {
			d, err = p.ReadCSV("cur.csv", strings.NewReader(cur), "", nil, nil)
		} else {
			d, err = p.ReadCSV("cur.csv", strings.NewReader(cur), "hist.csv", strings.NewReader(hist), nil)
		}
		require.NoError(t, err)
		return d
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	type check struct {
		at      string
		refused string // part of the error, "" for none
		warns   []string
	}
	cases := []struct {
		name      string
		cur, hist string
		checks    []check
	}{
		{
			name: "terms",
			cur:  "urn,period,x\n100001,2024-25 summer,1\n100002,2024-25 summer,2\n",
			hist: "urn,period,x\n100001,2024-25 spring,1\n100001,2024-25 autumn,1\n100002,2024-25 autumn,1\n",
			checks: []check{
				{at: "2024-12-31", refused: "2024-12-31 is before the latest period of the history, 2024-25 spring (from 2025-01-01)"},
				{at: "2025-01-01", warns: []string{"before the current period, 2024-25 summer (from 2025-04-01)"}},
				{at: "2025-03-31", warns: []string{"before the current period"}},
				{at: "2025-04-01"},
				{at: "2026-08-31"},
				{at: "2026-09-01", warns: []string{"2026-09-01 is 12 months after the current period, 2024-25 summer, ended (2025-08-31)"}},
			},
		},
		{
			name: "autumn and school years",
			cur:  "urn,period,x\n100001,2025-26 autumn,1\n100002,2025/2026,1\n",
			hist: "urn,period,x\n100001,2024-25,1\n100002,2024-25,1\n",
			checks: []check{
				{at: "2024-08-31", refused: "2024-25 (from 2024-09-01)"},
				{at: "2025-08-31", warns: []string{"before the current period, 2025-26 autumn (from 2025-09-01)"}},
				{at: "2025-09-01"},
				// The current periods end last on 2026-08-31 (the school year).
				{at: "2027-08-31"},
				{at: "2027-09-01", warns: []string{"after the current period, 2025/2026, ended (2026-08-31)"}},
			},
		},
		{
			name: "date labels",
			cur:  "urn,period,x\n100001,2025-03-31,1\n",
			hist: "urn,period,x\n100001,2024-12-31,1\n",
			checks: []check{
				{at: "2024-12-30", refused: "2024-12-31 (from 2024-12-31)"},
				{at: "2024-12-31", warns: []string{"before the current period, 2025-03-31 (from 2025-03-31)"}},
				{at: "2025-03-31"},
			},
		},
		{
			// An "at" date is a period's end: a period known only by it
			// has no start, so nothing is refused or warned of as early.
			name: "at dates only",
			cur:  "urn,period,at,x\n100001,now,2025-03-31,1\n",
			hist: "urn,period,at,x\n100001,before,2024-12-31,1\n",
			checks: []check{
				{at: "2020-01-01"},
				{at: "2026-03-31"},
				{at: "2026-04-01", warns: []string{"after the current period, now, ended (2025-03-31)"}},
			},
		},
		{
			// A label with dates and an "at" date: the label gives the
			// start, the "at" date the end.
			name: "terms with at dates",
			cur:  "urn,period,at,x\n100001,2024-25 summer,2025-07-18,1\n",
			hist: "urn,period,at,x\n100001,2024-25 spring,2025-04-04,1\n",
			checks: []check{
				{at: "2024-12-31", refused: "2024-25 spring (from 2025-01-01)"},
				{at: "2026-07-18"},
				{at: "2026-07-19", warns: []string{"after the current period, 2024-25 summer, ended (2025-07-18)"}},
			},
		},
		{
			name: "numbered labels are not checked",
			cur:  "urn,period,x\n100001,Term 10,1\n",
			hist: "urn,period,x\n100001,Term 9,1\n",
			checks: []check{
				{at: "1990-01-01"},
				{at: "2990-01-01"},
			},
		},
		{
			name: "no periods",
			cur:  "urn,x\n100001,1\n",
			checks: []check{
				{at: "1990-01-01"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := read(t, c.cur, c.hist)
			for _, ch := range c.checks {
				warns, err := d.CheckAt(day(ch.at))
				if ch.refused != "" {
					require.Error(t, err, ch.at)
					assert.True(t, errors.Is(err, riskpolicy.ErrInvalid), ch.at)
					assert.Contains(t, err.Error(), ch.refused, ch.at)
					assert.Empty(t, warns, ch.at)
					continue
				}
				require.NoError(t, err, ch.at)
				require.Len(t, warns, len(ch.warns), "%s: %q", ch.at, warns)
				for i, w := range ch.warns {
					assert.Contains(t, warns[i], w, ch.at)
				}
			}
		})
	}
}
