package england

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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
)

var kindNames = []string{"unrecognised", "gias-groups", "gias-group-links", "gias-links", "school-census",
	"inspections", "coordinates"}

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

// detect recognises an extract by its header.
func detect(t *table) Kind {
	switch {
	case t.has("urn", "linkurn", "linktype"):
		return KindLinks
	case t.has("urn", "group uid"):
		return KindGroupLinks
	case t.has("group uid") && (t.has("group type") || t.has("group type (code)")):
		return KindGroups
	case t.has("urn", "phase type grouping"):
		return KindCensus
	case !t.has("urn"):
		return KindUnrecognised
	}
	for _, p := range judgementCols {
		if t.has(p[0], p[1]) {
			return KindInspections
		}
	}
	if t.col("lat", "latitude") >= 0 && t.col("lon", "long", "longitude") >= 0 {
		return KindCoordinates
	}
	return KindUnrecognised
}

// Options configure Load. A nil *Options means the zero Options.
type Options struct {
	// Lenient makes Load skip bad rows, listing them in Result.Skipped,
	// instead of failing. By default any bad row fails the load.
	Lenient bool
	// Concurrency is how many files are parsed at once; 0 means
	// GOMAXPROCS.
	Concurrency int
	// Progress, if set, is called after each file is read. Calls are
	// serialised.
	Progress func(File)
}

// File reports what Load read from one file. For a recognised file, Rows
// = Used + Unmatched + Ignored + Skipped.
type File struct {
	// Name is the file's name in the directory.
	Name       string   `json:"name"`
	Kind       Kind     `json:"kind"`
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
	// judgement, a coordinates row with no coordinates, a link that is not
	// a predecessor or successor link.
	Ignored int `json:"ignored"`
	// Skipped counts bad rows left out under Options.Lenient.
	Skipped int `json:"skipped"`
	// Note says why an unrecognised file was not read, or, under
	// Options.Lenient, why a file could not be read at all (a truncated
	// gzip stream, say).
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
	// Warnings lists rows that were kept with a value dropped or adjusted
	// (a group closed before it opened, a member that joined after its
	// group closed, an unknown group type).
	Warnings ErrorList
	// Skipped lists the bad rows left out under Options.Lenient.
	Skipped ErrorList
	// Source says where the data came from: a directory or "embedded".
	Source string
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
	file   File
	t      *table
	groups *groupsFile
	links  *linksFile
	preds  *predFile
	census *censusFile
	insp   *inspectionsFile
	coords *coordsFile
	err    error
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
	for i, p := range out {
		if p.err != nil {
			if !opts.Lenient {
				return nil, fmt.Errorf("england: %w", p.err)
			}
			out[i] = parsed{file: File{Name: p.file.Name, Compressed: p.file.Compressed,
				Note: "could not be read: " + p.err.Error()}}
		}
	}
	return assemble(out, opts)
}

// parseFile reads and parses one file.
func parseFile(fsys fs.FS, name string, stop func() bool) parsed {
	p := parsed{file: File{Name: name}}
	data, compressed, err := readSource(fsys, name)
	p.file.Compressed = compressed
	if err != nil {
		p.err = err
		return p
	}
	if len(data) == 0 {
		p.file.Note = "empty file"
		return p
	}
	t, err := newTable(name, data)
	if err != nil {
		p.file.Note = "not CSV: " + err.Error()
		return p
	}
	p.t = t
	p.file.Encoding = t.enc
	p.file.Kind = detect(t)
	switch p.file.Kind {
	case KindGroups:
		p.groups = parseGroups(t, stop)
	case KindGroupLinks:
		p.links = parseGroupLinks(t, stop)
	case KindLinks:
		p.preds = parsePredecessors(t, stop)
		p.file.Ignored = p.preds.ignored
	case KindCensus:
		p.census = parseCensus(t, stop)
	case KindInspections:
		p.insp = parseInspections(t, stop)
		p.file.Ignored = p.insp.ignored
	case KindCoordinates:
		p.coords = parseCoordinates(t, stop)
		p.file.Ignored = p.coords.ignored
	default:
		p.file.Note = "header not recognised"
		p.t = nil
		return p
	}
	p.file.Rows = t.rows
	return p
}

// rowRef locates a record: the index of its file and its line.
type rowRef struct{ file, line int }

// builder assembles the dataset from the parsed files.
type builder struct {
	files   []parsed
	res     *Result
	refused []*RowError // duplicates found while assembling
	// used and unmatched record, per file, the lines (rows) that went into
	// the dataset or were left out as not about a school.
	used, unmatched [][]bool
}

func (b *builder) mark(set [][]bool, file, line int) {
	if set[file] == nil {
		n := 2
		if t := b.files[file].t; t != nil {
			n += t.lines
		}
		set[file] = make([]bool, n)
	}
	if line >= 0 && line < len(set[file]) {
		set[file][line] = true
	}
}

