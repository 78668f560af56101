package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

func newEnglandCmd(e *env) *cobra.Command {
	return newGroup("england", "load the published England extracts and report what was read",
		newEnglandLoadCmd(e),
	)
}

// loadData loads the England extracts in dir, or the embedded Yorkshire and
// the Humber subset when dir is "". Under lenient, bad rows are skipped and
// counted in a warning on stderr; otherwise the first bad row fails the
// load. Warnings about a file or column as a whole go to stderr too. Each
// file read is logged at debug level; a spinner shows on stderr
// while a long load runs at a terminal.
//
// With --db the data come from the database instead, and --data is
// refused.
func loadData(ctx context.Context, e *env, dir string, lenient bool) (*england.Result, error) {
	if e.dbPath != "" {
		if dir != "" {
			return nil, usagef("--data and --db: the data come from the database (import them with fulcrum --db %s england load --data DIR)", e.dbPath)
		}
		return loadFromDB(ctx, e)
	}
	r, err := loadFiles(ctx, e, dir, lenient)
	if err != nil {
		return nil, err
	}
	// A warning about a file or column as a whole (a census column missing
	// or blank: every school's value unknown) is said on stderr, not left
	// to "england load".
	for _, w := range r.Warnings {
		if w.Line > 1 {
			break // the file-level warnings come first
		}
		e.log.Warn(w.Error())
	}
	return r, nil
}

// addLenientFlag registers --lenient on a command that reads --data. The
// load is strict by default: the first bad row fails it, naming file, line,
// column and field. --lenient skips bad rows (counted on stderr; "fulcrum
// england load --lenient" lists them) and uses the rest; a file that stopped
// early (a record or the file too long) is refused whole even then.
func addLenientFlag(c *cobra.Command, lenient *bool) {
	c.Flags().BoolVar(lenient, "lenient", false, "with --data: skip bad rows (counted on stderr) instead of failing on the first")
}

// loadFiles loads the extracts in dir, or the embedded subset, as loadData
// describes.
func loadFiles(ctx context.Context, e *env, dir string, lenient bool) (*england.Result, error) {
	opts := &england.Options{Lenient: lenient}
	opts.Progress = func(f england.File) {
		if f.Kind == england.KindUnrecognised {
			e.log.Info("not read", "file", f.Name, "note", f.Note)
			return
		}
		e.log.Debug("read", "file", f.Name, "kind", f.Kind.String(), "rows", f.Rows)
	}
	var (
		r   *england.Result
		err error
	)
	if dir == "" {
		e.log.Debug("using the embedded data (--data DIR reads other extracts)", "region", england.EmbeddedRegion)
		stop := e.startTask("loading the embedded " + england.EmbeddedRegion + " data")
		r, err = england.LoadFS(ctx, england.EmbeddedFS(), opts)
		stop()
		if r != nil {
			r.Source = "embedded: " + england.EmbeddedRegion
		}
	} else {
		stop := e.startTask("loading the extracts in " + dir)
		r, err = england.Load(ctx, dir, opts)
		stop()
	}
	if err != nil {
		return nil, err
	}
	if n := len(r.Skipped); n > 0 {
		rows, refused := 0, 0
		for _, f := range r.Files {
			rows += f.Skipped
			if strings.HasPrefix(f.Note, "refused") {
				refused++
			}
		}
		e.log.Warn("skipped bad rows; fulcrum england load --lenient lists them", "rows", rows, "files_refused", refused)
	}
	return r, nil
}

