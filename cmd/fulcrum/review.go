package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/internal/atomicfile"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// newReviewCmd is "fulcrum review allocate|clusters|schedule".
func newReviewCmd(e *env) *cobra.Command {
	return newGroup("review", "peer-review reviewer allocation, clusters and QA schedules",
		newReviewAllocateCmd(e),
		newReviewClustersCmd(e),
		newReviewScheduleCmd(e),
	)
}

// schoolFlags are the flags that choose the schools: a CSV file, or the
// real schools of the England data (--data DIR, or the embedded region).
type schoolFlags struct {
	schools string
	data    string
	lenient bool
	la      string
	// noLocation lists, after load from --data, the open state-funded
	// schools (of --la, when given) left out because they have no
	// location.
	noLocation []partnership.URN
}

func (f *schoolFlags) register(c *cobra.Command) {
	fs := c.Flags()
	fs.StringVar(&f.schools, "schools", "", "schools CSV (columns "+strings.Join(review.SchoolColumns, ",")+"); default: the real schools of --data")
	addDataFlag(c, &f.data)
	addLenientFlag(c, &f.lenient)
	fs.StringVar(&f.la, "la", "", "keep only schools of these local authority codes, comma-separated (e.g. 383,380)")
}

// load returns the schools and where they came from.
func (f *schoolFlags) load(c *cobra.Command, e *env) ([]review.Reviewee, string, error) {
	ctx := c.Context()
	var schools []review.Reviewee
	var source string
	if f.schools != "" {
		if f.data != "" {
			return nil, "", usagef("give --schools or --data, not both")
		}
		r, err := openLimited(f.schools, maxListBytes)
		if err != nil {
			return nil, "", err
		}
		schools, err = review.ReadSchools(f.schools, r)
		r.Close()
		if err != nil {
			return nil, "", err
		}
		source = f.schools
	} else {
		res, err := loadData(ctx, e, f.data, f.lenient)
		if err != nil {
			return nil, "", err
		}
		schools = review.Reviewees(&res.Dataset, nil)
		source = res.Source
		las := laSet(f.la)
		for i := range res.Dataset.Schools {
			sc := &res.Dataset.Schools[i]
			if sc.Governance.IsStateFunded() && sc.Closed.IsZero() && !sc.Location.Known() && (las == nil || las[sc.LA]) {
				f.noLocation = append(f.noLocation, sc.URN)
			}
		}
		if n := len(f.noLocation); n > 0 {
			show := f.noLocation[:min(n, 20)]
			var urns []string
			for _, u := range show {
				urns = append(urns, u.String())
			}
			more := ""
			if n > len(show) {
				more = fmt.Sprintf(" and %d more", n-len(show))
			}
			e.notef(c, "%d open state-funded school(s) left out: no location: %s%s", n, strings.Join(urns, ", "), more)
		}
	}
	if f.la != "" {
		keep := map[int]bool{}
		for _, s := range strings.Split(f.la, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, "", usagef("--la %q: want local authority codes such as 383", f.la)
			}
			keep[n] = true
		}
		schools = slices.DeleteFunc(schools, func(s review.Reviewee) bool { return !keep[s.LA] })
		if len(schools) == 0 {
			return nil, "", fmt.Errorf("--la %s selects no school", f.la)
		}
	}
	return schools, source, nil
}

// allocateOutput is the JSON of "review allocate".
type allocateOutput struct {
	Schools            string             `json:"schools"`
	Reviewers          string             `json:"reviewers"`
	SyntheticReviewers bool               `json:"synthetic_reviewers"`
	Rules              review.Rules       `json:"rules"`
	Allocation         *review.Allocation `json:"allocation"`
	Visits             *review.VisitPlan  `json:"visits,omitempty"`
	// VisitCalendar is what the visits were scheduled with (--visit-year).
	VisitCalendar *visitCalendar `json:"visit_calendar,omitempty"`
	// LeftOutNoLocation are the open state-funded schools of --data (and
	// --la) not reviewed because they have no location.
	LeftOutNoLocation []partnership.URN `json:"left_out_no_location,omitempty"`
}

