package csvx_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/fulcrum-edu/fulcrum/internal/csvx"
)

// readAll reads every row of r as a copy.
func readAll(t *testing.T, r *csvx.Reader) [][]string {
	t.Helper()
	var out [][]string
	for r.Next() {
		out = append(out, append([]string(nil), r.Record()...))
	}
	require.NoError(t, r.Err())
	return out
}

func utf16(t *testing.T, e unicode.Endianness, bom unicode.BOMPolicy, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestEncodings(t *testing.T) {
	const text = "URN,Name\n100,Café “Ré”\n"
	cp, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("\xef\xbb\xbf" + text))
	require.NoError(t, zw.Close())
	tab := strings.ReplaceAll(text, ",", "\t")
	tests := []struct {
		name  string
		data  []byte
		enc   csvx.Encoding
		comma rune
		gz    bool
	}{
		{"utf-8", []byte(text), csvx.UTF8, ',', false},
		{"utf-8 BOM", []byte("\xef\xbb\xbf" + text), csvx.UTF8, ',', false},
		{"windows-1252", cp, csvx.Windows1252, ',', false},
		{"utf-16le BOM (Excel Unicode text)", utf16(t, unicode.LittleEndian, unicode.UseBOM, tab), csvx.UTF16LE, '\t', false},
		{"utf-16be BOM", utf16(t, unicode.BigEndian, unicode.UseBOM, text), csvx.UTF16BE, ',', false},
		{"utf-16le no BOM", utf16(t, unicode.LittleEndian, unicode.IgnoreBOM, text), csvx.UTF16LE, ',', false},
		{"utf-16be no BOM tabs", utf16(t, unicode.BigEndian, unicode.IgnoreBOM, tab), csvx.UTF16BE, '\t', false},
		{"gzip utf-8 BOM", gz.Bytes(), csvx.UTF8, ',', true},
		{"CRLF", []byte(strings.ReplaceAll(text, "\n", "\r\n")), csvx.UTF8, ',', false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := csvx.NewReader("f.csv", bytes.NewReader(tt.data), nil)
			require.NoError(t, err)
			assert.Equal(t, []string{"URN", "Name"}, r.Header())
			assert.Equal(t, tt.comma, r.Comma())
			assert.Equal(t, tt.gz, r.Compressed())
			assert.Equal(t, [][]string{{"100", "Café “Ré”"}}, readAll(t, r))
			assert.Equal(t, tt.enc, r.Encoding())
			require.NoError(t, r.Close())
		})
	}
}

// A UTF-8 file with a Windows-1252 byte beyond the 64 KiB window reads
// that byte as Windows-1252, not as U+FFFD.
func TestUTF8FallbackBeyondWindow(t *testing.T) {
	var b strings.Builder
	b.WriteString("URN,Name\n")
	for b.Len() < 100<<10 {
		b.WriteString("1,plain ascii name\n")
	}
	b.WriteString("2,Caf\xe9 \xe2\x80\x99\n") // é in Windows-1252, then a UTF-8 ’
	r, err := csvx.NewReader("f.csv", strings.NewReader(b.String()), nil)
	require.NoError(t, err)
	rows := readAll(t, r)
	assert.Equal(t, []string{"2", "Café ’"}, rows[len(rows)-1])
	assert.Equal(t, csvx.Windows1252, r.Encoding())
}

