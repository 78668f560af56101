package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runAnalysis runs "fulcrum network <cmd> args..." in-process and returns
// its streams and error, unreported.
func runAnalysis(t *testing.T, cmd string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	_, err := execute(context.Background(), &env{stdout: &out, stderr: &errOut}, append([]string{"network", cmd}, args...))
	return out.String(), errOut.String(), err
}

func TestNetworkIsolatedJSON(t *testing.T) {
	out, _, err := runAnalysis(t, "isolated", "--format", "json", "--at", "2023-01-15")
	require.NoError(t, err)
	var r struct {
		Coverage struct {
			Schools, Covered, Connected int
			ByGovernance                []struct{ Schools int } `json:"by_governance"`
			Unconnected                 []struct{ URN int }     `json:"unconnected"`
		} `json:"coverage"`
		Isolation struct {
			Alone []struct{ URN int } `json:"alone"`
		} `json:"isolation"`
		Duplicates []json.RawMessage `json:"duplicates"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	c := r.Coverage
	assert.Positive(t, c.Schools)
	assert.Positive(t, c.Connected)
	assert.Len(t, c.Unconnected, c.Schools-c.Connected)
	assert.Len(t, r.Isolation.Alone, c.Schools-c.Connected)
	sum := 0
	for _, g := range c.ByGovernance {
		sum += g.Schools
	}
	assert.Equal(t, c.Schools, sum)
}

func TestNetworkIsolatedTableByLA(t *testing.T) {
	all, _, err := runAnalysis(t, "isolated", "--format", "json", "--at", "2023-01-15")
	require.NoError(t, err)
	leeds, _, err := runAnalysis(t, "isolated", "--format", "json", "--at", "2023-01-15", "--la", "Leeds")
	require.NoError(t, err)
	code, _, err := runAnalysis(t, "isolated", "--format", "json", "--at", "2023-01-15", "--la", "383")
	require.NoError(t, err)
	assert.True(t, strings.ReplaceAll(leeds, `"area": "LA Leeds"`, `"area": "LA 383"`) == code,
		"--la Leeds and --la 383 differ beyond the area's name")
	count := func(s string) int {
		var r struct{ Coverage struct{ Schools int } }
		require.NoError(t, json.Unmarshal([]byte(s), &r))
		return r.Coverage.Schools
	}
	assert.Positive(t, count(leeds))
	assert.Less(t, count(leeds), count(all))

	table, _, err := runAnalysis(t, "isolated", "--la", "leeds", "--at", "2023-01-15", "--limit", "3")
	require.NoError(t, err)
	for _, want := range []string{"Coverage of LA leeds on 2023-01-15", "governance", "la-maintained",
		"Schools in no network of two or more schools", "... and", "Duplicate networks"} {
		assert.Contains(t, table, want)
	}
}

func TestNetworkBridges(t *testing.T) {
	out, _, err := runAnalysis(t, "bridges", "--format", "json", "--at", "2023-01-15", "--links", "3")
	require.NoError(t, err)
	var r struct {
		Bridges struct {
			Nodes, Edges int
			Connectors   []struct {
				JoinsNetworks int `json:"joins_networks"`
			}
			Central []json.RawMessage
		}
		Links struct {
			Isolated, Joined int
			Links            []json.RawMessage
		}
		Communities struct{ Communities []json.RawMessage }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Positive(t, r.Bridges.Edges)
	assert.NotEmpty(t, r.Bridges.Central)
	for _, c := range r.Bridges.Connectors {
		assert.GreaterOrEqual(t, c.JoinsNetworks, 2)
	}
	assert.LessOrEqual(t, len(r.Links.Links), 3)
	assert.LessOrEqual(t, r.Links.Joined, r.Links.Isolated)
	assert.NotEmpty(t, r.Communities.Communities)

	table, _, err := runAnalysis(t, "bridges", "--la", "Leeds", "--at", "2023-01-15", "--link-kinds", "other, federation")
	require.NoError(t, err)
	assert.NotContains(t, table[strings.Index(table, "New links:"):strings.Index(table, "Natural communities:")], "(trust,")
	for _, want := range []string{"School–network graph of LA Leeds", "Connectors:", "Most central", "New links:",
		"Natural communities:"} {
		assert.Contains(t, table, want)
	}
}

func TestNetworkExport(t *testing.T) {
	graphml, _, err := runAnalysis(t, "export", "--la", "Leeds", "--at", "2023-01-15")
	require.NoError(t, err)
	var doc struct {
		Keys []struct {
			Name string `xml:"attr.name,attr"`
		} `xml:"key"`
		Graph struct {
			Nodes []struct{} `xml:"node"`
			Edges []struct{} `xml:"edge"`
		} `xml:"graph"`
	}
	require.NoError(t, xml.Unmarshal([]byte(graphml), &doc))
	assert.NotEmpty(t, doc.Graph.Nodes)
	assert.NotEmpty(t, doc.Graph.Edges)
	assert.NotEmpty(t, doc.Keys)

	dot, _, err := runAnalysis(t, "export", "--la", "Leeds", "--at", "2023-01-15", "--format", "dot")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(dot, "digraph partnership {\n"))
	assert.Equal(t, len(doc.Graph.Edges), strings.Count(dot, " -> "))

	path := filepath.Join(t.TempDir(), "leeds.graphml")
	out, _, err := runAnalysis(t, "export", "--la", "Leeds", "--at", "2023-01-15", "--out", path)
	require.NoError(t, err)
	assert.Empty(t, out)
	written, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, graphml, string(written))
}

func TestNetworkAnalysisUsageErrors(t *testing.T) {
	for name, c := range map[string]struct {
		cmd  string
		args []string
	}{
		"bad format":       {"isolated", []string{"--format", "xml"}},
		"export as json":   {"export", []string{"--format", "json"}},
		"bad date":         {"bridges", []string{"--at", "15/01/2023"}},
		"unknown flag":     {"isolated", []string{"--nope"}},
		"stray argument":   {"export", []string{"extra"}},
		"la and region":    {"isolated", []string{"--la", "Leeds", "--region", "London"}},
		"la and within":    {"isolated", []string{"--la", "Leeds", "--within", "53.8,-1.55,5"}},
		"bad within":       {"export", []string{"--within", "53.8,-1.55"}},
		"negative radius":  {"export", []string{"--within", "53.8,-1.55,-5"}},
		"no school within": {"export", []string{"--within", "51.5,-0.12,1"}},
		"no such LA":       {"isolated", []string{"--la", "Atlantis"}},
		"non-positive top": {"bridges", []string{"--top", "0"}},
		"bad link kind":    {"bridges", []string{"--link-kinds", "alliance,galaxy"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := runAnalysis(t, c.cmd, c.args...)
			require.Error(t, err)
			assert.True(t, errors.Is(err, errUsage), "%v", err)
		})
	}
}

func TestNetworkAnalysisMissingData(t *testing.T) {
	_, _, err := runAnalysis(t, "isolated", "--data", filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	assert.False(t, errors.Is(err, errUsage))
}

func TestNetworkIsolatedWithinAndAnyKind(t *testing.T) {
	out, _, err := runAnalysis(t, "isolated", "--format", "json", "--at", "2023-01-15",
		"--within", "53.80,-1.55,3", "--any-kind")
	require.NoError(t, err)
	var r struct {
		Coverage struct {
			Area    string
			Schools int
		}
		Duplicates []struct {
			SameKind bool `json:"same_kind"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "within 3 km of 53.8000,-1.5500", r.Coverage.Area)
	assert.Positive(t, r.Coverage.Schools)
	// A sponsor and the trust it runs share their academies.
	cross := 0
	for _, d := range r.Duplicates {
		if !d.SameKind {
			cross++
		}
	}
	assert.Positive(t, cross)
}
