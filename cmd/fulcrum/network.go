package main

import "github.com/spf13/cobra"

// newNetworkCmd is "fulcrum network ...": statistics, isolation, bridges,
// families and graph export of the partnership model.
func newNetworkCmd(e *env) *cobra.Command {
	return newGroup("network", "partnership statistics, isolation, bridges, families and graph export",
		newNetworkStatsCmd(e),
		newNetworkIsolatedCmd(e),
		newNetworkBridgesCmd(e),
		newNetworkExportCmd(e),
		newNetworkFamiliesCmd(e),
	)
}
