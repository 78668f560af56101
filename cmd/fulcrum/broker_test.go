package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func brokerRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errOut}, append([]string{"broker"}, args...))
	return code, out.String(), errOut.String()
}

const brokerNeeds = `id,urn,school,area,phase,priority,days,region,lat,lon
n1,100001,Ash Primary,maths,primary,5,6,Yorkshire and The Humber,53.80,-1.55
n2,100002,Beech Primary,maths,primary,2,4,Yorkshire and The Humber,53.81,-1.56
n3,100003,Cedar High,science,secondary,3,5,Yorkshire and The Humber,53.79,-1.50
`

const brokerOffers = `id,provider,kind,urn,areas,phases,capacity,cost_per_day,lat,lon,region
o1,Leeds Maths Hub,hub,,maths:accredited,primary,1,400,53.80,-1.54,Yorkshire and The Humber
`

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestBrokerMatch(t *testing.T) {
	needs, offers := writeTemp(t, "needs.csv", brokerNeeds), writeTemp(t, "offers.csv", brokerOffers)
	for _, strategy := range []string{"optimal", "stable", "greedy"} {
		t.Run(strategy, func(t *testing.T) {
			code, out, errOut := brokerRun(t, "match", "--needs", needs, "--offers", offers, "--strategy", strategy, "--format", "json")
			require.Equal(t, 0, code, errOut)
			var r struct {
				Matches []struct {
					Need, Offer string
					Explanation []struct{ Scorer string }
				}
				Unmet []struct{ Need, Reason string }
				Met   int
			}
			require.NoError(t, json.Unmarshal([]byte(out), &r))
			require.Len(t, r.Matches, 1)
			assert.Equal(t, "n1", r.Matches[0].Need, "the urgent need gets the hub's one slot")
			assert.NotEmpty(t, r.Matches[0].Explanation)
			assert.ElementsMatch(t, []struct{ Need, Reason string }{{"n2", "capacity"}, {"n3", "no-provider"}}, r.Unmet)
		})
	}
	code, out, _ := brokerRun(t, "match", "--needs", needs, "--offers", offers)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "met 1 of 3 needs; 2 unmet")
	assert.Contains(t, out, "no offer covers science")
	code, out, _ = brokerRun(t, "match", "--needs", needs, "--offers", offers, "--format", "csv")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "need,urn,school,area,priority,status,offer"))
	assert.Equal(t, 4, strings.Count(out, "\n"))
}

func TestBrokerFileErrors(t *testing.T) {
	offers := writeTemp(t, "offers.csv", brokerOffers)
	bad := writeTemp(t, "needs.csv", "id,area,priority\nn1,maths,7\nn2,maths,x\n")
	code, _, errOut := brokerRun(t, "match", "--needs", bad, "--offers", offers)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, bad+":2:3: priority: 7 outside 1-5")
	assert.Contains(t, errOut, bad+":3:3: priority: \"x\" is not a whole number")
	assert.NotContains(t, errOut, "0 outside 1-5", "a priority that is not a number is reported once")

	code, _, _ = brokerRun(t, "match", "--needs", bad)
	assert.Equal(t, 2, code, "missing --offers is a usage error")
	code, _, _ = brokerRun(t, "match", "--needs", bad, "--offers", offers, "--strategy", "random")
	assert.Equal(t, 2, code)
}

func TestBrokerGaps(t *testing.T) {
	needs, offers := writeTemp(t, "needs.csv", brokerNeeds), writeTemp(t, "offers.csv", brokerOffers)
	code, out, errOut := brokerRun(t, "gaps", "--needs", needs, "--offers", offers, "--format", "csv", "--by", "region-area")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "region,area,needs,met,unmet,unmet_days,capacity,no_provider,excluded,capacity_full\n"+
		"Yorkshire and The Humber,maths,2,1,1,4,1,0,0,1\n"+
		"Yorkshire and The Humber,science,1,0,1,5,0,1,0,0\n", out)
}

