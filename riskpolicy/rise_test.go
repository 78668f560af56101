package riskpolicy_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// dfeTier is an independent reading of the DfE's RISE definition (see the
// sources in policies/rise.yaml), written from the definition, not from the
// policy: the latest inspection governs, a new structure since it means no
// tier, a category of concern is intervention before September 2025 and
// requires significant improvement targeted from then on, special measures
// is intervention. Grades: 1 outstanding .. 4 inadequate; leadership 1
// exceptional .. 5 urgent improvement.
func dfeTier(history []int, reportCard bool, leadership int, newStructure bool, concern string, at time.Time) string {
	if newStructure {
		return "universal"
	}
	rise := !at.Before(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	rsi := concern == "requires significant improvement" || concern == "serious weaknesses"
	below := func(g int) bool { return g >= 3 }
	switch {
	case concern == "special measures", rsi && !rise:
		return "intervention"
	case !reportCard && len(history) >= 1 && history[0] == 4:
		return "intervention"
	case rsi && rise:
		return "targeted"
	}
	if reportCard {
		if leadership >= 4 && len(history) >= 1 && below(history[0]) {
			return "targeted"
		}
		return "universal"
	}
	if len(history) >= 2 && history[0] == 3 && below(history[1]) {
		return "targeted"
	}
	if len(history) >= 4 && below(history[0]) && below(history[1]) && below(history[2]) && below(history[3]) {
		return "targeted"
	}
	return "universal"
}

// TestRiseAgreesWithDfE compares builtin:rise with dfeTier on 6,000 random
// schools: graded histories of every length, report cards or none, the
// structure condition, every category of concern, before and after
// September 2025.
func TestRiseAgreesWithDfE(t *testing.T) {
	p, err := riskpolicy.Builtin("rise")
	require.NoError(t, err)
	grades := []string{"outstanding", "good", "requires improvement", "inadequate"}
	rc := []string{"exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement"}
	concerns := []string{"none", "serious weaknesses", "requires significant improvement", "special measures"}
	rng := rand.New(rand.NewPCG(9, 2025))
	ctx := context.Background()
	for i := range 6000 {
		var history []int
		var hs []string
		for range rng.IntN(6) {
			g := 1 + rng.IntN(4)
			history = append(history, g)
			hs = append(hs, grades[g-1])
		}
		reportCard := rng.IntN(2) == 0
		leadership := 1 + rng.IntN(5)
		newStructure := rng.IntN(5) == 0
		concern := concerns[rng.IntN(4)]
		at := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(240)-120)
		vals := map[string]riskpolicy.Value{
			"new_structure_since_inspection": riskpolicy.Bool(newStructure),
			"category_of_concern":            riskpolicy.Text(concern),
		}
		if len(hs) > 0 {
			vals["ofsted_history"] = riskpolicy.Text(strings.Join(hs, ";"))
		}
		if reportCard {
			vals["report_card"] = riskpolicy.Areas(map[string]riskpolicy.Value{
				"leadership_and_governance": riskpolicy.Text(rc[leadership-1]),
				"inclusion":                 riskpolicy.Text(rc[rng.IntN(5)]),
			})
		}
		a, err := p.Evaluate(ctx, riskpolicy.Record{URN: partnership.URN(100000 + i), Periods: []riskpolicy.Snapshot{{Values: vals}}},
			&riskpolicy.EvalOptions{At: at})
		require.NoError(t, err)
		want := dfeTier(history, reportCard, leadership, newStructure, concern, at)
		require.False(t, a.IsUndetermined(), "case %d: %+v", i, a.Undetermined)
		require.Equal(t, want, a.Level, "case %d: history %v, report card %v (leadership %d), new structure %v, %s, at %s; fired %v",
			i, hs, reportCard, leadership, newStructure, concern, at.Format(time.DateOnly), a.Fired)
	}
}