// laSet returns the codes of a --la list, nil for none; a code that is not
// a number is left for load's check.
func laSet(la string) map[int]bool {
	if la == "" {
		return nil
	}
	out := map[int]bool{}
	for _, s := range strings.Split(la, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			out[n] = true
		}
	}
	return out
}

func newReviewAllocateCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "allocate",
		Short: "allocate peer reviewers to schools, optimally, with the bound it is proved against",
		Args:  noArgs,
	}
	var sf schoolFlags
	sf.register(c)
	fs := c.Flags()
	reviewersFile := fs.String("reviewers", "", "reviewers CSV (columns "+strings.Join(review.ReviewerColumns, ",")+"); default: synthetic reviewers drawn from the schools")
	rulesFile := fs.String("rules", "", "rules YAML (default: review.DefaultRules)")
	format := addFormat(c, "json", "csv", "table")
	seed := fs.Uint64("seed", 1, "seed for synthetic reviewers")
	var files runFiles
	fs.StringVar(&files.reviewers, "write-reviewers", "", "write the reviewers used (synthetic ones included) to this CSV file, readable by --reviewers")
	fs.StringVar(&files.schools, "write-schools", "", "write the schools used (with any synthetic focus) to this CSV file, readable by --schools")
	intFlag(c, &files.visitYear, "visit-year", 0, 0, 2100, "also schedule the visits in the academic year starting in September of this year (typical English terms unless --term-dates, England and Wales bank holidays; visits in the JSON, visit_start and visit_end columns in CSV and table); 0: no schedule")
	intFlag(c, &files.visitDays, "visit-days", 2, 2, 3, "length of a review visit in school days, with --visit-year")
	intFlag(c, &files.travelDays, "travel-days", 0, 0, 10, "weekdays a reviewer needs between two visits, with --visit-year")
	fs.StringVar(&files.windows, "visit-windows", "", "with --visit-year: CSV `FILE` of when schools ask to be visited (columns "+strings.Join(review.WindowColumns, ",")+
		"; dates yyyy-mm-dd or dd/mm/yyyy, inclusive, in the academic year; a blank end is open)")
	fs.StringVar(&files.absences, "reviewer-absences", "", "with --visit-year: CSV `FILE` of when reviewers cannot visit (columns "+strings.Join(review.AbsenceColumns, ",")+
		"; dates yyyy-mm-dd or dd/mm/yyyy, inclusive)")
	fs.StringVar(&files.termDates, "term-dates", "", "with --visit-year: CSV `FILE` of local authorities' term dates (columns "+strings.Join(review.TermDateColumns, ",")+
		"; la 0 or blank: the default for authorities not in the file, else typical English terms), each school keeping its authority's")
	fs.StringVar(&files.bankHolidays, "bank-holidays", "", "with --visit-year: `FILE` in the format of GOV.UK's https://www.gov.uk/bank-holidays.json, in place of the embedded England and Wales bank holidays")
	c.RunE = func(c *cobra.Command, _ []string) error {
		if files.visitYear == 0 {
			for _, name := range []string{"visit-windows", "reviewer-absences", "term-dates", "bank-holidays", "visit-days", "travel-days"} {
				if c.Flags().Changed(name) {
					return usagef("--%s needs --visit-year (the academic year of the visits)", name)
				}
			}
		}
		return reviewAllocate(c, e, &sf, *reviewersFile, *rulesFile, format.value, *seed, files)
	}
	return c
}

// runFiles are where "review allocate" writes the inputs it used, so that a
// run on synthetic reviewers can be audited and repeated with --schools and
// --reviewers.
type runFiles struct {
	reviewers, schools               string
	visitYear, visitDays, travelDays int
	// files the visits are scheduled with ("" for none)
	windows, absences, termDates, bankHolidays string
}