func TestBrokerEnglandEmbedded(t *testing.T) {
	code, out, errOut := brokerRun(t, "gaps", "--england", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var g struct {
		Source   string
		ByRegion []struct {
			Region string
			Needs  int
		} `json:"by_region"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &g))
	assert.Contains(t, g.Source, "embedded")
	require.NotEmpty(t, g.ByRegion)
	assert.Equal(t, "Yorkshire and The Humber", g.ByRegion[0].Region)

	dir := t.TempDir()
	code, out, errOut = brokerRun(t, "england", "--needs-out", filepath.Join(dir, "n.csv"), "--offers-out", filepath.Join(dir, "o.csv"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "wrote ")
	code, out, errOut = brokerRun(t, "match", "--needs", filepath.Join(dir, "n.csv"), "--offers", filepath.Join(dir, "o.csv"), "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, ",matched,")
}

func TestBrokerSolve(t *testing.T) {
	// Two suppliers, two consumers, a cheap and a dear route.
	p := writeTemp(t, "p.min", "c example\np min 4 5\nn 1 3\nn 2 1\nn 3 -2\nn 4 -2\n"+
		"a 1 3 0 2 1\na 1 4 0 2 4\na 2 3 0 2 2\na 2 4 0 2 1\na 3 4 0 1 5\n")
	code, out, errOut := brokerRun(t, "solve", "--dimacs", p)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "s 7\nf 1 3 2\nf 1 4 1\nf 2 4 1\n", out)
	code, out, _ = brokerRun(t, "solve", "--dimacs", p, "--general", "--format", "json")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"cost": 7`)

	bad := writeTemp(t, "bad.min", "p min 2 1\na 1 3 0 1 1\n")
	code, _, errOut = brokerRun(t, "solve", "--dimacs", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, bad+":2: target node 3 out of range [1, 2]")
}

func TestBrokerConfig(t *testing.T) {
	needs, offers := writeTemp(t, "needs.csv", brokerNeeds), writeTemp(t, "offers.csv", brokerOffers)
	good := writeTemp(t, "match.yaml", "objective: most-needs\nscorers:\n  distance: {weight: 1}\n  load: {weight: 0}\nconstraints:\n  max-distance: {km: 20}\n")
	code, out, errOut := brokerRun(t, "match", "--needs", needs, "--offers", offers, "--config", good, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"scorer": "distance"`)
	assert.NotContains(t, out, `"scorer": "load"`)

	bad := writeTemp(t, "bad.yaml", "strategy: fast\nscorers:\n  load: {weight: x}\n")
	code, _, errOut = brokerRun(t, "match", "--needs", needs, "--offers", offers, "--config", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, bad+`:1:11: strategy: want optimal, stable or greedy, got "fast"`)
	assert.Contains(t, errOut, bad+`:3:18: scorers.load.weight: want a finite number, got "x"`)

	code, _, _ = brokerRun(t, "match", "--needs", needs, "--offers", offers, "--config", good, "--strategy", "greedy")
	assert.Equal(t, 2, code, "--config excludes --strategy")
}

// A needs file without days, or an offers file without cost_per_day, is
// read with the default, and the command says so on stderr, naming the
// file, the column and the value used.
func TestBrokerAbsentColumnsNoted(t *testing.T) {
	dropColumn := func(body, col string) string {
		var b strings.Builder
		var drop int
		for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
			cells := strings.Split(line, ",")
			if i == 0 {
				drop = slices.Index(cells, col)
				require.GreaterOrEqual(t, drop, 0)
			}
			b.WriteString(strings.Join(slices.Delete(cells, drop, drop+1), ",") + "\n")
		}
		return b.String()
	}
	needs := writeTemp(t, "needs.csv", dropColumn(brokerNeeds, "days"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write([]byte(dropColumn(brokerOffers, "cost_per_day")))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	offers := writeTemp(t, "offers.csv.gz", gz.String())

	for _, cmd := range []string{"match", "gaps"} {
		code, _, errOut := brokerRun(t, cmd, "--needs", needs, "--offers", offers)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, errOut, "fulcrum broker "+cmd+": "+needs+": no days column: every need asks for 0 days of support, so no match costs anything (the default)\n")
		assert.Contains(t, errOut, "fulcrum broker "+cmd+": "+offers+": no cost_per_day column: every offer is free (0 a day) (the default)\n")
	}

	code, _, errOut := brokerRun(t, "match", "--needs", writeTemp(t, "needs.csv", brokerNeeds), "--offers", writeTemp(t, "offers.csv", brokerOffers))
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "column", "nothing said when the columns are there")
}
