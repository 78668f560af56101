package main

import "context"

// runReview is replaced by the review package's commands as they land.
func runReview(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "review", args, map[string]func(context.Context, *env, []string) error{})
}
