package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// networkStats implements "fulcrum network stats": the headline counts of
// england.Stats for all the data or one local authority, as JSON or a
// table.
func networkStats(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("fulcrum network stats", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("data", "", "`DIR` holding the England extracts (default: the embedded Yorkshire and the Humber subset)")
	la := fs.String("la", "", "count only the local authority with this `NAME` or three-digit code")
	format := fs.String("format", "table", "output format: table or json")
	lenient := fs.Bool("lenient", false, "skip bad rows instead of failing")
	if err := parseFlags(fs, args, format); err != nil {
		return err
	}
	r, err := loadData(ctx, e, *dir, *lenient)
	if err != nil {
		return err
	}
	st, err := r.Stats(*la)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	return writeStatsTable(e.stdout, r.Source, st)
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
