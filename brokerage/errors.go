package brokerage

import "errors"

// Errors callers branch on, checked with errors.Is.
var (
	// ErrNotFound: no engagement (or need, or offer) with that ID. Stores
	// return it from Get and Update.
	ErrNotFound = errors.New("brokerage: not found")
	// ErrConflict: an engagement with the same ID exists (Create), or the
	// stored version differs from the one the update was based on (Update).
	ErrConflict = errors.New("brokerage: conflict")
	// ErrInvalid: a need, offer or engagement breaks a rule: an empty or
	// duplicate ID, a priority outside 1–5, a negative capacity or cost.
	ErrInvalid = errors.New("brokerage: invalid")
	// ErrTransition: the engagement cannot move to that status from its
	// current one (an active engagement cannot be declined).
	ErrTransition = errors.New("brokerage: invalid status transition")
	// ErrCapacity: the offer has no capacity left to reserve.
	ErrCapacity = errors.New("brokerage: no capacity left")
)
