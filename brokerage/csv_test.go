package brokerage_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

func TestReadNeedsErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "needs.csv:1: empty file: want a header line"},
		{"missing column", "id,area\nn1,maths\n", "needs.csv:1: priority: required column missing"},
		{"unknown column", "id,area,priority,colour\n", "needs.csv:1:4: colour: unknown column (want " + strings.Join(brokerage.NeedsHeader, ", ") + ")"},
		{"bad priority", "id,area,priority\nn1,maths,9\n", "needs.csv:2:3: priority: 9 outside 1-5"},
		{"not a number", "id,area,priority,days\nn1,maths,3,two\n", "needs.csv:2:4: days: \"two\" is not a number"},
		{"bad phase", "id,area,priority,phase\nn1,maths,3,college\n", "needs.csv:2:4: phase: unknown phase \"college\" (want one of nursery, primary, middle, secondary, all-through, 16-plus, special, alternative-provision)"},
		{"duplicate", "id,area,priority\nn1,maths,3\nn1,maths,3\n", "needs.csv:3:1: id: duplicate ID \"n1\" (first on line 2)"},
		{"bad quote", "id,area,priority\nn1,\"maths,3\n", "needs.csv:2: CSV syntax error: extraneous or missing \" in quoted-field (line 2, byte 13)"},
		{"repeated header", "id,area,priority,Area\n", "needs.csv:1:4: Area: repeated header name: columns 2 \"area\" and 4 \"Area\" have the same name"},
		{"too many fields", "id,area,priority\nn1,maths,3,x\n", "needs.csv:2: wrong number of fields: the row has 4, the header 3"},
		{"record too long", "id,area,priority\nn1," + strings.Repeat("m", 2<<20) + ",3\n", "needs.csv:2: record too long: more than 1048576 bytes, starting \"n1\""},
		{"two errors", "id,area,priority,lat,lon\nn1,,3,95,1\n", "2 errors:\n\tneeds.csv:2:2: area: required value missing\n\tneeds.csv:2:4: lat: latitude 95 outside -90..90"},
		// lat and lon come together: a blank half is not the equator.
		{"blank lat", "id,area,priority,lat,lon\nn1,maths,3,,-1.71\n", "needs.csv:2:4: lat: blank while lon is -1.71: give both or neither"},
		{"blank lon", "id,area,priority,lat,lon\nn1,maths,3,52.4,\n", "needs.csv:2:5: lon: blank while lat is 52.4: give both or neither"},
		{"no lon column", "id,area,priority,lat\nn1,maths,3,52.4\n", "needs.csv:2: lon: blank while lat is 52.4: give both or neither"},
		{"blank days", "id,area,priority,days\nn1,maths,3,\n", "needs.csv:2:4: days: required value missing"},
		{"zero zero", "id,area,priority,lat,lon\nn1,maths,3,0,0\n", "needs.csv:2:4: lat: 0,0 is not a location: leave lat and lon blank when unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := brokerage.ReadNeeds(strings.NewReader(tc.in), "needs.csv")
			require.Error(t, err)
			assert.ErrorIs(t, err, brokerage.ErrInvalid)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestReadOffersErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"bad evidence", "id,provider,areas,capacity\no1,Hub,maths:famous,2\n", "offers.csv:2:3: areas: unknown evidence \"famous\" (want one of self, inspection, peer-review, accredited)"},
		{"negative capacity", "id,provider,areas,capacity\no1,Hub,maths,-2\n", "offers.csv:2:4: capacity: negative"},
		{"no areas", "id,provider,areas,capacity\no1,Hub,,2\n", "offers.csv:2:3: areas: no areas"},
		// A blank capacity or cost is not 0: the offer would vanish or be free.
		{"blank capacity", "id,provider,areas,capacity\no1,Hub,maths,\n", "offers.csv:2:4: capacity: required value missing"},
		{"blank cost", "id,provider,areas,capacity,cost_per_day\no1,Hub,maths,2,\n", "offers.csv:2:5: cost_per_day: required value missing"},
		{"bad urn", "id,provider,areas,capacity,urn\no1,Hub,maths,2,abc\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := brokerage.ReadOffers(strings.NewReader(tc.in), "offers.csv")
			require.Error(t, err)
			var ce *brokerage.CSVError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "offers.csv", ce.File)
			if tc.want != "" {
				assert.Equal(t, tc.want, err.Error())
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		needs, offers := randomInstance(rt, 6, 4)
		var nb, ob bytes.Buffer
		require.NoError(rt, brokerage.WriteNeeds(&nb, needs, nil))
		require.NoError(rt, brokerage.WriteOffers(&ob, offers, nil))
		gotN, err := brokerage.ReadNeeds(&nb, "needs.csv")
		require.NoError(rt, err)
		gotO, err := brokerage.ReadOffers(&ob, "offers.csv")
		require.NoError(rt, err)
		if len(needs) == 0 {
			needs = nil
		}
		if len(offers) == 0 {
			offers = nil
		}
		if d := cmp.Diff(needs, gotN); d != "" {
			rt.Fatalf("needs (-want +got):\n%s", d)
		}
		if d := cmp.Diff(offers, gotO); d != "" {
			rt.Fatalf("offers (-want +got):\n%s", d)
		}
	})
}

