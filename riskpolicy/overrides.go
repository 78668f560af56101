package riskpolicy

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ReadOverridesCSV reads professional-judgement overrides from CSV with the
// header policy,urn,level,by,reason,at,expires (and optionally id and
// supersedes); dates are 2006-01-02 or RFC 3339. As the Service does, it
// refuses an override that overlaps an earlier one for the same policy and
// school unless its supersedes names that one, which then ends (as
// superseded) when the new one is made. Every problem is reported as an
// ErrorList naming the file, line and column.
func ReadOverridesCSV(name string, r io.Reader) ([]Override, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, ErrorList{csvErr(name, err)}
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var errs ErrorList
	for _, c := range []string{"policy", "urn", "level", "by", "reason", "at", "expires"} {
		if _, ok := cols[c]; !ok {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: fmt.Sprintf("no %q column", c)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Override
	var lines []int // lines[i] is the line of out[i]
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, csvErr(name, err))
			continue
		}
		line, _ := cr.FieldPos(0)
		bad := func(col string, msg string) {
			_, c := cr.FieldPos(cols[col])
			errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: c}, Msg: msg})
		}
		o := Override{Policy: row[cols["policy"]], Level: row[cols["level"]], By: row[cols["by"]], Reason: row[cols["reason"]]}
		if i, ok := cols["id"]; ok {
			o.ID = OverrideID(row[i])
		}
		u, err := partnership.ParseURN(strings.TrimSpace(row[cols["urn"]]))
		if err != nil {
			bad("urn", err.Error())
		}
		o.URN = u
		var ok bool
		if o.At, ok = parseDate(row[cols["at"]]); !ok {
			bad("at", fmt.Sprintf("bad date %q", row[cols["at"]]))
		}
		if o.Expires, ok = parseDate(row[cols["expires"]]); !ok {
			bad("expires", fmt.Sprintf("bad date %q", row[cols["expires"]]))
		}
		if msg := o.check(); msg != "" {
			bad("by", msg)
		}
		if o.ID == "" {
			o.ID = OverrideID(fmt.Sprintf("%s:%d:%d", name, line, len(out)+1))
		}
		if i, ok := cols["supersedes"]; ok {
			o.Supersedes = OverrideID(strings.TrimSpace(row[i]))
		}
		if msg := supersede(out, &o); msg != "" {
			bad("supersedes", "supersedes: "+msg)
		}
		if j := slices.IndexFunc(out, func(x Override) bool { return x.Ended.IsZero() && x.Overlaps(&o) }); j >= 0 {
			errs = append(errs, &Error{Pos: Pos{File: name, Line: line, Col: 1}, Msg: fmt.Sprintf(
				"override %s overlaps override %s (line %d) for school %d under %s; say which it supersedes", o.ID, out[j].ID, lines[j], o.URN, o.Policy)})
			continue
		}
		out = append(out, o)
		lines = append(lines, line)
	}
	if len(errs) > 0 {
		return nil, errs.sortDedup()
	}
	return out, nil
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
	switch {
	case strings.TrimSpace(o.Policy) == "":
		return "an override needs the policy it applies to"
	case strings.TrimSpace(o.Level) == "":
		return "an override needs a level"
	case strings.TrimSpace(o.By) == "":
		return "an override needs who made it (by)"
	case strings.TrimSpace(o.Reason) == "":
		return "an override needs a reason"
	case o.At.IsZero():
		return "an override needs the time it was made (at)"
	case !o.Expires.After(o.At):
		return "an override must expire after it is made"
	}
	return ""
}
