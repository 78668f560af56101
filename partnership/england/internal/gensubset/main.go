// Command gensubset writes the regional subset of the England extracts that
// package england embeds: the schools of one region from the school census
// (only the columns the loader reads), the GIAS group links of those
// schools and of the region's local authorities, the groups they name, the
// predecessor links reaching those schools, and the inspections and
// coordinates of the schools and their predecessors. Each output file keeps
// its source's layout (header names, dates, encoding) and is gzipped, so
// the same loader reads it.
//
// Usage (from partnership/england, as go generate runs it):
//
//	go run ./internal/gensubset -raw ../../../shared/data/raw -out data
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

func main() {
	raw := flag.String("raw", "../../../shared/data/raw", "directory of the full England extracts")
	out := flag.String("out", "data", "directory to write the subset to")
	region := flag.String("region", "Yorkshire and The Humber", "census region_name of the subset")
	flag.Parse()
	if err := run(*raw, *out, *region, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gensubset:", err)
		os.Exit(1)
	}
}

// censusColumns are the census columns the loader reads.
var censusColumns = []string{
	"region_name", "urn", "old_la_code", "la_name", "school_name", "phase_type_grouping", "trust", "opendate",
	"typeofestablishment_name", "middle_school", "all_through_school", "urban_rural", "school_postcode",
	"academy_flag", "headcount of pupils", "% of pupils known to be eligible for free school meals",
}

// file is one CSV file held in memory.
type file struct {
	name   string
	header []string
	rows   [][]string
}

func (f *file) col(name string) int {
	for i, h := range f.header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	return -1
}

// read reads the one file in dir matching pattern.
func read(dir, pattern string) (*file, error) {
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	if len(m) != 1 {
		return nil, fmt.Errorf("want one file matching %s in %s, found %d", pattern, dir, len(m))
	}
	data, err := os.ReadFile(m[0])
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	// encoding/csv passes bytes through, so Windows-1252 text is kept as
	// it is.
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m[0], err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", m[0])
	}
	return &file{name: strings.TrimSuffix(filepath.Base(m[0]), ".gz"), header: recs[0], rows: recs[1:]}, nil
}

// write writes f, gzipped, as dir/name.gz.
func write(dir string, f *file, report io.Writer) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := csv.NewWriter(zw)
	if err := w.Write(f.header); err != nil {
		return err
	}
	if err := w.WriteAll(f.rows); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(report, "%-50s %6d rows %8d bytes\n", f.name+".gz", len(f.rows), buf.Len())
	return os.WriteFile(filepath.Join(dir, f.name+".gz"), buf.Bytes(), 0o644)
}

func urn(s string) partnership.URN {
	u, err := partnership.ParseURN(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return u
}

func run(raw, out, region string, report io.Writer) error {
	census, err := read(raw, "spc_school_level_underlying_data*")
	if err != nil {
		return err
	}
	groups, err := read(raw, "gias_allgroupsdata*")
	if err != nil {
		return err
	}
	links, err := read(raw, "gias_alllinksdata*")
	if err != nil {
		return err
	}
	preds, err := read(raw, "gias_links_edubasealldata*")
	if err != nil {
		return err
	}
	ofsted, err := read(raw, "ofsted_*")
	if err != nil {
		return err
	}
	coords, err := read(raw, "*coords*")
	if err != nil {
		return err
	}

	// The region's schools, with the census columns the loader reads.
	var keep []int
	for _, c := range censusColumns {
		i := census.col(c)
		if i < 0 {
			return fmt.Errorf("census has no column %q", c)
		}
		keep = append(keep, i)
	}
	slices.Sort(keep)
	sub := &file{name: census.name}
	for _, i := range keep {
		sub.header = append(sub.header, census.header[i])
	}
	schools := map[partnership.URN]bool{}
	las := map[string]bool{}
	ri, ui, li := census.col("region_name"), census.col("urn"), census.col("la_name")
	for _, r := range census.rows {
		if r[ri] != region {
			continue
		}
		row := make([]string, 0, len(keep))
		for _, i := range keep {
			row = append(row, r[i])
		}
		sub.rows = append(sub.rows, row)
		schools[urn(r[ui])] = true
		las[strings.ToLower(r[li])] = true
	}
	if len(sub.rows) == 0 {
		return fmt.Errorf("no census school in region %q", region)
	}

	// Group links of the region's schools and LAs, and their groups.
	uids := map[string]bool{}
	lu, lg, lla := links.col("urn"), links.col("group uid"), links.col("la (name)")
	links.rows = slices.DeleteFunc(links.rows, func(r []string) bool {
		in := schools[urn(r[lu])] || las[strings.ToLower(r[lla])]
		if in {
			uids[r[lg]] = true
		}
		return !in
	})
	gu := groups.col("group uid")
	groups.rows = slices.DeleteFunc(groups.rows, func(r []string) bool { return !uids[r[gu]] })

	// Predecessor links reaching the schools, followed transitively.
	pu, pl, pt := preds.col("urn"), preds.col("linkurn"), preds.col("linktype")
	bySucc := map[partnership.URN][]partnership.URN{}
	for _, r := range preds.rows {
		a, b, t := urn(r[pu]), urn(r[pl]), strings.ToLower(r[pt])
		switch {
		case strings.HasPrefix(t, "predecessor"):
			bySucc[a] = append(bySucc[a], b)
		case strings.HasPrefix(t, "successor"):
			bySucc[b] = append(bySucc[b], a)
		}
	}
	history := map[partnership.URN]bool{}
	var stack []partnership.URN
	for u := range schools {
		history[u] = true
		stack = append(stack, u)
	}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range bySucc[u] {
			if !history[p] {
				history[p] = true
				stack = append(stack, p)
			}
		}
	}
	preds.rows = slices.DeleteFunc(preds.rows, func(r []string) bool {
		return !history[urn(r[pu])] && !history[urn(r[pl])]
	})
	ou := ofsted.col("urn")
	ofsted.rows = slices.DeleteFunc(ofsted.rows, func(r []string) bool { return !history[urn(r[ou])] })
	cu := coords.col("urn")
	coords.rows = slices.DeleteFunc(coords.rows, func(r []string) bool { return !schools[urn(r[cu])] })

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range []*file{sub, groups, links, preds, ofsted, coords} {
		if err := write(out, f, report); err != nil {
			return err
		}
	}
	return nil
}
