package review

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// csvTable reads a CSV file with a header, by column name, through the
// shared streaming reader (internal/csvx: encodings detected, duplicate
// headers refused, size and line-length limits), reporting every problem
// into errs with its position.
type csvTable struct {
	name string
	r    *csvx.Reader
	col  map[string]csvx.Col
	errs *ErrorList
}

// addCSVError records an error of the shared reader with its position.
func (l *ErrorList) addCSVError(name string, err error) {
	var ce *csvx.Error
	var list csvx.ErrorList
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			l.add(name, e.Line, e.Column, e.Field, "%v", e.Err)
		}
	case errors.As(err, &ce):
		l.add(name, ce.Line, ce.Column, ce.Field, "%v", ce.Err)
	default:
		l.add(name, 1, 0, "", "%v", err)
	}
}

func newCSV(name string, r io.Reader, required, optional []string, errs *ErrorList) (*csvTable, bool) {
	cr, err := csvx.NewReader(name, r, &csvx.Options{AllowShortRows: true})
	if err != nil {
		errs.addCSVError(name, err)
		return nil, false
	}
	t := &csvTable{name: name, r: cr, col: map[string]csvx.Col{}, errs: errs}
	known := map[string]bool{}
	for _, h := range append(append([]string{}, required...), optional...) {
		known[h] = true
	}
	for i, h := range cr.Header() {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !known[k] {
			errs.add(name, 1, i+1, k, "unknown column (want %s)", strings.Join(append(required, optional...), ", "))
			continue
		}
		t.col[k] = cr.Col(h)
	}
	ok := true
	for _, h := range required {
		if _, has := t.col[h]; !has {
			errs.add(name, 1, 0, h, "missing column")
			ok = false
		}
	}
	return t, ok
}

// rows calls fn for each record with its line number, then records the
// rows the reader refused and any error that stopped it.
func (t *csvTable) rows(fn func(line int, get func(string) (string, int))) {
	for t.r.Next() {
		fn(t.r.Line(), func(h string) (string, int) {
			c, ok := t.col[h]
			if !ok {
				return "", 0
			}
			return strings.TrimSpace(csvout.Restore(t.r.Field(c))), c.Index() + 1
		})
	}
	for _, e := range t.r.Skipped() {
		t.errs.add(t.name, e.Line, e.Column, e.Field, "%v", e.Err)
	}
	if n := t.r.SkippedCount() - len(t.r.Skipped()); n > 0 {
		t.errs.add(t.name, 0, 0, "", "%d more malformed rows", n)
	}
	if err := t.r.Err(); err != nil {
		t.errs.addCSVError(t.name, err)
	}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rowReader parses typed fields of one row, recording errors.
type rowReader struct {
	t    *csvTable
	line int
	get  func(string) (string, int)
}

func (r rowReader) bad(field string, col int, format string, a ...any) {
	r.t.errs.add(r.t.name, r.line, col, field, format, a...)
}

func (r rowReader) str(f string) string { v, _ := r.get(f); return v }

func (r rowReader) num(f string, required bool) float64 {
	v, col := r.get(f)
	if v == "" {
		if required {
			r.bad(f, col, "missing")
		}
		return 0
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.bad(f, col, "%q is not a number", v)
	}
	return x
}

func (r rowReader) integer(f string, required bool) int {
	v, col := r.get(f)
	if v == "" {
		if required {
			r.bad(f, col, "missing")
		}
		return 0
	}
	x, err := strconv.Atoi(v)
	if err != nil {
		r.bad(f, col, "%q is not a whole number", v)
	}
	return x
}

func (r rowReader) boolean(f string) bool {
	v, col := r.get(f)
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "n":
		return false
	case "1", "true", "yes", "y":
		return true
	}
	r.bad(f, col, "%q is not true or false", v)
	return false
}

func (r rowReader) urn(f string, required bool) partnership.URN {
	v, col := r.get(f)
	if v == "" {
		if required {
			r.bad(f, col, "missing")
		}
		return 0
	}
	u, err := partnership.ParseURN(v)
	if err != nil {
		r.bad(f, col, "%v", err)
	}
	return u
}

