package csvx

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding of a file.
type Encoding int

// Encodings. Detect (the zero value) asks the Reader to work it out; see
// the package documentation for how.
const (
	Detect Encoding = iota
	UTF8
	UTF16LE
	UTF16BE
	Windows1252
)

var encodingNames = [...]string{"detect", "utf-8", "utf-16le", "utf-16be", "windows-1252"}

// String returns the encoding's IANA-style name ("utf-8", "utf-16le",
// "utf-16be", "windows-1252"), or "detect".
func (e Encoding) String() string {
	if e < 0 || int(e) >= len(encodingNames) {
		return fmt.Sprintf("Encoding(%d)", int(e))
	}
	return encodingNames[e]
}

// MarshalText implements encoding.TextMarshaler.
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, accepting the names
// String returns.
func (e *Encoding) UnmarshalText(b []byte) error {
	for i, n := range encodingNames {
		if n == string(b) {
			*e = Encoding(i)
			return nil
		}
	}
	return fmt.Errorf("csvx: unknown encoding %q", b)
}

// sniffSize is how much of a file settles UTF-8 against Windows-1252, and
// the size of the Reader's buffer.
const sniffSize = 64 << 10

// decoder returns a reader of br's text as UTF-8, detecting the encoding
// when enc is Detect, and the encoding used. A byte-order mark is removed.
// fallback is set when UTF-8 text turns out to hold bytes that are not
// UTF-8 (decoded as Windows-1252).
func decoder(br *bufio.Reader, enc Encoding, fallback *bool) (io.Reader, Encoding, error) {
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, 0, err
	}
	bom := Detect
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		bom = UTF8
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		bom = UTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		bom = UTF16BE
	}
	if enc == Detect {
		enc = bom
	}
	if enc == Detect && len(head) >= 2 {
		// UTF-16 without a mark: a header starts with a character below
		// U+0100, so one of its first two bytes is zero.
		switch {
		case head[0] != 0 && head[1] == 0:
			enc = UTF16LE
		case head[0] == 0 && head[1] != 0:
			enc = UTF16BE
		}
	}
	if enc == Detect {
		enc = UTF8
		window, err := br.Peek(sniffSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, 0, err
		}
		if i := bytes.IndexByte(window, 0); i >= 0 {
			return nil, 0, fmt.Errorf("%w: a NUL byte at offset %d (binary data, or an encoding not recognised)", ErrNotText, i)
		}
		if len(window) == sniffSize {
			// Do not judge a rune cut by the end of the window.
			window = trimPartialRune(window)
		}
		if !utf8.Valid(window) {
			enc = Windows1252
		}
	}
	if bom == UTF8 && (enc == UTF8 || enc == Windows1252) {
		if _, err := br.Discard(3); err != nil {
			return nil, 0, err
		}
	}
	var dec *encoding.Decoder
	switch enc {
	case UTF8:
		return transform.NewReader(br, &utf8Fallback{used: fallback}), UTF8, nil
	case UTF16LE:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case UTF16BE:
		dec = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case Windows1252:
		dec = charmap.Windows1252.NewDecoder()
	default:
		return nil, 0, fmt.Errorf("csvx: unknown encoding %d", int(enc))
	}
	return transform.NewReader(br, dec), enc, nil
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b // ASCII: nothing cut
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return b
			}
			return b[:len(b)-i]
		}
	}
	return b
}

// cp1252 decodes one byte of Windows-1252.
var cp1252 = charmap.Windows1252

// utf8Fallback passes UTF-8 through and decodes each byte that does not
// begin a valid UTF-8 sequence as Windows-1252: a file that is UTF-8 in its
// first 64 KiB but holds a Windows-1252 byte further on is read, not
// garbled into U+FFFD.
type utf8Fallback struct {
	transform.NopResetter
	used *bool
}

// Transform implements transform.Transformer.
func (t *utf8Fallback) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		// Copy the run of ASCII bytes ahead in one go.
		if n := asciiPrefix(src[nSrc:min(len(src), nSrc+len(dst)-nDst)]); n > 0 {
			copy(dst[nDst:], src[nSrc:nSrc+n])
			nDst += n
			nSrc += n
			continue
		}
		c := src[nSrc]
		if c < utf8.RuneSelf {
			return nDst, nSrc, transform.ErrShortDst // dst is full
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			*t.used = true
			r = cp1252.DecodeByte(c)
			if nDst+utf8.RuneLen(r) > len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += utf8.EncodeRune(dst[nDst:], r)
			nSrc++
			continue
		}
		if nDst+size > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
		nSrc += size
	}
	return nDst, nSrc, nil
}

// asciiPrefix returns the length of the longest prefix of b holding only
// ASCII bytes, looking at eight bytes at a time.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b) && b[i] < utf8.RuneSelf; i++ {
	}
	return i
}