// visitCalendar is what "review allocate --visit-year" scheduled the
// visits with: its year and rules, where the bank holidays and term dates
// came from, and the windows and absences read.
type visitCalendar struct {
	Year         string `json:"year"`
	Days         int    `json:"days"`
	TravelDays   int    `json:"travel_days"`
	BankHolidays string `json:"bank_holidays"`
	TermDates    string `json:"term_dates"`
	// DefaultTerms are the schools that follow the default terms because
	// --term-dates has none for their local authority (or their authority
	// is unknown).
	DefaultTerms []partnership.URN                 `json:"default_terms,omitempty"`
	Windows      map[partnership.URN]review.Window `json:"windows,omitempty"`
	Absences     []review.Absence                  `json:"absences,omitempty"`
}

// visitSetup is what ScheduleVisits is called with.
type visitSetup struct {
	cals     review.Calendars
	windows  map[partnership.URN]review.Window
	absences []review.Absence
	out      *visitCalendar
}

// loadVisits reads the files of --visit-year's schedule and checks that
// the bank holidays cover every calendar, before the allocation, so that a
// bad file fails at once.
func loadVisits(c *cobra.Command, e *env, files runFiles, schools []review.Reviewee, reviewers []review.Reviewer) (*visitSetup, error) {
	year := review.AcademicYear(files.visitYear)
	vs := &visitSetup{cals: review.Calendars{Holidays: review.BankHolidays(), Default: review.EnglishTerms(files.visitYear)},
		out: &visitCalendar{Year: year.String(), Days: files.visitDays, TravelDays: files.travelDays}}
	from, to := vs.cals.Holidays.Years()
	vs.out.BankHolidays = fmt.Sprintf("embedded: England and Wales, %d to %d (GOV.UK bank-holidays.json, review/calendar_data/SOURCE.md)", from, to)
	vs.out.TermDates = fmt.Sprintf("typical English terms for %s (review.EnglishTerms)", year)
	if files.bankHolidays != "" {
		h, err := readWith(files.bankHolidays, maxYAMLBytes, review.ParseBankHolidays)
		if err != nil {
			return nil, err
		}
		vs.cals.Holidays = h
		from, to := h.Years()
		vs.out.BankHolidays = fmt.Sprintf("%s: England and Wales, %d to %d", files.bankHolidays, from, to)
	}
	if files.termDates != "" {
		byLA, err := readWith(files.termDates, maxListBytes, func(name string, r io.Reader) (map[int][]review.Term, error) {
			return review.ReadTermDatesIn(name, r, year)
		})
		if err != nil {
			return nil, err
		}
		def := "typical English terms (review.EnglishTerms)"
		if t, ok := byLA[0]; ok {
			vs.cals.Default, def = t, "the file's default terms (la 0)"
		}
		vs.cals.ByLA, vs.cals.LA = byLA, map[partnership.URN]int{}
		las := map[int]bool{}
		for _, s := range schools {
			if s.LA != 0 {
				vs.cals.LA[s.URN] = s.LA
			}
			if _, ok := byLA[s.LA]; !ok || s.LA == 0 {
				vs.out.DefaultTerms = append(vs.out.DefaultTerms, s.URN)
				las[s.LA] = true
			}
		}
		vs.out.TermDates = fmt.Sprintf("%s: %d local authorities; default: %s", files.termDates, len(byLA)-b2i(byLA[0] != nil), def)
		if n := len(vs.out.DefaultTerms); n > 0 {
			codes := slices.Sorted(maps.Keys(las))
			var names []string
			for _, la := range codes[:min(len(codes), 10)] {
				if la == 0 {
					names = append(names, "unknown")
				} else {
					names = append(names, strconv.Itoa(la))
				}
			}
			if len(codes) > 10 {
				names = append(names, fmt.Sprintf("%d more", len(codes)-10))
			}
			e.notef(c, "--term-dates %s: %d of %d schools, of %d local authorities not in the file (%s), follow %s", files.termDates, n, len(schools), len(codes), strings.Join(names, ", "), def)
		}
	}
	// the library's own check: every calendar used within the years its
	// bank holidays cover
	seen := map[int]bool{}
	for _, s := range schools {
		key := -1
		if _, ok := vs.cals.ByLA[vs.cals.LA[s.URN]]; ok && vs.cals.LA[s.URN] != 0 {
			key = vs.cals.LA[s.URN]
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, _, err := vs.cals.Of(s.URN).SchoolDays(); err != nil {
			if files.bankHolidays == "" {
				return nil, fmt.Errorf("--visit-year %d: %w (on the command line: --bank-holidays FILE)", files.visitYear, err)
			}
			return nil, fmt.Errorf("--visit-year %d with --bank-holidays %s: %w", files.visitYear, files.bankHolidays, err)
		}
	}
	if files.windows != "" {
		var err error
		vs.windows, err = readWith(files.windows, maxListBytes, func(name string, r io.Reader) (map[partnership.URN]review.Window, error) {
			return review.ReadWindows(name, r, year, schools)
		})
		if err != nil {
			return nil, err
		}
		vs.out.Windows = vs.windows
	}
	if files.absences != "" {
		var err error
		vs.absences, err = readWith(files.absences, maxListBytes, func(name string, r io.Reader) ([]review.Absence, error) {
			return review.ReadAbsences(name, r, year, reviewers)
		})
		if err != nil {
			return nil, err
		}
		vs.out.Absences = vs.absences
	}
	return vs, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func reviewAllocate(c *cobra.Command, e *env, sf *schoolFlags, reviewersFile, rulesFile, format string, seed uint64, files runFiles) error {
	ctx := c.Context()
	schools, source, err := sf.load(c, e)
	if err != nil {
		return err
	}
	rules := review.DefaultRules()
	if rulesFile != "" {
		b, err := readFileLimited(rulesFile, maxYAMLBytes)
		if err != nil {
			return err
		}
		if rules, err = review.ParseRules(rulesFile, b); err != nil {
			return err
		}
	}
	out := allocateOutput{Schools: source, Reviewers: reviewersFile, LeftOutNoLocation: sf.noLocation}
	var reviewers []review.Reviewer
	if reviewersFile != "" {
		f, err := openLimited(reviewersFile, maxListBytes)
		if err != nil {
			return err
		}
		reviewers, err = review.ReadReviewers(reviewersFile, f)
		f.Close()
		if err != nil {
			return err
		}
	} else {
		reviewers, schools = review.SyntheticReviewers(schools, &review.SyntheticOptions{Seed: seed, Focus: true})
		out.Reviewers = fmt.Sprintf("synthetic: %d drawn from the schools (seed %d)", len(reviewers), seed)
		out.SyntheticReviewers = true
	}
	if files.reviewers != "" {
		if err := atomicfile.WriteFile(ctx, files.reviewers, func(w io.Writer) error {
			return review.WriteReviewers(w, reviewers, &review.WriteOptions{Formulas: e.csvFormulas})
		}); err != nil {
			return err
		}
	}
	if files.schools != "" {
		if err := atomicfile.WriteFile(ctx, files.schools, func(w io.Writer) error {
			return review.WriteSchools(w, schools, &review.WriteOptions{Formulas: e.csvFormulas})
		}); err != nil {
			return err
		}
	}
	var vs *visitSetup
	if files.visitYear != 0 {
		if vs, err = loadVisits(c, e, files, schools, reviewers); err != nil {
			return err
		}
	}
	stop := e.startTask(fmt.Sprintf("allocating %d reviewers to %d schools", len(reviewers), len(schools)))
	a, err := review.Allocate(ctx, schools, reviewers, rules)
	stop()
	if err != nil {
		return err
	}
	out.Rules, out.Allocation = rules, a
	visitOf := map[partnership.URN]review.PlannedVisit{}
	if vs != nil {
		stop := e.startTask(fmt.Sprintf("scheduling %d visits", len(a.Teams)))
		out.Visits, err = review.ScheduleVisits(ctx, a.Teams, vs.cals, vs.windows, vs.absences, review.VisitRules{Days: files.visitDays, TravelDays: files.travelDays})
		stop()
		if err != nil {
			return err
		}
		out.VisitCalendar = vs.out
		for _, v := range out.Visits.Visits {
			visitOf[v.School] = v
		}
		e.notef(c, "%d visits scheduled in %d-%d, %d unscheduled", len(out.Visits.Visits), files.visitYear, files.visitYear+1, len(out.Visits.Unscheduled))
	}
	summary := fmt.Sprintf("%d schools, %d reviewers%s: %d of %d places filled, %d teams without a lead, travel %.0f km, objective %.1f, %s",
		len(schools), len(reviewers), map[bool]string{true: " (synthetic)", false: ""}[out.SyntheticReviewers],
		a.Places-a.Unfilled, a.Places, a.LeadsMissing, a.TotalTravelKm, a.Objective, boundText(a))
	if a.UnknownTravel > 0 {
		summary += fmt.Sprintf("; %d place(s) with unknown distance (no location), left out of the travel total", a.UnknownTravel)
	}
	if format == "json" {
		e.notef(c, "%s", summary)
		return writeJSON(e.stdout, out)
	}
	synthetic := map[review.ReviewerID]bool{}
	for _, r := range reviewers {
		synthetic[r.ID] = r.Synthetic
	}
	var rows [][]string
	for _, t := range a.Teams {
		for _, m := range t.Members {
			role := "peer"
			if m.Lead {
				role = "lead"
			}
			km := strconv.FormatFloat(m.TravelKm, 'f', 2, 64)
			if m.TravelUnknown {
				km = "" // unknown, not 0
			}
			row := []string{t.School.String(), role, string(m.Reviewer), m.Home.String(), km,
				strconv.FormatFloat(m.FocusFit, 'f', 2, 64), strconv.FormatBool(m.New), strconv.FormatBool(synthetic[m.Reviewer])}
			if out.Visits != nil {
				start, end := "", "" // blank: unscheduled (the reason is on stderr)
				if v, ok := visitOf[t.School]; ok {
					start, end = v.Days[0].Format(time.DateOnly), v.Days[len(v.Days)-1].Format(time.DateOnly)
				}
				row = append(row, start, end)
			}
			rows = append(rows, row)
		}
	}
	header := []string{"school", "role", "reviewer", "home", "travel_km", "focus_fit", "new", "synthetic"}
	if out.Visits != nil {
		header = append(header, "visit_start", "visit_end")
	}
	err = e.writeRecords(format, header, rows)
	e.notef(c, "%s", summary)
	for _, s := range a.Shortfalls {
		e.notef(c, "shortfall: %s", s.Reason)
	}
	if out.Visits != nil {
		for _, u := range out.Visits.Unscheduled {
			e.notef(c, "unscheduled visit to %d: %s", u.School, u.Reason)
		}
	}
	return err
}

// clustersOutput is the JSON of "review clusters".
type clustersOutput struct {
	Schools    string              `json:"schools"`
	Rules      review.ClusterRules `json:"rules"`
	Clustering *review.Clustering  `json:"clustering"`
}

// scheduleOutput is the JSON of "review schedule".
type scheduleOutput struct {
	Trust    partnership.OrgID `json:"trust"`
	Terms    []review.Term     `json:"terms"`
	Schedule *review.Schedule  `json:"schedule"`
}

func boundText(a *review.Allocation) string {
	switch {
	case a.Optimal:
		return "proven optimal"
	case !a.Bounded:
		return "no lower bound (the pricing of pairs left out by candidates did not settle)"
	case a.Gap >= 0 && a.UnprovenAreas == 0:
		return fmt.Sprintf("lower bound %.1f, within %.2f%%", a.LowerBound, 100*a.Gap)
	case a.Gap >= 0:
		return fmt.Sprintf("within %.2f%% of the lower bound in %d of %d components (in the others the bound fills more places: %d unfilled, %d leads missing)",
			100*a.Gap, len(a.Areas)-a.UnprovenAreas, len(a.Areas), a.BoundUnfilled, a.BoundLeadsMissing)
	}
	return fmt.Sprintf("the bound fills more places than the allocation (%d unfilled, %d leads missing)", a.BoundUnfilled, a.BoundLeadsMissing)
}

func newReviewClustersCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "clusters",
		Short: "group schools into review clusters (triads and larger) under distance, phase and trust rules",
		Args:  noArgs,
	}
	var sf schoolFlags
	sf.register(c)
	fs := c.Flags()
	def := review.DefaultClusterRules()
	var rules review.ClusterRules
	intFlag(c, &rules.Size, "size", def.Size, 3, 7, "target cluster size (3 is a triad)")
	intFlag(c, &rules.MaxSize, "max-size", def.MaxSize, 3, 7, "largest cluster, to absorb schools left over")
	floatFlag(c, &rules.MaxDistanceKm, "max-km", def.MaxDistanceKm, 0, maxKm, "largest distance between two schools of a cluster (0: none)")
	samePhase := fs.Bool("same-phase", def.SamePhase, "keep primary, secondary and special schools apart")
	sameTrust := fs.Bool("exclude-same-trust", def.ExcludeSameTrust, "keep schools of one trust apart")
	context_ := fs.String("context", "ignore", "context of free school meals: ignore, similar or contrast")
	floatFlag(c, &rules.ContextWeight, "context-weight", 0.5, 0, maxKm, "km per percentage point of free school meals")
	format := addFormat(c, "json", "csv", "table")
	c.RunE = func(c *cobra.Command, _ []string) error {
		rules.SamePhase, rules.ExcludeSameTrust = *samePhase, *sameTrust
		if !c.Flags().Changed("max-size") {
			rules.MaxSize = max(rules.MaxSize, rules.Size)
		}
		if rules.MaxSize < rules.Size {
			return usagef("--max-size %d is below --size %d", rules.MaxSize, rules.Size)
		}
		if err := rules.Context.UnmarshalText([]byte(*context_)); err != nil {
			return usagef("--context: %v", err)
		}
		return reviewClusters(c, e, &sf, rules, format.value)
	}
	return c
}

