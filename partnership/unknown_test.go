package partnership_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// TestUnknownIsNotZero: an unknown FSM percentage, headcount or location
// says so, in Go and in JSON; a known 0% stays 0%.
func TestUnknownIsNotZero(t *testing.T) {
	unknown := p.School{URN: 1, Name: "A"}
	_, ok := unknown.FSM()
	assert.False(t, ok)
	_, ok = unknown.PupilCount()
	assert.False(t, ok)
	assert.False(t, unknown.Location.Known())
	assert.Equal(t, -1.0, unknown.FSMPercent.Or(-1))
	assert.Equal(t, "unknown", unknown.FSMPercent.String())
	zero := p.School{URN: 2, Name: "B", FSMPercent: p.Known(0.0), Pupils: p.Known(10)}
	f, ok := zero.FSM()
	assert.True(t, ok)
	assert.Equal(t, 0.0, f)
	assert.Equal(t, "0", zero.FSMPercent.String())

	b, err := json.Marshal(unknown)
	require.NoError(t, err)
	assert.JSONEq(t, `{"urn":1,"name":"A","phase":"unknown","governance":"unknown","fsm_percent":null}`, string(b))
	b, err = json.Marshal(zero)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"fsm_percent":0`)
	assert.Contains(t, string(b), `"pupils":10`)

	for in, known := range map[string]bool{
		`{"urn":3,"name":"C"}`:                    false, // absent: unknown, not 0%
		`{"urn":3,"name":"C","fsm_percent":null}`: false,
		`{"urn":3,"name":"C","fsm_percent":0}`:    true,
	} {
		var s p.School
		require.NoError(t, json.Unmarshal([]byte(in), &s))
		_, ok := s.FSM()
		assert.Equal(t, known, ok, in)
		_, ok = s.PupilCount()
		assert.False(t, ok, in)
	}
	var bad p.School
	require.Error(t, json.Unmarshal([]byte(`{"urn":3,"name":"C","pupils":"many"}`), &bad))

	var round p.School
	full := p.School{URN: 4, Name: "D", Phase: p.PhaseMiddle, DeemedPhase: p.PhaseSecondary, FSMPercent: p.Known(12.5),
		Pupils: p.Known(300), Location: p.Location{Lat: 53, Lon: -1}}
	b, err = json.Marshal(full)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"deemed_phase":"secondary"`)
	require.NoError(t, json.Unmarshal(b, &round))
	assert.Equal(t, full, round)

	// The Service refuses a known value out of range; an unknown is not one.
	assert.Error(t, p.ValidateSchool(&p.School{URN: 5, Name: "E", FSMPercent: p.Known(-1.0)}))
	assert.Error(t, p.ValidateSchool(&p.School{URN: 5, Name: "E", Pupils: p.Known(-1)}))
	assert.NoError(t, p.ValidateSchool(&p.School{URN: 5, Name: "E"}))
}
