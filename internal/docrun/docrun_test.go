package docrun_test

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// moduleRoot is the module's directory: a test runs in its package's
// directory, internal/docrun.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}

// block is one fenced code block of a Markdown page.
type block struct {
	lang string // the info string's first word: go, sh, text
	info string // the whole info string
	text string // the content, without the block's indentation
	line int    // the line of the opening fence, 1-based
}

// blocks returns the fenced code blocks of a Markdown page in order.
func blocks(md string) ([]block, error) {
	var out []block
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimLeft(lines[i], " ")
		if !strings.HasPrefix(trimmed, "```") {
			continue
		}
		indent := len(lines[i]) - len(trimmed)
		b := block{info: strings.TrimSpace(trimmed[3:]), line: i + 1}
		if f := strings.Fields(b.info); len(f) > 0 {
			b.lang = f[0]
		}
		var text strings.Builder
		closed := false
		for i++; i < len(lines); i++ {
			l := lines[i]
			if strings.HasPrefix(strings.TrimLeft(l, " "), "```") {
				closed = true
				break
			}
			if len(l) >= indent && strings.TrimSpace(l[:indent]) == "" {
				l = l[indent:]
			} else {
				l = strings.TrimLeft(l, " ")
			}
			text.WriteString(l)
			text.WriteByte('\n')
		}
		if !closed {
			return nil, fmt.Errorf("line %d: the block is not closed", b.line)
		}
		b.text = text.String()
		out = append(out, b)
	}
	return out, nil
}

// program is a Go program of a page: the blocks from one with a package
// clause up to the next, and the output it must print, if the page says.
type program struct {
	line   int
	src    strings.Builder
	output *block
}

// script is a sh block: the lines run by bash, and the Go commands checked.
type script struct {
	line   int
	bash   []string
	checks []goCommand
}

// goCommand is a Go command of a sh block, checked rather than run.
type goCommand struct {
	line int
	args []string
}

// page is what the test takes from one Markdown file.
type page struct {
	programs []*program
	scripts  []script
	// table holds the `go test ...` commands quoted in table rows (the
	// performance figures' commands), checked as a sh block's are.
	table []goCommand
}

var inlineGoTest = regexp.MustCompile("`(go test [^`]+)`")

var packageClause = regexp.MustCompile(`(?m)^package [a-z]+\s*$`)

func parse(md string) (page, error) {
	bs, err := blocks(md)
	if err != nil {
		return page{}, err
	}
	var p page
	for i, l := range strings.Split(md, "\n") {
		if !strings.HasPrefix(l, "|") {
			continue
		}
		for _, m := range inlineGoTest.FindAllStringSubmatch(l, -1) {
			args, err := words(m[1])
			if err != nil {
				return p, fmt.Errorf("line %d: %v", i+1, err)
			}
			p.table = append(p.table, goCommand{line: i + 1, args: args})
		}
	}
	var cur *program
	for _, b := range bs {
		switch {
		case b.lang == "go":
			if packageClause.MatchString(b.text) {
				cur = &program{line: b.line}
				p.programs = append(p.programs, cur)
			} else if cur == nil || cur.output != nil {
				return p, fmt.Errorf("line %d: a Go block with no package clause and no program before it to continue", b.line)
			} else {
				cur.src.WriteByte('\n')
			}
			cur.src.WriteString(b.text)
		case b.lang == "text" && strings.Contains(b.info, "output"):
			if cur == nil || cur.output != nil {
				return p, fmt.Errorf("line %d: an output block with no program before it", b.line)
			}
			cur.output = &b
		case b.lang == "sh" || b.lang == "bash":
			s, err := splitScript(b)
			if err != nil {
				return p, err
			}
			p.scripts = append(p.scripts, s)
		}
	}
	return p, nil
}

