package partnership

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Optional is a measure a source may lack: a value of type T, or unknown.
// The zero Optional is unknown, so a record built without the field says
// so rather than holding a plausible 0. Its value is read only through
// Get (or Or, naming what stands for an unknown), so an unknown cannot be
// read as 0 by accident. In JSON an unknown is null, and a null or
// missing field reads as unknown; a SQL store keeping it in a column maps
// unknown to NULL. Two Optionals are equal (==, Equal) when both are
// unknown or both hold equal values.
type Optional[T comparable] struct {
	v     T
	known bool
}

// Known returns an Optional holding v.
func Known[T comparable](v T) Optional[T] { return Optional[T]{v: v, known: true} }

// Get returns the value and whether it is known; when unknown the value is
// T's zero value, which must not be used.
func (o Optional[T]) Get() (T, bool) { return o.v, o.known }

// IsKnown reports whether the value is known.
func (o Optional[T]) IsKnown() bool { return o.known }

// Or returns the value when known and def otherwise.
func (o Optional[T]) Or(def T) T {
	if o.known {
		return o.v
	}
	return def
}

// Equal reports whether o and p are both unknown or both known and equal
// (so that go-cmp and similar compare Optionals by what they say).
func (o Optional[T]) Equal(p Optional[T]) bool { return o.known == p.known && (!o.known || o.v == p.v) }

// String returns the value formatted by fmt's %v, or "unknown".
func (o Optional[T]) String() string {
	if !o.known {
		return "unknown"
	}
	return fmt.Sprint(o.v)
}

// MarshalJSON writes the value, or null when unknown.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.known {
		return []byte("null"), nil
	}
	return json.Marshal(o.v)
}

// UnmarshalJSON reads a value, null as unknown.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Optional[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Known(v)
	return nil
}
