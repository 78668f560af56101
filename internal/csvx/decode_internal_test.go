package csvx

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// TestUTF8FallbackAgreesWithReference checks the UTF-8 pass-through with
// its Windows-1252 fallback (which copies runs of ASCII eight bytes at a
// time) against a byte-by-byte reading of the same rule, on random text
// mixing ASCII, UTF-8 and stray bytes, through destination buffers of
// every small size (each size cuts runs and runes at other places).
func TestUTF8FallbackAgreesWithReference(t *testing.T) {
	ref := func(src []byte) (string, bool) {
		var b strings.Builder
		used := false
		for len(src) > 0 {
			r, n := utf8.DecodeRune(src)
			if r == utf8.RuneError && n == 1 {
				used = true
				r = cp1252.DecodeByte(src[0])
			}
			b.WriteRune(r)
			src = src[n:]
		}
		return b.String(), used
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "urn,name\n", "0123456789abcdef", "é", "€", "日本", "\xe9", "\x80", "\xe2\x82", "\xff", "\xf0\x9f\x98\x80"}
	for range 2000 {
		var sb strings.Builder
		for range rng.IntN(40) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(sb.String())
		want, wantUsed := ref(src)
		for _, size := range []int{4, 5, 7, 8, 9, 16, 4096} {
			var used bool
			tr := &utf8Fallback{used: &used}
			var got []byte
			dst := make([]byte, size)
			in := src
			for {
				nDst, nSrc, err := tr.Transform(dst, in, true)
				got = append(got, dst[:nDst]...)
				in = in[nSrc:]
				if err == nil {
					break
				}
				if err != transform.ErrShortDst || (nDst == 0 && nSrc == 0) {
					t.Fatalf("%q (dst %d): %v after %q", src, size, err, got)
				}
			}
			if string(got) != want || used != wantUsed {
				t.Fatalf("%q (dst %d): got %q (fallback %v), want %q (%v)", src, size, got, used, want, wantUsed)
			}
		}
	}
}