func TestColumns(t *testing.T) {
	r, err := csvx.NewReader("f.csv", strings.NewReader(",URN,Phase_Type  grouping, \nix,1,Primary,x\n"), nil)
	require.NoError(t, err)
	urn := r.Col("urn")
	phase := r.Col("PhaseOfEducation", "phase type grouping")
	absent := r.Col("Postcode")
	assert.Equal(t, 1, urn.Index())
	assert.Equal(t, "Phase_Type  grouping", phase.Name())
	assert.False(t, absent.Found())
	assert.Equal(t, -1, absent.Index())
	assert.True(t, r.Has("URN", "PHASE TYPE GROUPING"))
	assert.False(t, r.Has("URN", "LA"))
	require.True(t, r.Next())
	assert.Equal(t, "1", r.Field(urn))
	assert.Equal(t, "Primary", r.Field(phase))
	assert.Equal(t, "", r.Field(absent))
	assert.Equal(t, 2, r.Line())
	e := r.Errorf(phase, "bad %w", csvx.ErrSyntax)
	assert.Equal(t, "f.csv:2:3: Phase_Type  grouping: bad CSV syntax error", e.Error())
	assert.ErrorIs(t, e, csvx.ErrSyntax)
	assert.Equal(t, "f.csv:2: whole row", r.Errorf(csvx.Col{}, "whole row").Error())
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       error
		msg        string
	}{
		{"empty", "", csvx.ErrEmpty, "f.csv: file is empty: no header row"},
		{"blank lines", "\n\n\r\n", csvx.ErrEmpty, "f.csv: file is empty: no header row"},
		{"repeated", "URN,Name,urn\n1,a,1\n", csvx.ErrRepeatedHeader,
			`f.csv:1:3: urn: repeated header name: columns 1 "URN" and 3 "urn" have the same name`},
		{"repeated by underscores", "LA_name,LA name\n", csvx.ErrRepeatedHeader,
			`f.csv:1:2: LA name: repeated header name: columns 1 "LA_name" and 2 "LA name" have the same name`},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", csvx.ErrNotText, ""},
		{"bare quote", "a\"b,c\n", csvx.ErrSyntax, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := csvx.NewReader("f.csv", strings.NewReader(tt.data), nil)
			require.ErrorIs(t, err, tt.want)
			var e *csvx.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "f.csv", e.File)
			assert.True(t, strings.HasPrefix(err.Error(), "f.csv"), err.Error())
			if tt.msg != "" {
				assert.Equal(t, tt.msg, err.Error())
			}
		})
	}
}

func TestRows(t *testing.T) {
	const data = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n\"x,y\n10,11,12\n"
	t.Run("strict", func(t *testing.T) {
		r, err := csvx.NewReader("f.csv", strings.NewReader(data), nil)
		require.NoError(t, err)
		rows := readAll(t, r)
		assert.Equal(t, [][]string{{"1", "2", "3"}}, rows)
		// The unterminated quote swallows the rest of the file.
		var msgs []string
		for _, e := range r.Skipped() {
			msgs = append(msgs, e.Error())
		}
		assert.Equal(t, []string{
			"f.csv:3: wrong number of fields: the row has 2, the header 3",
			"f.csv:4: wrong number of fields: the row has 4, the header 3",
			`f.csv:5: CSV syntax error: extraneous or missing " in quoted-field (line 6, byte 10)`,
		}, msgs)
		assert.Equal(t, 3, r.SkippedCount())
		assert.Equal(t, 4, r.Rows())
	})
	t.Run("short rows allowed", func(t *testing.T) {
		r, err := csvx.NewReader("f.csv", strings.NewReader("a,b,c\n1,2,3\n4,5\n6,7,8,9\n"), &csvx.Options{AllowShortRows: true})
		require.NoError(t, err)
		c := r.Col("c")
		var got []string
		for r.Next() {
			got = append(got, r.Field(c))
		}
		assert.Equal(t, []string{"3", ""}, got)
		require.Len(t, r.Skipped(), 1)
		assert.ErrorIs(t, r.Skipped(), csvx.ErrFieldCount)
	})
	t.Run("max errors", func(t *testing.T) {
		r, err := csvx.NewReader("f.csv", strings.NewReader("a\n"+strings.Repeat("1,2\n", 50)), &csvx.Options{MaxErrors: 5})
		require.NoError(t, err)
		assert.Empty(t, readAll(t, r))
		assert.Len(t, r.Skipped(), 5)
		assert.Equal(t, 50, r.SkippedCount())
	})
}

// endless yields an endless stream: prefix, then fill forever, counting
// the bytes handed out.
type endless struct {
	prefix []byte
	fill   []byte
	n      int64
}

