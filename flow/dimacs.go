package flow

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// maxLine bounds the length of a DIMACS line.
const maxLine = 1 << 16

// minArcLine is the shortest arc line ("a 1 2 0 0 0\n"): a file of size S
// holds at most S/minArcLine arcs, which bounds what the parser allocates
// ahead of reading them.
const minArcLine = 12

// ParseDIMACS reads a minimum-cost flow problem in the DIMACS format:
//
//	c a comment
//	p min NODES ARCS
//	n ID FLOW            (a node's supply; positive supplies, negative demands)
//	a SRC DST LOW CAP COST
//
// Nodes are numbered from 1 in the file and from 0 in the returned
// [Network]. Blank lines and comment lines are skipped; the problem line
// comes before every "n" and "a" line; the number of "a" lines must equal
// ARCS. Every error is a [*SyntaxError] naming the line; ParseDIMACS stops at
// the first one. Lines are at most 64 KiB.
//
// The reader streams: it allocates the network's arrays and nothing per
// line. When r is an *os.File (or has a Stat method reporting a size), the
// arcs are allocated once, bounded by what a file of that size can hold;
// otherwise they grow as they are read.
func ParseDIMACS(r io.Reader) (*Network, error) {
	return parseDIMACS(r, true)
}

// parseDIMACS is ParseDIMACS; plain reads plain arc lines in one pass
// (plainArc), which the tests turn off to check that it changes nothing.
func parseDIMACS(r io.Reader, plain bool) (*Network, error) {
	// Twice the longest line: the buffer stays in cache and a small file
	// touches few pages (measured against 1 MiB: the 48 MB bench file read
	// level or faster, 0.12 against 0.125 s; a 0.56 MB one 1.36 against
	// 1.72 ms, with 110 fewer page faults in a whole process).
	p := dimacsParser{br: bufio.NewReaderSize(r, 2*maxLine), size: -1, plain: plain}
	if st, ok := r.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			p.size = fi.Size()
		}
	}
	return p.parse()
}

type dimacsParser struct {
	br   *bufio.Reader
	size int64 // file size, -1 when unknown
	line int
	rest []byte // the unread part of the current line
	seen []uint64
	// plain: read plain arc lines with plainArc.
	plain bool
}

func (p *dimacsParser) errf(format string, args ...any) error {
	return &SyntaxError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// field returns the next whitespace-separated field of the line, nil at
// its end.
func (p *dimacsParser) field() []byte {
	b := p.rest
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\v' || b[i] == '\f') {
		i++
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\v' && b[j] != '\f' {
		j++
	}
	p.rest = b[j:]
	if i == j {
		return nil
	}
	return b[i:j]
}

