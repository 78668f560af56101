package riskpolicy

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ReadOverridesCSV reads professional-judgement overrides from CSV with the
// header policy,urn,level,by,reason,at,expires (and optionally id and
// supersedes); dates are 2006-01-02 or RFC 3339. As the Service does, it
// refuses an override that overlaps an earlier one for the same policy and
// school unless its supersedes names that one, which then ends (as
// superseded) when the new one is made. Every problem is reported as an
// ErrorList naming the file, line, column (the 1-based field number) and
// field. Lines starting with # are comments. The file is streamed through
// the module's CSV layer (internal/csvx): UTF-8, UTF-16 with a byte-order
// mark or Windows-1252, a record over 1 MiB or a file over 64 MiB stops
// reading with an error quoting only the record's start, and a column
// named twice is refused, as is a column it does not know. An empty file
// holds no overrides.
func ReadOverridesCSV(name string, r io.Reader) ([]Override, error) {
	return ReadOverridesCSVCheck(name, r, nil)
}

// ReadOverridesCSVCheck is ReadOverridesCSV that also calls check, when
// it is not nil, on each override whose own fields are valid: check
// returns the field at fault ("policy", "urn", "level", ...) and what is
// wrong, or "", "" to accept it. Its refusals are reported with the
// override's file, line, column and field, among the file's other
// problems. Callers use it to refuse overrides that could not be applied
// (a policy, level or school they do not know) rather than ignore them.
func ReadOverridesCSVCheck(name string, r io.Reader, check func(o *Override) (field, msg string)) ([]Override, error) {
	ovs, _, err := ReadOverridesCSVLines(name, r, check)
	return ovs, err
}

// ReadOverridesCSVLines is ReadOverridesCSVCheck that also returns the
// line of the file each override was read from (lines[i] is the line of
// ovs[i]), for callers that report on overrides they accept but do not
// apply (one naming another policy: an overrides file may serve several).
func ReadOverridesCSVLines(name string, r io.Reader, check func(o *Override) (field, msg string)) (ovs []Override, lines []int, err error) {
	cr, err := csvx.NewReader(name, r, &csvx.Options{Comment: '#', MaxBytes: maxOverridesBytes, MaxErrors: maxDataErrors})
	if err != nil {
		if errors.Is(err, csvx.ErrEmpty) {
			return nil, nil, nil
		}
		return nil, nil, ErrorList{fromCSVX(name, err)}
	}
	var errs ErrorList
	cols := map[string]csvx.Col{}
	known := []string{"id", "policy", "urn", "level", "by", "reason", "at", "expires", "supersedes"}
	for _, c := range known {
		cols[c] = cr.Col(c)
		if !cols[c].Found() && c != "id" && c != "supersedes" {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: cr.Line()}, Msg: fmt.Sprintf("no %q column", c)})
		}
	}
	for i, h := range cr.Header() {
		if !slices.Contains(known, csvx.Key(h)) {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: cr.Line(), Col: i + 1}, Msg: fmt.Sprintf(
				"%s: unknown column (an overrides file has %s)", h, strings.Join(known, ", "))})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var out []Override
	for cr.Next() {
		line := cr.Line()
		bad := func(col, msg string) {
			errs = append(errs, fromCSVX(name, cr.Errorf(cols[col], "%s", msg)))
		}
		get := func(col string) string { return cr.Field(cols[col]) }
		o := Override{ID: OverrideID(get("id")), Policy: get("policy"), Level: get("level"), By: get("by"), Reason: get("reason")}
		u, err := partnership.ParseURN(strings.TrimSpace(get("urn")))
		if err != nil {
			bad("urn", err.Error())
		}
		o.URN = u
		var atOK, expOK bool
		if o.At, atOK = parseDate(get("at")); !atOK {
			bad("at", fmt.Sprintf("bad date %q", get("at")))
		}
		if o.Expires, expOK = parseDate(get("expires")); !expOK {
			bad("expires", fmt.Sprintf("bad date %q", get("expires")))
		}
		field, msg := o.checkField()
		if msg != "" && (atOK && expOK || field != "at" && field != "expires") {
			bad(field, msg) // a bad date is reported once
		}
		if msg == "" && err == nil && atOK && expOK && check != nil {
			if field, msg := check(&o); msg != "" {
				bad(field, msg)
			}
		}
		if o.ID == "" {
			o.ID = OverrideID(fmt.Sprintf("%s:%d:%d", name, line, len(out)+1))
		}
		o.Supersedes = OverrideID(strings.TrimSpace(get("supersedes")))
		if msg := supersede(out, &o); msg != "" {
			bad("supersedes", msg)
		}
		if j := slices.IndexFunc(out, func(x Override) bool { return x.Ended.IsZero() && x.Overlaps(&o) }); j >= 0 {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: line}, Msg: fmt.Sprintf(
				"override %s overlaps override %s (line %d) for school %d under %s; say which it supersedes", o.ID, out[j].ID, lines[j], o.URN, o.Policy)})
			continue
		}
		out = append(out, o)
		lines = append(lines, line)
	}
	for _, e := range cr.Skipped() {
		errs = append(errs, fromCSVX(name, e))
	}
	if err := cr.Err(); err != nil {
		errs = append(errs, fromCSVX(name, err))
	}
	if len(errs) > 0 {
		return nil, nil, errs.sortDedup()
	}
	return out, lines, nil
}