func (e *endless) Read(p []byte) (int, error) {
	k := copy(p, e.prefix)
	e.prefix = e.prefix[k:]
	for i := k; i < len(p); i++ {
		p[i] = e.fill[i%len(e.fill)]
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestLimitsWhileStreaming(t *testing.T) {
	t.Run("one endless line", func(t *testing.T) {
		src := &endless{prefix: []byte("a,b\n1,"), fill: []byte("x")}
		r, err := csvx.NewReader("big.csv", src, &csvx.Options{MaxRecordBytes: 1 << 20})
		require.NoError(t, err)
		assert.False(t, r.Next())
		err = r.Err()
		require.ErrorIs(t, err, csvx.ErrRecordTooLong)
		assert.Less(t, src.n, int64(1<<20+512<<10), "read far beyond the record cap")
		assert.Less(t, len(err.Error()), 200, "the message quotes the whole line")
		assert.Contains(t, err.Error(), "big.csv:2: record too long")
	})
	t.Run("a long header", func(t *testing.T) {
		src := &endless{fill: []byte("h")}
		_, err := csvx.NewReader("big.csv", src, &csvx.Options{MaxRecordBytes: 1000})
		require.ErrorIs(t, err, csvx.ErrRecordTooLong)
		assert.Less(t, src.n, int64(512<<10))
	})
	t.Run("an endless file of short lines", func(t *testing.T) {
		src := &endless{prefix: []byte("a\n"), fill: []byte("1\n")}
		r, err := csvx.NewReader("big.csv", src, &csvx.Options{MaxBytes: 4 << 20})
		require.NoError(t, err)
		for r.Next() {
		}
		require.ErrorIs(t, r.Err(), csvx.ErrTooLarge)
		assert.Less(t, src.n, int64(5<<20))
	})
	t.Run("unterminated quote", func(t *testing.T) {
		src := &endless{prefix: []byte("a,b\n1,\""), fill: []byte("\n")}
		r, err := csvx.NewReader("big.csv", src, &csvx.Options{MaxRecordBytes: 1 << 16})
		require.NoError(t, err)
		assert.False(t, r.Next())
		require.ErrorIs(t, r.Err(), csvx.ErrRecordTooLong)
		assert.Less(t, src.n, int64(1<<20))
	})
	t.Run("at the cap", func(t *testing.T) {
		data := "a\n" + strings.Repeat("x", 100) + "\n"
		r, err := csvx.NewReader("f.csv", strings.NewReader(data), &csvx.Options{MaxBytes: int64(len(data))})
		require.NoError(t, err)
		assert.Len(t, readAll(t, r), 1)
		// This small a file is read whole by NewReader's look at its start.
		_, err = csvx.NewReader("f.csv", strings.NewReader(data), &csvx.Options{MaxBytes: int64(len(data) - 1)})
		assert.ErrorIs(t, err, csvx.ErrTooLarge)
	})
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestOpenAndIOErrors(t *testing.T) {
	fsys := fstest.MapFS{"d/x.csv": {Data: []byte("a\n1\n")}}
	r, err := csvx.Open(fsys, "d/x.csv", nil)
	require.NoError(t, err)
	assert.Equal(t, "d/x.csv", r.File())
	assert.Len(t, readAll(t, r), 1)
	require.NoError(t, r.Close())
	_, err = csvx.Open(fsys, "d/none.csv", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "d/none.csv")
	_, err = csvx.NewReader("f.csv", failing{}, nil)
	require.ErrorContains(t, err, "f.csv")
	require.ErrorContains(t, err, "disk on fire")
	_, err = csvx.NewReader("f.csv", io.MultiReader(strings.NewReader("\x1f\x8b"), failing{}), nil)
	require.ErrorContains(t, err, "f.csv")
}

func TestErrorList(t *testing.T) {
	var l csvx.ErrorList
	assert.NoError(t, l.Err())
	assert.Equal(t, "no errors", l.Error())
	l.Add("b.csv", 1, 0, "", csvx.ErrSyntax)
	l.Add("a.csv", 9, 2, "URN", csvx.ErrFieldCount)
	l.Add("a.csv", 3, 0, "", csvx.ErrEmpty)
	l.Sort()
	assert.Equal(t, "3 errors:\n\ta.csv:3: file is empty: no header row\n\ta.csv:9:2: URN: wrong number of fields\n\tb.csv:1: CSV syntax error", l.Error())
	err := l.Err()
	assert.ErrorIs(t, err, csvx.ErrFieldCount)
	var e *csvx.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "a.csv", e.File)
	for i := 0; i < 20; i++ {
		l.Add("c.csv", i, 0, "", csvx.ErrSyntax)
	}
	assert.Contains(t, l.Error(), "(and 13 more)")
}

func TestEncodingText(t *testing.T) {
	for e := csvx.Detect; e <= csvx.Windows1252; e++ {
		b, err := e.MarshalText()
		require.NoError(t, err)
		var got csvx.Encoding
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, e, got)
	}
	var e csvx.Encoding
	assert.Error(t, e.UnmarshalText([]byte("ebcdic")))
	assert.Equal(t, "Encoding(9)", csvx.Encoding(9).String())
}

func TestForcedOptions(t *testing.T) {
	// Forced Windows-1252 over bytes that spell valid UTF-8.
	r, err := csvx.NewReader("f.csv", strings.NewReader("n;m\nÃ©;1\n"), &csvx.Options{Encoding: csvx.Windows1252, Comma: ';'})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"ÃƒÂ©", "1"}}, readAll(t, r))
}