// location reads lat and lon, which come together: both blank is an
// unknown location; one blank, or an explicit 0,0, is an error (a blank
// half would otherwise put the school on the equator or the meridian).
func (r rowReader) location() partnership.Location {
	latText, latCol := r.get("lat")
	lonText, lonCol := r.get("lon")
	switch {
	case latText == "" && lonText == "":
		return partnership.Location{}
	case latText == "":
		r.bad("lat", latCol, "%sblank while lon is %s: give both or neither", noCol("lat", latCol), lonText)
		return partnership.Location{}
	case lonText == "":
		r.bad("lon", lonCol, "%sblank while lat is %s: give both or neither", noCol("lon", lonCol), latText)
		return partnership.Location{}
	}
	lat, lon := r.num("lat", false), r.num("lon", false)
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 || lat == 0 && lon == 0 {
		r.bad("lat", latCol, "%g,%g is not a location", lat, lon)
	}
	return partnership.Location{Lat: lat, Lon: lon}
}

func (r rowReader) phases(f string) []partnership.Phase {
	v, col := r.get(f)
	var out []partnership.Phase
	for _, p := range splitList(v) {
		ph, err := partnership.ParsePhase(p)
		if err != nil {
			r.bad(f, col, "%v", err)
		}
		out = append(out, ph)
	}
	return out
}

func (r rowReader) expertise(f string) []partnership.ExpertiseID {
	var out []partnership.ExpertiseID
	for _, e := range splitList(r.str(f)) {
		out = append(out, partnership.ExpertiseID(e))
	}
	return out
}

// SchoolColumns are the columns of a schools CSV file: urn and phase are
// required; focus lists expertise areas separated by ';'.
var SchoolColumns = []string{"urn", "phase", "name", "trust", "la", "lat", "lon", "focus", "pupils", "fsm_percent"}

