package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// maxFamilySize bounds --size: families of more than 100 schools are not
// "similar" any more, and England's 22,000 schools times --size entries
// must fit in memory.
const maxFamilySize = 100

// newNetworkFamiliesCmd is "fulcrum network families": each school's
// family of similar schools (same phase, nearest in pupils, FSM percentage
// and rurality), the basis for benchmarking.
func newNetworkFamiliesCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "families",
		Short: "each school's family of similar schools, the basis for benchmarking",
		Args:  noArgs,
	}
	f := addAnalysisFlags(c, "table", "json", "csv")
	var size int
	intFlag(c, &size, "size", 10, 1, maxFamilySize, "number of similar schools in each family")
	c.RunE = func(c *cobra.Command, _ []string) error {
		o, err := f.options()
		if err != nil {
			return err
		}
		o.FamilySize = size
		m, err := f.model(c.Context(), e)
		if err != nil {
			return err
		}
		if err := checkArea(m, o); err != nil {
			return err
		}
		stop := e.startTask("finding families of similar schools")
		rep, err := analysis.Families(c.Context(), m, o)
		stop()
		if err != nil {
			return err
		}
		switch f.format.value {
		case "json":
			return writeJSON(e.stdout, rep)
		case "csv":
			var rows [][]string
			for _, fam := range rep.Families {
				for i, s := range fam.Similar {
					rows = append(rows, []string{fam.School.URN.String(), fam.School.Name, strconv.Itoa(i + 1),
						s.School.URN.String(), s.School.Name, strconv.FormatFloat(s.Distance, 'f', 4, 64)})
				}
			}
			return e.writeRecords("csv", []string{"urn", "school", "rank", "similar_urn", "similar_school", "distance"}, rows)
		}
		return writeFamiliesTable(e.stdout, rep)
	}
	return c
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
