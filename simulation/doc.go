// Package simulation is a laboratory for researchers comparing partnership
// structures: an agent-based model of English schools, run on the real
// schools of England (or the embedded Yorkshire and the Humber region, or
// a generated world), in which the at-risk policy an authority wrote is
// applied as written (package riskpolicy), support is brokered by the
// strategies a trust would run (package brokerage) and peer-review
// clusters are formed as a programme would form them (package review).
//
// The model is described below after the ODD protocol (Grimm et al. 2006,
// 2020): purpose, entities, process overview and scheduling, design
// concepts, initialisation, input and submodels. `fulcrum sim describe`
// prints the same description and the table of parameters.
//
// # Purpose
//
// To compare partnership structures (none; geographic learning
// communities; hub-and-spoke; thematic networks; multi-academy trusts as
// in the data; an alliance of mixed governance with a connector), at-risk
// policies and brokerage strategies for the same supply of expertise, on
// the questions the source documents raise: does a connected system make
// schools fairer ("upwards convergence": everyone improves and those
// furthest behind improve fastest), and which arrangement does most for
// the schools at the edges?
//
// # Entities, state variables and scales
//
// A school (World.Schools) has a context that does not change — phase,
// location, local authority, share of pupils eligible for free school
// meals (FSM) — and a state that does: a latent overall effectiveness E =
// mu + u, where mu is a lasting school effect (its mean depends on FSM,
// fsm_effect) and u a passing deviation; one deviation d per evaluation
// area (inclusion, curriculum and teaching, achievement, attendance and
// behaviour, personal development, leadership and governance), so area a
// is E + d[a]; leadership capacity (0–1, the normal CDF of the leadership
// area, halved when the head leaves); support days left this term; its
// roll; its inspection record (overall judgements, the latest report card
// and safeguarding outcome, the next inspection's term); its latest peer
// review; its risk level. Effectiveness is in units of the national
// standard deviation (sd). A network (Structure) is a set of schools with a
// kind; a connector network links networks. Time advances in terms, three
// a year, from World.Start; space is the schools' coordinates.
//
// # Process overview and scheduling
//
// Each term, in this order:
//
//  1. shocks and drift: a head leaves (head_departure; effectiveness falls
//     by head_effect, capacity halves), a roll falls (roll_fall,
//     roll_effect); u follows an AR(1) process (persistence), with the
//     system's existing response after a requires-improvement or
//     inadequate judgement (response_ri, response_inadequate) until the
//     next inspection; each d[a] follows its own AR(1) (area_persistence,
//     area_spread); capacity recovers (capacity_recovery) and sets the
//     term's support days (supply_days);
//  2. once a year (the first term of each year): peer reviews. In each
//     network the members that take part (peer_review_share) are grouped
//     into clusters by review.Clusters (triads by default, within 30 km,
//     same phase); each member's areas are observed with error
//     (peer_review_noise) and each area closes cluster_learning of its
//     gap to the best in the cluster;
//  3. inspections fall due on the real cycle: the interval after each
//     judgement is the mean gap in the Ofsted history (interval_*), drawn
//     within interval_jitter. The inspector observes E with error
//     (inspection_noise) and judges by the cut points; each area is
//     graded on the report-card scale the same way; safeguarding is not
//     met when leadership is below safeguarding_cut;
//  4. risk assessment: the model produces the indicators of Indicators
//     and the policy (riskpolicy) assigns each school a level, with the
//     school's previous level and, when the policy's rules look back, its
//     earlier terms;
//  5. brokerage: every school above the policy's first level needs
//     need_days of support in its weakest observed area (priority from its
//     level); every school at the first level with days left offers
//     support in each area observed above offer_threshold. Needs and
//     offers are matched inside each network (in structure order) by the
//     chosen strategy (brokerage.Optimal, Greedy or Stable, within
//     max_distance_km and phase), then across the networks each connector
//     links. An engagement raises the supported area by support_effect per
//     day times fit (exp(-|FSM difference|/fit_scale)), the supporter's
//     lead in the area (0–2 sd) and the supported school's leadership
//     capacity; support_spill of it carries to E. The supporter loses the
//     days and supporter_cost per day;
//  6. knowledge spread: in every network (thematic ones in their own area
//     only) each area below the network's mean closes spread_rate of the
//     gap;
//  7. metrics are recorded.
//
// # Metrics
//
// Each term, over all schools (E is overall effectiveness, E0 its value at
// the start):
//
//	mean_effectiveness, sd_effectiveness   mean and standard deviation of E
//	gap_top_bottom_fifth                   mean E of the top fifth minus that of the bottom fifth
//	convergence_slope                      least-squares slope of E-E0 on E0 (negative: those behind improve faster)
//	bottom_top_improvement_ratio           mean E-E0 of the bottom fifth at the start over that of the top fifth
//	bottom_fifth_improvement, top_fifth_improvement
//	below_good_share                       share of schools with E below the good cut point
//	risk_share:LEVEL                       share of schools at each level of the policy
//	time_to_leave:LEVEL                    mean length, in terms, of the spells at LEVEL that have ended so far
//	needs, needs_met, unmet_needs          needs raised this term, met and left unmet
//	support_days                           days of support given this term
//	dissimilarity_fsm                      dissimilarity index of pupils eligible for free school meals between weak (E below good) and strong schools (schools of unknown FSM share or roll left out)
//	gorard_fsm                             Gorard's segregation index of the same
//
// An undefined value (a ratio over zero, a level no school has left) is NA
// in CSV and NaN in Go, never zero.
//
// # Design concepts
//
// Emergence: convergence or divergence of schools, and segregation of
// disadvantaged pupils between weak and strong schools, emerge from local
// support, learning and shocks. Sensing: schools and brokers act on
// observations (inspections, peer reviews), never on the latent state.
// Interaction: brokered engagements, cluster learning and network
// spread. Stochasticity: shocks, drift, observation errors, inspection
// intervals and participation, each from its own random stream per
// replicate (seeded by splitmix64 of the seed and replicate), so runs are
// reproducible bit for bit whatever the number of workers, and variants of
// one replicate share their random numbers. (Bit-identical on one
// architecture: Go may fuse multiply-adds on arm64, so amd64 and arm64 can
// differ in the last digits.) Observation: the metrics each
// term.
//
// # Initialisation
//
// From real data (NewWorld: the embedded region or a directory read by
// partnership/england): each open state-funded school with its phase,
// location, roll, FSM share, trust and its latest six inspections up to
// the start, graded or not (its predecessors' included).
//
// The school starts from its latest inspection, never from an older one
// because the latest gave no overall judgement. Standing reads an
// inspection on the model's four-point scale: an overall judgement as
// itself; without one (key judgements only, from September 2024; a report
// card, from November 2025) the worst of its key judgements, its
// report-card areas mapped by the model's own report-card cuts
// (exceptional 1 outstanding; strong or expected standard 2 good; needs
// attention 3 requires improvement; urgent improvement 4 inadequate) and
// safeguarding (not met 4), which is the reading of
// partnership.Inspection.Concern; safeguarding met alone admits good or
// better (1 or 2). An inspection that graded nothing says nothing of E. E
// is drawn conditional on the latest inspection's standing (a draw
// observed with the inspector's error that the standing admits), split
// into mu and u by their conditional distribution; areas are drawn round E
// and observed once as the starting report card, except that a latest
// real report card gives its own grades and safeguarding outcome. The
// standing also sets the response after a poor inspection, the next
// inspection's interval and whether the school can be a hub. The
// ofsted_rating indicator is the latest inspection's overall judgement
// and is missing when it gave none; ofsted_history lists only overall
// judgements. The next inspection falls due the interval after the latest
// one (within the first year if overdue, or when the latest graded
// nothing).
//
// Unknown context. A school whose FSM share the data do not give has the
// national share (NationalFSM, 24%, the fixed fsm_imputed of `fulcrum sim
// describe`) in the latent model only: its long-run level, the level of
// its attainment indicator and the fit of support. To a risk policy its
// fsm_percent is missing (the policy's missing setting decides), brokerage
// and review are given their unknown (-1), and the FSM segregation metrics
// leave it out. A school whose roll is unknown has pupils missing to a
// policy and no weight in those metrics. World.FSMImputed and
// World.PupilsUnknown count them, and `fulcrum sim run` reports both.
//
// A generated world (Generate) draws the same quantities from national
// distributions.
//
// # Input
//
// None over time: the model is closed once initialised. The structure, the
// policy file, the strategy and the parameters are the treatment.
//
// # Submodels and parameters
//
// Every parameter, its unit, default and the source of the default, is in
// ParamTable (printed by `fulcrum sim describe`), and the one fixed value,
// fsm_imputed (NationalFSM), in the table `fulcrum sim describe` prints.
// The parameters of the latent dynamics are fitted to the real Ofsted
// history by Calibrate.
//
// Risk assessment applies the policy as riskpolicy evaluates it, with one
// rule for a level the policy cannot decide (a condition that could place
// the school higher needs a value the model has not produced for it, such
// as a peer review before its first, and the policy says missing data
// leaves the level undetermined): the run fails with an error wrapping
// ErrInvalid that names the term, counts the schools and gives one, as
// `fulcrum risk eval` exits non-zero. Such a level is only a lower bound,
// and grading it at that bound would count unknown as fine in every
// metric. Declare missing: skip in the policy where an absent value
// should not count.
//
// # Errors
//
// Functions return errors wrapping ErrInvalid (bad parameters, a structure
// naming schools outside the world, a policy reading an indicator the
// model does not produce) or ErrNotFound (an unknown structure, policy or
// strategy name). Experiment files give an ErrorList: every mistake at
// once, each with file, line and column.
//
// # Concurrency
//
// A World and a Structure are read-only once built and shared by every
// run; Run keeps all mutable state to itself, so runs may go in parallel.
package simulation
