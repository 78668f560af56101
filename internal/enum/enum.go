// Package enum implements the text forms of Fulcrum's small integer
// enumerations: their names, parsing and text marshalling.
package enum

import (
	"fmt"
	"strings"
)

// Table names the values of an enumeration T, value i having name names[i].
// Value 0 is conventionally the "unknown" or "unset" value.
type Table[T ~int] struct {
	kind  string
	names []string
	index map[string]T
}

// New returns a table for the enumeration called kind (used in errors) whose
// value i is called names[i]. Parsing accepts each name case-insensitively and
// with '-', '_' and ' ' treated alike, plus any aliases.
func New[T ~int](kind string, names []string, aliases map[string]T) *Table[T] {
	t := &Table[T]{kind: kind, names: names, index: make(map[string]T, len(names)+len(aliases))}
	for i, n := range names {
		t.index[fold(n)] = T(i)
	}
	for a, v := range aliases {
		t.index[fold(a)] = v
	}
	return t
}

func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == ' ' {
			return '-'
		}
		return r
	}, s)
}

// String returns v's name, or kind(N) for a value outside the table.
func (t *Table[T]) String(v T) string {
	if int(v) >= 0 && int(v) < len(t.names) {
		return t.names[v]
	}
	return fmt.Sprintf("%s(%d)", t.kind, int(v))
}

// Parse returns the value named s.
func (t *Table[T]) Parse(s string) (T, error) {
	if v, ok := t.index[fold(s)]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %s)", t.kind, s, strings.Join(t.names[1:], ", "))
}

// Values returns every value but the zero value, in order.
func (t *Table[T]) Values() []T {
	vs := make([]T, 0, len(t.names)-1)
	for i := 1; i < len(t.names); i++ {
		vs = append(vs, T(i))
	}
	return vs
}

// Marshal returns v's name as text, failing for an out-of-range value.
func (t *Table[T]) Marshal(v T) ([]byte, error) {
	if int(v) < 0 || int(v) >= len(t.names) {
		return nil, fmt.Errorf("invalid %s %d", t.kind, int(v))
	}
	return []byte(t.names[v]), nil
}

// Unmarshal parses text into *v.
func (t *Table[T]) Unmarshal(text []byte, v *T) error {
	p, err := t.Parse(string(text))
	if err != nil {
		return err
	}
	*v = p
	return nil
}
