package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// buildVersion is what "fulcrum version" reports, read from the build
// information the Go toolchain embeds in the binary.
type buildVersion struct {
	Module    string `json:"module"`
	Version   string `json:"version"`
	Revision  string `json:"revision,omitempty"`
	Time      string `json:"time,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"go_version"`
}

// readVersion returns what the toolchain recorded of this binary's build.
func readVersion() buildVersion {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return buildVersion{Module: "github.com/fulcrum-edu/fulcrum", Version: "(unknown)"}
	}
	return versionOf(bi)
}

// versionOf reads the module version and VCS revision from bi. Since Go
// 1.24 (go.mod asks for 1.25) a build in a git checkout with VCS stamping
// on (go build, go install and go run; the default unless -buildvcs=false)
// takes the main module's version from the tags: v0.1.0 at the commit
// tagged v0.1.0, v0.1.0+dirty with uncommitted changes, a pseudo-version
// such as v0.1.1-0.20261202093000-abcdef123456 at a later commit, with
// the revision. "go install github.com/fulcrum-edu/fulcrum/cmd/fulcrum@v0.1.0"
// gives v0.1.0 without a revision (the module proxy's zip has no VCS);
// a build without VCS information gives "(devel)".
func versionOf(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Module: "github.com/fulcrum-edu/fulcrum", Version: "(unknown)", GoVersion: bi.GoVersion}
	if bi.Main.Path != "" {
		v.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// versionLine is the one line of "fulcrum --version".
func versionLine() string { return readVersion().line() }

// line is the one line of "fulcrum --version".
func (v buildVersion) line() string {
	s := "fulcrum " + v.Version
	if v.Revision != "" {
		s += " (revision " + v.Revision
		if v.Modified {
			s += ", modified"
		}
		s += ")"
	}
	if v.GoVersion != "" {
		s += " " + v.GoVersion
	}
	return s
}

func newVersionCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "version",
		Short: "print the module version and VCS revision this binary was built from",
		Args:  noArgs,
	}
	f := addFormat(c, "table", "json")
	c.RunE = func(*cobra.Command, []string) error {
		v := readVersion()
		if f.value == "json" {
			return writeJSON(e.stdout, v)
		}
		_, err := io.WriteString(e.stdout, v.table())
		return err
	}
	return c
}

// table is the text of "fulcrum version".
func (v buildVersion) table() string {
	rev := v.Revision
	switch {
	case rev == "" && !strings.HasPrefix(v.Version, "v"):
		rev = "(not recorded: built without VCS information, so the version is unknown; build in a git checkout without -buildvcs=false)"
	case rev == "":
		rev = "(not recorded: built from the module's source without VCS information, as go install ...@" + v.Version + " does)"
	case v.Modified:
		rev += " (modified: uncommitted changes)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fulcrum %s\nmodule   %s\nrevision %s\n", v.Version, v.Module, rev)
	if v.Time != "" {
		fmt.Fprintf(&b, "time     %s\n", v.Time)
	}
	fmt.Fprintf(&b, "go       %s\n", v.GoVersion)
	return b.String()
}
