package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// newNetworkStatsCmd is "fulcrum network stats": the headline counts of
// england.Stats for all the data or one local authority, as JSON, CSV or
// a table.
func newNetworkStatsCmd(e *env) *cobra.Command {
	var (
		dir, la string
		lenient bool
	)
	c := &cobra.Command{
		Use:   "stats",
		Short: "headline counts: schools by phase, trusts, schools in a trust, the largest trusts",
		Long:  "stats counts the state-funded schools by phase, the trusts and the schools in a trust, and lists the largest trusts.\n\n" + factsHelp,
		Args:  noArgs,
	}
	addDataFlag(c, &dir)
	c.Flags().StringVar(&la, "la", "", "count only the local authority with this `NAME` or three-digit code")
	c.Flags().BoolVar(&lenient, "lenient", false, "skip bad rows instead of failing")
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(c *cobra.Command, _ []string) error {
		r, err := loadData(c.Context(), e, dir, lenient)
		if err != nil {
			return err
		}
		// Trusts are counted from the group links: without them the
		// counts would be zeros, not unknowns.
		if err := r.Require(england.KindGroupLinks); err != nil {
			return err
		}
		st, err := r.Stats(la)
		if errors.Is(err, partnership.ErrNotFound) {
			return fmt.Errorf("%w: --la: %w", errUsage, err)
		}
		if err != nil {
			return err
		}
		switch format.value {
		case "json":
			return writeJSON(e.stdout, st)
		case "csv":
			return e.writeRecords("csv", factHeader, statsFacts(st))
		}
		return writeStatsTable(e.stdout, r.Source, st)
	}
	return c
}

func writeStatsTable(w io.Writer, source string, st *england.Stats) error {
	var b strings.Builder
	area := "all schools"
	if st.LA != "" {
		area = "local authority " + st.LA
	}
	fmt.Fprintf(&b, "%s, %s\n\n", source, area)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "state-funded schools\t%d\n", st.Schools)
	for _, p := range partnership.Phases() {
		if n, ok := st.ByPhase[p]; ok {
			fmt.Fprintf(tw, "  %s\t%d\n", p, n)
		}
	}
	if n, ok := st.ByPhase[partnership.PhaseUnknown]; ok {
		fmt.Fprintf(tw, "  %s\t%d\n", partnership.PhaseUnknown, n)
	}
	if st.Unclassified > 0 {
		fmt.Fprintf(tw, "schools left out: not known to be state-funded or not\t%d\n", st.Unclassified)
	}
	fmt.Fprintf(tw, "open multi-academy trusts with members\t%d\n", st.Trusts)
	fmt.Fprintf(tw, "schools in an open trust (MAT or SAT)\t%d\n", st.SchoolsInTrust)
	tw.Flush()
	if len(st.LargestTrusts) > 0 {
		b.WriteString("\nlargest multi-academy trusts (group links rows):\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, t := range st.LargestTrusts {
			fmt.Fprintf(tw, "  %s\t%s\t%d\n", t.Name, t.ID, t.Count)
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}
