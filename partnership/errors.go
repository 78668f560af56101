package partnership

import "errors"

// Errors that callers branch on with errors.Is. Stores return them (wrapped
// or not); the Service wraps them with the operation and ID.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a record with the same ID exists, or the change would
	// contradict one (an overlapping membership of the same network).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input breaks a rule of the model (a missing field,
	// a period that ends before it starts, a reference to nothing).
	ErrInvalid = errors.New("invalid")
)
