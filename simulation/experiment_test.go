package simulation_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/simulation"
)

// TestExperimentErrors: every kind of mistake gets a positioned error.
func TestExperimentErrors(t *testing.T) {
	fsys := os.DirFS("testdata")
	tests := []struct {
		name, src string
		want      []string
	}{
		{"yaml syntax", "experiment: x\nvariants: [\n", []string{"x.yaml:3:1: YAML:"}},
		{"unknown key", "experiment: x\nreplicate: 3\nvariants: [{name: a}]\n", []string{`x.yaml:2:1: unknown key "replicate" in experiment (did you mean "replicates"?)`}},
		{"duplicate key", "experiment: x\nterms: 3\nterms: 4\nvariants: [{name: a}]\n", []string{`x.yaml:3:1: duplicate key "terms" in experiment (first at line 2)`}},
		{"wrong type", "experiment: x\nterms: many\nvariants: [{name: a}]\n", []string{`x.yaml:2:8: want a whole number, got "many"`}},
		{"out of range", "experiment: x\nreplicates: 0\nvariants: [{name: a}]\n", []string{"x.yaml:2:13: 0 is outside 1..100000"}},
		{"bad date", "experiment: x\nstart: 2020-13-01\nvariants: [{name: a}]\n", []string{`x.yaml:2:8: start "2020-13-01" is not a date`}},
		{"unknown structure", "experiment: x\nvariants:\n  - name: a\n    structure: hub-and-spokes\n", []string{`x.yaml:4:16: unknown structure "hub-and-spokes" (did you mean "hub-and-spoke"?)`}},
		{"unknown strategy", "experiment: x\nvariants:\n  - {name: a, policy: ofsted-concern, strategy: optimum}\n", []string{`x.yaml:3:49: unknown strategy "optimum"`}},
		{"unknown policy", "experiment: x\nvariants:\n  - {name: a, policy: ofsted-concerns}\n", []string{`x.yaml:3:23: unknown policy "ofsted-concerns" (did you mean "ofsted-concern"?)`}},
		{"policy file missing", "experiment: x\nvariants:\n  - {name: a, policy: nope.yaml}\n", []string{`x.yaml:3:23: policy file "nope.yaml" cannot be read`}},
		{"policy does not compile", "experiment: x\nvariants:\n  - {name: a, policy: policies/broken.yaml}\n", []string{"policies/broken.yaml:11:11:", `x.yaml:3:23: policy file "policies/broken.yaml" does not compile`}},
		{"policy reads what the model lacks", "experiment: x\nvariants:\n  - {name: a, policy: policies/reads-complaints.yaml}\n", []string{`x.yaml:3:23: policy "policies/reads-complaints.yaml" cannot be simulated`, `policies/reads-complaints.yaml:8:3: indicator "complaints" is not produced by the simulation model`}},
		{"builtin policy reads what the model lacks", "experiment: x\nvariants:\n  - {name: a, policy: la-categories}\n", []string{`indicator "governance_concern" is not produced`, `indicator "warning_notice" is not produced`}},
		{"unknown parameter", "experiment: x\nparameters: {suport_effect: 0.1}\nvariants: [{name: a}]\n", []string{`x.yaml:2:14: unknown parameter "suport_effect" (did you mean "support_effect"?)`}},
		{"parameter out of range", "experiment: x\nvariants:\n  - {name: a, parameters: {persistence: 1.5}}\n", []string{"x.yaml:3:41: parameter persistence = 1.5 is outside 0..1"}},
		{"parameter not a number", "experiment: x\nvariants:\n  - {name: a, parameters: {persistence: high}}\n", []string{`x.yaml:3:41: want a number, got "high"`}},
		{"cut points", "experiment: x\nparameters: {cut_good: 2}\nvariants: [{name: a}]\n", []string{"x.yaml:1:1: cut points must rise"}},
		{"duplicate variant", "experiment: x\nvariants:\n  - {name: a}\n  - {name: a}\n", []string{`x.yaml:4:12: variant "a" is defined twice (first at line 3)`}},
		{"no variants", "experiment: x\n", []string{"x.yaml:1:1: the experiment has no variants"}},
		{"no name", "variants: [{name: a}]\n", []string{"x.yaml:1:1: the experiment has no name"}},
		{"strategy without policy", "experiment: x\nvariants:\n  - {name: a, strategy: optimal}\n", []string{`x.yaml:3:12: variant "a" brokers support (strategy optimal) but has no policy`}},
		{"alias", "experiment: x\nbase: &b {name: a}\nvariants: [*b]\n", []string{"x.yaml:2:7: YAML anchors and aliases are not allowed"}},
		{"sensitivity", "experiment: x\nvariants: [{name: a}]\nsensitivity:\n  variant: b\n  metric: gap\n  parameters: {spread_rate: [0.5, 0.1]}\n", []string{
			`x.yaml:4:12: unknown variant "b"`, `x.yaml:5:11: unknown metric "gap"`, "x.yaml:6:29: the range of spread_rate must have min < max"}},
		{"several at once", "experiment: x\nterms: -1\nreplicates: lots\nvariants: [{name: a, structure: nowhere}]\n", []string{"x.yaml:2:8:", "x.yaml:3:13:", "x.yaml:4:33:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := simulation.ParseExperiment("x.yaml", []byte(tt.src), fsys)
			require.Error(t, err)
			require.True(t, errors.Is(err, simulation.ErrInvalid), "%v", err)
			var el simulation.ErrorList
			require.True(t, errors.As(err, &el))
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
			for _, e := range el {
				require.Positive(t, e.Pos.Line, "%v", e)
			}
		})
	}
}

func TestExperimentTooLarge(t *testing.T) {
	_, err := simulation.ParseExperiment("x.yaml", make([]byte, simulation.MaxExperimentSize+1), fstest.MapFS{})
	require.ErrorContains(t, err, "over the limit")
}

func FuzzParseExperiment(f *testing.F) {
	for _, s := range []string{"experiment: x\nvariants: [{name: a}]\n", "experiment: x\nfactors: {structure: [none, trusts]}\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		x, err := simulation.ParseExperiment("f.yaml", []byte(src), fstest.MapFS{})
		if err == nil && (x.Name == "" || len(x.Variants) == 0) {
			t.Fatalf("accepted an experiment with no name or variants: %q", src)
		}
	})
}

// TestSchemaNamesEveryParameter keeps the JSON Schema in step with the
// parameter table.
func TestSchemaNamesEveryParameter(t *testing.T) {
	var s struct {
		Defs struct {
			Parameters struct {
				Properties map[string]any `json:"properties"`
			} `json:"parameters"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(simulation.Schema(), &s))
	var got []string
	for k := range s.Defs.Parameters.Properties {
		got = append(got, k)
	}
	require.ElementsMatch(t, simulation.ParamNames(), got)
}
