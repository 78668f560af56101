package main

import "context"

func runEngland(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "england", args, map[string]func(context.Context, *env, []string) error{})
}