// maxOverridesBytes caps an overrides file: a few hundred bytes an
// override, so about 200,000 overrides.
const maxOverridesBytes = 64 << 20

// fromCSVX turns an error of the shared CSV layer, *csvx.Error, into this
// package's positioned Error, "file:line:column: field: problem"; another
// error is placed in file name.
func fromCSVX(name string, err error) *Error {
	var e *csvx.Error
	if !errors.As(err, &e) {
		return &Error{Pos: Pos{File: name}, Msg: err.Error()}
	}
	msg := e.Err.Error()
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	return &Error{Pos: Pos{File: e.File, Line: e.Line, Col: e.Column}, Msg: msg}
}

// supersede ends, as superseded at o.At, the override of out that o
// supersedes, and returns what is wrong, or "".
func supersede(out []Override, o *Override) string {
	if o.Supersedes == "" {
		return ""
	}
	i := slices.IndexFunc(out, func(x Override) bool { return x.ID == o.Supersedes && x.Policy == o.Policy && x.URN == o.URN })
	switch {
	case i < 0:
		return fmt.Sprintf("no earlier override %s for school %d under %s", o.Supersedes, o.URN, o.Policy)
	case !out[i].Ended.IsZero() || !out[i].ActiveAt(o.At):
		return fmt.Sprintf("override %s is not in force at %s", o.Supersedes, o.At.Format(time.DateOnly))
	}
	out[i].Ended, out[i].EndedHow = o.At, EndSuperseded
	return ""
}

// End is how an override stopped being in force.
type End int

// How overrides end.
const (
	// EndNone: the override has not ended.
	EndNone End = iota
	// EndWithdrawn: someone withdrew it before it expired.
	EndWithdrawn
	// EndSuperseded: a later override replaced it, naming it in
	// Supersedes.
	EndSuperseded
	// EndExpired: it reached its expiry; Ended is its Expires.
	EndExpired
)

var endNames = []string{"", "withdrawn", "superseded", "expired"}

// String returns the name, e.g. "superseded"; "" for EndNone.
func (e End) String() string {
	if e >= 0 && int(e) < len(endNames) {
		return endNames[e]
	}
	return fmt.Sprintf("end(%d)", int(e))
}

// MarshalText implements encoding.TextMarshaler.
func (e End) MarshalText() ([]byte, error) {
	if e < 0 || int(e) >= len(endNames) {
		return nil, fmt.Errorf("%w: unknown end %d", ErrInvalid, int(e))
	}
	return []byte(e.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *End) UnmarshalText(b []byte) error {
	if i := slices.Index(endNames, string(b)); i >= 0 {
		*e = End(i)
		return nil
	}
	return fmt.Errorf("%w: unknown end %q", ErrInvalid, b)
}

// Until returns when the override stops being in force: Ended if set,
// otherwise Expires.
func (o *Override) Until() time.Time {
	if !o.Ended.IsZero() && o.Ended.Before(o.Expires) {
		return o.Ended
	}
	return o.Expires
}

// Overlaps reports whether o and other are for the same policy and school
// and their times in force, [At, Until), intersect: two professional
// judgements that would both set the school's level at once.
func (o *Override) Overlaps(other *Override) bool {
	return o.Policy == other.Policy && o.URN == other.URN && o.At.Before(other.Until()) && other.At.Before(o.Until())
}

// check returns what is wrong with an override's fields, or "".
func (o *Override) check() string {
	_, msg := o.checkField()
	return msg
}

// checkField returns what is wrong with an override's fields and the
// field at fault, or "", "".
func (o *Override) checkField() (field, msg string) {
	switch {
	case strings.TrimSpace(o.Policy) == "":
		return "policy", "an override needs the policy it applies to"
	case strings.TrimSpace(o.Level) == "":
		return "level", "an override needs a level"
	case strings.TrimSpace(o.By) == "":
		return "by", "an override needs who made it (by)"
	case strings.TrimSpace(o.Reason) == "":
		return "reason", "an override needs a reason"
	case o.At.IsZero():
		return "at", "an override needs the time it was made (at)"
	case !o.Expires.After(o.At):
		return "expires", "an override must expire after it is made"
	}
	return "", ""
}
