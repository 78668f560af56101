package flow_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/fulcrum-edu/fulcrum/flow"
)

// Solving a problem read from a DIMACS file: two suppliers, two consumers.
func ExampleParseDIMACS() {
	in := `c two suppliers, two consumers
p min 4 5
n 1 3
n 2 1
n 3 -2
n 4 -2
a 1 3 0 2 1
a 1 4 0 2 4
a 2 3 0 2 2
a 2 4 0 2 1
a 3 4 0 1 5
`
	g, err := flow.ParseDIMACS(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := g.Solve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cost", f.Cost)
	for k, x := range f.Arcs {
		if x > 0 {
			a := g.Arc(k)
			fmt.Printf("%d -> %d: %d\n", a.From+1, a.To+1, x)
		}
	}
	// Output:
	// cost 7
	// 1 -> 3: 2
	// 1 -> 4: 1
	// 2 -> 4: 1
}

// A capacitated assignment: three needs, two providers with one slot each;
// need 2 may stay unmet at a penalty of 50, and does, because needs 0 and
// 1 must be met and only need 1 can use provider 1.
func ExampleAssignment() {
	a := flow.NewAssignment(3, 2)
	a.SetCapacity(0, 1)
	a.SetCapacity(1, 1)
	a.AddArc(0, 0, 10)
	a.AddArc(1, 0, 12)
	a.AddArc(1, 1, 30)
	a.AddArc(2, 1, 5)
	a.SetPenalty(2, 50)
	res, err := a.Solve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Cost, res.Provider, res.Unmet)
	// Output:
	// 90 [0 1 -1] 1
}
