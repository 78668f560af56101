package simulation

import (
	"fmt"
	"io"
	"strings"
)

// Describe writes the model's description: the ODD protocol in brief, the
// indicators it produces, the structures, strategies and metrics, and the
// table of every parameter with its unit, default and source (Markdown).
func Describe(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`# The Fulcrum school-partnership model (ODD protocol)

Purpose: compare partnership structures, at-risk policies and brokerage strategies
on upwards convergence and the schools at the edges, on the real schools of England.

Entities: schools (latent overall effectiveness E = mu + u in national sd units, one
deviation per evaluation area, leadership capacity, support days, roll, FSM share,
phase, location, inspection record, peer review, risk level); networks of a structure
(a connector network links networks). Scales: terms (three a year); coordinates.

Process each term: 1 shocks (head leaves, roll falls) and drift (AR(1), the system's
response after RI or inadequate); 2 yearly peer-review clusters (review.Clusters) in
each network, observing areas with error and learning from the cluster's best;
3 inspections on the real cycle, observing with error, judged by cut points, with
report-card area grades and safeguarding; 4 risk levels by the policy file as written
(riskpolicy); 5 brokerage of needs (schools above the first level, weakest area) to
offers (strong schools with days left) in each network, then across each connector,
by the chosen strategy (brokerage); engagements raise the supported area by fit,
the supporter's lead and the school's capacity, and cost the supporter days and
effectiveness; 6 knowledge spread towards each network's mean; 7 metrics.

Design concepts: emergence of convergence and segregation; sensing through
observations only; stochastic shocks, drift, errors and intervals from per-replicate
random streams (bit-identical runs whatever the workers); common random numbers
across variants.

Initialisation: real schools (embedded region or --data), E drawn conditional on the
standing of the latest inspection, graded or not (simulation.Standing: an overall
judgement as itself; otherwise the worst of the key judgements, the report-card areas -
exceptional 1, strong or expected standard 2, needs attention 3, urgent improvement 4 -
and safeguarding not met 4; safeguarding met alone 1-2; nothing graded: unconditioned),
never an older graded inspection; ofsted_rating is missing when the latest inspection
gave no overall judgement, and a latest report card gives its own grades. Or a
generated world. Input: none over time.

Unknown context: a school with no FSM share in the data has fsm_imputed (below) in the
latent model only; to policies fsm_percent is missing, brokerage and review get their
unknown, and the FSM segregation metrics leave it out. An unknown roll is missing to
policies. sim run counts both.

`)
	b.WriteString("## Structures\n\n" + strings.Join(Structures(), ", ") + "\n\n")
	b.WriteString("## Brokerage strategies\n\n" + strings.Join(Strategies(), ", ") + "\n\n")
	b.WriteString("## Indicators produced for risk policies\n\n| indicator | type | grades | meaning |\n|---|---|---|---|\n")
	for _, in := range Indicators() {
		k := in.Kind.String()
		if in.List {
			k += " list"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", in.Name, k, strings.Join(in.Grades, ", "), in.Meaning)
	}
	b.WriteString("\n## Metrics (each term)\n\n" + strings.Join(baseMetrics(), ", ") +
		", and risk_share:LEVEL and time_to_leave:LEVEL for each level of the policy\n\n")
	b.WriteString("## Parameters\n\n| name | unit | default | range | fitted | meaning | source of the default |\n|---|---|---|---|---|---|---|\n")
	for _, p := range ParamTable() {
		fit := ""
		if p.Calibrated {
			fit = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %g | %g..%g | %s | %s | %s |\n", p.Name, p.Unit, p.Default, p.Min, p.Max, fit, p.Meaning, p.Source)
	}
	fmt.Fprintf(&b, "| fsm_imputed | %% | %g | fixed | | FSM share the latent model gives a school whose share the data do not give (long-run level, attainment, fit of support); never passed to policies, brokerage or review, and left out of the FSM metrics | the national share of pupils eligible for free school meals, January 2023 (NationalFSM) |\n", NationalFSM)
	_, err := io.WriteString(w, b.String())
	return err
}
