package apidoc_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// packageDirs returns every directory of the module holding Go files,
// skipping testdata and hidden directories.
func packageDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if m, _ := filepath.Glob(filepath.Join(path, "*.go")); len(m) > 0 {
				dirs = append(dirs, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func TestExportedIdentifiersAreDocumented(t *testing.T) {
	root := moduleRoot(t)
	for _, dir := range packageDirs(t, root) {
		fset := token.NewFileSet()
		pkgs, err := parsePackages(fset, dir, func(name string) bool {
			return !strings.HasSuffix(name, "_test.go")
		}, parser.ParseComments)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		for name, files := range pkgs {
			if name == "main" {
				continue
			}
			hasPkgDoc := false
			for _, f := range files {
				if f.Doc != nil {
					hasPkgDoc = true
				}
				for _, missing := range undocumented(f) {
					t.Errorf("%s: exported %s has no doc comment", fset.Position(missing.Pos()), missing.Name)
				}
			}
			if !hasPkgDoc {
				rel, _ := filepath.Rel(root, dir)
				t.Errorf("%s: package %s has no package comment", rel, name)
			}
		}
	}
}

// parsePackages parses the .go files of dir that keep (nil: all) accepts,
// by package name, as go/parser.ParseDir did before its deprecation.
func parsePackages(fset *token.FileSet, dir string, keep func(name string) bool, mode parser.Mode) (map[string][]*ast.File, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	pkgs := map[string][]*ast.File{}
	for _, name := range names {
		if keep != nil && !keep(filepath.Base(name)) {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, mode)
		if err != nil {
			return nil, err
		}
		pkgs[f.Name.Name] = append(pkgs[f.Name.Name], f)
	}
	return pkgs, nil
}

// undocumented returns the exported top-level identifiers of f that have no
// doc comment. A member of a grouped const or var declaration is covered by
// the group's comment; methods count when their receiver type is exported.
func undocumented(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv != nil && !exportedReceiver(d.Recv) {
				continue
			}
			out = append(out, d.Name)
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			grouped := d.Lparen.IsValid() && d.Doc != nil
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && d.Doc == nil {
						out = append(out, s.Name)
					}
				case *ast.ValueSpec:
					if grouped || s.Doc != nil || s.Comment != nil || d.Doc != nil {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							out = append(out, n)
						}
					}
				}
			}
		}
	}
	return out
}

func exportedReceiver(recv *ast.FieldList) bool {
	if len(recv.List) == 0 {
		return false
	}
	typ := recv.List[0].Type
	for {
		switch x := typ.(type) {
		case *ast.StarExpr:
			typ = x.X
		case *ast.IndexExpr:
			typ = x.X
		case *ast.IndexListExpr:
			typ = x.X
		case *ast.Ident:
			return x.IsExported()
		default:
			return false
		}
	}
}

// TestLibraryPackagesHaveExamples checks that every library package (not
// commands, not internal packages, which users cannot import, and not
// conformance suites, which are test helpers themselves) has a
// runnable example: a func Example... in a _test.go file with an "// Output:"
// comment.
func TestLibraryPackagesHaveExamples(t *testing.T) {
	root := moduleRoot(t)
	for _, dir := range packageDirs(t, root) {
		rel, _ := filepath.Rel(root, dir)
		if slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "internal") {
			continue
		}
		fset := token.NewFileSet()
		pkgs, err := parsePackages(fset, dir, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		library := false
		for name := range pkgs {
			if name != "main" && !strings.HasSuffix(name, "_test") && !strings.HasSuffix(name, "test") && name != "apidoc" {
				library = true
			}
		}
		if !library {
			continue
		}
		tests, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		found := false
		for _, file := range tests {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") {
					continue
				}
				for _, cg := range f.Comments {
					if cg.Pos() > fn.Body.Lbrace && cg.End() <= fn.Body.Rbrace &&
						(strings.HasPrefix(cg.Text(), "Output:") || strings.HasPrefix(cg.Text(), "Unordered output:")) {
						found = true
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: no runnable Example with // Output:", rel)
		}
	}
}
