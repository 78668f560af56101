// Package simplot draws the charts of a simulation experiment: each metric
// over time, one line per variant (the mean over replicates) with a band
// for its 95% interval, as SVG and PNG, with gonum.org/v1/plot.
package simplot

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

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

// ReadSummary reads the summary.csv an experiment wrote. A row whose
// fields are not numbers (NA excepted) is an error naming its line.
func ReadSummary(name string) (*Summary, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 8
	head, err := cr.Read()
	if err != nil || strings.Join(head, ",") != "variant,term,metric,n,mean,sd,ci95_low,ci95_high" {
		return nil, fmt.Errorf("simplot: %s:1: %w: not a simulation summary", name, ErrInvalid)
	}
	s := &Summary{series: map[string]map[string][]point{}}
	seenV := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("simplot: %s: %w: %v", name, ErrInvalid, err)
		}
		num := func(col int) (float64, error) {
			if rec[col] == "NA" {
				return math.NaN(), nil
			}
			return strconv.ParseFloat(rec[col], 64)
		}
		t, e1 := strconv.Atoi(rec[1])
		m, e2 := num(4)
		lo, e3 := num(6)
		hi, e4 := num(7)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return nil, fmt.Errorf("simplot: %s:%d: %w: %v", name, line, ErrInvalid, err)
		}
		v, metric := rec[0], rec[2]
		if !seenV[v] {
			seenV[v] = true
			s.Variants = append(s.Variants, v)
		}
		if s.series[metric] == nil {
			s.series[metric] = map[string][]point{}
			s.Metrics = append(s.Metrics, metric)
		}
		s.series[metric][v] = append(s.series[metric][v], point{float64(t), m, lo, hi})
	}
	return s, nil
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
