package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeerReviewProgramme(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	assert.Contains(t, got, "National-style programme: 178 schools across Yorkshire and the Humber")
	// The independent check finds no conflict of interest in the allocation.
	assert.Contains(t, got, "conflicts of interest found by an independent check: 0\n")
	// Every team the allocator could not complete is explained.
	assert.Regexp(t, `leads missing: (\d+)`, got)
	assert.Regexp(t, `shortfall at URN \d+: .*blocked`, got)
	assert.Regexp(t, `reports issued: 1[0-9]{2}; reviews waiting for a lead: \d+`, got)
	// Four-point estimates, and a directory of validated excellence.
	for _, g := range []string{"leading", "effective", "working-towards-effective", "ineffective"} {
		assert.Regexp(t, `\n    `+g+`\s+[1-9]\d*\n`, got)
	}
	assert.Regexp(t, `Directory of areas of excellence: \d+ nominated, [1-9]\d* validated by review teams`, got)
	assert.Regexp(t, `early-reading\s+[1-9]\d* schools, e.g. `, got)
	// The cluster variant: triads, reciprocal, no grades.
	assert.Regexp(t, `Cluster variant \(Calderdale, 99 schools\): \d+ clusters, [1-9]\d* of them triads`, got)
	assert.Contains(t, got, "99 schools reviewed, 99 gave as many reviewer days as they received, 0 grades given")
}
