package main

import "context"

// runNetwork dispatches "fulcrum network ...": statistics, isolation,
// bridges and graph export of the partnership model.
func runNetwork(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "network", args, map[string]func(context.Context, *env, []string) error{
		"stats":    networkStats,
		"isolated": networkIsolated,
		"bridges":  networkBridges,
		"export":   networkExport,
		"families": networkFamilies,
	})
}
