package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

// --format is checked after the flags are parsed, so an unknown value is a
// usage error rather than silently printing the default format.
func TestBrokerRejectsUnknownFormat(t *testing.T) {
	for _, args := range [][]string{
		{"broker", "match", "--england", "--format", "xml"},
		{"broker", "gaps", "--england", "--format", "xml"},
		{"broker", "solve", "--dimacs", "x.min", "--format", "yaml"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), &env{stdout: &out, stderr: &errb}, args)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, errb.String(), "--format", "%v", args)
		assert.Empty(t, out.String(), "%v", args)
	}
}
