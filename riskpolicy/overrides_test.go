package riskpolicy_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// The overrides file is read through the module's CSV layer: every problem
// with its position and field, in one pass.
func TestReadOverridesCSVErrors(t *testing.T) {
	const header = "policy,urn,level,by,reason,at,expires\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"missing column", "policy,urn,level,by,reason,at\n", `ovr.csv:1: no "expires" column`},
		{"unknown column", "policy,urn,level,by,reason,at,expires,comment\n", `ovr.csv:1:8: comment: unknown column (an overrides file has id, policy, urn, level, by, reason, at, expires, supersedes)`},
		{"repeated column", "policy,urn,level,by,reason,at,expires,URN\n", `ovr.csv:1:8: URN: repeated header name: columns 2 "urn" and 8 "URN" have the same name`},
		{"bad values", header + "small,12x,at_risk,CEO,concern,2025-09-01,someday\nsmall,123456,,CEO,concern,2025-09-01,2025-12-01\n",
			"ovr.csv:2:2: urn: " + urnErr("12x") + "\novr.csv:2:7: expires: bad date \"someday\"\novr.csv:3:3: level: an override needs a level"},
		{"field count", "# made by hand\n" + header + "small,123456,at_risk,CEO\n", "ovr.csv:3: wrong number of fields: the row has 4, the header 7"},
		{"record too long", header + "small," + strings.Repeat("1", 2<<20) + "\n", "ovr.csv:2: record too long: more than 1048576 bytes, starting \"small\""},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ovr.csv: not a CSV text file: a NUL byte at offset 8 (binary data, or an encoding not recognised)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ovs, err := riskpolicy.ReadOverridesCSV("ovr.csv", strings.NewReader(tc.in))
			if tc.want == "" {
				require.NoError(t, err)
				assert.Empty(t, ovs)
				return
			}
			var list riskpolicy.ErrorList
			require.ErrorAs(t, err, &list)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func urnErr(s string) string {
	_, err := partnership.ParseURN(s)
	return err.Error()
}

// ReadOverridesCSVCheck reports the caller's refusals with the override's
// position, beside the file's own problems, and refuses the whole file.
func TestReadOverridesCSVCheck(t *testing.T) {
	in := "policy,urn,level,by,reason,at,expires\n" +
		"small,123456,at_risk,CEO,concern,2025-09-01,2025-12-01\n" +
		"smal,123457,at_risk,CEO,concern,2025-09-01,2025-12-01\n" +
		"small,123458,Z,CEO,concern,2025-09-01,2025-12-01\n"
	check := func(o *riskpolicy.Override) (string, string) {
		switch {
		case o.Policy != "small":
			return "policy", "no policy " + o.Policy
		case o.Level != "at_risk":
			return "level", "no level " + o.Level
		}
		return "", ""
	}
	ovs, err := riskpolicy.ReadOverridesCSVCheck("ovr.csv", strings.NewReader(in), check)
	assert.Empty(t, ovs)
	require.Error(t, err)
	assert.Equal(t, "ovr.csv:3:1: policy: no policy smal\novr.csv:4:3: level: no level Z", err.Error())
	ovs, err = riskpolicy.ReadOverridesCSVCheck("ovr.csv", strings.NewReader(in), nil)
	require.NoError(t, err)
	assert.Len(t, ovs, 3)
}

// ReadOverridesCSVLines gives each override's line, comments counted.
func TestReadOverridesCSVLines(t *testing.T) {
	in := "# overrides\npolicy,urn,level,by,reason,at,expires\n" +
		"a,123456,x,CEO,concern,2025-09-01,2025-12-01\n" +
		"# another\n\n" +
		"b,123457,y,CEO,concern,2025-09-01,2025-12-01\n"
	ovs, lines, err := riskpolicy.ReadOverridesCSVLines("ovr.csv", strings.NewReader(in), nil)
	require.NoError(t, err)
	require.Len(t, ovs, 2)
	assert.Equal(t, []int{3, 6}, lines)
	assert.Equal(t, "b", ovs[1].Policy)
}
