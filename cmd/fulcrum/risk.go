package main

import "context"

// runRisk is replaced by the risk package's commands as they land.
func runRisk(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "risk", args, map[string]func(context.Context, *env, []string) error{})
}
