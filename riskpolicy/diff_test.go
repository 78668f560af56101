package riskpolicy_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

const diffOld = `
policy: old
indicators:
  x: {type: number, source: t}
levels: [{name: A}, {name: B}, {name: C}, {name: D}]
rules:
  - {name: b, when: x > 1.0, level: B}
  - {name: c, when: x > 2.0, level: C}
  - {name: d, when: x > 3.0, level: D}
`

const diffNew = `
policy: new
indicators:
  x: {type: number, source: t}
levels: [{name: "1"}, {name: "2"}, {name: 3A}, {name: 3B}, {name: 3C}]
rules:
  - {name: two, when: x > 1.5, level: "2"}
  - {name: three_a, when: x > 2.0, level: 3A}
  - {name: three_c, when: x > 2.5, level: 3C}
`

func TestDiffMatrixMappingAndGroups(t *testing.T) {
	old, err := riskpolicy.Compile("old.yaml", []byte(diffOld))
	require.NoError(t, err)
	nw, err := riskpolicy.Compile("new.yaml", []byte(diffNew))
	require.NoError(t, err)
	var recs []riskpolicy.Record
	for i, x := range []float64{0, 1.2, 1.7, 2.2, 2.7, 3.5} {
		la := "201"
		if i%2 == 1 {
			la = "202"
		}
		recs = append(recs, riskpolicy.Record{URN: partnership.URN(100000 + i), Attrs: map[string]string{"la": la},
			Periods: []riskpolicy.Snapshot{{Values: map[string]riskpolicy.Value{"x": riskpolicy.Number(x)}}}})
	}
	src := riskpolicy.NewMemorySource(recs...)
	ctx := context.Background()

	// Different level names and counts, no mapping: a matrix only.
	im, err := riskpolicy.Diff(ctx, old, nw, src, &riskpolicy.DiffOptions{Eval: &riskpolicy.EvalOptions{At: at}})
	require.NoError(t, err)
	assert.Empty(t, im.Changes, "levels that cannot be compared give no ups and downs")
	assert.Equal(t, "", im.MappedBy)
	// x:   0  1.2  1.7  2.2  2.7  3.5
	// old: A  B    B    C    C    D
	// new: 1  1    2    3A   3C   3C
	assert.Equal(t, [][]int{{1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {0, 0, 1, 0, 1}, {0, 0, 0, 0, 1}}, im.Matrix.Counts)
	assert.InDelta(t, 100.0/6, im.Matrix.Percent[1][0], 1e-9)

	// With the mapping the issue gives, and per local authority.
	im, err = riskpolicy.Diff(ctx, old, nw, src, &riskpolicy.DiffOptions{Eval: &riskpolicy.EvalOptions{At: at},
		Map: map[string]string{"A": "1", "B": "2", "C": "3A", "D": "3C"}, GroupBy: "la"})
	require.NoError(t, err)
	assert.Equal(t, "map", im.MappedBy)
	assert.Equal(t, 1, im.Up)   // 2.7: C -> 3C, where C maps to 3A
	assert.Equal(t, 1, im.Down) // 1.2: B -> 1, where B maps to 2
	assert.Equal(t, 4, im.Same)
	require.Len(t, im.Changes, 2)
	byURN := map[partnership.URN]riskpolicy.LevelChange{}
	for _, c := range im.Changes {
		byURN[c.URN] = c
	}
	down := byURN[100001]
	assert.Equal(t, riskpolicy.ChangeDown, down.Direction)
	assert.Equal(t, []string{"b"}, down.OldRules, "the old rule that placed it at B")
	assert.Empty(t, down.NewRules)
	up := byURN[100004]
	assert.Equal(t, riskpolicy.ChangeUp, up.Direction)
	assert.Equal(t, []string{"three_c"}, up.NewRules, "only the rule naming 3C is responsible, not every rule fired")
	require.Len(t, im.Groups, 2)
	assert.Equal(t, "201", im.Groups[0].Group)
	assert.Equal(t, 3, im.Groups[0].Matrix.Schools)

	cell := im.Cell("C", "3C")
	require.Len(t, cell, 1)
	assert.Equal(t, partnership.URN(100004), cell[0].URN)

	// JSON uses snake_case throughout.
	b, err := json.Marshal(im)
	require.NoError(t, err)
	for _, k := range regexp.MustCompile(`"([A-Za-z_]+)":`).FindAllStringSubmatch(string(b), -1) {
		assert.Regexp(t, `^[a-z0-9_]+$`, k[1], "JSON key %q", k[1])
	}

	// A mapping naming a level that does not exist is refused.
	_, err = riskpolicy.Diff(ctx, old, nw, src, &riskpolicy.DiffOptions{Map: map[string]string{"A": "1", "B": "2", "C": "3A", "D": "4"}})
	require.ErrorIs(t, err, riskpolicy.ErrInvalid)

	// The same level names correspond.
	im, err = riskpolicy.Diff(ctx, old, old, src, nil)
	require.NoError(t, err)
	assert.Equal(t, "names", im.MappedBy)
	assert.Equal(t, 6, im.Same)

	// As many levels, other names: matched by position.
	four, err := riskpolicy.Compile("four.yaml", []byte(strings.NewReplacer("name: A}", "name: w}", "name: B}", "name: x}",
		"name: C}", "name: y}", "name: D}", "name: z}", "level: B", "level: x", "level: C", "level: y", "level: D", "level: z").Replace(diffOld)))
	require.NoError(t, err)
	im, err = riskpolicy.Diff(ctx, old, four, src, nil)
	require.NoError(t, err)
	assert.Equal(t, "order", im.MappedBy)
	assert.Equal(t, []riskpolicy.LevelPair{{Old: "A", New: "w"}, {Old: "B", New: "x"}, {Old: "C", New: "y"}, {Old: "D", New: "z"}}, im.Mapping)
	assert.Equal(t, 6, im.Same)
}
