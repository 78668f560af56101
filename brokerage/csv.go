package brokerage

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// NeedsHeader is the header of a needs CSV file, in the order WriteNeeds
// writes it. ReadNeeds accepts the columns in any order; id, area and
// priority are required, the rest optional:
//
//	id             need ID, unique
//	urn            the school's URN
//	school         the school's name
//	area           expertise area ID from the taxonomy (e.g. maths)
//	phase          primary, secondary, special, ... (partnership.ParsePhase)
//	key_stages     key stages the need is about, separated by ';' (ey, ks1 ... ks5;
//	               empty: those of its phase; a middle school deemed primary: ks2,
//	               deemed secondary: ks3)
//	priority       1 (routine) to 5 (most urgent)
//	days           days of support wanted (0 when the column is absent; a
//	               blank cell is an error: write 0)
//	region, la     the school's region and local authority
//	trust          the school's trust, empty if none
//	lat, lon       the school's location in WGS84 degrees
//	fsm_percent    % of pupils eligible for free school meals (empty: unknown)
//	prefer_trust   any, within or beyond
//	prefer_context any, similar or contrasting
//	format         any, visit, coaching, course or network
//	from, to       the time window, YYYY-MM-DD
//	networks       network IDs the school belongs to, separated by ';'
//	synthetic      true when the row was generated, not published
var NeedsHeader = []string{"id", "urn", "school", "area", "phase", "key_stages", "priority", "days", "region", "la", "trust",
	"lat", "lon", "fsm_percent", "prefer_trust", "prefer_context", "format", "from", "to", "networks", "synthetic"}

// OffersHeader is the header of an offers CSV file, in the order
// WriteOffers writes it. ReadOffers accepts the columns in any order; id,
// provider, areas and capacity are required:
//
//	id            offer ID, unique
//	provider      the provider's name
//	kind          school, specialist-leader, executive-leader, governance-leader, hub, organisation
//	urn           the provider's school, if any
//	trust         the provider's trust, if any
//	areas         AREA:EVIDENCE pairs separated by ';' (maths:peer-review;english:self);
//	              evidence is self, inspection, peer-review or accredited (default self)
//	phases        phases served, separated by ';' (empty: any)
//	key_stages    key stages served, separated by ';' (empty: those of its phases)
//	capacity      engagements the provider can take on (a blank cell is an error)
//	cost_per_day  in pounds (0 when the column is absent; a blank cell is an
//	              error: write 0)
//	lat, lon      the provider's location
//	region        the provider's region
//	fsm_percent   the provider school's context (empty: unknown)
//	formats       formats offered, separated by ';' (empty: any)
//	networks      networks whose members alone may use the offer (empty: open to all)
//	synthetic     true when the row was generated, not published
var OffersHeader = []string{"id", "provider", "kind", "urn", "trust", "areas", "phases", "key_stages", "capacity", "cost_per_day",
	"lat", "lon", "region", "fsm_percent", "formats", "networks", "synthetic"}

// CSVError is a problem at a position in a needs or offers file. It is
// the module's one positioned error type for CSV files (the same type the
// other packages' CSV readers build on), with the fields
//
//	File   string // the name given to ReadNeeds or ReadOffers
//	Line   int    // 1-based line on which the row starts (1: the header)
//	Column int    // 1-based field number of the bad value; 0: the row (or file) as a whole
//	Field  string // the column's header name, "" when Column is 0
//	Err    error  // the problem
//
// formatted "file:line:column: field: problem". Every CSVError that
// ReadNeeds and ReadOffers return matches ErrInvalid under errors.Is.
type CSVError = csvx.Error

// CSVErrors is every error found in a file, sorted by position: the first
// ten are spelled out by Error. errors.As finds each *CSVError in it.
type CSVErrors = csvx.ErrorList

// maxCSVErrors bounds the errors reported for one file.
const maxCSVErrors = 100

// invalid is a problem in a needs or offers file: it reads as err and
// matches both err and ErrInvalid under errors.Is.
type invalid struct{ err error }

