package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// Engagements proposed by one process are there for the next, which moves
// them on; the database keeps the offer's capacity and one open engagement
// per need across processes. Each command runs in a process of its own.
func TestEngagementCommandsPersist(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fulcrum.db")
	needs, offers := writeTemp(t, "needs.csv", brokerNeeds), writeTemp(t, "offers.csv", brokerOffers)
	list := func() []brokerage.Engagement {
		t.Helper()
		code, out, errOut := runProcess(t, "--db", db, "engagement", "list", "--format", "json")
		require.Equal(t, 0, code, errOut)
		var es []brokerage.Engagement
		require.NoError(t, json.Unmarshal([]byte(out), &es))
		return es
	}

	code, _, errOut := runProcess(t, "--db", db, "engagement", "propose", "--needs", needs, "--offers", offers, "--prefix", "e-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "fulcrum engagement propose: proposed 1 engagements")
	es := list()
	require.Len(t, es, 1)
	assert.Equal(t, brokerage.EngagementID("e-n1"), es[0].ID)
	assert.Equal(t, brokerage.StatusProposed, es[0].Status)

	// The one place of o1 is taken, so proposing again (as another
	// process) is refused and changes nothing.
	code, _, errOut = runProcess(t, "--db", db, "engagement", "propose", "--needs", needs, "--offers", offers, "--prefix", "f-")
	assert.Equal(t, 1, code, errOut)
	assert.Len(t, list(), 1)

	code, _, errOut = runProcess(t, "--db", db, "engagement", "move", "e-n1", "accepted")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runProcess(t, "--db", db, "engagement", "move", "e-n1", "agreed")
	assert.Equal(t, 2, code, "agreeing needs objectives and an impact")
	assert.Contains(t, errOut, "objectives")
	code, _, errOut = runProcess(t, "--db", db, "engagement", "move", "e-n1", "agreed", "--objectives", "KS2 reasoning", "--impact", "Higher KS2 maths scores")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runProcess(t, "--db", db, "engagement", "move", "e-n1", "accepted")
	assert.Equal(t, 1, code, "agreed cannot go back to accepted")
	assert.Contains(t, errOut, "e-n1")

	es = list()
	require.Len(t, es, 1)
	assert.Equal(t, brokerage.StatusAgreed, es[0].Status)
	assert.Equal(t, "KS2 reasoning", es[0].Objectives)
	assert.Equal(t, 3, es[0].Version)
	code, out, errOut := runProcess(t, "--db", db, "engagement", "list", "--status", "proposed,accepted", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.JSONEq(t, "[]", out)

	// Cancelling releases the place: a new proposal then succeeds.
	code, _, errOut = runProcess(t, "--db", db, "engagement", "move", "e-n1", "cancelled", "--note", "the school changed its plans")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runProcess(t, "--db", db, "engagement", "propose", "--needs", needs, "--offers", offers, "--prefix", "g-")
	require.Equal(t, 0, code, errOut)
	assert.Len(t, list(), 2)

	code, _, _ = runCmd(t, "engagement", "list")
	assert.Equal(t, 2, code, "--db is required")
	code, _, _ = runCmd(t, "--db", db, "engagement", "move", "g-n1", "finished")
	assert.Equal(t, 2, code)
}
