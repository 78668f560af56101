package simplot_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/fulcrum-edu/fulcrum/simulation/simplot"
)

// A summary.csv written by `fulcrum sim run` (here two variants over three
// terms) becomes one chart per metric, each variant a line with its band.
func ExampleReadSummary() {
	dir, err := os.MkdirTemp("", "simplot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	summary := `variant,term,metric,n,mean,sd,ci95_low,ci95_high
none,1,mean,3,0.00,0.01,-0.02,0.02
none,2,mean,3,0.01,0.01,-0.01,0.03
none,3,mean,3,0.01,0.02,-0.03,0.05
communities,1,mean,3,0.00,0.01,-0.02,0.02
communities,2,mean,3,0.03,0.01,0.01,0.05
communities,3,mean,3,0.05,0.02,0.01,0.09
`
	name := filepath.Join(dir, "summary.csv")
	if err := os.WriteFile(name, []byte(summary), 0o644); err != nil {
		log.Fatal(err)
	}
	s, err := simplot.ReadSummary(name)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Metrics, s.Variants)
	files, err := s.WriteAll(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(filepath.Base(f))
	}
	// Output:
	// [mean] [none communities]
	// mean.svg
	// mean.png
}