// ReadSchools reads schools to review from a CSV file with a header of
// SchoolColumns (any order, names case-insensitive). name is used in
// errors. Every problem is reported in one pass as an ErrorList of
// *FileError naming file, line, column and field.
func ReadSchools(name string, r io.Reader) ([]Reviewee, error) {
	var errs ErrorList
	t, ok := newCSV(name, r, SchoolColumns[:2], SchoolColumns[2:], &errs)
	if !ok {
		return nil, errs.Err()
	}
	var out []Reviewee
	seen := map[partnership.URN]int{}
	t.rows(func(line int, get func(string) (string, int)) {
		rr := rowReader{t, line, get}
		s := Reviewee{URN: rr.urn("urn", true), Name: rr.str("name"), Trust: partnership.OrgID(rr.str("trust")),
			LA: rr.integer("la", false), Location: rr.location(), Focus: rr.expertise("focus"),
			Pupils: rr.integer("pupils", false), FSMPercent: -1}
		if v, _ := get("fsm_percent"); v != "" {
			s.FSMPercent = rr.num("fsm_percent", false)
		}
		v, col := get("phase")
		ph, err := partnership.ParsePhase(v)
		if err != nil || ph == partnership.PhaseUnknown {
			rr.bad("phase", col, "unknown phase %q", v)
		}
		s.Phase = ph
		if first, dup := seen[s.URN]; dup && s.URN > 0 {
			_, c := get("urn")
			rr.bad("urn", c, "school %d already on line %d", s.URN, first)
		}
		seen[s.URN] = line
		out = append(out, s)
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewerColumns are the columns of a reviewers CSV file: id and capacity
// are required; phases and expertise are lists separated by ';'; home is
// the URN of the reviewer's school (empty for an external reviewer).
var ReviewerColumns = []string{"id", "capacity", "name", "role", "home", "trust", "external", "phases", "trained_lead",
	"lat", "lon", "expertise", "reviews", "synthetic", "accredited_until"}

// ReadReviewers reads reviewers from a CSV file with a header of
// ReviewerColumns, reporting problems like ReadSchools.
func ReadReviewers(name string, r io.Reader) ([]Reviewer, error) {
	var errs ErrorList
	t, ok := newCSV(name, r, ReviewerColumns[:2], ReviewerColumns[2:], &errs)
	if !ok {
		return nil, errs.Err()
	}
	var out []Reviewer
	seen := map[ReviewerID]int{}
	t.rows(func(line int, get func(string) (string, int)) {
		rr := rowReader{t, line, get}
		rv := Reviewer{ID: ReviewerID(rr.str("id")), Name: rr.str("name"), Home: rr.urn("home", false),
			Trust: partnership.OrgID(rr.str("trust")), External: rr.boolean("external"), Phases: rr.phases("phases"),
			TrainedLead: rr.boolean("trained_lead"), Capacity: rr.integer("capacity", true), Location: rr.location(),
			Expertise: rr.expertise("expertise"), Reviews: rr.integer("reviews", false), Synthetic: rr.boolean("synthetic")}
		if v, col := get("accredited_until"); v != "" {
			d, err := time.Parse(time.DateOnly, v)
			if err != nil {
				rr.bad("accredited_until", col, "%q is not a date YYYY-MM-DD", v)
			}
			rv.AccreditedUntil = d
		}
		if v, col := get("role"); v != "" {
			role, err := partnership.ParseRole(v)
			if err != nil {
				rr.bad("role", col, "%v", err)
			}
			rv.Role = role
		}
		_, col := get("id")
		if rv.ID == "" {
			rr.bad("id", col, "missing")
		} else if first, dup := seen[rv.ID]; dup {
			rr.bad("id", col, "reviewer %s already on line %d", rv.ID, first)
		}
		if rv.Capacity < 0 {
			_, c := get("capacity")
			rr.bad("capacity", c, "must not be negative")
		}
		seen[rv.ID] = line
		out = append(out, rv)
	})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (y yamlWalker) intv(n *yaml.Node, field string) int {
	var v int
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		y.bad(n, field, "want a whole number, got %q", n.Value)
	}
	return v
}

func (y yamlWalker) floatv(n *yaml.Node, field string) float64 {
	var v float64
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		y.bad(n, field, "want a number, got %q", n.Value)
	}
	return v
}

func (y yamlWalker) date(n *yaml.Node, field string) time.Time {
	t, err := time.Parse(time.DateOnly, y.str(n, field))
	if err != nil {
		y.bad(n, field, "want a date YYYY-MM-DD, got %q", n.Value)
	}
	return t
}

func (y yamlWalker) text(n *yaml.Node, field string, u interface{ UnmarshalText([]byte) error }) {
	if err := u.UnmarshalText([]byte(y.str(n, field))); err != nil {
		y.bad(n, field, "%v", err)
	}
}

// ParseRules reads allocation rules from YAML, starting from DefaultRules:
// every key of Rules' yaml tags may be given (cycle, peers, external_leads,
// exclude_same_trust, exclude_reciprocal, repeat_within, phase,
// max_travel_km, min_distance_km, min_experienced_peers, experienced_after,
// weights {travel, focus_miss, experienced_peer}, candidates, partition,
// area_size, search_nodes, max_per_school, require_accreditation,
// accredited_on (YYYY-MM-DD), balance_giving, giving_slack, conflicts
// [{reviewer, school, kind, note}], history [{cycle, reviewer, home,
// school}]).
// Problems are reported in one pass with their positions, and the result
// must pass Rules.Validate.
func ParseRules(name string, src []byte) (Rules, error) {
	rules := DefaultRules()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return rules, yamlSyntaxError(name, err)
	}
	root := docRoot(&doc)
	if root == nil {
		return rules, nil
	}
	var errs ErrorList
	y := yamlWalker{file: name, errs: &errs}
	y.mapping(root, "", map[string]func(*yaml.Node){
		"cycle":                 func(n *yaml.Node) { rules.Cycle = y.intv(n, "cycle") },
		"peers":                 func(n *yaml.Node) { rules.Peers = y.intv(n, "peers") },
		"external_leads":        func(n *yaml.Node) { y.text(n, "external_leads", &rules.ExternalLeads) },
		"exclude_same_trust":    func(n *yaml.Node) { rules.ExcludeSameTrust = y.boolean(n, "exclude_same_trust") },
		"exclude_reciprocal":    func(n *yaml.Node) { rules.ExcludeReciprocal = y.boolean(n, "exclude_reciprocal") },
		"repeat_within":         func(n *yaml.Node) { rules.RepeatWithin = y.intv(n, "repeat_within") },
		"phase":                 func(n *yaml.Node) { y.text(n, "phase", &rules.Phase) },
		"max_travel_km":         func(n *yaml.Node) { rules.MaxTravelKm = y.floatv(n, "max_travel_km") },
		"min_distance_km":       func(n *yaml.Node) { rules.MinDistanceKm = y.floatv(n, "min_distance_km") },
		"min_experienced_peers": func(n *yaml.Node) { rules.MinExperiencedPeers = y.intv(n, "min_experienced_peers") },
		"experienced_after":     func(n *yaml.Node) { rules.ExperiencedAfter = y.intv(n, "experienced_after") },
		"candidates":            func(n *yaml.Node) { rules.Candidates = y.intv(n, "candidates") },
		"partition":             func(n *yaml.Node) { y.text(n, "partition", &rules.Partition) },
		"area_size":             func(n *yaml.Node) { rules.AreaSize = y.intv(n, "area_size") },
		"search_nodes":          func(n *yaml.Node) { rules.SearchNodes = y.intv(n, "search_nodes") },
		"max_per_school":        func(n *yaml.Node) { rules.MaxPerSchool = y.intv(n, "max_per_school") },
		"require_accreditation": func(n *yaml.Node) { rules.RequireAccreditation = y.boolean(n, "require_accreditation") },
		"accredited_on":         func(n *yaml.Node) { rules.AccreditedOn = y.date(n, "accredited_on") },
		"balance_giving":        func(n *yaml.Node) { rules.BalanceGiving = y.boolean(n, "balance_giving") },
		"giving_slack":          func(n *yaml.Node) { rules.GivingSlack = y.intv(n, "giving_slack") },
		"conflicts": func(n *yaml.Node) {
			y.seq(n, "conflicts", func(_ int, cn *yaml.Node) {
				var c Conflict
				y.mapping(cn, "conflicts[]", map[string]func(*yaml.Node){
					"reviewer": func(n *yaml.Node) { c.Reviewer = ReviewerID(y.str(n, "conflicts[].reviewer")) },
					"school":   func(n *yaml.Node) { c.School = partnership.URN(y.intv(n, "conflicts[].school")) },
					"kind":     func(n *yaml.Node) { y.text(n, "conflicts[].kind", &c.Kind) },
					"note":     func(n *yaml.Node) { c.Note = y.str(n, "conflicts[].note") },
				})
				if c.Reviewer == "" || c.School <= 0 {
					y.bad(cn, "conflicts[]", "a conflict needs a reviewer and a school")
				}
				rules.Conflicts = append(rules.Conflicts, c)
			})
		},
		"weights": func(n *yaml.Node) {
			y.mapping(n, "weights", map[string]func(*yaml.Node){
				"travel":           func(n *yaml.Node) { rules.Weights.Travel = y.floatv(n, "weights.travel") },
				"focus_miss":       func(n *yaml.Node) { rules.Weights.FocusMiss = y.floatv(n, "weights.focus_miss") },
				"experienced_peer": func(n *yaml.Node) { rules.Weights.ExperiencedPeer = y.floatv(n, "weights.experienced_peer") },
			})
		},
		"history": func(n *yaml.Node) {
			y.seq(n, "history", func(_ int, h *yaml.Node) {
				var p PastReview
				y.mapping(h, "history[]", map[string]func(*yaml.Node){
					"cycle":    func(n *yaml.Node) { p.Cycle = y.intv(n, "history[].cycle") },
					"reviewer": func(n *yaml.Node) { p.Reviewer = ReviewerID(y.str(n, "history[].reviewer")) },
					"home":     func(n *yaml.Node) { p.Home = partnership.URN(y.intv(n, "history[].home")) },
					"school":   func(n *yaml.Node) { p.School = partnership.URN(y.intv(n, "history[].school")) },
				})
				if p.School <= 0 {
					y.bad(h, "history[].school", "missing")
				}
				rules.History = append(rules.History, p)
			})
		},
	})
	if err := errs.Err(); err != nil {
		return rules, err
	}
	if err := rules.Validate(); err != nil {
		errs.add(name, root.Line, root.Column, "", "%v", err)
		return rules, errs.Err()
	}
	return rules, nil
}

// OfferFile is a QA core offer with its directors and, optionally, its own
// term dates, as ParseOffer reads it.
type OfferFile struct {
	Offer     CoreOffer
	Directors []Director
	// Terms is nil when the file gives none (use EnglishTerms).
	Terms []Term
}

// ParseOffer reads a trust's core offer from YAML:
//
//	trust: gias:1234
//	items:
//	  - {kind: monitoring visit, phases: [primary], per_year: 3, director: doe-primary}
//	  - {kind: curriculum deep dive, phases: [secondary], per_year: 4, director: doe-secondary}
//	directors:
//	  - {id: doe-primary, per_day: 1, per_week: 3}
//	terms:                                   # optional; default: EnglishTerms of the year asked for
//	  - {name: autumn, start: 2025-09-03, end: 2025-12-19, half_term_start: 2025-10-27, half_term_end: 2025-10-31}
//
// Problems are reported in one pass with their positions.
func ParseOffer(name string, src []byte) (*OfferFile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlSyntaxError(name, err)
	}
	var errs ErrorList
	root := docRoot(&doc)
	if root == nil {
		errs.add(name, 1, 1, "", "empty offer file")
		return nil, errs.Err()
	}
	y := yamlWalker{file: name, errs: &errs}
	of := &OfferFile{}
	y.mapping(root, "", map[string]func(*yaml.Node){
		"trust": func(n *yaml.Node) { of.Offer.Trust = partnership.OrgID(y.str(n, "trust")) },
		"items": func(n *yaml.Node) {
			y.seq(n, "items", func(_ int, in *yaml.Node) {
				var it OfferItem
				y.mapping(in, "items[]", map[string]func(*yaml.Node){
					"kind":     func(n *yaml.Node) { it.Kind = y.str(n, "kind") },
					"per_year": func(n *yaml.Node) { it.PerYear = y.intv(n, "per_year") },
					"director": func(n *yaml.Node) { it.Director = partnership.PersonID(y.str(n, "director")) },
					"phases": func(n *yaml.Node) {
						y.seq(n, "phases", func(_ int, p *yaml.Node) {
							ph, err := partnership.ParsePhase(y.str(p, "phases[]"))
							if err != nil {
								y.bad(p, "phases[]", "%v", err)
							}
							it.Phases = append(it.Phases, ph)
						})
					},
				})
				if it.Kind == "" || it.PerYear <= 0 || it.Director == "" || len(it.Phases) == 0 {
					y.bad(in, "items[]", "an item needs kind, phases, per_year > 0 and director")
				}
				of.Offer.Items = append(of.Offer.Items, it)
			})
		},
		"directors": func(n *yaml.Node) {
			y.seq(n, "directors", func(_ int, dn *yaml.Node) {
				var d Director
				y.mapping(dn, "directors[]", map[string]func(*yaml.Node){
					"id":       func(n *yaml.Node) { d.ID = partnership.PersonID(y.str(n, "id")) },
					"per_day":  func(n *yaml.Node) { d.PerDay = y.intv(n, "per_day") },
					"per_week": func(n *yaml.Node) { d.PerWeek = y.intv(n, "per_week") },
				})
				if d.ID == "" {
					y.bad(dn, "directors[].id", "missing")
				}
				of.Directors = append(of.Directors, d)
			})
		},
		"terms": func(n *yaml.Node) {
			y.seq(n, "terms", func(_ int, tn *yaml.Node) {
				var t Term
				y.mapping(tn, "terms[]", map[string]func(*yaml.Node){
					"name":            func(n *yaml.Node) { t.Name = y.str(n, "name") },
					"start":           func(n *yaml.Node) { t.Start = y.date(n, "start") },
					"end":             func(n *yaml.Node) { t.End = y.date(n, "end") },
					"half_term_start": func(n *yaml.Node) { t.HalfTermStart = y.date(n, "half_term_start") },
					"half_term_end":   func(n *yaml.Node) { t.HalfTermEnd = y.date(n, "half_term_end") },
				})
				if t.Name == "" || t.Start.IsZero() || t.End.Before(t.Start) {
					y.bad(tn, "terms[]", "a term needs a name and a start no later than its end")
				}
				of.Terms = append(of.Terms, t)
			})
		},
	})
	if len(of.Offer.Items) == 0 {
		errs.add(name, root.Line, root.Column, "items", "an offer needs at least one item")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return of, nil
}

// WriteOptions configure WriteReviewers and WriteSchools. A nil
// *WriteOptions means the zero WriteOptions.
type WriteOptions struct {
	// Formulas writes every cell unchanged. False (zero) guards a cell a
	// spreadsheet would run as a formula (a name beginning "=", "+", "-"
	// or "@") with a leading apostrophe, which ReadReviewers and
	// ReadSchools remove again: the guarded files still read back to the
	// same reviewers and schools.
	Formulas bool
}

func (o *WriteOptions) writer(w io.Writer) *csvout.Writer {
	return csvout.NewWriter(w, &csvout.Options{Formulas: o != nil && o.Formulas})
}

// WriteReviewers writes reviewers as a CSV file with a header of
// ReviewerColumns, which ReadReviewers reads back to the same reviewers
// (phases of the home school filled in by the allocator are not written,
// as they are not part of the reviewer); opts may be nil. It lets a run on
// synthetic reviewers be audited and repeated.
func WriteReviewers(w io.Writer, rs []Reviewer, opts *WriteOptions) error {
	cw := opts.writer(w)
	cw.Write(ReviewerColumns)
	for _, r := range rs {
		var phases, expertise []string
		for _, p := range r.Phases {
			phases = append(phases, p.String())
		}
		for _, e := range r.Expertise {
			expertise = append(expertise, string(e))
		}
		home, role, lat, lon, acc := "", "", "", "", ""
		if r.Home > 0 {
			home = r.Home.String()
		}
		if r.Role != partnership.RoleNone {
			role = r.Role.String()
		}
		if r.Location.Known() {
			lat, lon = strconv.FormatFloat(r.Location.Lat, 'f', -1, 64), strconv.FormatFloat(r.Location.Lon, 'f', -1, 64)
		}
		if !r.AccreditedUntil.IsZero() {
			acc = r.AccreditedUntil.Format(time.DateOnly)
		}
		cw.Write([]string{string(r.ID), strconv.Itoa(r.Capacity), r.Name, role, home, string(r.Trust), strconv.FormatBool(r.External),
			strings.Join(phases, ";"), strconv.FormatBool(r.TrainedLead), lat, lon, strings.Join(expertise, ";"), strconv.Itoa(r.Reviews),
			strconv.FormatBool(r.Synthetic), acc})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSchools writes schools as a CSV file with a header of SchoolColumns,
// which ReadSchools reads back to the same schools (with their focus, so a
// run whose focus was drawn can be repeated); opts may be nil.
func WriteSchools(w io.Writer, ss []Reviewee, opts *WriteOptions) error {
	cw := opts.writer(w)
	cw.Write(SchoolColumns)
	for _, s := range ss {
		var focus []string
		for _, f := range s.Focus {
			focus = append(focus, string(f))
		}
		la, lat, lon, fsm, pupils := "", "", "", "", ""
		if s.LA != 0 {
			la = strconv.Itoa(s.LA)
		}
		if s.Location.Known() {
			lat, lon = strconv.FormatFloat(s.Location.Lat, 'f', -1, 64), strconv.FormatFloat(s.Location.Lon, 'f', -1, 64)
		}
		if s.FSMPercent >= 0 {
			fsm = strconv.FormatFloat(s.FSMPercent, 'f', -1, 64)
		}
		if s.Pupils != 0 {
			pupils = strconv.Itoa(s.Pupils)
		}
		cw.Write([]string{s.URN.String(), s.Phase.String(), s.Name, string(s.Trust), la, lat, lon, strings.Join(focus, ";"), pupils, fsm})
	}
	cw.Flush()
	return cw.Error()
}

// noCol returns "name: " when the column is absent (col 0), for errors that
// then carry no field; "" otherwise.
func noCol(name string, col int) string {
	if col > 0 {
		return ""
	}
	return name + ": "
}