// splitScript sorts a sh block's commands into those bash runs and the Go
// commands the test checks.
func splitScript(b block) (script, error) {
	s := script{line: b.line}
	lines := strings.Split(strings.TrimSuffix(b.text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		at := b.line + 1 + i
		logical := lines[i]
		for strings.HasSuffix(logical, `\`) && i+1 < len(lines) {
			i++
			logical = strings.TrimRight(strings.TrimSuffix(logical, `\`), " ") + " " + strings.TrimSpace(lines[i])
		}
		cmd := strings.TrimSpace(logical)
		if c := strings.Index(cmd, " #"); c >= 0 && !strings.ContainsAny(cmd[:c], `'"`) {
			cmd = strings.TrimSpace(cmd[:c])
		}
		switch {
		case strings.HasPrefix(cmd, "go run ./cmd/fulcrum"):
			s.bash = append(s.bash, "fulcrum"+strings.TrimPrefix(cmd, "go run ./cmd/fulcrum"))
		case strings.HasPrefix(cmd, "go "):
			args, err := words(cmd)
			if err != nil {
				return s, fmt.Errorf("line %d: %v", at, err)
			}
			s.checks = append(s.checks, goCommand{line: at, args: args})
		case cmd == "bash .ci/run":
			s.checks = append(s.checks, goCommand{line: at, args: []string{"bash", ".ci/run"}})
		default:
			s.bash = append(s.bash, logical)
		}
	}
	return s, nil
}

// words splits a command line into words as a shell would, for the simple
// quoting the documents use ('...' and "...").
func words(line string) ([]string, error) {
	var out []string
	var w strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			w.WriteByte(c)
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed quote in %q", line)
	}
	if in {
		out = append(out, w.String())
	}
	return out, nil
}

// pages returns README.md and the pages of docs/, relative to root.
func pages(t *testing.T, root string) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{"README.md"}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		out = append(out, rel)
	}
	return out
}

// TestDocsRun compiles and runs every Go program and every command of the
// README and of docs/.
func TestDocsRun(t *testing.T) {
	root := moduleRoot(t)
	shared := filepath.Join(filepath.Dir(root), "shared")
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "fulcrum"), "./cmd/fulcrum")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/fulcrum: %v\n%s", err, out)
	}
	ci, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pages(t, root) {
		t.Run(name, func(t *testing.T) {
			md, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			p, err := parse(string(md))
			if err != nil {
				t.Fatalf("%s:%v", name, err)
			}
			for _, c := range p.table {
				t.Run(fmt.Sprintf("table:%d", c.line), func(t *testing.T) {
					t.Parallel()
					checkGo(t, root, string(ci), fmt.Sprintf("%s:%d", name, c.line), c.args)
				})
			}
			if len(p.programs)+len(p.scripts) == 0 {
				t.Fatalf("%s has no Go program and no command to check", name)
			}
			for _, prog := range p.programs {
				t.Run(fmt.Sprintf("go:%d", prog.line), func(t *testing.T) {
					t.Parallel()
					runProgram(t, root, name, prog)
				})
			}
			for _, s := range p.scripts {
				t.Run(fmt.Sprintf("sh:%d", s.line), func(t *testing.T) {
					t.Parallel()
					for _, c := range s.checks {
						checkGo(t, root, string(ci), fmt.Sprintf("%s:%d", name, c.line), c.args)
					}
					runScript(t, root, shared, bin, fmt.Sprintf("%s:%d", name, s.line), s.bash)
				})
			}
		})
	}
}

// TestREADMEHasATour keeps the README's promise: a Go tour with its output
// and commands on the fulcrum tool, the first two of them the ones a new
// user runs.
func TestREADMEHasATour(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(moduleRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := parse(string(md))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.programs) == 0 || p.programs[0].output == nil {
		t.Fatal("README.md: the first Go program (the tour) has no ```text output block")
	}
	if len(p.scripts) == 0 {
		t.Fatal("README.md has no sh block")
	}
	first := p.scripts[0]
	if len(first.bash) == 0 || first.bash[0] != "fulcrum network stats" ||
		len(first.checks) == 0 || strings.Join(first.checks[0].args, " ") != "go test ./..." {
		t.Fatalf("README.md:%d: the first sh block must be `go run ./cmd/fulcrum network stats` then `go test ./...`", first.line)
	}
	// Every example is listed, with the command that runs it.
	examples, err := filepath.Glob(filepath.Join(moduleRoot(t), "examples", "*", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range examples {
		run := "go run ./examples/" + filepath.Base(filepath.Dir(e))
		if !strings.Contains(string(md), "`"+run+"`") {
			t.Errorf("README.md does not list `%s`", run)
		}
	}
}

func runProgram(t *testing.T, root, name string, prog *program) {
	src := prog.src.String()
	formatted, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("%s:%d: the program does not parse: %v", name, prog.line, err)
	}
	if string(formatted) != src {
		t.Errorf("%s:%d: the program is not gofmt-formatted; gofmt gives:\n%s", name, prog.line, formatted)
	}
	dir := t.TempDir()
	main := filepath.Join(dir, "main.go")
	if err := os.WriteFile(main, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "prog")
	build := exec.Command("go", "build", "-o", exe, main)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s:%d: the program does not compile: %v\n%s", name, prog.line, err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, exe)
	run.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("%s:%d: the program fails: %v\n%s%s", name, prog.line, err, stdout.String(), stderr.String())
	}
	if prog.output != nil && stdout.String() != prog.output.text {
		t.Errorf("%s:%d: the program's output differs from the page's output block at line %d\npage:\n%s\nprogram:\n%s",
			name, prog.line, prog.output.line, prog.output.text, stdout.String())
	}
}

