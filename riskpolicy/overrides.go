package riskpolicy

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ReadOverridesCSV reads professional-judgement overrides from CSV with the
// header policy,urn,level,by,reason,at,expires (and optionally id); dates
// are 2006-01-02 or RFC 3339. Every problem is reported as an ErrorList
// naming the file, line and column.
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
		out = append(out, o)
	}
	if len(errs) > 0 {
		return nil, errs.sortDedup()
	}
	return out, nil
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
