package main

import (
	"bytes"
	"testing"
)

// TestWriteJSONListIsWriteJSON: writeJSONList writes the bytes writeJSON
// writes, for nil, empty and non-empty lists, elements holding nested and
// empty lists and objects, nil pointers and text to escape.
func TestWriteJSONListIsWriteJSON(t *testing.T) {
	type inner struct {
		A []int          `json:"a"`
		M map[string]int `json:"m"`
	}
	type elem struct {
		Name  string   `json:"name"`
		In    *inner   `json:"in"`
		Empty []string `json:"empty"`
	}
	lists := map[string][]*elem{
		"nil":   nil,
		"empty": {},
		"one":   {{Name: "a"}},
		"many": {
			{Name: "<b>&\"x\"\n\u2028", In: &inner{A: []int{1, 2}, M: map[string]int{"z": 1, "a": 2}}, Empty: []string{}},
			nil,
			{In: &inner{A: []int{}, M: map[string]int{}}},
		},
	}
	for name, l := range lists {
		t.Run(name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := writeJSON(&want, l); err != nil {
				t.Fatal(err)
			}
			if err := writeJSONList(&got, l); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("writeJSONList:\n%s\nwriteJSON:\n%s", got.String(), want.String())
			}
		})
	}
}