func (e invalid) Error() string   { return e.err.Error() }
func (e invalid) Unwrap() []error { return []error{e.err, ErrInvalid} }

// csvReader reads a needs or offers file through internal/csvx (encodings,
// size and line-length limits enforced while streaming, repeated headers
// refused), collecting every problem with its position.
type csvReader struct {
	file string
	r    *csvx.Reader
	cols map[string]csvx.Col
	errs CSVErrors
	rec  []string
	line int
}

func newCSVReader(r io.Reader, file string, known, required []string) *csvReader {
	c := &csvReader{file: file, cols: map[string]csvx.Col{}}
	cr, err := csvx.NewReader(file, r, &csvx.Options{AllowShortRows: true, MaxErrors: maxCSVErrors})
	if err != nil {
		if errors.Is(err, csvx.ErrEmpty) {
			c.add(&CSVError{File: file, Line: 1, Err: errors.New("empty file: want a header line")})
		} else {
			c.addErr(err)
		}
		return c
	}
	c.r = cr
	byKey := map[string]string{}
	for _, k := range known {
		byKey[csvx.Key(k)] = k
	}
	line := cr.Line()
	for i, h := range cr.Header() {
		k, ok := byKey[csvx.Key(h)]
		switch {
		case csvx.Key(h) == "":
			c.add(&CSVError{File: file, Line: line, Column: i + 1, Err: errors.New("unnamed column")})
		case !ok:
			c.add(&CSVError{File: file, Line: line, Column: i + 1, Field: h, Err: fmt.Errorf("unknown column (want %s)", strings.Join(known, ", "))})
		default:
			c.cols[k] = cr.Col(h)
		}
	}
	for _, k := range required {
		if !c.cols[k].Found() {
			c.add(&CSVError{File: file, Line: line, Field: k, Err: errors.New("required column missing")})
		}
	}
	return c
}

// add records e, making it match ErrInvalid.
func (c *csvReader) add(e *CSVError) {
	if len(c.errs) < maxCSVErrors {
		e.Err = invalid{e.Err}
		c.errs = append(c.errs, e)
	}
}

// addErr records an error of the shared reader.
func (c *csvReader) addErr(err error) {
	var ce *csvx.Error
	if errors.As(err, &ce) {
		e := *ce
		c.add(&e)
		return
	}
	c.add(&CSVError{File: c.file, Line: c.line + 1, Err: err})
}

// next reads the next record; false at the end, or when reading stopped
// (a file or a record too long, an I/O error). Malformed rows are recorded
// and passed over; blank rows are ignored.
func (c *csvReader) next() bool {
	if c.r == nil {
		return false
	}
	for c.r.Next() {
		rec := c.r.Record()
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		c.rec, c.line = rec, c.r.Line()
		return true
	}
	for _, e := range c.r.Skipped() {
		c.addErr(e)
	}
	if n := c.r.SkippedCount() - len(c.r.Skipped()); n > 0 {
		c.add(&CSVError{File: c.file, Line: c.line, Err: fmt.Errorf("%d more malformed rows", n)})
	}
	if err := c.r.Err(); err != nil {
		c.addErr(err)
	}
	c.r = nil
	return false
}

// err returns the errors found, sorted, or nil.
func (c *csvReader) err() error {
	c.errs.Sort()
	return c.errs.Err()
}

func (c *csvReader) str(name string) (string, int) {
	col := c.cols[name]
	i := col.Index() + 1
	if i == 0 || i > len(c.rec) {
		return "", i
	}
	return strings.TrimSpace(csvout.Restore(c.rec[i-1])), i
}

func (c *csvReader) bad(name string, col int, format string, args ...any) {
	e := &CSVError{File: c.file, Line: c.line, Err: fmt.Errorf(format, args...)}
	if col > 0 {
		e.Column, e.Field = col, name
	}
	c.add(e)
}

