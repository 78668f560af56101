// Package riskpolicy lets trusts and local authorities write their own
// "schools at risk" policies as files, check them, test them, run them on
// their data and see what a change would do, with no Go code.
//
// A policy says which indicators it reads, the rules that raise a school's
// level of risk, the ordered levels (universal, targeted, intervention; or
// an authority's A-D; or a trust's at-risk categories), how fired rules
// combine into a level, and what follows at each level: the actions, how
// often the school is reviewed, and which delegated powers it keeps under
// the scheme of delegation. One trust's strategy, which the built-in
// trust-at-risk policy follows, gives the pattern: schools judged
// outstanding, good or improving rapidly keep a high level of autonomy; a
// school at risk gets a trust leader and an executive leader's recovery plan
// with monthly reporting to the CEO; in a high-risk situation
// responsibilities move away from the local governing body and local
// financial controls are removed; where leadership is a barrier an interim
// executive board takes over. Professional judgement can override the level
// for a time, on the record: one override in force at a time for a school,
// a second one refused unless it says which it supersedes, and every
// override's setting, supersession, withdrawal and expiry in the audit
// trail.
//
// Compile a policy once and evaluate it many times:
//
//	p, err := riskpolicy.Compile("policy.yaml", src)  // an ErrorList on a bad file
//	a, err := p.Evaluate(ctx, record, nil)             // one school
//	as, err := p.EvaluateAll(ctx, source, nil)         // every school a Source holds
//
// Data files are read against the policy, so that a renamed column or a
// value on the wrong scale is refused rather than read as missing:
//
//	data, err := p.ReadCSV("indicators.csv", f, "history.csv", h, nil) // an ErrorList naming file:line:col
//	as, err := p.EvaluateAll(ctx, data.Source, nil)
//	cov, err := p.Coverage(ctx, data.Source, as) // values present and missing, undetermined schools
//
// DiffSources (or Diff) compares two policies over the same schools: the
// transition matrix, per local authority or phase, and with a level mapping
// who moves up or down and the rules responsible.
//
// A Service in front of a Store keeps assessments, overrides and the audit
// trail.
//
// # The policy file
//
// A policy is a YAML file. The built-in policies (Builtins; the files in
// policies/) are complete examples to copy; policy.schema.json (Schema) lets
// an editor check and complete one. The keys are:
//
//	policy: la-categories        # the name, lower case
//	title: ...                   # for people
//	period: term                 # what one period of history is
//	history: 6                   # periods of history rules can see (default 6)
//	combine: highest             # or points
//	scales:                      # ordered grades, best first
//	  ofsted: [outstanding, good, requires_improvement, inadequate]
//	missing: undetermined        # or skip: what a condition that needs a missing value means
//	columns:                     # a data file's own headers, where they differ
//	  attendance: "Attendance %"
//	indicators:
//	  attendance: {type: percentage, scale: 0-100, source: "School census, this term"}
//	  rating:     {type: grade, scale: ofsted, source: Ofsted}
//	powers:                      # delegated powers in the scheme of delegation
//	  local_financial_controls: Budget management within delegated limits
//	actions:                     # what levels can do
//	  recovery_plan: An executive leader produces a recovery plan
//	levels:                      # lowest first; the first is the baseline
//	  - name: universal
//	    review: termly
//	  - name: at_risk
//	    inherits: universal      # actions and delegation start from there
//	    actions: [recovery_plan]
//	    review: monthly
//	    delegation: {withdraws: [local_financial_controls]}   # or keeps: [...]
//	    exit: {when: "attendance >= 94.0", for: 2}             # leave only after this holds
//	rules:
//	  - name: low_attendance
//	    when: attendance < 90.0  # CEL, checked against the indicators
//	    for: 2                   # held for two consecutive periods
//	    near: attendance < 92.0  # reported as a near miss
//	    level: at_risk           # or points: 2 when combine is points
//	tests:
//	  - name: two terms of low attendance
//	    indicators: {attendance: 88}
//	    history: [{attendance: 89}]   # earlier periods, newest first
//	    expect: at_risk
//	    fired: [low_attendance]       # optional: exactly these rules fire
//	  - name: one term only
//	    like: two terms of low attendance  # start from that test's indicators
//	    history: [{attendance: 95}]
//	    expect: universal              # or undetermined
//
// Indicator types are number and percentage (CEL double; a percentage
// declares its scale, 0-100 (the default) or 0-1, and a value outside it,
// NaN or Inf is an error, as are fractions in a 0-100 column: see
// Policy.ReadCSV), count (int), boolean, date (timestamp), grade (a grade on a named
// scale) and areas (one grade per evaluation area, on one scale, such as a
// report card's). An indicator with list: true is a series, newest first
// (every inspection's judgement); max_items bounds it. Every indicator says
// its source; default gives the value a school without one has.
//
// # Rules
//
// Rules are CEL expressions (https://cel.dev), the language Kubernetes uses
// for its policies, type-checked when the policy is compiled: a misspelt
// indicator, a grade compared with a number, or a rule that is not a
// boolean is an error with its line and column, and a suggestion where one
// is close. In a rule:
//
//   - each indicator is a variable: attendance, rating;
//   - a grade is written scale.grade (ofsted.good); grades compare by their
//     place on the scale like grade numbers, a worse grade being greater, so
//     rating >= ofsted.requires_improvement means "requires improvement or
//     worse";
//   - an areas indicator is the list of the graded areas' grades
//     (report_card.exists(g, g == rc.urgent_improvement)) and each area is
//     report_card.leadership_and_governance;
//   - history.NAME is the list of a scalar indicator's values, newest first,
//     this period included (periods without a value are left out);
//   - rules.NAME is whether another rule fired (a cycle is an error);
//   - now is the time of the assessment;
//   - besides CEL's own functions: trend(list) (least-squares change per
//     period, positive when rising), mean(list), count(list of bool),
//     streak(list of bool) (consecutive trues, newest first), recent(list,
//     n) (the newest n), rank(grade) (1 = best) and years_between(a, b).
//
// # Missing values
//
// A value a school does not have is missing, never zero. Conditions follow
// CEL's own rules: a || b is true when either side is true and a && b is
// false when either side is false, whatever the other side is, so a
// condition is unknown only when its outcome still depends on a missing
// value (or evaluating it failed, a division by zero say). has(NAME) tests
// presence: has(attendance), has(report_card) (any area graded),
// has(report_card.leadership_and_governance). rules.NAME is unknown when
// rule NAME could not be evaluated, in rules and in levels' entry and exit
// conditions alike.
//
// What an unknown condition means is the policy's to say, with missing: on
// a rule, on an indicator (for the conditions that miss its value) or on
// the policy (see Missing): undetermined (the default) or skip. With
// undetermined, an unknown condition that could have placed the school
// higher (a rule naming a higher level or adding the points that reach
// one, a higher level's entry condition, the exit condition of the level
// the school was at) leaves the level undetermined: Assessment.Undetermined
// lists the conditions and the values they missed, Level is the lower
// bound the known conditions give, and risk eval exits non-zero. With
// skip, the condition is taken not to hold. An indicator's default: gives
// a school without a value that value instead. Unknown rules are listed in
// Assessment.Skipped either way.
//
// A condition with for: N (a rule's, or a level's entry or exit) holds when
// it held in each of the N most recent periods. On a record with fewer
// than N periods (a new school, or data given without its history) it is
// false when it is false in a period there is, and otherwise unknown, not
// false: a school whose attendance is low in the one term given may have
// been low for three, and a policy must not pass it over in silence. It
// then follows the same settings as a missing value (the values missing
// are those of the periods the record lacks: "attendance in the 2 terms
// before (for: 3; the data has 1 term)"), so with undetermined the school
// is undetermined and risk eval exits non-zero, and missing: skip on the
// rule or its indicators takes it not to hold. Replaying earlier periods
// to find the previous level treats it as not holding.
//
// # Levels
//
// With combine: highest a school is at the highest level a fired rule
// names; with combine: points, fired rules add their points and the school
// is at the highest level whose points threshold the score reaches (a rule
// may still name a level, as a floor). A level's entry condition places a
// school there directly. A level's exit condition stops flickering: a
// school at that level stays there, whatever its rules now say, until the
// exit condition holds (for: N consecutive periods). The level a school was
// at comes from its last assessment (EvalOptions.Previous, or the Store
// through a Service); without one, a record's earlier periods are replayed,
// oldest first.
//
// An assessment gives the level, each rule that fired with the values that
// made it fire, the rules that nearly fired (their near condition holds,
// or their condition held for fewer periods than it needs), the actions,
// review cadence and delegation of the level, the change since the last
// assessment, and any override in force.
//
// # Safety
//
// Policies may come from outside the organisation. A rule can read only
// the indicators its policy declares: no files, no network, no clock but
// the assessment's time. Every list a rule can walk has a declared bound
// (history, max_items, the areas), so Compile bounds each condition's
// worst-case cost and rejects one over the limit (WithCostLimit,
// DefaultCostLimit); evaluation checks its context between schools and
// inside the loops of any condition whose worst case costs over 10,000
// (shorter ones finish in microseconds), so a deadline stops it. YAML anchors and aliases are
// refused, and a policy file may not exceed 1 MiB. Custom functions
// (WithFunctions) turn on cost tracking at run time too.
//
// Simple conditions (comparisons joined by &&, || and !) are compiled to Go
// closures that give exactly what CEL gives, which makes evaluating a large
// population several times faster; everything else runs in CEL.
//
// # Errors
//
// Compile and Policy.ReadCSV return an ErrorList: every problem in one pass,
// sorted, each an *Error with a Pos (file, line, column) and the text of
// its line; ErrorList.Caret prints them with a caret under the column.
// Other functions return errors wrapping ErrNotFound, ErrConflict or
// ErrInvalid, which callers test with errors.Is.
//
// # Concurrency
//
// A compiled Policy, a Batch and a MemorySource are immutable and safe for
// concurrent use; EvaluateBatch itself spreads the schools over
// GOMAXPROCS goroutines. Service and MemoryStore are safe for concurrent
// use. A Source or Store implementation must be too.
//
// # Implementing a Store
//
// A Store is three small interfaces: AssessmentStore, OverrideStore and
// AuditLog. The Service owns validation, IDs and time; a store keeps and
// returns copies, with the ordering, paging and errors each method
// documents, and keeps one rule across records inside its own atomic
// operations: no two live overrides of a school under a policy overlap
// (PutOverride refuses, or ends the one superseded in the same step). Check an implementation with riskpolicytest.Run. See
// Example_customStore for a store of one's own and Example_customSource for
// a Source.
package riskpolicy
