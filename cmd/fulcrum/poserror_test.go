package main

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// position is what a positioned error says about where a problem is.
type position struct {
	File         string
	Line, Column int
	Field        string // "" for riskpolicy.Error, which has no such field: the name leads its message
}

// Each domain package keeps its exported positioned error type as its
// public face over internal/csvx.Error: brokerage.CSVError is the csvx type
// itself (an alias); review.FileError and riskpolicy.Error are converted.
// For the problems the shared reader finds (a repeated header, a row that
// is not CSV, a row with too many fields) each face must keep the file,
// line, column and field, the cause's text, the "file:line:column:" prefix
// of the message, and its package's errors.Is/As contract.
func TestPositionedErrorsConvertFaithfully(t *testing.T) {
	policy, err := riskpolicy.Compile("p.yaml", []byte(`
policy: p
missing: skip
indicators:
  x: {type: number, source: t}
levels: [{name: ok}, {name: bad}]
rules:
  - {name: r, when: x > 1, level: bad}
`))
	require.NoError(t, err)

	type face struct {
		pos position
		// contract: the package's documented errors.Is/As contract holds:
		// brokerage and review, errors.Is(err, ErrInvalid); riskpolicy,
		// whose readers document "an ErrorList of positioned errors",
		// errors.As(err, &ErrorList) (it does not match ErrInvalid).
		contract bool
	}
	brokerFace := func(err error) (face, bool) {
		var e *brokerage.CSVError
		if !errors.As(err, &e) {
			return face{}, false
		}
		return face{position{e.File, e.Line, e.Column, e.Field}, errors.Is(err, brokerage.ErrInvalid)}, true
	}
	reviewFace := func(err error) (face, bool) {
		var e *review.FileError
		if !errors.As(err, &e) {
			return face{}, false
		}
		return face{position{e.Pos.File, e.Pos.Line, e.Pos.Column, e.Field}, errors.Is(err, review.ErrInvalid)}, true
	}
	riskFace := func(err error) (face, bool) {
		var e *riskpolicy.Error
		if !errors.As(err, &e) {
			return face{}, false
		}
		var list riskpolicy.ErrorList
		return face{position{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Col}, errors.As(err, &list)}, true
	}

	readers := []struct {
		name   string
		header string // three columns, the first one named again in the repeated-header case
		row    string // a valid row
		read   func(src string) error
		face   func(error) (face, bool)
		field  bool // the type has a Field
	}{
		{"brokerage.ReadNeeds", "id,area,priority", "n1,maths,3", func(src string) error {
			_, err := brokerage.ReadNeeds(strings.NewReader(src), "f.csv")
			return err
		}, brokerFace, true},
		{"brokerage.ReadOffers", "id,provider,areas,capacity", "o1,Hub,maths,1", func(src string) error {
			_, err := brokerage.ReadOffers(strings.NewReader(src), "f.csv")
			return err
		}, brokerFace, true},
		{"review.ReadSchools", "urn,phase,name", "100001,primary,Ash", func(src string) error {
			_, err := review.ReadSchools("f.csv", strings.NewReader(src))
			return err
		}, reviewFace, true},
		{"review.ReadReviewers", "id,capacity,name", "r1,2,Ann", func(src string) error {
			_, err := review.ReadReviewers("f.csv", strings.NewReader(src))
			return err
		}, reviewFace, true},
		{"riskpolicy.ReadOverridesCSV", "policy,urn,level,by,reason,at,expires", "p,100001,bad,me,why,2025-01-01,2025-06-01", func(src string) error {
			_, err := riskpolicy.ReadOverridesCSV("f.csv", strings.NewReader(src))
			return err
		}, riskFace, false},
		{"riskpolicy.Policy.ReadCSV", "urn,name,x", "100001,Ash,2", func(src string) error {
			_, err := policy.ReadCSV("f.csv", strings.NewReader(src), "", nil, nil)
			return err
		}, riskFace, false},
	}
	for _, r := range readers {
		require.NoError(t, r.read(r.header+"\n"+r.row+"\n"), "%s: the valid file", r.name)
		cols := strings.Split(r.header, ",")
		n := len(cols)
		faults := []struct {
			name  string
			src   string
			want  position
			cause string
		}{
			{"repeated header", r.header + "," + cols[0] + "\n" + r.row + ",x\n",
				position{"f.csv", 1, n + 1, cols[0]}, "repeated header name"},
			{"not CSV", r.header + "\n" + strings.Replace(r.row, ",", `,"`, 1) + "\n",
				position{"f.csv", 2, 0, ""}, "CSV syntax error"},
			{"too many fields", r.header + "\n" + r.row + ",x\n",
				position{"f.csv", 2, 0, ""}, "wrong number of fields"},
		}
		for _, f := range faults {
			t.Run(r.name+"/"+f.name, func(t *testing.T) {
				err := r.read(f.src)
				require.Error(t, err)
				got, ok := r.face(err)
				require.True(t, ok, "errors.As finds the package's positioned type in %v", err)
				want := f.want
				if !r.field {
					want.Field = ""
				}
				assert.Equal(t, want, got.pos)
				assert.True(t, got.contract, "the package's errors.Is/As contract")
				prefix := "f.csv:" + strconv.Itoa(f.want.Line) + ":"
				if f.want.Column > 0 {
					prefix += strconv.Itoa(f.want.Column) + ":"
				}
				assert.True(t, strings.HasPrefix(err.Error(), prefix), "%q begins %q", err.Error(), prefix)
				assert.Contains(t, err.Error(), f.cause, "the cause is kept")
				if f.want.Field != "" {
					assert.Contains(t, err.Error(), f.want.Field, "the field is named")
				}
			})
		}
	}
}