func (c *csvReader) required(name string) string {
	s, col := c.str(name)
	if s == "" && c.cols[name].Found() {
		c.bad(name, col, "required value missing")
	}
	return s
}

func (c *csvReader) float(name string, def float64) float64 {
	s, col := c.str(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		c.bad(name, col, "%q is not a number", s)
		return def
	}
	return v
}

// int returns the whole number in column name, def when the cell is empty,
// or def and false (the error recorded) when it is not a whole number.
func (c *csvReader) int(name string, def int) (int, bool) {
	s, col := c.str(name)
	if s == "" {
		return def, true
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		c.bad(name, col, "%q is not a whole number", s)
		return def, false
	}
	return v, true
}

func (c *csvReader) bool(name string) bool {
	s, col := c.str(name)
	if s == "" {
		return false
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		c.bad(name, col, "%q is not true or false", s)
	}
	return v
}

func (c *csvReader) date(name string) time.Time {
	s, col := c.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		c.bad(name, col, "%q is not a date YYYY-MM-DD", s)
	}
	return t
}

// location reads lat and lon, which come together: both blank is an
// unknown location; one blank, or an explicit 0,0, is an error (a blank
// half would otherwise put the school on the equator or the meridian).
func (c *csvReader) location() partnership.Location {
	latText, latCol := c.str("lat")
	lonText, lonCol := c.str("lon")
	switch {
	case latText == "" && lonText == "":
		return partnership.Location{}
	case latText == "":
		c.bad("lat", latCol, "%sblank while lon is %s: give both or neither", noCol("lat", latCol), lonText)
		return partnership.Location{}
	case lonText == "":
		c.bad("lon", lonCol, "%sblank while lat is %s: give both or neither", noCol("lon", lonCol), latText)
		return partnership.Location{}
	}
	lat := c.float("lat", 0)
	lon := c.float("lon", 0)
	if lat < -90 || lat > 90 {
		_, col := c.str("lat")
		c.bad("lat", col, "latitude %v outside -90..90", lat)
		lat = 0
	}
	if lon < -180 || lon > 180 {
		_, col := c.str("lon")
		c.bad("lon", col, "longitude %v outside -180..180", lon)
		lon = 0
	}
	if lat == 0 && lon == 0 {
		c.bad("lat", latCol, "0,0 is not a location: leave lat and lon blank when unknown")
	}
	return partnership.Location{Lat: lat, Lon: lon}
}

func (c *csvReader) text(name string, u interface{ UnmarshalText([]byte) error }) {
	s, col := c.str(name)
	if s == "" {
		return
	}
	if err := u.UnmarshalText([]byte(s)); err != nil {
		c.bad(name, col, "%v", err)
	}
}

func (c *csvReader) list(name string) []string {
	s, _ := c.str(name)
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *csvReader) urn(name string) partnership.URN {
	s, col := c.str(name)
	if s == "" {
		return 0
	}
	u, err := partnership.ParseURN(s)
	if err != nil {
		c.bad(name, col, "%v", err)
	}
	return u
}

