package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAlliance(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	// 50+ schools of mixed governance, an independent special school among them.
	assert.Regexp(t, `alliance \(illustrative, on real schools\): [5-9]\d schools, (\d{2,}|[3-9]) trusts`, got)
	for _, g := range []string{"la-maintained", "academy-converter", "academy-sponsor-led", "independent-special"} {
		assert.Regexp(t, `\n  `+g+`\s+[1-9]\d*\n`, got)
	}
	assert.Contains(t, got, "steering group: head of")
	assert.Regexp(t, `community of practice Early reading\s+[1-9]\d* schools`, got)
	// Every school is reviewed and reviews, giving what it receives.
	assert.Contains(t, got, "Peer review 2025-26: 59 teams, places filled 177 of 177")
	assert.Contains(t, got, "Reciprocity: 59 of 59 schools reviewed, 59 gave reviewers")
	rows := regexp.MustCompile(`(?m)^  .{47} +(\d+) / (\d+) +`).FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 59)
	for _, r := range rows {
		assert.Equal(t, r[1], r[2], "days given and received")
	}
	// Validated excellence becomes offers; support is brokered, the rest explained.
	assert.Regexp(t, `Brokerage within the alliance: [1-9]\d* offers from validated areas of excellence, 59 needs, [1-9]\d* met`, got)
	assert.Regexp(t, `unmet \d+/[a-z-]+: all \d+ candidate offers are full`, got)
	assert.False(t, strings.Contains(got, "km km"))
}
