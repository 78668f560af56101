package simulation_test

import (
	"errors"
	"fmt"

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
