package main

import "context"

// runBroker is replaced by the broker package's commands as they land.
func runBroker(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "broker", args, map[string]func(context.Context, *env, []string) error{})
}
