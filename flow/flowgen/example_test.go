package flowgen_test

import (
	"context"
	"fmt"

	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

// Generating and solving the smallest tight benchmark instance.
func ExampleGenerate() {
	a := flowgen.Generate(flowgen.Config{Needs: 500, Providers: 300, Tight: true, Seed: 1})
	res, err := a.Solve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Needs(), a.Providers(), res.Cost, res.Unmet)
	// Output:
	// 500 300 11392505 11
}