var ciTest = regexp.MustCompile(`(?m)^go test( -[-a-z0-9=]+)* \./\.\.\.$`)

// checkGo checks a Go command of a sh block without running it.
func checkGo(t *testing.T, root, ci, at string, args []string) {
	t.Helper()
	line := strings.Join(args, " ")
	switch {
	case line == "bash .ci/run":
		if _, err := os.Stat(filepath.Join(root, ".ci", "run")); err != nil {
			t.Errorf("%s: %v", at, err)
		}
	case (args[1] == "build" || args[1] == "install") && args[len(args)-1] == "./cmd/fulcrum":
		// The binary the test built and runs.
	case args[1] == "run" && len(args) == 3 && strings.HasPrefix(args[2], "./examples/"):
		if _, err := os.Stat(filepath.Join(root, args[2], "main.go")); err != nil {
			t.Errorf("%s: %s names no example: %v", at, line, err)
		}
	case line == "go test ./...":
		if !ciTest.MatchString(ci) {
			t.Errorf("%s: .ci/run does not run `go test ./...`", at)
		}
	case args[1] == "test":
		listTests(t, root, at, args[2:])
	default:
		t.Errorf("%s: the test does not know how to check %q", at, line)
	}
}

// listTests checks that a go test command selects at least one test or
// benchmark in each package it names, by reading the package's test files.
func listTests(t *testing.T, root, at string, args []string) {
	t.Helper()
	pattern, bench := "", ""
	var pkgs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-run" || a == "-bench":
			if i+1 == len(args) {
				t.Errorf("%s: %s has no value", at, a)
				return
			}
			if a == "-run" {
				pattern = args[i+1]
			} else {
				bench = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "-run="):
			pattern = strings.TrimPrefix(a, "-run=")
		case strings.HasPrefix(a, "-bench="):
			bench = strings.TrimPrefix(a, "-bench=")
		case a == "-benchtime" || a == "-count" || a == "-cpu" || a == "-fuzztime" || a == "-fuzz" || a == "-timeout":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			pkgs = append(pkgs, a)
		}
	}
	if bench != "" {
		pattern = bench
	}
	if pattern == "" || len(pkgs) == 0 {
		t.Errorf("%s: go test %s: want -run or -bench and a package", at, strings.Join(args, " "))
		return
	}
	// go test matches each level of a pattern split at "/" against that
	// level's names; a top-level function matching the first level is
	// what selects anything at all.
	top, err := regexp.Compile(strings.SplitN(pattern, "/", 2)[0])
	if err != nil {
		t.Errorf("%s: %q: %v", at, pattern, err)
		return
	}
	for _, pkg := range pkgs {
		files, err := filepath.Glob(filepath.Join(root, pkg, "*_test.go"))
		if err != nil || len(files) == 0 {
			t.Errorf("%s: %s has no test files", at, pkg)
			continue
		}
		found := false
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range testFunc.FindAllSubmatch(src, -1) {
				found = found || top.MatchString(string(m[1]))
			}
		}
		if !found {
			t.Errorf("%s: %q selects nothing in %s", at, pattern, pkg)
		}
	}
}

var testFunc = regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Example|Fuzz)\w*)\(`)

// runScript runs a sh block's bash lines in a scratch directory that links
// to the module's top-level entries.
func runScript(t *testing.T, root, shared, bin, at string, lines []string) {
	t.Helper()
	text := strings.Join(lines, "\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	if strings.Contains(text, "../shared") {
		if _, err := os.Stat(shared); err != nil {
			t.Logf("%s: not run: it reads ../shared, and %s is missing", at, shared)
			return
		}
		text = strings.ReplaceAll(text, "../shared", shared)
	}
	work := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(work, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(bin, "fulcrum"), filepath.Join(work, "fulcrum")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -euo pipefail\n"+text)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("%s: the commands fail: %v\n%s\n--- output:\n%s", at, err, text, out.String())
	}
}
