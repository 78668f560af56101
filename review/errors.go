package review

import "errors"

// Errors that callers branch on with errors.Is. Stores return ErrNotFound and
// ErrConflict (wrapped or not); the Service and the allocator wrap every error
// once with the operation and the ID concerned.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a record with the same ID exists, or the record changed
	// since it was read (a stale version).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input breaks a rule: a missing field, an unknown
	// framework area, a grade outside the scale, negative capacity.
	ErrInvalid = errors.New("invalid")
	// ErrTransition: the review is not at a stage where the change is
	// allowed (a report before the visit, findings after the report).
	ErrTransition = errors.New("transition not allowed")
	// ErrForbidden: the actor may not do this or read this: a school
	// validating its own area of excellence, a reader without consent.
	ErrForbidden = errors.New("forbidden")
)
