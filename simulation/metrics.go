package simulation

import (
	"math"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Metrics, each term (see the package documentation for definitions):
//
//	mean_effectiveness, sd_effectiveness   overall effectiveness (sd units)
//	gap_top_bottom_fifth                   mean of the top fifth minus the bottom fifth, this term
//	convergence_slope                      OLS slope of improvement since the start on the starting level (negative: those behind improve faster)
//	bottom_top_improvement_ratio           mean improvement of the starting bottom fifth over that of the starting top fifth
//	bottom_fifth_improvement, top_fifth_improvement
//	below_good_share                       share of schools whose effectiveness is below the good cut point
//	risk_share:LEVEL                       share of schools at each level of the policy
//	time_to_leave:LEVEL                    mean length in terms of the spells at LEVEL that have ended so far
//	needs, needs_met, unmet_needs          needs raised this term, met, and left unmet
//	support_days                           days of support given this term
//	dissimilarity_fsm                      dissimilarity index of FSM pupils across weak (below good) and strong schools (schools of unknown FSM left out)
//	gorard_fsm                             Gorard's segregation index of FSM pupils across weak and strong schools (likewise)
func (e *engine) metricNames() []string {
	out := []string{"mean_effectiveness", "sd_effectiveness", "gap_top_bottom_fifth", "convergence_slope",
		"bottom_top_improvement_ratio", "bottom_fifth_improvement", "top_fifth_improvement", "below_good_share"}
	for _, l := range e.levels {
		out = append(out, "risk_share:"+l)
	}
	for _, l := range e.levels {
		out = append(out, "time_to_leave:"+l)
	}
	return append(out, "needs", "needs_met", "unmet_needs", "support_days", "dissimilarity_fsm", "gorard_fsm")
}

func (e *engine) record() {
	n := len(e.ss)
	eff := grow(e.buf.eff, n)
	e.buf.eff = eff
	var sum, sumsq float64
	for i := range e.ss {
		v := e.ss[i].overall()
		eff[i] = v
		sum += v
	}
	mean := sum / float64(n)
	for _, v := range eff {
		sumsq += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(sumsq / float64(max(1, n-1)))
	sorted := grow(e.buf.sort, n)
	e.buf.sort = sorted
	copy(sorted, eff)
	slices.Sort(sorted)
	k := n / 5
	gap := math.NaN()
	if k > 0 {
		gap = meanOf(sorted[n-k:]) - meanOf(sorted[:k])
	}
	// Convergence: regress improvement on the starting level.
	var sx, sy, sxx, sxy float64
	var bot, top, nb, nt float64
	for i, v := range eff {
		x, y := e.start[i], v-e.start[i]
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
		switch e.fifth[i] {
		case 0:
			bot += y
			nb++
		case 4:
			top += y
			nt++
		}
	}
	fn := float64(n)
	slope := math.NaN()
	if den := sxx - sx*sx/fn; den > 0 && e.term > 0 {
		slope = (sxy - sx*sy/fn) / den
	}
	bi, ti := math.NaN(), math.NaN()
	if nb > 0 {
		bi = bot / nb
	}
	if nt > 0 {
		ti = top / nt
	}
	ratio := math.NaN()
	if ti != 0 && !math.IsNaN(ti) && e.term > 0 {
		ratio = bi / ti
	}
	below := 0.0
	// Disadvantaged pupils across weak (below good) and strong schools:
	// a school whose FSM share or roll is unknown is left out (its pupils
	// cannot be counted), never counted at the imputed share.
	var fW, fS, tW, tS float64
	for i, v := range eff {
		sc := &e.w.Schools[i]
		if v < e.p.CutGood {
			below++
		}
		if sc.FSMImputed {
			continue
		}
		pupils := float64(e.ss[i].pupils)
		fsm := pupils * sc.FSMPercent / 100
		if v < e.p.CutGood {
			fW += fsm
			tW += pupils
		} else {
			fS += fsm
			tS += pupils
		}
	}
	F, T := fW+fS, tW+tS
	N := T - F
	diss, gorard := math.NaN(), math.NaN()
	if F > 0 && N > 0 {
		diss = 0.5 * (math.Abs(fW/F-(tW-fW)/N) + math.Abs(fS/F-(tS-fS)/N))
		gorard = 0.5 * (math.Abs(fW/F-tW/T) + math.Abs(fS/F-tS/T))
	}
	row := []float64{mean, sd, gap, slope, ratio, bi, ti, below / fn}
	counts := make([]float64, len(e.levels))
	for i := range e.ss {
		if int(e.ss[i].level) < len(counts) {
			counts[e.ss[i].level]++
		}
	}
	for _, c := range counts {
		if e.term == 0 {
			c = math.NaN() // no assessment yet
		}
		row = append(row, c/fn)
	}
	for l := range e.levels {
		v := math.NaN()
		if e.spellCount[l] > 0 {
			v = e.spellSum[l] / e.spellCount[l]
		}
		row = append(row, v)
	}
	row = append(row, float64(e.needs), float64(e.met), float64(e.needs-e.met), e.daysUsed, diss, gorard)
	e.res.Terms = append(e.res.Terms, row)
	if e.cfg.PerSchool {
		st := make([]SchoolState, n)
		for i := range e.ss {
			st[i] = SchoolState{URN: e.w.Schools[i].URN, Effectiveness: eff[i], Level: int(e.ss[i].level)}
			if e.ss[i].graded&1 != 0 {
				st[i].Rating = partnership.Rating(e.ss[i].ratings[0])
			}
		}
		e.res.Schools = append(e.res.Schools, st)
	}
}

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
