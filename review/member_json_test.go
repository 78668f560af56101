package review_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/review"
)

// An unknown distance is JSON null, never 0; a known 0 km stays 0, and the
// other fields are written as without the method.
func TestMemberJSONUnknownTravelIsNull(t *testing.T) {
	b, err := json.Marshal(review.Member{Reviewer: "a", Home: 100, Lead: true, TravelUnknown: true, FocusFit: 0.5, Cost: 2})
	require.NoError(t, err)
	assert.JSONEq(t, `{"reviewer":"a","home":100,"lead":true,"travel_km":null,"travel_unknown":true,"focus_fit":0.5,"cost":2}`, string(b))
	b, err = json.Marshal(review.Member{Reviewer: "b", TravelKm: 0})
	require.NoError(t, err)
	assert.JSONEq(t, `{"reviewer":"b","travel_km":0,"focus_fit":0,"cost":0}`, string(b))
	var back review.Member
	require.NoError(t, json.Unmarshal([]byte(`{"reviewer":"a","travel_km":null,"travel_unknown":true}`), &back))
	assert.Equal(t, review.Member{Reviewer: "a", TravelUnknown: true}, back)
}
