package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the README's command list from the command tree")

const (
	readmeBegin = "<!-- BEGIN commands: generated from the command tree by `go test ./cmd/fulcrum -run TestREADMECommands -update` -->\n"
	readmeEnd   = "<!-- END commands -->\n"
)

// commandTable is the README's list of commands: every command of the tree
// with its arguments, what it does and its output formats.
func commandTable() string {
	root := newRootCmd(&env{stdout: io.Discard, stderr: io.Discard})
	root.InitDefaultCompletionCmd()
	var b strings.Builder
	b.WriteString("| command | what it does | --format |\n| --- | --- | --- |\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			if !s.IsAvailableCommand() || s.Name() == "help" {
				continue
			}
			if s.HasAvailableSubCommands() {
				walk(s)
				continue
			}
			formats := ""
			if f := s.Flags().Lookup("format"); f != nil {
				if ff, ok := f.Value.(*formatFlag); ok {
					formats = strings.Join(ff.allowed, ", ")
				}
			}
			use := strings.TrimSuffix(s.UseLine(), " [flags]")
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", strings.ReplaceAll(use, "|", `\|`), s.Short, formats)
		}
	}
	walk(root)
	return b.String()
}

// The README lists exactly the commands the tool has.
func TestREADMECommands(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	readme := string(b)
	i, j := strings.Index(readme, readmeBegin), strings.Index(readme, readmeEnd)
	require.True(t, i >= 0 && j > i, "README.md has no %q ... %q section", readmeBegin, readmeEnd)
	got, want := readme[i+len(readmeBegin):j], commandTable()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(readme[:i+len(readmeBegin)]+want+readme[j:]), 0o644))
		return
	}
	require.Equal(t, want, got, "the README's command list differs from the command tree: run go test ./cmd/fulcrum -run TestREADMECommands -update")
}
