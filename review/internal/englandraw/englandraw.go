// Package englandraw reads the open state-funded schools of England from the
// raw published extracts in shared/data/raw (the January 2023 school census
// and the geocoded 2024/25 school list), for the allocator's tests,
// benchmarks and examples. It reads columns by header name and reports a
// bad row by file, line and column.
package englandraw

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// Files in the raw data folder.
const (
	CensusFile = "spc_school_level_underlying_data_2022-23.csv.gz"
	CoordsFile = "england_school_coords_2024-25_postcodes_io.csv"
)

// Dir returns the raw data folder, found by walking up from the working
// directory to a "shared/data/raw" (or the FULCRUM_DATA variable), or ""
// when there is none.
func Dir() string {
	if d := os.Getenv("FULCRUM_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "shared", "data", "raw"), filepath.Join(d, "..", "shared", "data", "raw")} {
			if _, err := os.Stat(filepath.Join(c, CensusFile)); err == nil {
				return c
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Load returns every open state-funded school: a census row whose phase
// grouping starts "State-funded" and whose URN is in the 2024/25 list with
// coordinates (a school missing from that list has closed or merged since
// the census). Schools come in census order. The trust is the census trust
// name as OrgID "trust:NAME".
func Load(dir string) ([]review.Reviewee, error) {
	coords, err := loadCoords(filepath.Join(dir, CoordsFile))
	if err != nil {
		return nil, err
	}
	name := filepath.Join(dir, CensusFile)
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	raw, err := io.ReadAll(gz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := csv.NewReader(bytes.NewReader(decode1252(raw)))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	need := []string{"urn", "old_la_code", "school_name", "phase_type_grouping", "trust", "headcount of pupils",
		"% of pupils known to be eligible for free school meals"}
	for _, h := range need {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s:1: no column %q", name, h)
		}
	}
	var out []review.Reviewee
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		grp := rec[col["phase_type_grouping"]]
		if !strings.HasPrefix(grp, "State-funded") {
			continue
		}
		u, err := partnership.ParseURN(rec[col["urn"]])
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: urn: %v", name, line, col["urn"]+1, err)
		}
		loc, ok := coords[u]
		if !ok {
			continue
		}
		ph, err := partnership.ParsePhase(grp)
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: phase_type_grouping: %v", name, line, col["phase_type_grouping"]+1, err)
		}
		la, _ := strconv.Atoi(rec[col["old_la_code"]])
		s := review.Reviewee{URN: u, Name: rec[col["school_name"]], Phase: ph, LA: la, Location: loc, FSMPercent: -1}
		if t := rec[col["trust"]]; t != "" {
			s.Trust = partnership.OrgID("trust:" + t)
		}
		if n, err := strconv.ParseFloat(rec[col["headcount of pupils"]], 64); err == nil {
			s.Pupils = int(n)
		}
		if v, err := strconv.ParseFloat(rec[col["% of pupils known to be eligible for free school meals"]], 64); err == nil {
			s.FSMPercent = v
		}
		out = append(out, s)
	}
	return out, nil
}

func loadCoords(name string) (map[partnership.URN]partnership.Location, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, h := range []string{"URN", "LAT", "LON"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s:1: no column %q", name, h)
		}
	}
	out := map[partnership.URN]partnership.Location{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if rec[col["LAT"]] == "" {
			continue
		}
		u, err := partnership.ParseURN(rec[col["URN"]])
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: URN: %v", name, line, col["URN"]+1, err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["LAT"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["LON"]], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: bad LAT/LON %q,%q", name, line, rec[col["LAT"]], rec[col["LON"]])
		}
		out[u] = partnership.Location{Lat: lat, Lon: lon}
	}
}

// decode1252 converts Windows-1252 text to UTF-8 (the census has a few such
// bytes; the C1 range is read as Latin-1, which is enough for names).
func decode1252(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/64)
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, 0xc0|c>>6, 0x80|c&0x3f)
		}
	}
	return out
}