// fieldsIn counts the line's fields.
func fieldsIn(b []byte) int {
	n := 0
	in := false
	for _, c := range b {
		sp := c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// num parses a decimal integer field within [lo, hi].
func (p *dimacsParser) num(what string, lo, hi int64) (int64, error) {
	f := p.field()
	v, ok := atoi(f)
	if !ok {
		return 0, p.errf("%s %q is not an integer", what, f)
	}
	if v < lo || v > hi {
		return 0, p.errf("%s %d out of range [%d, %d]", what, v, lo, hi)
	}
	return v, nil
}

// atoi parses an optionally signed decimal integer without allocating;
// false when f is not one or overflows an int64.
func atoi(f []byte) (int64, bool) {
	if len(f) == 0 || len(f) > 20 {
		if len(f) > 20 {
			// Leading zeros are legal; let strconv decide.
			v, err := strconv.ParseInt(string(f), 10, 64)
			return v, err == nil
		}
		return 0, false
	}
	neg := false
	i := 0
	switch f[0] {
	case '-':
		neg, i = true, 1
	case '+':
		i = 1
	}
	if i == len(f) {
		return 0, false
	}
	var u uint64
	for ; i < len(f); i++ {
		c := f[i] - '0'
		if c > 9 {
			return 0, false
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c)
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}

func (p *dimacsParser) parse() (*Network, error) {
	var g *Network
	var wantArcs int
	for {
		if g != nil && p.plain {
			p.plainArcs(g, wantArcs)
		}
		raw, err := p.br.ReadSlice('\n')
		if len(raw) == 0 && err == io.EOF {
			break
		}
		p.line++
		if errors.Is(err, bufio.ErrBufferFull) || len(raw) > maxLine {
			return nil, p.errf("line longer than %d bytes", maxLine)
		}
		if err != nil && err != io.EOF {
			return nil, p.errf("%v", err)
		}
		if n := len(raw); n > 0 && raw[n-1] == '\n' {
			raw = raw[:n-1]
		}
		p.rest = raw
		line := p.rest
		kind := p.field()
		if len(kind) == 0 || (len(kind) == 1 && kind[0] == 'c') {
			continue
		}
		if len(kind) != 1 {
			return nil, p.errf("unknown line type %q (want c, p, n or a)", kind)
		}
		switch kind[0] {
		case 'p':
			if g != nil {
				return nil, p.errf("second problem line")
			}
			if n := fieldsIn(line); n != 4 {
				return nil, p.errf("problem line has %d fields, want \"p min NODES ARCS\"", n)
			}
			if t := p.field(); string(t) != "min" {
				return nil, p.errf("problem type %q, want \"min\"", t)
			}
			n, err := p.num("node count", 0, MaxNodes)
			if err != nil {
				return nil, err
			}
			m, err := p.num("arc count", 0, 1<<40)
			if err != nil {
				return nil, err
			}
			g = NewNetwork(int(n))
			prealloc := min(m, 1<<20)
			if p.size >= 0 {
				prealloc = min(m, p.size/minArcLine+1)
			}
			g.arcs = make([]Arc, 0, prealloc)
			wantArcs = int(m)
		case 'n':
			if g == nil {
				return nil, p.errf("node line before the problem line")
			}
			if n := fieldsIn(line); n != 3 {
				return nil, p.errf("node line has %d fields, want \"n ID FLOW\"", n)
			}
			id, err := p.num("node", 1, int64(g.NumNodes()))
			if err != nil {
				return nil, err
			}
			b, err := p.num("supply", -MaxValue, MaxValue)
			if err != nil {
				return nil, err
			}
			if p.seen == nil {
				p.seen = make([]uint64, (g.NumNodes()+63)/64)
			}
			if w, bit := (id-1)/64, uint64(1)<<((id-1)%64); p.seen[w]&bit != 0 {
				return nil, p.errf("node %d given twice", id)
			} else {
				p.seen[w] |= bit
			}
			g.supply[id-1] = b
		case 'a':
			if g == nil {
				return nil, p.errf("arc line before the problem line")
			}
			if len(g.arcs) == wantArcs {
				return nil, p.errf("more arc lines than the %d declared", wantArcs)
			}
			n := int64(g.NumNodes())
			if p.plain {
				if a, ok := plainArc(p.rest, n); ok {
					g.arcs = append(g.arcs, a)
					continue
				}
			}
			u, err := p.num("source node", 1, n)
			if err != nil {
				return nil, p.fieldCount(line, err)
			}
			v, err := p.num("target node", 1, n)
			if err != nil {
				return nil, p.fieldCount(line, err)
			}
			lo, err := p.num("lower bound", 0, MaxValue)
			if err != nil {
				return nil, p.fieldCount(line, err)
			}
			c, err := p.num("capacity", 0, MaxValue)
			if err != nil {
				return nil, p.fieldCount(line, err)
			}
			cost, err := p.num("cost", -MaxValue, MaxValue)
			if err != nil {
				return nil, p.fieldCount(line, err)
			}
			if p.field() != nil {
				return nil, p.fieldCount(line, nil)
			}
			if c < lo {
				return nil, p.errf("capacity %d below lower bound %d", c, lo)
			}
			g.arcs = append(g.arcs, Arc{From: int(u - 1), To: int(v - 1), Low: lo, Cap: c, Cost: cost})
		default:
			return nil, p.errf("unknown line type %q (want c, p, n or a)", kind)
		}
	}
	if g == nil {
		return nil, &SyntaxError{Line: max(p.line, 1), Msg: "no problem line \"p min NODES ARCS\""}
	}
	if len(g.arcs) != wantArcs {
		return nil, &SyntaxError{Line: max(p.line, 1), Msg: fmt.Sprintf("%d arc lines, %d declared", len(g.arcs), wantArcs)}
	}
	return g, nil
}

// plainArcs reads the plain arc lines at the front of what the reader
// holds (each "a" and a space or tab, then plainArc's fields, then a
// newline), up to the declared number of arcs, straight from its buffer;
// it stops at any other line, or at a line not yet whole in the buffer,
// for the line-by-line reader.
func (p *dimacsParser) plainArcs(g *Network, wantArcs int) {
	buf, _ := p.br.Peek(p.br.Buffered())
	n := int64(g.NumNodes())
	used := 0
	for len(g.arcs) < wantArcs {
		rest := buf[used:]
		end := bytes.IndexByte(rest, '\n')
		if end < 2 || end >= maxLine || rest[0] != 'a' || (rest[1] != ' ' && rest[1] != '\t') {
			break
		}
		a, ok := plainArc(rest[1:end], n)
		if !ok {
			break
		}
		g.arcs = append(g.arcs, a)
		p.line++
		used += end + 1
	}
	p.br.Discard(used)
}

// plainArc reads the fields of an arc line after the "a" in one pass when
// the line is plain: five decimal integers (an optional minus sign, at most
// 18 digits) separated by spaces or tabs, then at most spaces, tabs and a
// carriage return, with every value in range (nodes 1..n, bounds 0 ≤ LOW ≤
// CAP ≤ MaxValue, |COST| ≤ MaxValue). Any other line (a plus sign, other
// white space, an error) gives false and is read field by field, which
// reads the same values from a plain line or reports what is wrong.
func plainArc(b []byte, n int64) (Arc, bool) {
	var v [5]int64
	i := 0
	for f := range v {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		neg := i < len(b) && b[i] == '-'
		if neg {
			i++
		}
		start := i
		var x int64
		for i < len(b) && b[i]-'0' <= 9 {
			x = x*10 + int64(b[i]-'0')
			i++
		}
		if i == start || i-start > 18 || (i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
			return Arc{}, false
		}
		if neg {
			x = -x
		}
		v[f] = x
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	if i != len(b) || v[0] < 1 || v[0] > n || v[1] < 1 || v[1] > n ||
		v[2] < 0 || v[3] < v[2] || v[3] > MaxValue || v[4] < -MaxValue || v[4] > MaxValue {
		return Arc{}, false
	}
	return Arc{From: int(v[0] - 1), To: int(v[1] - 1), Low: v[2], Cap: v[3], Cost: v[4]}, true
}

// fieldCount reports an arc line with the wrong number of fields ahead of
// err, the first bad field, so that the message says what is wrong first.
func (p *dimacsParser) fieldCount(line []byte, err error) error {
	if n := fieldsIn(line); n != 6 {
		return p.errf("arc line has %d fields, want \"a SRC DST LOW CAP COST\"", n)
	}
	return err
}

// WriteDIMACS writes g in the DIMACS minimum-cost flow format that
// [ParseDIMACS] reads, with the given comment lines first.
func WriteDIMACS(w io.Writer, g *Network, comments ...string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	for _, c := range comments {
		for _, l := range strings.Split(c, "\n") {
			fmt.Fprintf(bw, "c %s\n", l)
		}
	}
	fmt.Fprintf(bw, "p min %d %d\n", len(g.supply), len(g.arcs))
	for v, b := range g.supply {
		if b != 0 {
			fmt.Fprintf(bw, "n %d %d\n", v+1, b)
		}
	}
	buf := make([]byte, 0, 64)
	for _, a := range g.arcs {
		buf = append(buf[:0], "a "...)
		buf = strconv.AppendInt(buf, int64(a.From+1), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(a.To+1), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, a.Low, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, a.Cap, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, a.Cost, 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// Network returns the assignment as a flow network: node 1 the sink, then
// one node per need (supply 1), then one per provider; arcs from each need
// to its providers, from each need with a penalty to the sink, and from each
// provider with a capacity to the sink. [Network.Assignment] recognises it.
func (a *Assignment) Network() *Network {
	g := NewNetwork(1 + a.needs + a.providers)
	g.supply[0] = -int64(a.needs)
	for i := 0; i < a.needs; i++ {
		g.supply[1+i] = 1
	}
	g.arcs = make([]Arc, 0, len(a.arcs)+a.needs+a.providers)
	for _, e := range a.arcs {
		g.arcs = append(g.arcs, Arc{From: 1 + int(e.need), To: 1 + a.needs + int(e.provider), Cap: 1, Cost: e.cost})
	}
	for i := 0; i < a.needs; i++ {
		if a.hasPenalty[i] {
			g.arcs = append(g.arcs, Arc{From: 1 + i, To: 0, Cap: 1, Cost: a.penalty[i]})
		}
	}
	for p, c := range a.capacity {
		if c > 0 {
			g.arcs = append(g.arcs, Arc{From: 1 + a.needs + p, To: 0, Cap: c})
		}
	}
	return g
}
