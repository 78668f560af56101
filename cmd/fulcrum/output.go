package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
)

// newCSV returns a CSV writer on w. Cells a spreadsheet would run as a
// formula (beginning =, +, -, @) are prefixed with an apostrophe unless
// --csv-formulas was given; see package internal/csvout.
func (e *env) newCSV(w io.Writer) *csvout.Writer {
	return csvout.NewWriter(w, &csvout.Options{Formulas: e.csvFormulas})
}

// notef writes a human summary of what command c did to standard error,
// as "fulcrum <command>: message", the form of the tool's error messages:
// the one convention for summaries, which stay off standard output so
// that it holds only records.
func (e *env) notef(c *cobra.Command, format string, a ...any) {
	fmt.Fprintf(e.stderr, "%s: %s\n", c.CommandPath(), fmt.Sprintf(format, a...))
}

// writeRecords writes header and rows to e.stdout as CSV (format "csv") or
// as an aligned table with the header in capitals (format "table").
func (e *env) writeRecords(format string, header []string, rows [][]string) error {
	if format == "csv" {
		w := e.newCSV(e.stdout)
		w.Write(header)
		for _, r := range rows {
			w.Write(r)
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(header, "\t")))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// writeJSONList writes list to w exactly as writeJSON would (an indented
// JSON array, then a newline) but one element at a time, through a
// buffer: the whole document is never held in memory (an evaluation of
// every school in England is about 27 MB of JSON).
func writeJSONList[T any](w io.Writer, list []T) error {
	switch {
	case list == nil:
		_, err := io.WriteString(w, "null\n")
		return err
	case len(list) == 0:
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("[\n")
	for i, v := range list {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("  ")
		bw.Write(b)
		if i < len(list)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