// newEnglandLoadCmd is "fulcrum england load": it loads the extracts and
// reports what each file gave, the dataset's size, warnings and skipped
// rows.
func newEnglandLoadCmd(e *env) *cobra.Command {
	var (
		dir          string
		lenient, all bool
	)
	c := &cobra.Command{
		Use:   "load",
		Short: "load the extracts and report what each file gave, warnings and skipped rows (with --db, import them)",
		Args:  noArgs,
	}
	addDataFlag(c, &dir)
	c.Flags().BoolVar(&lenient, "lenient", false, "skip bad rows and list them, instead of failing")
	c.Flags().BoolVar(&all, "all", false, "list every warning and skipped row, not only the first 20")
	format := addFormat(c, "table", "json", "csv")
	c.RunE = func(c *cobra.Command, _ []string) error {
		r, err := loadFiles(c.Context(), e, dir, lenient)
		if err != nil {
			return err
		}
		if e.dbPath != "" {
			if err := importEngland(c.Context(), e, r); err != nil {
				return err
			}
		}
		rep := newLoadReport(r)
		switch format.value {
		case "json":
			return writeJSON(e.stdout, rep)
		case "csv":
			// One record per file: what it gave.
			rows := make([][]string, len(rep.Files))
			for i, f := range rep.Files {
				rows[i] = []string{f.Name, f.Kind.String(), f.Layout, f.Encoding.String(), strconv.Itoa(f.Rows), strconv.Itoa(f.Used),
					strconv.Itoa(f.Unmatched), strconv.Itoa(f.Ignored), strconv.Itoa(f.Skipped), f.Note}
			}
			return e.writeRecords("csv", []string{"file", "kind", "layout", "encoding", "rows", "used", "unmatched", "ignored", "skipped", "note"}, rows)
		}
		return rep.writeTable(e.stdout, all)
	}
	return c
}

// loadReport is what "england load" prints.
type loadReport struct {
	Source        string         `json:"source"`
	Files         []england.File `json:"files"`
	Schools       int            `json:"schools"`
	Groups        int            `json:"groups"`
	Organisations int            `json:"organisations"`
	Networks      int            `json:"networks"`
	Memberships   int            `json:"memberships"`
	Inspections   int            `json:"inspections"`
	Located       int            `json:"schools_located"`
	Warnings      []string       `json:"warnings"`
	Skipped       []string       `json:"skipped"`
}

func newLoadReport(r *england.Result) *loadReport {
	d := &r.Dataset
	rep := &loadReport{
		Source: r.Source, Files: r.Files, Schools: len(d.Schools), Groups: len(r.Groups),
		Organisations: len(d.Organisations), Networks: len(d.Networks), Memberships: len(d.Memberships),
		Inspections: len(d.Inspections), Warnings: []string{}, Skipped: []string{},
	}
	for _, s := range d.Schools {
		if s.Location.Known() {
			rep.Located++
		}
	}
	for _, w := range r.Warnings {
		rep.Warnings = append(rep.Warnings, w.Error())
	}
	for _, s := range r.Skipped {
		rep.Skipped = append(rep.Skipped, s.Error())
	}
	return rep
}

// listLimit is how many warnings or skipped rows the table lists without
// --all.
const listLimit = 20

func (rep *loadReport) writeTable(w io.Writer, all bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "source: %s\n\n", rep.Source)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\trows\tused\tunmatched\tignored\tskipped\tduplicate\tlayout\tencoding\tfile")
	for _, f := range rep.Files {
		if f.Kind == england.KindUnrecognised {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", f.Kind, f.Rows, f.Used, f.Unmatched, f.Ignored, f.Skipped,
			f.Duplicate, f.Layout, f.Encoding, f.Name)
	}
	tw.Flush()
	for _, f := range rep.Files {
		if f.Kind == england.KindUnrecognised {
			fmt.Fprintf(&b, "not read: %s (%s)\n", f.Name, f.Note)
		}
		if f.KeyJudgementsOnly > 0 {
			fmt.Fprintf(&b, "%s: %d rows read as key judgements and safeguarding without an overall rating (graded inspections since September 2024; none derived)\n",
				f.Name, f.KeyJudgementsOnly)
		}
		if f.ReportCards > 0 {
			fmt.Fprintf(&b, "%s: %d rows read as report cards (evaluation-area grades and safeguarding; no overall rating)\n",
				f.Name, f.ReportCards)
		}
	}
	fmt.Fprintf(&b, "\nschools %d (%d located), groups %d, organisations %d, networks %d, memberships %d, inspections %d\n",
		rep.Schools, rep.Located, rep.Groups, rep.Organisations, rep.Networks, rep.Memberships, rep.Inspections)
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, len(items))
		for i, s := range items {
			if i == listLimit && !all {
				fmt.Fprintf(&b, "  ... and %d more (--all lists them)\n", len(items)-listLimit)
				break
			}
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	list("warnings", rep.Warnings)
	list("skipped rows", rep.Skipped)
	_, err := io.WriteString(w, b.String())
	return err
}
