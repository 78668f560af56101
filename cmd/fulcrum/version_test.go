package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// What "fulcrum version" and "--version" print for each kind of build, from
// the build information the toolchain records (as measured with Go 1.26:
// go build, go run and go install in a checkout at the tag v0.1.0 all
// record v0.1.0 and the revision).
func TestVersionOf(t *testing.T) {
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "d1fd573955b597b67fbbd2cd9d7ec2a6af24232b"},
			{Key: "vcs.time", Value: "2026-12-01T11:37:41Z"}, {Key: "vcs.modified", Value: modified}}
	}
	info := func(version string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/fulcrum-edu/fulcrum", Version: version}, Settings: settings}
	}
	for _, c := range []struct {
		name  string
		bi    *debug.BuildInfo
		line  string // --version
		table string // version
	}{
		{"checkout at the tag", info("v0.1.0", vcs("false")),
			"fulcrum v0.1.0 (revision d1fd573955b597b67fbbd2cd9d7ec2a6af24232b) go1.26.8",
			"fulcrum v0.1.0\nmodule   github.com/fulcrum-edu/fulcrum\nrevision d1fd573955b597b67fbbd2cd9d7ec2a6af24232b\ntime     2026-12-01T11:37:41Z\ngo       go1.26.8\n"},
		{"uncommitted changes", info("v0.1.0+dirty", vcs("true")),
			"fulcrum v0.1.0+dirty (revision d1fd573955b597b67fbbd2cd9d7ec2a6af24232b, modified) go1.26.8",
			"fulcrum v0.1.0+dirty\nmodule   github.com/fulcrum-edu/fulcrum\nrevision d1fd573955b597b67fbbd2cd9d7ec2a6af24232b (modified: uncommitted changes)\ntime     2026-12-01T11:37:41Z\ngo       go1.26.8\n"},
		{"a commit after the tag", info("v0.1.1-0.20261201113741-d1fd573955b5", vcs("false")),
			"fulcrum v0.1.1-0.20261201113741-d1fd573955b5 (revision d1fd573955b597b67fbbd2cd9d7ec2a6af24232b) go1.26.8", ""},
		{"go install ...@v0.1.0", info("v0.1.0", nil),
			"fulcrum v0.1.0 go1.26.8",
			"fulcrum v0.1.0\nmodule   github.com/fulcrum-edu/fulcrum\nrevision (not recorded: built from the module's source without VCS information, as go install ...@v0.1.0 does)\ngo       go1.26.8\n"},
		{"-buildvcs=false", info("(devel)", nil),
			"fulcrum (devel) go1.26.8",
			"fulcrum (devel)\nmodule   github.com/fulcrum-edu/fulcrum\nrevision (not recorded: built without VCS information, so the version is unknown; build in a git checkout without -buildvcs=false)\ngo       go1.26.8\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := versionOf(c.bi)
			assert.Equal(t, c.line, v.line())
			if c.table != "" {
				assert.Equal(t, c.table, v.table())
			}
		})
	}
}
