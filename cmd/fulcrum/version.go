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

// readVersion returns the module version ("(devel)" for a build from a
// checkout, vX.Y.Z for "go install ...@vX.Y.Z") and the VCS revision when
// the binary was built with VCS stamping (the default for go build in a
// git checkout; -buildvcs=false or "go run" leave it out).
func readVersion() buildVersion {
	v := buildVersion{Module: "github.com/fulcrum-edu/fulcrum", Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.GoVersion = bi.GoVersion
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
func versionLine() string {
	v := readVersion()
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
		rev := v.Revision
		if rev == "" {
			rev = "(not stamped: built with -buildvcs=false or go run)"
		} else if v.Modified {
			rev += " (modified)"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "fulcrum %s\nmodule   %s\nrevision %s\n", v.Version, v.Module, rev)
		if v.Time != "" {
			fmt.Fprintf(&b, "time     %s\n", v.Time)
		}
		fmt.Fprintf(&b, "go       %s\n", v.GoVersion)
		_, err := io.WriteString(e.stdout, b.String())
		return err
	}
	return c
}