// ReadNeeds reads a needs CSV file (see NeedsHeader). name is used in
// errors. Every problem in the file is reported in one pass as CSVErrors
// naming file, line, column (the 1-based field number) and field, at most
// 100 of them; values are checked as Validate checks them, including
// duplicate IDs. The file is streamed, never read whole: UTF-8, UTF-16
// (with a byte-order mark, as Excel's "Unicode text" writes) or
// Windows-1252, comma- or tab-separated, optionally gzip-compressed; a
// record over 1 MiB or a file over 1 GiB stops reading with an error that
// quotes only the record's start. A header names each column once (a
// repeated name is an error); a cell guarded against spreadsheet formulas
// by WriteNeeds (a leading apostrophe) reads as written before the guard.
func ReadNeeds(r io.Reader, name string) ([]Need, error) {
	c := newCSVReader(r, name, NeedsHeader, []string{"id", "area", "priority"})
	var needs []Need
	seen := map[NeedID]int{}
	for c.next() {
		n := Need{ID: NeedID(c.required("id")), School: c.urn("urn"), Area: partnership.ExpertiseID(c.required("area"))}
		n.Name, _ = c.str("school")
		c.text("phase", &n.Phase)
		c.text("key_stages", &n.KeyStages)
		if _, col := c.str("priority"); col != 0 {
			var ok bool
			if n.Priority, ok = c.int("priority", 0); ok && (n.Priority < 1 || n.Priority > 5) {
				c.bad("priority", col, "%d outside 1-5", n.Priority)
			}
		}
		c.required("days") // a blank cell is not 0 days: write 0
		n.Days = c.float("days", 0)
		if n.Days < 0 {
			_, col := c.str("days")
			c.bad("days", col, "negative")
		}
		n.Region, _ = c.str("region")
		n.LA, _ = c.str("la")
		n.Trust, _ = c.str("trust")
		n.Location = c.location()
		n.FSMPercent = c.float("fsm_percent", -1)
		c.text("prefer_trust", &n.PreferTrust)
		c.text("prefer_context", &n.PreferContext)
		c.text("format", &n.Format)
		n.Window = partnership.Period{From: c.date("from"), To: c.date("to")}
		for _, s := range c.list("networks") {
			n.Networks = append(n.Networks, partnership.NetworkID(s))
		}
		n.Synthetic = c.bool("synthetic")
		if n.ID != "" {
			if prev, dup := seen[n.ID]; dup {
				_, col := c.str("id")
				c.bad("id", col, "duplicate ID %q (first on line %d)", n.ID, prev)
			}
			seen[n.ID] = c.line
		}
		needs = append(needs, n)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return needs, nil
}

// ReadOffers reads an offers CSV file (see OffersHeader), reporting errors
// as ReadNeeds does.
func ReadOffers(r io.Reader, name string) ([]Offer, error) {
	c := newCSVReader(r, name, OffersHeader, []string{"id", "provider", "areas", "capacity"})
	var offers []Offer
	seen := map[OfferID]int{}
	for c.next() {
		o := Offer{ID: OfferID(c.required("id")), Provider: c.required("provider"), School: c.urn("urn")}
		c.text("kind", &o.Kind)
		o.Trust, _ = c.str("trust")
		_, acol := c.str("areas")
		for _, s := range c.list("areas") {
			area, ev, _ := strings.Cut(s, ":")
			a := AreaEvidence{Area: partnership.ExpertiseID(strings.TrimSpace(area)), Evidence: EvidenceSelf}
			if ev = strings.TrimSpace(ev); ev != "" {
				if err := a.Evidence.UnmarshalText([]byte(ev)); err != nil {
					c.bad("areas", acol, "%v", err)
				}
			}
			if a.Area == "" {
				c.bad("areas", acol, "empty area in %q", s)
				continue
			}
			o.Areas = append(o.Areas, a)
		}
		if len(o.Areas) == 0 && acol != 0 {
			c.bad("areas", acol, "no areas")
		}
		_, pcol := c.str("phases")
		for _, s := range c.list("phases") {
			ph, err := partnership.ParsePhase(s)
			if err != nil {
				c.bad("phases", pcol, "%v", err)
			}
			o.Phases = append(o.Phases, ph)
		}
		c.text("key_stages", &o.KeyStages)
		if _, col := c.str("capacity"); col != 0 && c.required("capacity") != "" {
			var ok bool
			if o.Capacity, ok = c.int("capacity", 0); ok && o.Capacity < 0 {
				c.bad("capacity", col, "negative")
			}
		}
		c.required("cost_per_day") // a blank cell is not free: write 0
		o.CostPerDay = c.float("cost_per_day", 0)
		if o.CostPerDay < 0 {
			_, col := c.str("cost_per_day")
			c.bad("cost_per_day", col, "negative")
		}
		o.Location = c.location()
		o.Region, _ = c.str("region")
		o.FSMPercent = c.float("fsm_percent", -1)
		_, fcol := c.str("formats")
		for _, s := range c.list("formats") {
			var f Format
			if err := f.UnmarshalText([]byte(s)); err != nil {
				c.bad("formats", fcol, "%v", err)
			}
			o.Formats = append(o.Formats, f)
		}
		for _, s := range c.list("networks") {
			o.Networks = append(o.Networks, partnership.NetworkID(s))
		}
		o.Synthetic = c.bool("synthetic")
		if o.ID != "" {
			if prev, dup := seen[o.ID]; dup {
				_, col := c.str("id")
				c.bad("id", col, "duplicate ID %q (first on line %d)", o.ID, prev)
			}
			seen[o.ID] = c.line
		}
		offers = append(offers, o)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return offers, nil
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fmtLoc(l partnership.Location) (string, string) {
	if !l.Known() {
		return "", ""
	}
	return fmtFloat(l.Lat), fmtFloat(l.Lon)
}

func fmtFSM(v float64) string {
	if v < 0 {
		return ""
	}
	return fmtFloat(v)
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func fmtURN(u partnership.URN) string {
	if u == 0 {
		return ""
	}
	return u.String()
}

func joinIDs[T ~string](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ";")
}

// WriteOptions configure WriteNeeds and WriteOffers. A nil *WriteOptions
// means the zero WriteOptions.
type WriteOptions struct {
	// Formulas writes every cell unchanged. False (zero) guards cells a
	// spreadsheet would run as a formula (a school name beginning "=",
	// "+", "-" or "@") with a leading apostrophe, which ReadNeeds and
	// ReadOffers remove again: the guarded files still read back to the
	// same needs and offers.
	Formulas bool
}

func (o *WriteOptions) writer(w io.Writer) *csvout.Writer {
	return csvout.NewWriter(w, &csvout.Options{Formulas: o != nil && o.Formulas})
}

// WriteNeeds writes needs as a CSV file with NeedsHeader, which ReadNeeds
// reads back to the same needs; opts may be nil.
func WriteNeeds(w io.Writer, needs []Need, opts *WriteOptions) error {
	cw := opts.writer(w)
	cw.Write(NeedsHeader)
	for _, n := range needs {
		lat, lon := fmtLoc(n.Location)
		cw.Write([]string{string(n.ID), fmtURN(n.School), n.Name, string(n.Area), n.Phase.String(), n.KeyStages.String(), strconv.Itoa(n.Priority),
			fmtFloat(n.Days), n.Region, n.LA, n.Trust, lat, lon, fmtFSM(n.FSMPercent), n.PreferTrust.String(),
			n.PreferContext.String(), n.Format.String(), fmtDate(n.Window.From), fmtDate(n.Window.To),
			joinIDs(n.Networks), strconv.FormatBool(n.Synthetic)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteOffers writes offers as a CSV file with OffersHeader, which
// ReadOffers reads back to the same offers; opts may be nil.
func WriteOffers(w io.Writer, offers []Offer, opts *WriteOptions) error {
	cw := opts.writer(w)
	cw.Write(OffersHeader)
	for _, o := range offers {
		lat, lon := fmtLoc(o.Location)
		areas := make([]string, len(o.Areas))
		for i, a := range o.Areas {
			areas[i] = string(a.Area) + ":" + a.Evidence.String()
		}
		phases := make([]string, len(o.Phases))
		for i, p := range o.Phases {
			phases[i] = p.String()
		}
		formats := make([]string, len(o.Formats))
		for i, f := range o.Formats {
			formats[i] = f.String()
		}
		cw.Write([]string{string(o.ID), o.Provider, o.Kind.String(), fmtURN(o.School), o.Trust, strings.Join(areas, ";"),
			strings.Join(phases, ";"), o.KeyStages.String(), strconv.Itoa(o.Capacity), fmtFloat(o.CostPerDay), lat, lon, o.Region,
			fmtFSM(o.FSMPercent), strings.Join(formats, ";"), joinIDs(o.Networks), strconv.FormatBool(o.Synthetic)})
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