func FuzzReadNeeds(f *testing.F) {
	f.Add("id,urn,area,priority,phase,lat,lon,from\nn1,100000,maths,3,primary,53.8,-1.5,2025-09-01\n")
	f.Add(strings.Join(brokerage.NeedsHeader, ",") + "\n")
	f.Add("id,area,priority\n\"n1,maths,3\n")
	f.Fuzz(func(t *testing.T, in string) {
		needs, err := brokerage.ReadNeeds(strings.NewReader(in), "f.csv")
		if err != nil {
			var ce *brokerage.CSVError
			// Line 0 only for the file as a whole (binary, too large).
			if !errors.As(err, &ce) || ce.Line < 0 || ce.Line == 0 && ce.Column != 0 || ce.File != "f.csv" || !errors.Is(err, brokerage.ErrInvalid) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if err := brokerage.Validate(needs, nil); err != nil {
			t.Fatalf("ReadNeeds accepted what Validate rejects: %v", err)
		}
	})
}

func FuzzReadOffers(f *testing.F) {
	f.Add("id,provider,areas,capacity,phases,cost_per_day\no1,Hub,maths:accredited;send,3,primary;secondary,450\n")
	f.Add("id,provider,areas,capacity\no1,Hub,:,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		offers, err := brokerage.ReadOffers(strings.NewReader(in), "f.csv")
		if err != nil {
			var ce *brokerage.CSVError
			if !errors.As(err, &ce) || ce.Line < 0 || ce.Line == 0 && ce.Column != 0 || !errors.Is(err, brokerage.ErrInvalid) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if err := brokerage.Validate(nil, offers); err != nil {
			t.Fatalf("ReadOffers accepted what Validate rejects: %v", err)
		}
	})
}

// Names a spreadsheet would run as formulas are guarded with an apostrophe
// in the files WriteNeeds and WriteOffers write, unless Formulas is set,
// and read back unchanged either way.
func TestCSVFormulaGuardRoundTrips(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example","click")`, "'=already guarded", "@SUM(A1)", "-5 Ways Academy", "O'Neil Primary", "+", "'"}
	var needs []brokerage.Need
	var offers []brokerage.Offer
	for i, n := range names {
		needs = append(needs, brokerage.Need{ID: brokerage.NeedID(fmt.Sprint("n", i)), Name: n, Trust: n, Area: "maths", Priority: 3, FSMPercent: -1})
		offers = append(offers, brokerage.Offer{ID: brokerage.OfferID(fmt.Sprint("o", i)), Provider: n, Trust: n, Capacity: 1, FSMPercent: -1,
			Areas: []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceSelf}}})
	}
	for _, formulas := range []bool{false, true} {
		var nb, ob bytes.Buffer
		opts := &brokerage.WriteOptions{Formulas: formulas}
		require.NoError(t, brokerage.WriteNeeds(&nb, needs, opts))
		require.NoError(t, brokerage.WriteOffers(&ob, offers, opts))
		assert.Equal(t, !formulas, strings.Contains(nb.String(), `"'=HYPERLINK(`), "needs guarded: %v", !formulas)
		assert.Equal(t, !formulas, strings.Contains(ob.String(), "'@SUM(A1)"), "offers guarded: %v", !formulas)
		gotN, err := brokerage.ReadNeeds(&nb, "needs.csv")
		require.NoError(t, err)
		gotO, err := brokerage.ReadOffers(&ob, "offers.csv")
		require.NoError(t, err)
		if formulas {
			// Unguarded, a cell that looks guarded ("'=already guarded")
			// reads as a spreadsheet would show it.
			needs[1].Name, needs[1].Trust = "=already guarded", "=already guarded"
			offers[1].Provider, offers[1].Trust = "=already guarded", "=already guarded"
		}
		assert.Empty(t, cmp.Diff(needs, gotN), "formulas %v", formulas)
		assert.Empty(t, cmp.Diff(offers, gotO), "formulas %v", formulas)
	}
}

// A needs file saved by Excel as "Unicode text" (UTF-16LE with a mark,
// tab-separated) reads as the same file in UTF-8.
func TestReadNeedsUTF16(t *testing.T) {
	text := "\ufeffid\tarea\tpriority\tschool\nn1\tmaths\t3\tSt Anne’s\n"
	var b []byte
	for _, r := range text {
		b = append(b, byte(r), byte(r>>8))
	}
	needs, err := brokerage.ReadNeeds(bytes.NewReader(b), "needs.txt")
	require.NoError(t, err)
	require.Len(t, needs, 1)
	assert.Equal(t, "St Anne’s", needs[0].Name)
}
