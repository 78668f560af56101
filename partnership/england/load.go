package england

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Kind is the kind of an extract, recognised from its header.
type Kind int

// Kinds of extract Load reads.
const (
	// KindUnrecognised: a file whose header is none of the below; Load
	// lists it and reads nothing from it.
	KindUnrecognised Kind = iota
	// KindGroups: GIAS allgroupsdata, one row per group (header has
	// "Group UID" and "Group Type", no "URN").
	KindGroups
	// KindGroupLinks: GIAS alllinksdata, one row per establishment–group
	// membership ("URN" and "Group UID").
	KindGroupLinks
	// KindLinks: GIAS links_edubasealldata, predecessor and successor links
	// between URNs ("URN", "LinkURN", "LinkType").
	KindLinks
	// KindCensus: the school census's school-level underlying data
	// ("urn" and "phase_type_grouping").
	KindCensus
	// KindInspections: Ofsted inspection outcomes ("URN" with "Rating" and
	// "Inspection Date", or Ofsted's management information columns
	// "Overall effectiveness" and "Inspection start date").
	KindInspections
	// KindCoordinates: URN coordinates ("URN", "LAT"/"Latitude",
	// "LON"/"Longitude").
	KindCoordinates
	// KindEstablishments: GIAS edubasealldata, one row per establishment
	// ("URN", "EstablishmentName", "TypeOfEstablishment (name)").
	KindEstablishments
)

var kindNames = []string{"unrecognised", "gias-groups", "gias-group-links", "gias-links", "school-census",
	"inspections", "coordinates", "gias-establishments"}

// String returns the kind's name, such as "gias-groups".
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown extract kind %q", b)
}

// Layouts of the extracts, as File.Layout names them. Each is recognised
// by its header; the package documentation says which columns.
const (
	LayoutGroups           = "gias-allgroupsdata"
	LayoutGroupLinks       = "gias-alllinksdata"
	LayoutGroupsUID        = "gias-groups-uid"
	LayoutGroupLinksUID    = "gias-grouplinks-linked-uid"
	LayoutLinks            = "gias-links-edubasealldata"
	LayoutEstablishments   = "gias-edubasealldata"
	LayoutSchoolCensus     = "dfe-spc-school-level"
	LayoutPerformanceTable = "dfe-performance-tables-census"
	LayoutOfstedMI         = "ofsted-mi"
	LayoutOfstedHistory    = "ofsted-rating-history"
	LayoutCoordinates      = "coordinates"
)

// detect recognises an extract by its header.
func detect(t *table) (Kind, string) {
	switch {
	case t.has("urn", "linkurn", "linktype"):
		return KindLinks, LayoutLinks
	case t.has("urn", "group uid"):
		return KindGroupLinks, LayoutGroupLinks
	case t.has("urn", "linked uid"):
		return KindGroupLinks, LayoutGroupLinksUID
	case t.has("group uid") && !t.has("urn") && (t.has("group type") || t.has("group type (code)")):
		return KindGroups, LayoutGroups
	case t.has("uid", "group name", "group type") && !t.has("urn"):
		return KindGroups, LayoutGroupsUID
	case t.has("urn", "phase type grouping") || t.has("urn", "phase-type grouping"):
		return KindCensus, LayoutSchoolCensus
	case t.has("urn", "nor") && (t.has("schooltype") || t.has("numfsm") || t.has("pnumfsmever")):
		return KindCensus, LayoutPerformanceTable
	case t.has("urn", "establishmentname", "typeofestablishment (name)"):
		return KindEstablishments, LayoutEstablishments
	case !t.has("urn"):
		return KindUnrecognised, ""
	}
	if sets := inspectionSets(t); len(sets) > 0 {
		if len(sets) == 1 && sets[0].history {
			return KindInspections, LayoutOfstedHistory
		}
		return KindInspections, LayoutOfstedMI
	}
	if t.col("lat", "latitude") >= 0 && t.col("lon", "long", "longitude") >= 0 {
		return KindCoordinates, LayoutCoordinates
	}
	return KindUnrecognised, ""
}

