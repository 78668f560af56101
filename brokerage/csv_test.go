package brokerage_test

import (
	"bytes"
	"errors"
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
		{"empty", "", "needs.csv:1:1: empty file: want a header line"},
		{"missing column", "id,area\nn1,maths\n", "needs.csv:1:1: priority: required column missing"},
		{"unknown column", "id,area,priority,colour\n", "needs.csv:1:4: colour: unknown column (want " + strings.Join(brokerage.NeedsHeader, ", ") + ")"},
		{"bad priority", "id,area,priority\nn1,maths,9\n", "needs.csv:2:10: priority: 9 outside 1-5"},
		{"not a number", "id,area,priority,days\nn1,maths,3,two\n", "needs.csv:2:12: days: \"two\" is not a number"},
		{"bad phase", "id,area,priority,phase\nn1,maths,3,college\n", "needs.csv:2:12: phase: unknown phase \"college\" (want one of nursery, primary, middle, secondary, all-through, 16-plus, special, alternative-provision)"},
		{"duplicate", "id,area,priority\nn1,maths,3\nn1,maths,3\n", "needs.csv:3:1: id: duplicate ID \"n1\" (first on line 2)"},
		{"bad quote", "id,area,priority\nn1,\"maths,3\n", "needs.csv:2:13: extraneous or missing \" in quoted-field"},
		{"two errors", "id,area,priority,lat\nn1,,3,95\n", "needs.csv:2:4: area: required value missing\nneeds.csv:2:7: lat: latitude 95 outside -90..90"},
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
		{"bad evidence", "id,provider,areas,capacity\no1,Hub,maths:famous,2\n", "offers.csv:2:8: areas: unknown evidence \"famous\" (want one of self, inspection, peer-review, accredited)"},
		{"negative capacity", "id,provider,areas,capacity\no1,Hub,maths,-2\n", "offers.csv:2:14: capacity: negative"},
		{"no areas", "id,provider,areas,capacity\no1,Hub,,2\n", "offers.csv:2:8: areas: no areas"},
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
		require.NoError(rt, brokerage.WriteNeeds(&nb, needs))
		require.NoError(rt, brokerage.WriteOffers(&ob, offers))
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
			if !errors.As(err, &ce) || ce.Line < 1 || ce.File != "f.csv" {
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
			if !errors.As(err, &ce) || ce.Line < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if err := brokerage.Validate(nil, offers); err != nil {
			t.Fatalf("ReadOffers accepted what Validate rejects: %v", err)
		}
	})
}
