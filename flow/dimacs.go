package flow

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

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
// the first one.
func ParseDIMACS(r io.Reader) (*Network, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var g *Network
	var wantArcs, line int
	errf := func(format string, args ...any) error {
		return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	num := func(s, what string, lo, hi int64) (int64, error) {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, errf("%s %q is not an integer", what, s)
		}
		if v < lo || v > hi {
			return 0, errf("%s %d out of range [%d, %d]", what, v, lo, hi)
		}
		return v, nil
	}
	seenSupply := map[int]bool{}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] == "c" {
			continue
		}
		switch f[0] {
		case "p":
			if g != nil {
				return nil, errf("second problem line")
			}
			if len(f) != 4 {
				return nil, errf("problem line has %d fields, want \"p min NODES ARCS\"", len(f))
			}
			if f[1] != "min" {
				return nil, errf("problem type %q, want \"min\"", f[1])
			}
			n, err := num(f[2], "node count", 0, MaxNodes)
			if err != nil {
				return nil, err
			}
			m, err := num(f[3], "arc count", 0, 1<<40)
			if err != nil {
				return nil, err
			}
			g = NewNetwork(int(n))
			g.arcs = make([]Arc, 0, min(m, 1<<20))
			wantArcs = int(m)
		case "n":
			if g == nil {
				return nil, errf("node line before the problem line")
			}
			if len(f) != 3 {
				return nil, errf("node line has %d fields, want \"n ID FLOW\"", len(f))
			}
			id, err := num(f[1], "node", 1, int64(g.NumNodes()))
			if err != nil {
				return nil, err
			}
			b, err := num(f[2], "supply", -MaxValue, MaxValue)
			if err != nil {
				return nil, err
			}
			if seenSupply[int(id)] {
				return nil, errf("node %d given twice", id)
			}
			seenSupply[int(id)] = true
			g.supply[id-1] = b
		case "a":
			if g == nil {
				return nil, errf("arc line before the problem line")
			}
			if len(f) != 6 {
				return nil, errf("arc line has %d fields, want \"a SRC DST LOW CAP COST\"", len(f))
			}
			if len(g.arcs) == wantArcs {
				return nil, errf("more arc lines than the %d declared", wantArcs)
			}
			n := int64(g.NumNodes())
			u, err := num(f[1], "source node", 1, n)
			if err != nil {
				return nil, err
			}
			v, err := num(f[2], "target node", 1, n)
			if err != nil {
				return nil, err
			}
			lo, err := num(f[3], "lower bound", 0, MaxValue)
			if err != nil {
				return nil, err
			}
			c, err := num(f[4], "capacity", 0, MaxValue)
			if err != nil {
				return nil, err
			}
			if c < lo {
				return nil, errf("capacity %d below lower bound %d", c, lo)
			}
			cost, err := num(f[5], "cost", -MaxValue, MaxValue)
			if err != nil {
				return nil, err
			}
			g.arcs = append(g.arcs, Arc{From: int(u - 1), To: int(v - 1), Low: lo, Cap: c, Cost: cost})
		default:
			return nil, errf("unknown line type %q (want c, p, n or a)", f[0])
		}
	}
	if err := sc.Err(); err != nil {
		line++
		return nil, errf("%v", err)
	}
	if g == nil {
		return nil, &SyntaxError{Line: max(line, 1), Msg: "no problem line \"p min NODES ARCS\""}
	}
	if len(g.arcs) != wantArcs {
		return nil, &SyntaxError{Line: max(line, 1), Msg: fmt.Sprintf("%d arc lines, %d declared", len(g.arcs), wantArcs)}
	}
	return g, nil
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
