package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

func TestNetworkFamilies(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errb},
		[]string{"network", "families", "--la", "Leeds", "--size", "3", "--format", "json"})
	require.Equal(t, 0, code, errb.String())
	var rep analysis.FamilyReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	require.NotEmpty(t, rep.Families)
	for _, f := range rep.Families {
		assert.Len(t, f.Similar, 3, "URN %d", f.School.URN)
		for _, s := range f.Similar {
			assert.Equal(t, f.School.Phase, s.School.Phase, "a family is within a phase")
			assert.NotEqual(t, f.School.URN, s.School.URN, "a school is not in its own family")
		}
	}

	out.Reset()
	errb.Reset()
	assert.Equal(t, 2, run(context.Background(), &env{stdout: &out, stderr: &errb}, []string{"network", "families", "--size", "0"}))
	assert.Contains(t, errb.String(), `invalid argument "0" for "--size" flag: want a whole number from 1 to 100`)
	assert.Equal(t, 2, run(context.Background(), &env{stdout: &out, stderr: &errb}, []string{"network", "families", "--size", "100000"}))
	assert.Equal(t, 2, run(context.Background(), &env{stdout: &out, stderr: &errb}, []string{"network", "families", "--la", "Atlantis"}))
}
