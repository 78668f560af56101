package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocalAuthority(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	// The two edits, and the adapted policy still passes its own tests.
	assert.Contains(t, got, "changed rule low_attendance   attendance < 93.0 (1 points), was attendance < 92.0 (1 points)")
	assert.Contains(t, got, "changed rule weak_governance  governance_concern (3 points), was governance_concern (2 points)")
	assert.Contains(t, got, "the policy's own tests: 7 of 7 pass")
	// The transition matrix covers every Leeds school; a stricter policy
	// moves schools up.
	assert.Contains(t, got, "Transition matrix over Leeds's 278 state-funded schools")
	assert.Regexp(t, `\n  A\s+\d+\s+\d+\s+\d+\s+\d+\n  B`, got)
	assert.Regexp(t, `[1-9]\d* schools move up a category`, got)
	assert.Contains(t, got, "Adopted: 278 schools assessed under leeds-categories")
	// Learning communities and hubs reach every school whatever its governance.
	assert.Regexp(t, `Learning communities: \d+, of 6 to \d+ schools`, got)
	assert.Contains(t, got, "Coverage before: 0 of 294 schools in a collaborative network")
	assert.Contains(t, got, "Coverage after: 294 of 294 schools in a collaborative network, 0 left out")
	assert.Regexp(t, `independent-special\s+2 schools\s+2 covered`, got)
}
