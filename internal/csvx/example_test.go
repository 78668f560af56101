package csvx_test

import (
	"fmt"
	"strings"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// A file saved by Excel as "Unicode text" (UTF-16LE, tab-separated), with a
// short row and a row that is not CSV.
func ExampleReader() {
	text := "\ufeffURN\tSchool name\tFSM %\n100001\tSt Anne’s\t12.5\n100002\tHill Top\n100003\t\"broken\t1\n"
	var data []byte
	for _, u := range utf16Units(text) {
		data = append(data, byte(u), byte(u>>8))
	}
	r, err := csvx.NewReader("schools.txt", strings.NewReader(string(data)), &csvx.Options{AllowShortRows: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	urn, name, fsm := r.Col("urn"), r.Col("SchoolName", "school name"), r.Col("FSM %")
	for r.Next() {
		fmt.Printf("%s %q fsm=%q\n", r.Field(urn), r.Field(name), r.Field(fsm))
	}
	fmt.Println(r.Encoding(), r.Err())
	fmt.Println(r.Skipped().Err())
	// Output:
	// 100001 "St Anne’s" fsm="12.5"
	// 100002 "Hill Top" fsm=""
	// utf-16le <nil>
	// schools.txt:4: CSV syntax error: extraneous or missing " in quoted-field (line 4, byte 18)
}

func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		out = append(out, uint16(r)) // the text is in the BMP
	}
	return out
}

// A repeated header name is refused, naming the file and both columns.
func ExampleNewReader_repeatedHeader() {
	_, err := csvx.NewReader("census.csv", strings.NewReader("URN,LA,urn\n"), nil)
	fmt.Println(err)
	// Output:
	// census.csv:1:3: urn: repeated header name: columns 1 "URN" and 3 "urn" have the same name
}
