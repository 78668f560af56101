// Package simplot draws the charts of a simulation experiment: each metric
// over time, one line per variant (the mean over replicates) with a band
// for its 95% interval, as SVG and PNG, with gonum.org/v1/plot.
package simplot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

// ErrInvalid is wrapped by errors about a summary file that cannot be
// read.
var ErrInvalid = simulation.ErrInvalid

type point struct{ term, mean, lo, hi float64 }

// Summary is a summary.csv read back: per metric, per variant (in file
// order), the points over time.
type Summary struct {
	Metrics  []string
	Variants []string
	series   map[string]map[string][]point
}

// summaryColumns are the columns ReadSummary reads (summary.csv has also
// n and sd).
var summaryColumns = []string{"variant", "term", "metric", "mean", "ci95_low", "ci95_high"}

// ReadSummary reads the summary.csv an experiment wrote. Every problem (a
// column missing, a field that is not a number where one is due, NA
// excepted, a row that is not CSV) is reported in one pass, as a
// csvx.ErrorList of errors naming file, line, column and field, wrapping
// ErrInvalid.
func ReadSummary(name string) (*Summary, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := csvx.NewReader(name, f, nil)
	if err != nil {
		var e *csvx.Error
		if errors.As(err, &e) {
			return nil, invalid(e)
		}
		return nil, fmt.Errorf("simplot: %w", err)
	}
	var errs csvx.ErrorList
	cols := make([]csvx.Col, len(summaryColumns))
	for k, n := range summaryColumns {
		if cols[k] = r.Col(n); !cols[k].Found() {
			errs = append(errs, r.Errorf(csvx.Col{}, "%w: no column %q: not a simulation summary", ErrInvalid, n))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	cv, ct, cm := cols[0], cols[1], cols[2]
	s := &Summary{series: map[string]map[string][]point{}}
	seenV := map[string]bool{}
	for r.Next() {
		ok := true
		num := func(c csvx.Col) float64 {
			f := r.Field(c)
			if f == "NA" {
				return math.NaN()
			}
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				errs = append(errs, r.Errorf(c, "%w: %q is not a number or NA", ErrInvalid, f))
				ok = false
			}
			return x
		}
		t, err := strconv.Atoi(r.Field(ct))
		if err != nil {
			errs = append(errs, r.Errorf(ct, "%w: %q is not a term", ErrInvalid, r.Field(ct)))
			ok = false
		}
		q := point{float64(t), num(cols[3]), num(cols[4]), num(cols[5])}
		if !ok {
			continue
		}
		v, metric := strings.Clone(r.Field(cv)), strings.Clone(r.Field(cm))
		if !seenV[v] {
			seenV[v] = true
			s.Variants = append(s.Variants, v)
		}
		if s.series[metric] == nil {
			s.series[metric] = map[string][]point{}
			s.Metrics = append(s.Metrics, metric)
		}
		s.series[metric][v] = append(s.series[metric][v], q)
	}
	if err := r.Err(); err != nil {
		var e *csvx.Error
		if errors.As(err, &e) {
			return nil, invalid(e)
		}
		return nil, fmt.Errorf("simplot: %w", err)
	}
	for _, e := range r.Skipped() {
		errs = append(errs, invalid(e))
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// invalid returns e also wrapping ErrInvalid.
func invalid(e *csvx.Error) *csvx.Error {
	c := *e
	c.Err = fmt.Errorf("%w: %w", ErrInvalid, e.Err)
	return &c
}

// Plot draws one metric: a line per variant and its 95% band.
func (s *Summary) Plot(metric string) (*plot.Plot, error) {
	by, ok := s.series[metric]
	if !ok {
		return nil, fmt.Errorf("simplot: %w: no metric %q in the summary", simulation.ErrNotFound, metric)
	}
	p := plot.New()
	p.Title.Text = metric
	p.X.Label.Text = "term"
	p.Y.Label.Text = metric
	for k, v := range s.Variants {
		pts := by[v]
		var line plotter.XYs
		var band plotter.XYs
		for _, q := range pts {
			if !math.IsNaN(q.mean) {
				line = append(line, plotter.XY{X: q.term, Y: q.mean})
			}
		}
		for _, q := range pts {
			if !math.IsNaN(q.lo) {
				band = append(band, plotter.XY{X: q.term, Y: q.lo})
			}
		}
		for i := len(pts) - 1; i >= 0; i-- {
			if q := pts[i]; !math.IsNaN(q.hi) {
				band = append(band, plotter.XY{X: q.term, Y: q.hi})
			}
		}
		c := plotutil.Color(k)
		if len(band) >= 3 {
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			r, g, b, _ := c.RGBA()
			poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		if len(line) > 0 {
			l, err := plotter.NewLine(line)
			if err != nil {
				return nil, err
			}
			l.Color = c
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(v, l)
		}
	}
	p.Legend.Top = true
	p.Legend.Left = false
	return p, nil
}

// WriteAll writes <metric>.svg and <metric>.png for every metric of the
// summary into dir (a metric's ':' becomes '_' in the file name), and
// returns the files written.
func (s *Summary) WriteAll(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range s.Metrics {
		p, err := s.Plot(m)
		if err != nil {
			return out, err
		}
		base := filepath.Join(dir, strings.NewReplacer(":", "_", "/", "_").Replace(m))
		for _, ext := range []string{".svg", ".png"} {
			if err := p.Save(7*vg.Inch, 4.5*vg.Inch, base+ext); err != nil {
				return out, fmt.Errorf("simplot: %s: %w", base+ext, err)
			}
			out = append(out, base+ext)
		}
	}
	return out, nil
}
