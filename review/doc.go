// Package review runs school peer review: frameworks, review cycles,
// reviewer allocation, reciprocal clusters, quality-assurance schedules and
// confidential reports.
//
// In an alliance every school takes part in a peer review each year: it is
// reviewed, and its leaders review others. National programmes differ in
// detail. One sends a lead reviewer with no vested interest and three or
// four peer reviewers (heads and senior leaders), who estimate the school on
// a four-point scale and validate the "areas of excellence" the school
// nominates, so that excellence can be accredited and moved round the
// system. Another forms clusters of three to seven schools that review each
// other with no grades at all, only enquiry questions, followed by an
// improvement workshop. Trusts run their own quality-assurance visits (one
// trust's strategy offers three monitoring visits a year to its primaries
// and four curriculum deep dives to its secondaries). This package models
// all of that on top of package partnership.
//
// # Frameworks
//
// A Framework is data: evaluation areas and a Scale (ordered grades, best
// first, or none for an enquiry). Builtin gives Ofsted's renewed framework
// (report cards: inclusion; curriculum and teaching; achievement; attendance
// and behaviour; personal development and well-being; leadership and
// governance; early years and sixth form where the school has them;
// safeguarding met or not met), the 2019 framework, the peer-review
// estimate scale (leading, effective, working towards effective,
// ineffective) and an ungraded enquiry framework. ParseFramework reads a
// deployment's own from YAML, reporting every mistake with its line and
// column.
//
// # Cycles
//
// A Service runs each Review of a Cycle through its Stages: self-evaluation
// (the school's score card), planning (the school's focus, the team's
// hypotheses), the visit, agreed findings (per-area Estimates with evidence,
// strengths, areas for development, areas of excellence), the report, the
// improvement workshop or plan, and follow-up. Transitions are checked: no
// report before a visit, no validation of an area of excellence by the
// school itself. Every change is an Event delivered to subscribers;
// Overdue lists reviews past their deadline; Reciprocity says who was
// reviewed and who gave reviewer days.
//
// # Reviewer allocation
//
// Allocate builds teams of one trained lead and N peers under Rules (never a
// reviewer from the school itself; at most MaxPerSchool from any one school;
// optional exclusion of the same trust, of declared conflicts of interest,
// of reviewers whose accreditation has expired, of reciprocal pairs in the
// cycle and of pairs repeated within K cycles; phase compatibility; maximum
// travel or a minimum "professional distance"; capacity; a balance between
// what a school gives and receives; a mix of experience). Its objective is
// lexicographic: every team that can have a lead gets one, then as many
// places as possible are filled, then the least cost (see Weights). It
// solves one problem for the whole input (split only into components no
// reviewer can join, by the phase rule and the travel limit) as a
// minimum-cost flow with package flow's Incremental solver, reports the
// flow optimum over every eligible pair as a lower bound, enforces the
// reciprocal and one-per-school rules by closing arcs and branch and bound,
// searches a small component the flow cannot settle (special schools that
// can only review each other) exactly, explains every place it cannot fill
// with a rule that truly blocks it (Shortfall) and is deterministic.
// ScheduleVisits then puts the teams' visits in time (school windows,
// absences, travel days, bank holidays), and PlanSchedule a trust's
// quality-assurance visits in their terms. SyntheticReviewers draws
// reviewers from real schools, labelled synthetic, where no list is
// published; WriteReviewers and WriteSchools record what a run used.
// Clusters partitions schools into reciprocal clusters instead.
//
// # Confidentiality
//
// A report belongs to the reviewed school. Decide is the access policy: the
// school, its trust and the programme's lead read it; anyone else only with
// the school's recorded Consent, and only the consented Parts;
// accountability bodies (Ofsted, the DfE, RISE advisers) never by default.
// The Service checks and audits every read; nothing else it returns carries
// report content, and it never hands out its Store. Events carry
// identifiers only (not the area a school nominated, not whether it was
// validated): a subscriber that needs content reads it with Service.Report
// as a Reader, through the same check and audit. Nominating an area takes
// the acting school and validating it the acting team member (a Reader with
// Reviewer set); both are checked and audited.
//
// # Outputs for other packages
//
// A Report's Indicators (per-area estimates), Offers (validated areas of
// excellence) and Needs (areas for development) are plain values that the
// caller converts for risk policies and brokerage; this package imports
// neither.
//
// # Errors
//
// Errors wrap ErrNotFound, ErrConflict, ErrInvalid, ErrTransition or
// ErrForbidden (check with errors.Is). Problems in user files are an
// ErrorList of *FileError, each with file, line, column and field.
//
// # Concurrency
//
// A Service, a MemoryStore and a Frameworks may be used by many goroutines.
// Allocate, Clusters and PlanSchedule are pure functions of their input;
// Allocate uses up to GOMAXPROCS goroutines on partitioned inputs.
//
// # Implementing a Store
//
// A Store is four small interfaces (ProgrammeStore, ReviewStore,
// ConsentStore, AuditLog) whose doc comments are the contract. The Service
// owns IDs, time, validation and access, so a store only keeps and returns
// values. Run review/reviewtest.Run against your implementation; it is the
// specification in executable form.
package review
