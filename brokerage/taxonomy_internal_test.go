package brokerage

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/stretchr/testify/require"
)

// A Broker keeps its own copy of the taxonomy it is given: a caller adding
// an area afterwards changes nothing in what the Broker matches.
func TestWithTaxonomyKeepsACopy(t *testing.T) {
	tx := partnership.DefaultTaxonomy()
	b := NewBroker(WithTaxonomy(tx))
	require.NoError(t, tx.Add(partnership.Expertise{ID: "added-later", Name: "Added later", Parent: "curriculum"}))
	o := &Offer{Areas: []AreaEvidence{{Area: "curriculum"}}}
	require.True(t, covers(tx, o, "added-later"), "the caller's taxonomy has the new area")
	require.False(t, covers(b.taxonomy, o, "added-later"), "the Broker's copy must not change")
	require.True(t, covers(b.taxonomy, o, "early-reading"))
}
