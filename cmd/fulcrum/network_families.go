package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// networkFamilies prints each school's family of similar schools (same phase,
// nearest in pupils, FSM percentage and rurality), the basis for
// benchmarking: "fulcrum network families [--la NAME] [--size N]".
func networkFamilies(ctx context.Context, e *env, args []string) error {
	size := 0
	f, err := parseAnalysisFlags(e, "families", args, []string{"table", "json"}, func(fs *flag.FlagSet) {
		fs.IntVar(&size, "size", 10, "number of similar schools in each family")
	})
	if err != nil {
		return err
	}
	if size < 1 {
		return fmt.Errorf("%w: --size %d: want at least 1", errUsage, size)
	}
	o, err := f.options()
	if err != nil {
		return err
	}
	o.FamilySize = size
	m, err := f.model(ctx, e)
	if err != nil {
		return err
	}
	if err := checkArea(m, o); err != nil {
		return err
	}
	rep, err := analysis.Families(ctx, m, o)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(e.stdout, rep)
	}
	return writeFamiliesTable(e.stdout, rep)
}

func writeFamiliesTable(w io.Writer, rep *analysis.FamilyReport) error {
	fmt.Fprintf(w, "Families of similar schools in %s: %d schools, %d left out for want of pupils or FSM figures\n\n",
		rep.Area, len(rep.Families), rep.Excluded)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "URN\tSCHOOL\tMOST SIMILAR (URN, DISTANCE)")
	for _, fam := range rep.Families {
		fmt.Fprintf(tw, "%d\t%s\t", fam.School.URN, fam.School.Name)
		for i, s := range fam.Similar {
			if i > 0 {
				fmt.Fprint(tw, " ")
			}
			fmt.Fprintf(tw, "%d (%.2f)", s.School.URN, s.Distance)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