// Options configure Load. A nil *Options means the zero Options.
type Options struct {
	// Lenient makes Load skip bad rows, listing them in Result.Skipped,
	// instead of failing. By default any bad row fails the load. A file
	// refused as a whole (not an extract, unreadable, or cut short by a
	// record or file too long) is never partly used, even under Lenient.
	Lenient bool
	// Concurrency is how many files are parsed at once; 0 means
	// GOMAXPROCS.
	Concurrency int
	// Progress, if set, is called after each file is read. Calls are
	// serialised.
	Progress func(File)
}

// File reports what Load read from one file. For a recognised file, Rows
// = Used + Unmatched + Ignored + Skipped + Duplicate: every row is
// accounted for.
type File struct {
	// Name is the file's name in the directory.
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Layout names the published layout recognised (one of the Layout
	// constants); "" when the file was not read.
	Layout     string   `json:"layout,omitempty"`
	Encoding   Encoding `json:"encoding"`
	Compressed bool     `json:"compressed,omitempty"`
	// Rows counts the data rows, not the header.
	Rows int `json:"rows"`
	// Used counts rows that went into the dataset.
	Used int `json:"used"`
	// Unmatched counts rows about establishments that are not schools in
	// the census (children's centres, closed schools, schools outside the
	// data's area), which the dataset leaves out.
	Unmatched int `json:"unmatched"`
	// Ignored counts rows with nothing to load: an inspection row with no
	// overall rating, key judgement or report-card grade, a coordinates
	// row with no coordinates, a link that is not a predecessor or
	// successor link.
	Ignored int `json:"ignored"`
	// KeyJudgementsOnly counts the rows of an inspections file read as an
	// inspection with key judgements and no overall rating (Ofsted's
	// graded inspections from September 2024 to November 2025). They are
	// among the rows above and below (Used, Unmatched, Duplicate), not
	// another term of their sum; no overall rating is derived for them.
	KeyJudgementsOnly int `json:"key_judgements_only,omitempty"`
	// ReportCards counts the rows of an inspections file read as a report
	// card (evaluation-area grades, from November 2025), among the rows
	// counted as Used, Unmatched or Duplicate like KeyJudgementsOnly.
	ReportCards int `json:"report_cards,omitempty"`
	// Skipped counts bad rows left out under Options.Lenient (including
	// conflicting duplicates).
	Skipped int `json:"skipped"`
	// Duplicate counts rows that repeat a record read before (the same
	// key with the same values once parsed; for an inspection, values
	// that agree, one record giving part of what the other gives), merged
	// into it.
	Duplicate int `json:"duplicate"`
	// Note says why a file was not read: documentation, or, under
	// Options.Lenient, a file refused (not an extract, empty, unreadable).
	Note string `json:"note,omitempty"`
}

// Result is what Load read: a partnership.Dataset and what it was built
// from.
type Result struct {
	// Dataset holds the schools of the census, every GIAS group as an
	// Organisation and a Network, each local authority as an Organisation
	// and a Network of its maintained schools, the memberships of schools,
	// and the inspections of schools and their predecessors.
	Dataset partnership.Dataset
	// Groups is every group read, from the groups extract and, for groups
	// it lacks, the links extract, ordered by UID.
	Groups []Group
	// GroupLinks is every row of the group links extract, including rows
	// about establishments that are not in the census.
	GroupLinks []GroupLink
	// PhaseGroups gives each school's census phase grouping as written,
	// e.g. "State-funded primary" or "Independent school".
	PhaseGroups map[partnership.URN]string
	// Files lists every file looked at, by name.
	Files []File
	// Warnings lists what was kept with a value unknown, dropped or
	// adjusted. First come the warnings about a file or column as a whole
	// (line 1 or 0: an expected census column missing, or blank in every
	// row, so that every school's value is unknown); then the rows (a group
	// closed before it opened, a member that joined after its group
	// closed, an unknown group type), by file and line.
	Warnings ErrorList
	// Skipped lists the bad rows left out under Options.Lenient.
	Skipped ErrorList
	// Source says where the data came from: a directory or "embedded".
	Source string
}

// Require returns nil if the result read an extract of each kind, and
// otherwise an error naming each missing extract and where it is
// published, for a caller (a command) that cannot give a true answer
// without it: counting trusts without the group links would report zero
// trusts, not an unknown number.
func (r *Result) Require(kinds ...Kind) error {
	have := map[Kind]bool{}
	for _, f := range r.Files {
		if f.Layout != "" && f.Note == "" {
			have[f.Kind] = true
		}
	}
	var missing []string
	for _, k := range kinds {
		if !have[k] {
			missing = append(missing, k.Source())
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("england: %s lacks the %s", r.Source, strings.Join(missing, "; and the "))
}

// Model indexes the result's dataset.
func (r *Result) Model() (*partnership.Model, error) { return partnership.NewModel(r.Dataset) }

// Load reads every extract in dir (see the package documentation for the
// kinds it recognises) and builds a dataset from them. Files are
// recognised by their header, never their name; gzip-compressed files are
// read transparently; hidden files and subdirectories are not read.
//
// A bad row fails the load with an ErrorList of *RowError naming the file,
// line and column of every bad row; under opts.Lenient bad rows are
// skipped and listed in Result.Skipped instead. Load fails too when dir
// cannot be read, when a file in it cannot be read (under opts.Lenient the
// file is listed with a Note instead), when ctx is done, or when dir holds
// no extract.
func Load(ctx context.Context, dir string, opts *Options) (*Result, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("england: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("england: %s is not a directory", dir)
	}
	r, err := LoadFS(ctx, os.DirFS(dir), opts)
	if r != nil {
		r.Source = dir
	}
	return r, err
}

// parsed is what one file gave.
type parsed struct {
	file    File
	t       *table
	refused *RowError // the file as a whole was refused
	groups  *groupsFile
	links   *linksFile
	preds   *predFile
	census  *censusFile
	estab   *estabFile
	insp    *inspectionsFile
	coords  *coordsFile
}

// LoadFS is Load reading the top directory of fsys.
func LoadFS(ctx context.Context, fsys fs.FS, opts *Options) (*Result, error) {
	if opts == nil {
		opts = &Options{}
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("england: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
	}
	out := make([]parsed, len(names))
	workers := opts.Concurrency
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	stop := func() bool { return ctx.Err() != nil }
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range min(workers, len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(names) || stop() {
					return
				}
				out[i] = parseFile(fsys, names[i], stop)
				if opts.Progress != nil {
					mu.Lock()
					opts.Progress(out[i].file)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return assemble(out, opts)
}

// parseFile reads and parses one file. A file that is not an extract (or
// cannot be read, or is cut short by a limit) is refused as a whole: none
// of its rows is used, even under Options.Lenient.
func parseFile(fsys fs.FS, name string, stop func() bool) (p parsed) {
	p = parsed{file: File{Name: name}}
	defer func() {
		if p.refused != nil {
			p.file.Note = refusedNote(p.refused)
		}
	}()
	if isDocumentation(name) {
		p.file.Note = "documentation: not read"
		return p
	}
	t, err := openTable(fsys, name)
	if err != nil {
		p.refused = fileError(name, err)
		return p
	}
	defer t.close()
	p.file.Compressed = t.r.Compressed()
	p.file.Kind, p.file.Layout = detect(t)
	switch p.file.Layout {
	case LayoutGroups, LayoutGroupsUID:
		p.groups = parseGroups(t, stop)
	case LayoutGroupLinks, LayoutGroupLinksUID:
		p.links = parseGroupLinks(t, stop)
	case LayoutLinks:
		p.preds = parsePredecessors(t, stop)
		p.file.Ignored = p.preds.ignored
	case LayoutSchoolCensus:
		p.census = parseCensus(t, stop)
	case LayoutPerformanceTable:
		p.census = parsePerformanceCensus(t, stop)
	case LayoutEstablishments:
		p.estab = parseEstablishments(t, stop)
	case LayoutOfstedMI, LayoutOfstedHistory:
		p.insp = parseInspections(t, stop)
		p.file.Ignored = p.insp.ignored
		p.file.KeyJudgementsOnly = p.insp.keyOnly
		p.file.ReportCards = p.insp.reportCards
	case LayoutCoordinates:
		p.coords = parseCoordinates(t, stop)
		p.file.Ignored = p.coords.ignored
	default:
		p.refused = rowErr(name, t.r.Line(), 0, "", errNotExtract(t.r.Header()))
		return p
	}
	p.file.Encoding = encodingOf(t.r.Encoding())
	p.file.Rows = t.rows()
	if t.err != nil {
		// Reading stopped early (a record or the file too long, I/O): no
		// row of the file is used, even under Lenient; every row read
		// counts as skipped, and the file's own row errors are dropped
		// with it.
		refused := parsed{file: p.file, refused: fileError(name, t.err)}
		refused.file.Ignored, refused.file.KeyJudgementsOnly, refused.file.ReportCards = 0, 0, 0
		refused.file.Skipped = refused.file.Rows
		return refused
	}
	p.t = t
	return p
}

// refusedNote is File.Note for a refused file: the first line of why.
func refusedNote(e *RowError) string {
	msg := e.Err.Error()
	if i := strings.IndexAny(msg, ":\n"); i > 0 && strings.HasPrefix(msg, "not an extract") {
		msg = msg[:i]
	}
	return "refused: " + msg
}

// fileError makes a *RowError of an error about a whole file.
func fileError(name string, err error) *RowError {
	var ce *csvx.Error
	if errors.As(err, &ce) {
		return rowErrorOf(ce)
	}
	return rowErr(name, 0, 0, "", err)
}

// rowRef locates a record: the index of its file and its line.
type rowRef struct{ file, line int }

// builder assembles the dataset from the parsed files.
type builder struct {
	files   []parsed
	res     *Result
	refused []*RowError // duplicates found while assembling
	// used, dup and unmatched record, per file, the lines (rows) that went
	// into the dataset, repeated a record, or were left out as not about a
	// school. A line in several counts once, in that order.
	used, dup, unmatched []map[int]bool
}

func (b *builder) mark(set []map[int]bool, file, line int) {
	if set[file] == nil {
		set[file] = map[int]bool{}
	}
	set[file][line] = true
}

func (b *builder) refuse(file, line int, err error) {
	b.refused = append(b.refused, rowErr(b.files[file].file.Name, line, 0, "", err))
}

// where names the place of a record for a message about a later one in
// file fi.
func (b *builder) where(r rowRef, fi int) string {
	if r.file != fi {
		return b.files[r.file].file.Name + " line " + strconv.Itoa(r.line)
	}
	return "line " + strconv.Itoa(r.line)
}

// errNoSchools is the error of a load that found no school.
func errNoSchools() error {
	return fmt.Errorf("england: no schools: a load needs a list of schools, which comes from the %s, or from the %s",
		KindCensus.Source(), KindEstablishments.Source())
}

func assemble(files []parsed, opts *Options) (*Result, error) {
	b := &builder{
		files:     files,
		res:       &Result{PhaseGroups: map[partnership.URN]string{}},
		used:      make([]map[int]bool, len(files)),
		dup:       make([]map[int]bool, len(files)),
		unmatched: make([]map[int]bool, len(files)),
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("england: the directory holds no files; %w", errNoSchools())
	}
	b.schools()
	preds := b.predecessors()
	b.groups()
	b.localAuthorities()
	b.inspections(preds)
	b.coordinates()

	// Collect the errors and warnings, and settle each file's counts.
	var bad, warn ErrorList
	for _, p := range files {
		if p.refused != nil {
			bad = append(bad, p.refused)
		}
		if p.t != nil {
			bad = append(bad, p.t.errs...)
			warn = append(warn, p.t.warns...)
		}
	}
	bad = append(bad, b.refused...)
	warn = append(warn, b.res.Warnings...)
	bad.Sort()
	warn.Sort()
	// Warnings about a file or column as a whole (a missing or empty
	// column: line 1 or none) come first, before the per-row ones.
	slices.SortStableFunc(warn, func(a, b *RowError) int { return cmp.Compare(min(a.Line, 2), min(b.Line, 2)) })
	if len(bad) > 0 && !opts.Lenient {
		return nil, bad
	}
	r := b.res
	r.Skipped, r.Warnings = bad, warn
	for i, p := range files {
		f := p.file
		if p.t != nil {
			f.Used = len(b.used[i])
			for l := range b.dup[i] {
				if !b.used[i][l] {
					f.Duplicate++
				}
			}
			for l := range b.unmatched[i] {
				if !b.used[i][l] && !b.dup[i][l] {
					f.Unmatched++
				}
			}
			f.Skipped = f.Rows - f.Used - f.Unmatched - f.Ignored - f.Duplicate
		}
		r.Files = append(r.Files, f)
	}
	if len(r.Dataset.Schools) == 0 {
		return nil, errNoSchools()
	}
	return r, nil
}

// schools takes the census rows as the dataset's schools, completed from
// GIAS establishments; without a census, GIAS's open schools are the
// schools. A URN twice with the same values is a duplicate, merged; with
// different values, an error.
func (b *builder) schools() {
	first := map[partnership.URN]rowRef{}
	d := &b.res.Dataset
	for fi, p := range b.files {
		if p.census == nil {
			continue
		}
		for i, s := range p.census.schools {
			line := p.census.lines[i]
			if r, dup := first[s.URN]; dup {
				prev := &d.Schools[slices.IndexFunc(d.Schools, func(x partnership.School) bool { return x.URN == s.URN })]
				if reflect.DeepEqual(*prev, s) && b.res.PhaseGroups[s.URN] == p.census.phaseGroups[i] {
					b.mark(b.dup, fi, line)
					continue
				}
				b.refuse(fi, line, fmt.Errorf("school %d appears twice with different values (first at %s): %w", s.URN,
					b.where(r, fi), partnership.ErrConflict))
				continue
			}
			first[s.URN] = rowRef{fi, line}
			d.Schools = append(d.Schools, s)
			b.res.PhaseGroups[s.URN] = p.census.phaseGroups[i]
			b.mark(b.used, fi, line)
		}
	}
	haveCensus := len(d.Schools) > 0
	idx := b.schoolIndex()
	seen := map[partnership.URN]rowRef{}
	for fi, p := range b.files {
		if p.estab == nil {
			continue
		}
		for i, e := range p.estab.rows {
			line := p.estab.lines[i]
			if r, dup := seen[e.school.URN]; dup {
				prev := b.files[r.file].estab.rows[slices.Index(b.files[r.file].estab.lines, r.line)]
				if reflect.DeepEqual(prev, e) {
					b.mark(b.dup, fi, line)
				} else {
					b.refuse(fi, line, fmt.Errorf("establishment %d appears twice with different values (first at %s): %w",
						e.school.URN, b.where(r, fi), partnership.ErrConflict))
				}
				continue
			}
			seen[e.school.URN] = rowRef{fi, line}
			si, ok := idx[e.school.URN]
			switch {
			case ok:
				complete(&d.Schools[si], &e.school)
				b.mark(b.used, fi, line)
			case !haveCensus && e.open && e.isSchool:
				idx[e.school.URN] = len(d.Schools)
				d.Schools = append(d.Schools, e.school)
				b.mark(b.used, fi, line)
			default:
				b.mark(b.unmatched, fi, line)
			}
		}
	}
	// Names, phases and types from the group links, for a census that
	// lacks them.
	for _, p := range b.files {
		if p.links == nil {
			continue
		}
		for u, est := range p.links.establishments {
			if si, ok := idx[u]; ok {
				complete(&d.Schools[si], &est)
			}
		}
	}
	unnamed := 0
	for i := range d.Schools {
		s := &d.Schools[i]
		if s.Name == "" {
			s.Name = "URN " + strconv.Itoa(int(s.URN))
			unnamed++
		}
		if b.res.PhaseGroups[s.URN] == "" {
			b.res.PhaseGroups[s.URN] = phaseGroupOf(s)
		}
	}
	if unnamed > 0 {
		b.res.Warnings = append(b.res.Warnings, rowErr("(all files)", 0, 0, "", fmt.Errorf(
			"%d schools have no name in any extract read (the performance tables census has none): each is named \"URN\" and its number; load the %s too for names and phases",
			unnamed, KindEstablishments.Source())))
	}
}

// complete fills the fields of s that its source left empty from another
// source's record of the same school.
func complete(s, from *partnership.School) {
	if s.Name == "" {
		s.Name = from.Name
	}
	if s.Phase == partnership.PhaseUnknown {
		s.Phase = from.Phase
	}
	if s.Phase == partnership.PhaseMiddle && from.Phase == partnership.PhaseMiddle && s.DeemedPhase == partnership.PhaseUnknown {
		s.DeemedPhase = from.DeemedPhase
	}
	if s.EstablishmentType == "" {
		s.EstablishmentType, s.Governance = from.EstablishmentType, from.Governance
	}
	if s.LAName == "" {
		s.LAName = from.LAName
	}
	if s.Region == "" {
		s.Region = from.Region
	}
	if s.Postcode == "" {
		s.Postcode = from.Postcode
	}
	if s.UrbanRural == "" {
		s.UrbanRural = from.UrbanRural
	}
	if s.TrustName == "" {
		s.TrustName = from.TrustName
	}
	if s.Opened.IsZero() {
		s.Opened = from.Opened
	}
	if s.Closed.IsZero() {
		s.Closed = from.Closed
	}
}

// schoolIndex maps each school's URN to its index in the dataset.
func (b *builder) schoolIndex() map[partnership.URN]int {
	idx := make(map[partnership.URN]int, len(b.res.Dataset.Schools))
	for i, s := range b.res.Dataset.Schools {
		idx[s.URN] = i
	}
	return idx
}

// predecessors sets each school's Predecessors: every URN it replaced,
// directly or through a chain of predecessors, nearest and most recent
// first. It returns the set of URNs whose history belongs to a school.
func (b *builder) predecessors() map[partnership.URN]bool {
	type edge struct {
		pred partnership.URN
		date time.Time
		ref  rowRef
	}
	bySucc := map[partnership.URN][]edge{}
	for fi, p := range b.files {
		if p.preds == nil {
			continue
		}
		for _, l := range p.preds.links {
			if l.school == l.predecessor {
				b.mark(b.unmatched, fi, l.line)
				continue
			}
			bySucc[l.school] = append(bySucc[l.school], edge{l.predecessor, l.date, rowRef{fi, l.line}})
		}
	}
	history := map[partnership.URN]bool{}
	usedEdge := map[rowRef]bool{}
	d := &b.res.Dataset
	for i := range d.Schools {
		s := &d.Schools[i]
		history[s.URN] = true
		seen := map[partnership.URN]bool{s.URN: true}
		var list []partnership.URN
		frontier := []partnership.URN{s.URN}
		for len(frontier) > 0 {
			var nextFrontier []partnership.URN
			for _, u := range frontier {
				es := slices.Clone(bySucc[u])
				slices.SortStableFunc(es, func(a, b edge) int {
					if c := b.date.Compare(a.date); c != 0 {
						return c
					}
					return cmp.Compare(a.pred, b.pred)
				})
				for _, e := range es {
					usedEdge[e.ref] = true
					if seen[e.pred] {
						continue
					}
					seen[e.pred] = true
					list = append(list, e.pred)
					nextFrontier = append(nextFrontier, e.pred)
				}
			}
			frontier = nextFrontier
		}
		s.Predecessors = list
		for _, u := range list {
			history[u] = true
		}
	}
	for _, es := range bySucc {
		for _, e := range es {
			if usedEdge[e.ref] {
				b.mark(b.used, e.ref.file, e.ref.line)
			} else {
				b.mark(b.unmatched, e.ref.file, e.ref.line)
			}
		}
	}
	return history
}

// groupPurpose describes what the network of a group of type t is for.
func groupPurpose(t GroupType) string {
	switch t {
	case GroupMultiAcademyTrust:
		return "The academies run by a multi-academy trust."
	case GroupSingleAcademyTrust:
		return "The academy run by a single-academy trust."
	case GroupFederation:
		return "Schools governed by one federated governing body."
	case GroupTrust:
		return "Maintained schools supported by a foundation trust."
	case GroupUmbrellaTrust:
		return "Schools and trusts under an umbrella trust."
	case GroupSchoolSponsor:
		return "The academies an academy sponsor supports."
	case GroupChildrensCentresGroup, GroupChildrensCentresCollaboration:
		return "Children's centres working as a group."
	}
	return "A group recorded in GIAS."
}

// groups turns the GIAS groups into organisations and networks, and the
// group links into memberships.
func (b *builder) groups() {
	r := b.res
	d := &r.Dataset
	byUID := map[int]int{} // UID -> index in r.Groups
	firstLine := map[int]rowRef{}
	for fi, p := range b.files {
		if p.groups == nil {
			continue
		}
		for i, g := range p.groups.groups {
			line := p.groups.lines[i]
			if ref, dup := firstLine[g.UID]; dup {
				if r.Groups[byUID[g.UID]] == g {
					b.mark(b.dup, fi, line)
				} else {
					b.refuse(fi, line, errDuplicate(fmt.Sprintf("group UID %d", g.UID), b.where(ref, fi)))
				}
				continue
			}
			firstLine[g.UID] = rowRef{fi, line}
			byUID[g.UID] = len(r.Groups)
			r.Groups = append(r.Groups, g)
			b.mark(b.used, fi, line)
		}
	}
	// Groups known only from the links extract.
	for _, p := range b.files {
		if p.links == nil {
			continue
		}
		uids := make([]int, 0, len(p.links.groups))
		for uid := range p.links.groups {
			if _, ok := byUID[uid]; !ok {
				uids = append(uids, uid)
			}
		}
		slices.Sort(uids)
		for _, uid := range uids {
			byUID[uid] = len(r.Groups)
			r.Groups = append(r.Groups, p.links.groups[uid])
		}
	}
	slices.SortStableFunc(r.Groups, func(a, b Group) int { return cmp.Compare(a.UID, b.UID) })
	for i, g := range r.Groups {
		byUID[g.UID] = i
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		ref := g.ID
		if ref == "" {
			ref = g.CompaniesHouse
		}
		active := partnership.Period{From: g.Opened, To: g.Closed}
		d.Organisations = append(d.Organisations, partnership.Organisation{
			ID: g.OrgID(), Kind: g.Type.OrgKind(), Name: g.Name, Ref: ref, Active: active,
		})
		d.Networks = append(d.Networks, partnership.Network{
			ID: g.NetworkID(), Kind: g.Type.NetworkKind(), Name: g.Name, Purpose: groupPurpose(g.Type),
			Basis: partnership.BasisGovernance, Coordinator: g.OrgID(), Active: active,
		})
	}
	schools := b.schoolIndex()
	type key struct {
		urn partnership.URN
		uid int
	}
	n := len(d.Schools)
	for _, p := range b.files {
		if p.links != nil {
			n += len(p.links.links)
		}
	}
	seen := make(map[key]rowRef, n)
	linkAt := make(map[key]int, n) // index in r.GroupLinks
	d.Memberships = make([]partnership.Membership, 0, n)
	r.GroupLinks = make([]GroupLink, 0, n)
	for fi, p := range b.files {
		if p.links == nil {
			continue
		}
		for i, l := range p.links.links {
			line := p.links.lines[i]
			k := key{l.URN, l.GroupUID}
			if first, dup := seen[k]; dup {
				if r.GroupLinks[linkAt[k]] == l {
					b.mark(b.dup, fi, line)
				} else {
					b.refuse(fi, line, errDuplicate(fmt.Sprintf("membership of URN %d in group %d", l.URN, l.GroupUID), b.where(first, fi)))
				}
				continue
			}
			seen[k] = rowRef{fi, line}
			linkAt[k] = len(r.GroupLinks)
			r.GroupLinks = append(r.GroupLinks, l)
			if _, ok := schools[l.URN]; !ok {
				b.mark(b.unmatched, fi, line)
				continue
			}
			g := &r.Groups[byUID[l.GroupUID]]
			period := partnership.Period{From: l.Joined, To: g.Closed}
			if !period.Valid() {
				p.t.warns = append(p.t.warns, rowErr(p.file.Name, line, 0, "",
					fmt.Errorf("URN %d joined group %d (%s) on or after it closed (%s); its joined date is dropped",
						l.URN, g.UID, l.Joined.Format(time.DateOnly), g.Closed.Format(time.DateOnly))))
				period.From = time.Time{}
			}
			d.Memberships = append(d.Memberships, partnership.Membership{
				ID:      partnership.MembershipID(fmt.Sprintf("gias:%d:%d", l.GroupUID, l.URN)),
				Network: g.NetworkID(), Member: l.URN.OrgID(), Role: partnership.RoleMember, Period: period,
			})
			b.mark(b.used, fi, line)
		}
	}
}

// localAuthorities adds an organisation and a network for each local
// authority named in the census, with its maintained schools as members.
func (b *builder) localAuthorities() {
	d := &b.res.Dataset
	type la struct {
		code         int
		name, region string
		members      []partnership.URN
	}
	las := map[int]*la{}
	for _, s := range d.Schools {
		if s.LA <= 0 {
			continue
		}
		a := las[s.LA]
		if a == nil {
			a = &la{code: s.LA, name: s.LAName, region: s.Region}
			las[s.LA] = a
		}
		if s.Governance == partnership.GovernanceLAMaintained {
			a.members = append(a.members, s.URN)
		}
	}
	codes := make([]int, 0, len(las))
	for c := range las {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		a := las[c]
		id := fmt.Sprintf("la:%d", c)
		name := a.name
		if name == "" {
			name = "Local authority " + strconv.Itoa(c)
		}
		d.Organisations = append(d.Organisations, partnership.Organisation{
			ID: partnership.OrgID(id), Kind: partnership.OrgLocalAuthority, Name: name, Ref: strconv.Itoa(c),
			Region: a.region,
		})
		d.Networks = append(d.Networks, partnership.Network{
			ID: partnership.NetworkID(id), Kind: partnership.NetworkLocalAuthority, Name: name,
			Purpose: "The schools the local authority maintains.", Basis: partnership.BasisGovernance,
			Coordinator: partnership.OrgID(id),
		})
		for _, u := range a.members {
			d.Memberships = append(d.Memberships, partnership.Membership{
				ID:      partnership.MembershipID(fmt.Sprintf("%s:%d", id, u)),
				Network: partnership.NetworkID(id), Member: u.OrgID(), Role: partnership.RoleMember,
			})
		}
	}
}

// inspections keeps the inspections of schools and of their predecessors.
func (b *builder) inspections(history map[partnership.URN]bool) {
	d := &b.res.Dataset
	n := 0
	for _, p := range b.files {
		if p.insp != nil {
			n += len(p.insp.inspections)
		}
	}
	d.Inspections = make([]partnership.Inspection, 0, n)
	type key struct {
		urn  partnership.URN
		date time.Time
	}
	first := map[key]rowRef{}
	at := map[key]int{}
	for fi, p := range b.files {
		if p.insp == nil {
			continue
		}
		for i, in := range p.insp.inspections {
			line := p.insp.lines[i]
			if !history[in.URN] {
				b.mark(b.unmatched, fi, line)
				continue
			}
			k := key{in.URN, in.Date}
			if ref, dup := first[k]; dup {
				if m, agree := mergeOutcome(d.Inspections[at[k]], in); agree {
					d.Inspections[at[k]] = m
					b.mark(b.dup, fi, line)
				} else {
					prev := d.Inspections[at[k]]
					b.refuse(fi, line, errDuplicate(fmt.Sprintf("inspection of %d on %s (%s, then %s)", in.URN,
						in.Date.Format(time.DateOnly), outcome(prev), outcome(in)), b.where(ref, fi)))
				}
				continue
			}
			first[k], at[k] = rowRef{fi, line}, len(d.Inspections)
			d.Inspections = append(d.Inspections, in)
			b.mark(b.used, fi, line)
		}
	}
}

// coordinates sets the schools' locations.
func (b *builder) coordinates() {
	d := &b.res.Dataset
	schools := b.schoolIndex()
	first := map[partnership.URN]rowRef{}
	for fi, p := range b.files {
		if p.coords == nil {
			continue
		}
		for i, u := range p.coords.urns {
			line := p.coords.lines[i]
			if ref, dup := first[u]; dup {
				if b.files[ref.file].coords.locs[slices.Index(b.files[ref.file].coords.lines, ref.line)] == p.coords.locs[i] {
					b.mark(b.dup, fi, line)
				} else {
					b.refuse(fi, line, errDuplicate(fmt.Sprintf("URN %d", u), b.where(ref, fi)))
				}
				continue
			}
			first[u] = rowRef{fi, line}
			si, ok := schools[u]
			if !ok {
				b.mark(b.unmatched, fi, line)
				continue
			}
			d.Schools[si].Location = p.coords.locs[i]
			b.mark(b.used, fi, line)
		}
	}
}
