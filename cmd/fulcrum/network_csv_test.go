package main

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readFacts runs a network report with --format csv and returns its rows
// after checking the long-form header.
func readFacts(t *testing.T, args ...string) [][]string {
	t.Helper()
	code, out, errOut := runCmd(t, append(append([]string{"network"}, args...), "--format", "csv")...)
	require.Equal(t, 0, code, errOut)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, factHeader, recs[0])
	return recs[1:]
}

// fact returns the value of the one row with section, group, id and
// measure.
func fact(t *testing.T, rows [][]string, section, group, id, measure string) string {
	t.Helper()
	var found []string
	for _, r := range rows {
		if r[0] == section && r[1] == group && r[2] == id && r[4] == measure {
			found = append(found, r[5])
		}
	}
	require.Len(t, found, 1, "%s %s %s %s", section, group, id, measure)
	return found[0]
}

// The long-form CSV of network stats, isolated and bridges holds the
// numbers of their JSON.
func TestNetworkReportsCSV(t *testing.T) {
	jsonOf := func(v any, args ...string) {
		code, out, errOut := runCmd(t, append(append([]string{"network"}, args...), "--format", "json")...)
		require.Equal(t, 0, code, errOut)
		require.NoError(t, json.Unmarshal([]byte(out), v))
	}
	itoa := strconv.Itoa

	var st struct {
		Schools       int            `json:"schools"`
		ByPhase       map[string]int `json:"by_phase"`
		Trusts        int            `json:"trusts"`
		LargestTrusts []struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"largest_trusts"`
	}
	jsonOf(&st, "stats")
	rows := readFacts(t, "stats")
	assert.Equal(t, itoa(st.Schools), fact(t, rows, "schools", "", "", "state_funded_schools"))
	assert.Equal(t, itoa(st.ByPhase["primary"]), fact(t, rows, "schools", "phase:primary", "", "state_funded_schools"))
	assert.Equal(t, itoa(st.Trusts), fact(t, rows, "trusts", "", "", "multi_academy_trusts"))
	require.NotEmpty(t, st.LargestTrusts)
	assert.Equal(t, itoa(st.LargestTrusts[0].Count), fact(t, rows, "largest_trusts", "", st.LargestTrusts[0].ID, "group_links_rows"))

	var iso struct {
		Coverage struct {
			Schools   int `json:"schools"`
			Connected int `json:"connected"`
		} `json:"coverage"`
		Isolation struct {
			Alone []struct {
				URN   int    `json:"urn"`
				Phase string `json:"phase"`
			} `json:"alone"`
		} `json:"isolation"`
	}
	args := []string{"isolated", "--at", "2023-01-15"}
	jsonOf(&iso, args...)
	rows = readFacts(t, args...)
	assert.Equal(t, itoa(iso.Coverage.Schools), fact(t, rows, "coverage", "", "", "schools"))
	assert.Equal(t, itoa(iso.Coverage.Connected), fact(t, rows, "coverage", "", "", "connected"))
	require.NotEmpty(t, iso.Isolation.Alone)
	a := iso.Isolation.Alone[len(iso.Isolation.Alone)-1]
	assert.Equal(t, a.Phase, fact(t, rows, "alone", "", itoa(a.URN), "phase"))
	alone := 0
	for _, r := range rows {
		if r[0] == "alone" && r[4] == "phase" {
			alone++
		}
	}
	assert.Equal(t, len(iso.Isolation.Alone), alone, "every school alone, not only the table's first 20")

	var br struct {
		Bridges struct {
			Nodes      int `json:"nodes"`
			Components int `json:"components"`
		} `json:"bridges"`
		Communities struct {
			Singletons int `json:"singletons"`
		} `json:"communities"`
	}
	jsonOf(&br, "bridges")
	rows = readFacts(t, "bridges")
	assert.Equal(t, itoa(br.Bridges.Nodes), fact(t, rows, "graph", "", "", "nodes"))
	assert.Equal(t, itoa(br.Bridges.Components), fact(t, rows, "graph", "", "", "components"))
	assert.Equal(t, itoa(br.Communities.Singletons), fact(t, rows, "communities", "", "", "singletons"))
	for _, r := range rows {
		require.Len(t, r, len(factHeader))
	}
}
