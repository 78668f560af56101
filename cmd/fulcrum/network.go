package main

import "context"

func runNetwork(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "network", args, map[string]func(context.Context, *env, []string) error{})
}
