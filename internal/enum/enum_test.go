package enum_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/enum"
)

type colour int

var colours = enum.New[colour]("colour", []string{"none", "red", "dark-green"}, map[string]colour{"verdant": 2})

func Example() {
	v, err := colours.Parse("Dark Green")
	fmt.Println(colours.String(v), err)
	_, err = colours.Parse("blue")
	fmt.Println(err)
	// Output:
	// dark-green <nil>
	// unknown colour "blue" (want one of red, dark-green)
}

func TestTable(t *testing.T) {
	for in, want := range map[string]colour{"red": 1, " RED ": 1, "dark_green": 2, "dark-green": 2, "verdant": 2, "none": 0} {
		got, err := colours.Parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, []colour{1, 2}, colours.Values())
	assert.Equal(t, "colour(7)", colours.String(7))
	assert.Equal(t, "colour(-1)", colours.String(-1))
	_, err := colours.Marshal(7)
	assert.Error(t, err)
	b, err := colours.Marshal(2)
	require.NoError(t, err)
	var c colour
	require.NoError(t, colours.Unmarshal(b, &c))
	assert.Equal(t, colour(2), c)
	assert.Error(t, colours.Unmarshal([]byte("blue"), &c))
}
