package csvout_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/csvout"
)

func TestNeutralise(t *testing.T) {
	for cell, want := range map[string]string{
		"":                           "",
		"Ash Primary":                "Ash Primary",
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"=1+1":                       "'=1+1",
		"+1+1":                       "'+1+1",
		"-1+1":                       "'-1+1",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\t=1":                       "'\t=1",
		"\r=1":                       "'\r=1",
		"-":                          "'-",
		"+":                          "'+",
		"-1.55":                      "-1.55",
		"+44":                        "+44",
		"-.5":                        "-.5",
		"-1e-3":                      "-1e-3",
		"-1e":                        "'-1e",
		"-1.2.3":                     "'-1.2.3",
		"-Inf":                       "'-Inf",
		"-0x10":                      "'-0x10",
		"53.8":                       "53.8",
		"a=b":                        "a=b",
		" =1":                        " =1",
		"'":                          "'",
		"'a":                         "'a",
		"'=1":                        "''=1",
		"''-x":                       "'''-x",
		"'-1.5":                      "'-1.5",
	} {
		assert.Equal(t, want, csvout.Neutralise(cell), "%q", cell)
		assert.Equal(t, cell, csvout.Restore(want), "Restore(%q)", want)
	}
}

// Restore reads a cell the way a spreadsheet shows it: the guard's
// apostrophe goes, an apostrophe that guards nothing stays.
func TestRestore(t *testing.T) {
	for cell, want := range map[string]string{
		"'=1":    "=1",
		"'@cmd":  "@cmd",
		"'-x":    "-x",
		"'-1.5":  "'-1.5",
		"'a":     "'a",
		"'":      "'",
		"O'Neil": "O'Neil",
		"=1":     "=1",
	} {
		assert.Equal(t, want, csvout.Restore(cell), "%q", cell)
	}
}

func TestWriter(t *testing.T) {
	rec := []string{"100", "=HYPERLINK(\"http://evil.example\",\"click\")", "-1.55", "@cmd"}
	var b bytes.Buffer
	w := csvout.NewWriter(&b, nil)
	require.NoError(t, w.Write(rec))
	w.Flush()
	require.NoError(t, w.Error())
	got, err := csv.NewReader(strings.NewReader(b.String())).Read()
	require.NoError(t, err)
	assert.Equal(t, []string{"100", `'=HYPERLINK("http://evil.example","click")`, "-1.55", "'@cmd"}, got)
	assert.Equal(t, "=HYPERLINK(\"http://evil.example\",\"click\")", rec[1], "the caller's record is not modified")

	b.Reset()
	w = csvout.NewWriter(&b, &csvout.Options{Formulas: true})
	require.NoError(t, w.Write(rec))
	w.Flush()
	got, err = csv.NewReader(strings.NewReader(b.String())).Read()
	require.NoError(t, err)
	assert.Equal(t, rec, got, "Formulas writes cells unchanged")
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1", "-1.5", "+", "a", "-1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := csvout.Neutralise(s)
		require.Equal(t, s, csvout.Restore(n), "Restore(Neutralise(%q))", s)
		if n != s {
			require.Equal(t, "'"+s, n)
			return
		}
		if s != "" && strings.ContainsRune("=@\t\r", rune(s[0])) {
			t.Fatalf("%q not neutralised", s)
		}
		if s != "" && (s[0] == '+' || s[0] == '-') {
			// Left alone only as a number.
			for _, c := range s[1:] {
				require.True(t, strings.ContainsRune("0123456789.eE+-", c), "%q", s)
			}
		}
	})
}
