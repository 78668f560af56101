package brokerage

import "errors"

// Errors callers branch on, checked with errors.Is. Their messages carry no
// package prefix: the operation that wraps one says where it came from.
var (
	// ErrNotFound: no engagement (or need, or offer) with that ID. Stores
	// return it from Get, Need, Offer, Reserve and Update.
	ErrNotFound = errors.New("not found")
	// ErrConflict: an engagement with the same ID exists (Create,
	// Reserve), the stored version differs from the one the update was
	// based on (Update), or the need already has an open engagement.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: a need, offer or engagement breaks a rule: an empty or
	// duplicate ID, a priority outside 1–5, a negative capacity or cost, a
	// need and an offer of incompatible phases or areas. The message names
	// the field.
	ErrInvalid = errors.New("invalid")
	// ErrTransition: the engagement cannot move to that status from its
	// current one (an active engagement cannot be declined).
	ErrTransition = errors.New("invalid status transition")
	// ErrCapacity: the offer has no capacity left to reserve, or a new
	// capacity is below what is reserved. It wraps ErrConflict: a store
	// refuses the write because of what it already holds.
	ErrCapacity error = capacityError{}
)

// capacityError is ErrCapacity: its message says only what happened, and
// it unwraps to ErrConflict.
type capacityError struct{}

func (capacityError) Error() string { return "no capacity left" }

func (capacityError) Unwrap() error { return ErrConflict }