// count returns how many lines of a file are marked.
func count(lines []bool) int {
	n := 0
	for _, ok := range lines {
		if ok {
			n++
		}
	}
	return n
}

func (b *builder) refuse(file, line int, err error) {
	b.refused = append(b.refused, &RowError{File: b.files[file].file.Name, Line: line, Err: err})
}

func assemble(files []parsed, opts *Options) (*Result, error) {
	b := &builder{
		files:     files,
		res:       &Result{PhaseGroups: map[partnership.URN]string{}},
		used:      make([][]bool, len(files)),
		unmatched: make([][]bool, len(files)),
	}
	recognised := 0
	for _, p := range files {
		if p.file.Kind != KindUnrecognised {
			recognised++
		}
	}
	if recognised == 0 {
		return nil, fmt.Errorf("england: no extract found (%d files, none with a recognised header)", len(files))
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
		if p.t != nil {
			bad = append(bad, p.t.errs...)
			warn = append(warn, p.t.warns...)
		}
	}
	bad = append(bad, b.refused...)
	bad.Sort()
	warn.Sort()
	if len(bad) > 0 && !opts.Lenient {
		return nil, bad
	}
	badLines := make(map[string]map[int]bool)
	for _, e := range bad {
		if badLines[e.File] == nil {
			badLines[e.File] = map[int]bool{}
		}
		badLines[e.File][e.Line] = true
	}
	r := b.res
	r.Skipped, r.Warnings = bad, warn
	for i, p := range files {
		f := p.file
		if f.Kind != KindUnrecognised {
			f.Used = count(b.used[i])
			f.Unmatched = count(b.unmatched[i])
			f.Skipped = f.Rows - f.Used - f.Unmatched - f.Ignored
		}
		r.Files = append(r.Files, f)
	}
	return r, nil
}

// schools takes the census rows as the dataset's schools.
func (b *builder) schools() {
	n := 0
	for _, p := range b.files {
		if p.census != nil {
			n += len(p.census.schools)
		}
	}
	first := make(map[partnership.URN]rowRef, n)
	d := &b.res.Dataset
	d.Schools = make([]partnership.School, 0, n)
	b.res.PhaseGroups = make(map[partnership.URN]string, n)
	for fi, p := range b.files {
		if p.census == nil {
			continue
		}
		for i, s := range p.census.schools {
			line := p.census.lines[i]
			if r, dup := first[s.URN]; dup {
				where := strconv.Itoa(r.line)
				if r.file != fi {
					where = b.files[r.file].file.Name + " line " + where
				}
				b.refuse(fi, line, fmt.Errorf("school %d appears twice (first at %s): %w", s.URN, where,
					partnership.ErrConflict))
				continue
			}
			first[s.URN] = rowRef{fi, line}
			d.Schools = append(d.Schools, s)
			b.res.PhaseGroups[s.URN] = p.census.phaseGroups[i]
			b.mark(b.used, fi, line)
		}
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
				b.refuse(fi, line, errDuplicate(fmt.Sprintf("group UID %d", g.UID), ref.line))
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
	seen := make(map[key]int, n)
	d.Memberships = make([]partnership.Membership, 0, n)
	r.GroupLinks = make([]GroupLink, 0, n)
	for fi, p := range b.files {
		if p.links == nil {
			continue
		}
		for i, l := range p.links.links {
			line := p.links.lines[i]
			if first, dup := seen[key{l.URN, l.GroupUID}]; dup {
				b.refuse(fi, line, errDuplicate(fmt.Sprintf("membership of URN %d in group %d", l.URN, l.GroupUID), first))
				continue
			}
			seen[key{l.URN, l.GroupUID}] = line
			r.GroupLinks = append(r.GroupLinks, l)
			if _, ok := schools[l.URN]; !ok {
				b.mark(b.unmatched, fi, line)
				continue
			}
			g := &r.Groups[byUID[l.GroupUID]]
			period := partnership.Period{From: l.Joined, To: g.Closed}
			if !period.Valid() {
				p.t.warns = append(p.t.warns, &RowError{File: p.file.Name, Line: line,
					Err: fmt.Errorf("URN %d joined group %d (%s) on or after it closed (%s); its joined date is dropped",
						l.URN, g.UID, l.Joined.Format(time.DateOnly), g.Closed.Format(time.DateOnly))})
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
			d.Inspections = append(d.Inspections, in)
			b.mark(b.used, fi, line)
		}
	}
}

// coordinates sets the schools' locations.
func (b *builder) coordinates() {
	d := &b.res.Dataset
	schools := b.schoolIndex()
	first := map[partnership.URN]int{}
	for fi, p := range b.files {
		if p.coords == nil {
			continue
		}
		for i, u := range p.coords.urns {
			line := p.coords.lines[i]
			if l, dup := first[u]; dup {
				b.refuse(fi, line, errDuplicate(fmt.Sprintf("URN %d", u), l))
				continue
			}
			first[u] = line
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
