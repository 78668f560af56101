package main

import (
	"strconv"

	"github.com/fulcrum-edu/fulcrum/simulation"
)

// simRunOutput is the JSON of "sim run": what was run and where it went.
type simRunOutput struct {
	Out     string `json:"out"` // the directory written
	Schools int    `json:"schools"`
	// FSMImputed counts the schools whose FSM share the data do not give:
	// imputed (24%) in the latent model only, missing to the policy.
	FSMImputed int `json:"fsm_imputed"`
	// PupilsUnknown counts the schools whose roll is unknown (missing to
	// the policy).
	PupilsUnknown int     `json:"pupils_unknown"`
	Variants      int     `json:"variants"`
	Replicates    int     `json:"replicates"`
	Terms         int     `json:"terms"`
	Seconds       float64 `json:"seconds"`
}

// simMergeOutput is the JSON of "sim merge".
type simMergeOutput struct {
	Out    string   `json:"out"`
	Shards []string `json:"shards"` // the shard directories, as given
}

// simPlotOutput is the JSON of "sim plot".
type simPlotOutput struct {
	Out   string   `json:"out"`
	Files []string `json:"files"` // the charts written
}

// sensitivityOutput is the JSON of "sim sensitivity": the Morris
// elementary effects of the parameters on one metric.
type sensitivityOutput struct {
	Metric  string   `json:"metric"`
	Term    int      `json:"term"`
	Variant string   `json:"variant"`
	Effects []effect `json:"effects"`
}

// effect is one parameter's elementary effects (see simulation.Effect).
type effect struct {
	Parameter string  `json:"parameter"`
	MuStar    float64 `json:"mu_star"`
	Mu        float64 `json:"mu"`
	Sigma     float64 `json:"sigma"`
	N         int     `json:"n"`
}

// gradeNames name the rows and columns of simulation.Transitions.
var gradeNames = []string{"outstanding", "good", "requires-improvement", "inadequate"}

// transitionsOutput is a simulation.Transitions as shares.
type transitionsOutput struct {
	// Rows[i][j] is the share of the inspections after one judged
	// gradeNames[i] that were judged gradeNames[j].
	Rows  [4][4]float64 `json:"rows"`
	Pairs [4]float64    `json:"pairs"` // consecutive pairs from each grade
	// Distribution is the share of all graded inspections in each grade.
	Distribution [4]float64 `json:"distribution"`
	Judgements   float64    `json:"judgements"`
}

func transitionsOf(t *simulation.Transitions) transitionsOutput {
	var o transitionsOutput
	for r := range 4 {
		o.Rows[r] = t.Row(r)
		for _, c := range t.Counts[r] {
			o.Pairs[r] += c
		}
		o.Judgements += t.Grades[r]
	}
	o.Distribution = t.Distribution()
	return o
}

// calibrationOutput is the JSON of "sim calibrate".
type calibrationOutput struct {
	Source    string            `json:"source"`
	Grades    []string          `json:"grades"` // the order of rows and columns
	Real      transitionsOutput `json:"real"`
	Simulated transitionsOutput `json:"simulated"`
	// RowDistance is the total-variation distance of each row, real from
	// simulated; GradeDistance that of the distributions.
	RowDistance   [4]float64        `json:"row_distance"`
	GradeDistance float64           `json:"grade_distance"`
	Loss          float64           `json:"loss"`
	Parameters    []calibratedParam `json:"parameters"`
}

// calibratedParam is a fitted parameter, with its bootstrap standard
// deviation when --bootstrap was given.
type calibratedParam struct {
	Name        string   `json:"name"`
	Fitted      float64  `json:"fitted"`
	BootstrapSD *float64 `json:"bootstrap_sd,omitempty"`
}

func calibrationOutputOf(source string, cal *simulation.Calibration) calibrationOutput {
	o := calibrationOutput{Source: source, Grades: gradeNames, Real: transitionsOf(cal.Real), Simulated: transitionsOf(cal.Sim), Loss: cal.Objective}
	o.RowDistance, o.GradeDistance = cal.Real.Distance(cal.Sim)
	for _, p := range simulation.ParamTable() {
		if !p.Calibrated {
			continue
		}
		v, _ := cal.Params.Get(p.Name)
		cp := calibratedParam{Name: p.Name, Fitted: v}
		if sd, ok := cal.SD[p.Name]; ok {
			cp.BootstrapSD = &sd
		}
		o.Parameters = append(o.Parameters, cp)
	}
	return o
}

// calibrationFacts is "sim calibrate" in long form (see factHeader).
func calibrationFacts(cal *simulation.Calibration) facts {
	o := calibrationOutputOf("", cal)
	var f facts
	for _, t := range []struct {
		section string
		tr      transitionsOutput
	}{{"real", o.Real}, {"simulated", o.Simulated}} {
		for r, from := range gradeNames {
			for c, to := range gradeNames {
				f.add(t.section, "from:"+from, "", "", "to:"+to, t.tr.Rows[r][c])
			}
			f.add(t.section, "from:"+from, "", "", "pairs", t.tr.Pairs[r])
		}
		for c, g := range gradeNames {
			f.add(t.section, "all_judgements", "", "", "share:"+g, t.tr.Distribution[c])
		}
		f.add(t.section, "all_judgements", "", "", "judgements", t.tr.Judgements)
	}
	for r, from := range gradeNames {
		f.add("distance", "from:"+from, "", "", "total_variation", o.RowDistance[r])
	}
	f.add("distance", "all_judgements", "", "", "total_variation", o.GradeDistance)
	f.add("distance", "", "", "", "loss", o.Loss)
	for _, p := range o.Parameters {
		f.add("parameters", "", p.Name, "", "fitted", p.Fitted)
		if p.BootstrapSD != nil {
			f.add("parameters", "", p.Name, "", "bootstrap_sd", *p.BootstrapSD)
		}
	}
	return f
}

// fmtG formats a float in the shortest form that reads back exactly.
func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
