// Package mcfcmd is the command that solves a DIMACS minimum-cost flow
// problem: it reads the file, solves it with [flow.Network.Solve] (or
// [flow.Network.SolveGeneral]) and writes the optimal cost and flow. It is
// the body of both "fulcrum broker solve" and the lean fulcrum-mcf, which
// gives the same output byte for byte.
//
// fulcrum-mcf exists because of the process, not the solver: the all-in-one
// fulcrum binary is about 54 MB, and merely starting it (its runtime,
// package initialisation, and the pages of text and read-only data that
// start-up touches) costs about 4 ms of CPU and 22 MB of peak resident
// memory before any flow is read. A binary that links only this package,
// package flow and a few standard packages starts in about 1 ms at about
// 2 MB. So the package imports nothing heavier than flow does: no cobra,
// no encoding/json (the JSON is written by hand, in exactly the bytes
// encoding/json's indented encoder gives; see [Formats]).
package mcfcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/fulcrum-edu/fulcrum/flow"

	"github.com/fulcrum-edu/fulcrum/internal/limitfile"
)

// Formats are the output formats, the default first: "dimacs", the DIMACS
// solution format ("s COST", then "f SRC DST FLOW" for every arc with
// flow, in the file's arc order), and "json", the same as
//
//	{"cost": COST, "arcs": [{"from": SRC, "to": DST, "flow": FLOW}, ...]}
//
// indented by two spaces, byte for byte as encoding/json's Encoder with
// SetIndent("", "  ") writes it ("arcs" is [] when no arc has flow).
func Formats() []string { return []string{"dimacs", "json"} }

// MaxFileBytes caps the DIMACS file read, as the fulcrum tool caps every
// data file it opens itself.
const MaxFileBytes = 1 << 30

// ErrUsage is what the error of options that are a command-line mistake
// (no file, an unknown format) matches with errors.Is; its message is the
// mistake alone ("--dimacs FILE is required").
var ErrUsage = errors.New("usage")

type usageError string

func (e usageError) Error() string        { return string(e) }
func (e usageError) Is(target error) bool { return target == ErrUsage }

// ErrTooLarge is returned, wrapped with the file's name and the limit,
// when the file is larger than [MaxFileBytes].
var ErrTooLarge = limitfile.ErrTooLarge

// Options say what [Run] reads and writes.
type Options struct {
	// File is the DIMACS file to read; "-" reads Run's stdin.
	File string
	// General sends every problem to the general solver (the network
	// simplex), even one of the assignment shape.
	General bool
	// Format is one of [Formats]; "" is the first, "dimacs".
	Format string
}

// Run reads the problem named by opts, solves it and writes the solution
// to stdout. A syntax error in the file is reported as "FILE:LINE: msg";
// an infeasible or invalid network as flow's error (flow.ErrInfeasible,
// flow.ErrInvalid); ctx's error when ctx ends first; the first error
// writing stdout. Nothing is written unless the problem was solved.
//
// Run disables the garbage collector while it runs unless GOGC is set in
// the environment (GOMEMLIMIT still bounds the heap): its heap is the
// problem and its solution, live until it returns, so periodic collection
// only costs time (measured on the bench/mcf instances g5000,
// 5000x3000-tight and 20000x10000-loose, 7 interleaved runs: peak memory 1
// MB lower without it and median CPU time 2-9 % lower).
func Run(ctx context.Context, opts Options, stdin io.Reader, stdout io.Writer) error {
	if opts.File == "" {
		return usageError("--dimacs FILE is required")
	}
	switch opts.Format {
	case "":
		opts.Format = "dimacs"
	case "dimacs", "json":
	default:
		return usageError(fmt.Sprintf("--format %q: want dimacs or json", opts.Format))
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	g, err := read(opts.File, stdin)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil { // reading a large file takes a while
		return err
	}
	var f *flow.Flow
	if opts.General {
		f, err = g.SolveGeneral(ctx)
	} else {
		f, err = g.Solve(ctx)
	}
	if err != nil {
		return err
	}
	w := newWriter(stdout, g.NumArcs())
	if opts.Format == "json" {
		writeJSON(w, g, f)
	} else {
		writeDIMACS(w, g, f)
	}
	return w.flush()
}

// read parses the DIMACS file name, or stdin for "-".
func read(name string, stdin io.Reader) (*flow.Network, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := limitfile.Open(name, MaxFileBytes)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	g, err := flow.ParseDIMACS(r)
	var se *flow.SyntaxError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d: %s", name, se.Line, se.Msg)
	}
	return g, err
}

// writer buffers the output and keeps the first write error.
type writer struct {
	w   io.Writer
	buf []byte
	err error
}

// newWriter returns a writer whose buffer suits a solution of up to arcs
// arcs with flow (about 20 bytes each), at most 64 KiB.
func newWriter(w io.Writer, arcs int) *writer {
	return &writer{w: w, buf: make([]byte, 0, max(maxLine, min(1<<16, 64+24*arcs)))}
}

// room flushes the buffer when fewer than n bytes are free.
func (w *writer) room(n int) {
	if cap(w.buf)-len(w.buf) < n {
		w.flush()
	}
}

func (w *writer) flush() error {
	if w.err == nil && len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return w.err
}

// maxLine is more than the longest line either format writes for one arc.
const maxLine = 128

// writeDIMACS writes f in the DIMACS solution format.
func writeDIMACS(w *writer, g *flow.Network, f *flow.Flow) {
	w.buf = append(w.buf, "s "...)
	w.buf = strconv.AppendInt(w.buf, f.Cost, 10)
	w.buf = append(w.buf, '\n')
	for k, x := range f.Arcs {
		if x == 0 {
			continue
		}
		w.room(maxLine)
		a := g.Arc(k)
		b := append(w.buf, "f "...)
		b = strconv.AppendInt(b, int64(a.From+1), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(a.To+1), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, x, 10)
		w.buf = append(b, '\n')
	}
}

// writeJSON writes f in the json format.
func writeJSON(w *writer, g *flow.Network, f *flow.Flow) {
	w.buf = append(w.buf, "{\n  \"cost\": "...)
	w.buf = strconv.AppendInt(w.buf, f.Cost, 10)
	w.buf = append(w.buf, ",\n  \"arcs\": ["...)
	first := true
	for k, x := range f.Arcs {
		if x == 0 {
			continue
		}
		w.room(maxLine)
		a := g.Arc(k)
		b := w.buf
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n    {\n      \"from\": "...)
		b = strconv.AppendInt(b, int64(a.From+1), 10)
		b = append(b, ",\n      \"to\": "...)
		b = strconv.AppendInt(b, int64(a.To+1), 10)
		b = append(b, ",\n      \"flow\": "...)
		b = strconv.AppendInt(b, x, 10)
		w.buf = append(b, "\n    }"...)
	}
	if !first {
		w.buf = append(w.buf, "\n  "...)
	}
	w.buf = append(w.buf, "]\n}\n"...)
}