func reviewClusters(cmd *cobra.Command, e *env, sf *schoolFlags, rules review.ClusterRules, format string) error {
	ctx := cmd.Context()
	schools, source, err := sf.load(cmd, e)
	if err != nil {
		return err
	}
	stop := e.startTask(fmt.Sprintf("clustering %d schools", len(schools)))
	c, err := review.Clusters(ctx, schools, rules)
	stop()
	if err != nil {
		return err
	}
	e.notef(cmd, "%d schools from %s: %d clusters, %d unclustered", len(schools), source, len(c.Clusters), len(c.Unclustered))
	if format == "json" {
		return writeJSON(e.stdout, clustersOutput{source, rules, c})
	}
	var rows [][]string
	for i, cl := range c.Clusters {
		for _, u := range cl.Schools {
			rows = append(rows, []string{strconv.Itoa(i + 1), u.String(), strconv.FormatFloat(cl.SpanKm, 'f', 2, 64)})
		}
	}
	for _, u := range c.Unclustered {
		rows = append(rows, []string{"", u.School.String(), ""})
		e.notef(cmd, "unclustered %d: %s", u.School, u.Reason)
	}
	return e.writeRecords(format, []string{"cluster", "school", "span_km"}, rows)
}

// defaultOffer is the core offer in the trust strategy among the source
// documents: three monitoring visits a year for primary schools and four
// curriculum deep dives for secondaries.
func defaultOffer() *review.OfferFile {
	return &review.OfferFile{
		Offer: review.CoreOffer{Items: []review.OfferItem{
			{Kind: "monitoring visit", Phases: []partnership.Phase{partnership.PhasePrimary, partnership.PhaseNursery}, PerYear: 3, Director: "director-of-education-primary"},
			{Kind: "curriculum deep dive", Phases: []partnership.Phase{partnership.PhaseSecondary, partnership.PhaseAllThrough, partnership.PhaseMiddle}, PerYear: 4, Director: "director-of-education-secondary"},
		}},
		Directors: []review.Director{{ID: "director-of-education-primary", PerDay: 1, PerWeek: 3}, {ID: "director-of-education-secondary", PerDay: 1, PerWeek: 3}},
	}
}

func newReviewScheduleCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "schedule",
		Short: "plan a trust's year of quality-assurance visits within its directors' capacity",
		Args:  noArgs,
	}
	var sf schoolFlags
	sf.register(c)
	fs := c.Flags()
	offerFile := fs.String("offer", "", "core offer YAML (default: 3 monitoring visits for primaries, 4 deep dives for secondaries)")
	trust := fs.String("trust", "", "the trust whose schools are visited (default: the offer's trust, else the trust with most schools)")
	year := new(int)
	intFlag(c, year, "year", 2025, 2000, 2100, "academic year starting in September of this year (English terms, unless the offer gives terms)")
	format := addFormat(c, "json", "csv", "table")
	c.RunE = func(c *cobra.Command, _ []string) error {
		return reviewSchedule(c, e, &sf, *offerFile, *trust, *year, format.value)
	}
	return c
}

func reviewSchedule(c *cobra.Command, e *env, sf *schoolFlags, offerFile, trust string, year int, format string) error {
	ctx := c.Context()
	of := defaultOffer()
	if offerFile != "" {
		b, err := readFileLimited(offerFile, maxYAMLBytes)
		if err != nil {
			return err
		}
		if of, err = review.ParseOffer(offerFile, b); err != nil {
			return err
		}
	}
	schools, source, err := sf.load(c, e)
	if err != nil {
		return err
	}
	if trust != "" {
		of.Offer.Trust = partnership.OrgID(trust)
	}
	if of.Offer.Trust == "" {
		of.Offer.Trust = largestTrust(schools)
	}
	mine := slices.DeleteFunc(slices.Clone(schools), func(s review.Reviewee) bool { return s.Trust != of.Offer.Trust })
	if len(mine) == 0 {
		return fmt.Errorf("trust %s has no schools in %s", of.Offer.Trust, source)
	}
	terms := of.Terms
	if terms == nil {
		terms = review.EnglishTerms(year)
	}
	stop := e.startTask(fmt.Sprintf("scheduling visits to %d schools", len(mine)))
	s, err := review.PlanSchedule(ctx, of.Offer, mine, terms, of.Directors)
	stop()
	if err != nil {
		return err
	}
	e.notef(c, "trust %s, %d schools from %s: %d visits scheduled, %d could not be",
		of.Offer.Trust, len(mine), source, len(s.Visits), len(s.Unscheduled))
	for _, u := range s.Unscheduled {
		e.notef(c, "unscheduled %s %d for %d: %s", u.Kind, u.Seq, u.School, u.Reason)
	}
	if format == "json" {
		return writeJSON(e.stdout, scheduleOutput{of.Offer.Trust, terms, s})
	}
	rows := make([][]string, len(s.Visits))
	for i, v := range s.Visits {
		rows[i] = []string{v.Date.Format("2006-01-02"), v.Term, string(v.Director), v.School.String(), v.Kind, strconv.Itoa(v.Seq)}
	}
	return e.writeRecords(format, []string{"date", "term", "director", "school", "kind", "seq"}, rows)
}

// largestTrust returns the trust with most schools (ties to the smaller ID).
func largestTrust(schools []review.Reviewee) partnership.OrgID {
	n := map[partnership.OrgID]int{}
	for _, s := range schools {
		if s.Trust != "" {
			n[s.Trust]++
		}
	}
	var best partnership.OrgID
	for t, c := range n {
		if c > n[best] || (c == n[best] && cmp.Less(t, best)) {
			best = t
		}
	}
	return best
}
