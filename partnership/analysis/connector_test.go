package analysis_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
)

// A connector organisation adds no schools: its network's members are the
// organisations that lead other networks. The graph must still hold it, and
// it must show as the bridge between alliances that share no school.
func TestConnectorNetworkOfOrganisationsBridgesAlliances(t *testing.T) {
	d := partnership.Dataset{
		Schools: []partnership.School{{URN: 1, Name: "A1"}, {URN: 2, Name: "A2"}, {URN: 3, Name: "B1"}, {URN: 4, Name: "B2"}},
		Organisations: []partnership.Organisation{
			{ID: "a", Kind: partnership.OrgAlliance, Name: "Alliance A"},
			{ID: "b", Kind: partnership.OrgAlliance, Name: "Alliance B"},
			{ID: "c", Kind: partnership.OrgConnector, Name: "Connector"},
			{ID: "u", Kind: partnership.OrgUniversity, Name: "University"},
		},
		Networks: []partnership.Network{
			{ID: "na", Kind: partnership.NetworkAlliance, Name: "A"},
			{ID: "nb", Kind: partnership.NetworkAlliance, Name: "B"},
			{ID: "nc", Kind: partnership.NetworkConnector, Name: "Connect"},
			{ID: "orphan", Kind: partnership.NetworkConnector, Name: "Reaches nothing"},
		},
		Memberships: []partnership.Membership{
			{ID: "1", Network: "na", Member: "urn:1", Role: partnership.RoleMember},
			{ID: "2", Network: "na", Member: "urn:2", Role: partnership.RoleMember},
			{ID: "3", Network: "na", Member: "a", Role: partnership.RoleLead},
			{ID: "4", Network: "nb", Member: "urn:3", Role: partnership.RoleMember},
			{ID: "5", Network: "nb", Member: "urn:4", Role: partnership.RoleMember},
			{ID: "6", Network: "nb", Member: "b", Role: partnership.RoleLead},
			{ID: "7", Network: "nc", Member: "c", Role: partnership.RoleLead},
			{ID: "8", Network: "nc", Member: "a", Role: partnership.RolePartner},
			{ID: "9", Network: "nc", Member: "b", Role: partnership.RolePartner},
			{ID: "10", Network: "orphan", Member: "u", Role: partnership.RoleLead},
		},
	}
	m, err := partnership.NewModel(d)
	require.NoError(t, err)
	g, err := analysis.NewGraph(m, nil)
	require.NoError(t, err)
	var names []string
	for _, n := range g.Nodes() {
		names = append(names, n.Name)
	}
	assert.Contains(t, names, "Connect")
	assert.NotContains(t, names, "Reaches nothing", "a network linked to nothing in the graph stays out")

	br, err := analysis.Bridges(context.Background(), m, nil)
	require.NoError(t, err)
	var connectors []string
	for _, b := range br.Connectors {
		connectors = append(connectors, b.Node.Name)
	}
	assert.Contains(t, connectors, "Connect", "the connector's network joins the two alliances")
	assert.Equal(t, 1, br.Components, "one component through the connector")
}
