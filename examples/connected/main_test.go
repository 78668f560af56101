package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnectedSystem(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	// The alliances add collaborative coverage that GIAS alone lacks.
	assert.Contains(t, got, "Leeds, GIAS only: 294 schools, 0 in a collaborative network")
	assert.Regexp(t, `with the alliances and hub: 294 schools, [1-9][0-9]+ in a collaborative network`, got)
	// The connector network is what joins the otherwise separate alliances.
	assert.Regexp(t, `Teaching school hub \(illustrative\)\s+joins [0-9]+ parts`, got)
	assert.Regexp(t, `Connector network \(illustrative\)\s+betweenness [1-9]`, got)
	// Through the council among its partners the connector reaches schools
	// that no collaborative network reached.
	assert.Regexp(t, `The connector reaches [1-9]\d* schools through its partners' networks; [1-9]\d* of them were in no collaborative network before`, got)
	// Eligibility for sole practitioners.
	assert.Contains(t, got, "lead-108055-1  at Lawnswood School")
	assert.Contains(t, got, "not the only person in their setting in their role")
	// The programme runs: sole practitioners enrolled up to its places,
	// the others refused with the reason, the cohort across trusts and
	// governance.
	assert.Regexp(t, `Sixth Form Advantage cohort 2022-23: \d+ applied, 24 enrolled \(24 places\)`, got)
	assert.Regexp(t, `refused, no places left: [1-9]`, got)
	assert.Regexp(t, `refused, not the only person in their setting in their role: [1-9]`, got)
	assert.Regexp(t, `the cohort's 24 schools, across [1-9]\d* trusts and none: la-maintained [1-9]\d* academy-converter [1-9]`, got)
}
