package simulation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

// An experiment file names the variants to compare: here geographic learning
// communities against no partnership, with the built-in Ofsted-concern policy
// and optimal brokerage, three replicates each over six terms.
func ExampleParseExperiment() {
	src := []byte(`experiment: communities
data: generated
generate: {schools: 240, seed: 3}
terms: 6
replicates: 3
seed: 7
variants:
  - name: none
    structure: none
  - name: communities
    structure: learning-communities
    policy: ofsted-concern
    strategy: optimal
`)
	x, err := simulation.ParseExperiment("communities.yaml", src, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Name, len(x.Variants), "variants,", len(x.Runs()), "runs")
	// Output:
	// communities 2 variants, 6 runs
}

// Every mistake in an experiment file is reported at once, with its line and
// column.
func ExampleParseExperiment_mistakes() {
	src := []byte(`experiment: x
replicate: 3
variants:
  - name: a
    structure: hub-and-spokes
`)
	_, err := simulation.ParseExperiment("x.yaml", src, nil)
	fmt.Println(errors.Is(err, simulation.ErrInvalid))
	var list simulation.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Println(e.Pos)
		}
	}
	// Output:
	// true
	// x.yaml:2:1
	// x.yaml:5:16
}

// A run on a generated world: an alliance with a connector, Ofsted's
// categories of concern as the at-risk policy and optimal brokerage.
func ExampleRun() {
	w := simulation.Generate(simulation.GenerateOptions{Schools: 300, Seed: 1})
	pol, _ := riskpolicy.Builtin("ofsted-concern")
	res, err := simulation.Run(context.Background(), simulation.Config{
		World:     w,
		Structure: simulation.Alliance(w, simulation.StructureOptions{AllianceSize: 50}),
		Policy:    pol,
		Strategy:  brokerage.Optimal{},
		Params:    simulation.DefaultParams(),
		Terms:     9,
		Seed:      1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Terms), "rows: the start and 9 terms")
	fmt.Println(res.Metrics[:3])
	// Output:
	// 10 rows: the start and 9 terms
	// [mean_effectiveness sd_effectiveness gap_top_bottom_fifth]
}

// A policy that reads an indicator the model does not produce is refused,
// naming it and where the policy declares it.
func ExampleCheckPolicy() {
	src := `policy: complaints
combine: highest
indicators:
  attendance: {type: percentage, source: MIS}
  complaints: {type: count, source: Complaints log}
levels:
  - name: fine
  - name: concern
rules:
  - name: many
    when: complaints > 3 || attendance < 90.0
    level: concern
`
	pol, err := riskpolicy.Compile("complaints.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = simulation.CheckPolicy(pol)
	fmt.Println(strings.SplitN(err.Error(), " (it produces", 2)[0])
	// Output:
	// simulation: policy complaints (complaints.yaml): invalid: complaints.yaml:5:3: indicator "complaints" is not produced by the simulation model
}
