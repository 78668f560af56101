package brokerage_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership"
)

func TestParseConfigErrors(t *testing.T) {
	src := `strategy: optimal
objective: fastest
scorers:
  distance: {weight: -1, unknown_km: 80}
  load: {weight: 0}
  charm: {weight: 3}
constraints:
  max-distance: {allow_unknown: yes}
  format: {hard: true, penalty: 30}
  phase: {hard: false}
colour: blue
`
	_, err := brokerage.ParseConfig("match.yaml", []byte(src))
	require.ErrorIs(t, err, brokerage.ErrInvalid)
	var list brokerage.ConfigErrors
	require.ErrorAs(t, err, &list)
	assert.Equal(t, `match.yaml:2:12: objective: want urgent-first or most-needs, got "fastest"
match.yaml:4:22: scorers.distance.weight: must not be negative, got -1
match.yaml:6:3: scorers.charm: unknown scorer (want distance, evidence, context, priority, trust, load, price)
match.yaml:8:3: constraints.max-distance.km: the distance limit km is required and must be positive
match.yaml:9:18: constraints.format.hard: a hard constraint has no penalty; drop hard or penalty
match.yaml:10:17: constraints.phase.hard: a constraint that is not hard needs a penalty > 0
match.yaml:11:1: colour: unknown key (want strategy, objective, precision, scorers or constraints)`, err.Error())
}

// TestConfigChoosesScorersAndConstraints: a configuration switches load
// scoring off, turns the format rule into a penalty, and the broker it
// configures uses exactly that.
func TestConfigChoosesScorersAndConstraints(t *testing.T) {
	src := `strategy: optimal
objective: most-needs
scorers:
  distance: {weight: 2, unknown_km: 60}
  load: {weight: 0}
constraints:
  max-distance: {km: 30}
  format: {penalty: 40}
`
	c, err := brokerage.ParseConfig("match.yaml", []byte(src))
	require.NoError(t, err)
	opts, err := c.Options()
	require.NoError(t, err)
	at := partnership.Location{Lat: 53.8, Lon: -1.55}
	needs := []brokerage.Need{{ID: "n", School: 1, Area: "maths", Priority: 3, Location: at, FSMPercent: -1, Format: brokerage.FormatCoaching}}
	offers := []brokerage.Offer{{ID: "o", Provider: "P", Areas: []brokerage.AreaEvidence{{Area: "maths", Evidence: brokerage.EvidenceAccredited}},
		Capacity: 1, Location: at, FSMPercent: -1, Formats: []brokerage.Format{brokerage.FormatCourse}}}
	r, err := brokerage.NewBroker(opts...).Match(context.Background(), needs, offers)
	require.NoError(t, err)
	require.Len(t, r.Matches, 1, "the format rule is a penalty, not an exclusion")
	var names []string
	for _, x := range r.Matches[0].Explanation {
		names = append(names, x.Scorer)
	}
	assert.Equal(t, []string{"distance", "soft-format"}, names)
	assert.Equal(t, 40.0, r.Matches[0].Cost)

	// The default broker excludes the pair.
	r, err = brokerage.NewBroker().Match(context.Background(), needs, offers)
	require.NoError(t, err)
	assert.Empty(t, r.Matches)
}

func TestDefaultConfigIsTheDefaultBroker(t *testing.T) {
	c, err := brokerage.ParseConfig("empty.yaml", nil)
	require.NoError(t, err)
	assert.Equal(t, brokerage.DefaultConfig(), c)
	opts, err := c.Options()
	require.NoError(t, err)
	assert.Equal(t, brokerage.NewBroker().Strategy(), brokerage.NewBroker(opts...).Strategy())
}

func FuzzParseConfig(f *testing.F) {
	f.Add("strategy: stable\nscorers:\n  price: {weight: 0.5}\n")
	f.Add("constraints:\n  max-distance: {km: 10, allow_unknown: true}\n")
	f.Add("[1, 2")
	f.Fuzz(func(t *testing.T, src string) {
		c, err := brokerage.ParseConfig("f.yaml", []byte(src))
		if err != nil {
			require.ErrorIs(t, err, brokerage.ErrInvalid)
			return
		}
		if _, err := c.Options(); err != nil {
			require.ErrorIs(t, err, brokerage.ErrInvalid)
		}
	})
}
