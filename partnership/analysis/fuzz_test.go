package analysis_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// xmlSafe is what a string becomes after a round trip through XML: runes
// XML cannot hold (and invalid UTF-8) become U+FFFD.
func xmlSafe(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		ok := r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
			(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if (r == utf8.RuneError && n == 1) || !ok {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FuzzExport writes graphs whose names and IDs are arbitrary text and checks
// that GraphML parses back to the same text and DOT keeps its quotes
// balanced.
func FuzzExport(f *testing.F) {
	for _, s := range []string{"St Mary's & St John's", `"quoted" \ back`, "<tag>]]>", "line\nbreak\r\n", "\x00\x01\uFFFE", "\xff"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, school, network string) {
		if network == "" {
			network = "n"
		}
		d := partnership.Dataset{
			Schools:     []partnership.School{{URN: 1, Name: school, LAName: school}},
			Networks:    []partnership.Network{{ID: partnership.NetworkID(network), Kind: partnership.NetworkAlliance, Name: network}},
			Memberships: []partnership.Membership{{ID: "m", Network: partnership.NetworkID(network), Member: "urn:1"}},
		}
		m, err := partnership.NewModel(d)
		if err != nil {
			t.Fatal(err)
		}
		g, err := analysis.NewGraph(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := analysis.WriteGraphML(&buf, g); err != nil {
			t.Fatal(err)
		}
		var doc graphML
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("GraphML does not parse: %v\n%s", err, buf.String())
		}
		if len(doc.Graph.Nodes) != 2 || len(doc.Graph.Edges) != 1 {
			t.Fatalf("got %d nodes and %d edges", len(doc.Graph.Nodes), len(doc.Graph.Edges))
		}
		// encoding/xml normalises a parsed "\r\n" or "\r" to "\n" only in
		// raw text; escaped ones survive, and WriteGraphML escapes them.
		for i, want := range []string{school, network} {
			a := attrs(doc.Graph.Nodes[i].Data)
			if got := a["name"]; got != xmlSafe(want) {
				t.Fatalf("node %d name: got %q, want %q", i, got, xmlSafe(want))
			}
		}
		if got := attrs(doc.Graph.Nodes[1].Data)["ref"]; got != xmlSafe(network) {
			t.Fatalf("network ref: got %q, want %q", got, xmlSafe(network))
		}
		buf.Reset()
		if err := analysis.WriteDOT(&buf, g); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			if strings.Count(strings.ReplaceAll(strings.ReplaceAll(line, `\\`, ""), `\"`, ""), `"`)%2 != 0 {
				t.Fatalf("unbalanced quotes in DOT line %q", line)
			}
		}
	})
}
