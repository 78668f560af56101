package riskpolicy_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// schemaNode is the subset of JSON Schema policy.schema.json uses.
type schemaNode struct {
	Ref                  string                 `json:"$ref"`
	Type                 string                 `json:"type"`
	Enum                 []any                  `json:"enum"`
	Pattern              string                 `json:"pattern"`
	Required             []string               `json:"required"`
	Properties           map[string]*schemaNode `json:"properties"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"`
	PropertyNames        *schemaNode            `json:"propertyNames"`
	Items                *schemaNode            `json:"items"`
	OneOf                []*schemaNode          `json:"oneOf"`
	Defs                 map[string]*schemaNode `json:"$defs"`
}

type validator struct {
	root *schemaNode
	errs []string
}

func (v *validator) fail(path string, n *yaml.Node, format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf("%s (line %d): %s", path, n.Line, fmt.Sprintf(format, args...)))
}

func (v *validator) resolve(s *schemaNode) *schemaNode {
	for s != nil && s.Ref != "" {
		s = v.root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
	}
	return s
}

func yamlType(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	}
	return "string"
}

func (v *validator) check(path string, s *schemaNode, n *yaml.Node) bool {
	s = v.resolve(s)
	if s == nil {
		return true
	}
	before := len(v.errs)
	if len(s.OneOf) > 0 {
		matches := 0
		for _, alt := range s.OneOf {
			sub := &validator{root: v.root}
			if sub.check(path, alt, n) {
				matches++
			}
		}
		if matches != 1 {
			v.fail(path, n, "matches %d of the oneOf alternatives", matches)
		}
	}
	t := yamlType(n)
	if s.Type != "" && s.Type != t && !(s.Type == "number" && t == "integer") {
		v.fail(path, n, "is %s, schema wants %s", t, s.Type)
		return false
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == n.Value }) {
		v.fail(path, n, "%q is not one of %v", n.Value, s.Enum)
	}
	if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(n.Value) {
		v.fail(path, n, "%q does not match %s", n.Value, s.Pattern)
	}
	if n.Kind == yaml.MappingNode {
		keys := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			keys[k.Value] = true
			if s.PropertyNames != nil {
				v.check(path+"."+k.Value+"(name)", s.PropertyNames, k)
			}
			if p, ok := s.Properties[k.Value]; ok {
				v.check(path+"."+k.Value, p, val)
				continue
			}
			switch ap := strings.TrimSpace(string(s.AdditionalProperties)); {
			case ap == "false":
				v.fail(path, k, "key %q is not in the schema", k.Value)
			case strings.HasPrefix(ap, "{"):
				var sub schemaNode
				if err := json.Unmarshal(s.AdditionalProperties, &sub); err != nil {
					v.fail(path, k, "bad additionalProperties: %v", err)
				}
				v.check(path+"."+k.Value, &sub, val)
			}
		}
		for _, r := range s.Required {
			if !keys[r] {
				v.fail(path, n, "required key %q is missing", r)
			}
		}
	}
	if n.Kind == yaml.SequenceNode && s.Items != nil {
		for i, it := range n.Content {
			v.check(fmt.Sprintf("%s[%d]", path, i), s.Items, it)
		}
	}
	return len(v.errs) == before
}

// TestBuiltinsMatchSchema validates every built-in policy against
// policy.schema.json: every key they use is declared there, with the type
// the schema gives it.
func TestBuiltinsMatchSchema(t *testing.T) {
	var root schemaNode
	require.NoError(t, json.Unmarshal(riskpolicy.Schema(), &root))
	for _, name := range riskpolicy.Builtins() {
		t.Run(name, func(t *testing.T) {
			src, err := riskpolicy.BuiltinSource(name)
			require.NoError(t, err)
			var doc yaml.Node
			require.NoError(t, yaml.Unmarshal(src, &doc))
			v := &validator{root: &root}
			v.check("policy", &root, doc.Content[0])
			require.Empty(t, v.errs)
		})
	}
	// The validator does reject what the schema forbids.
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte("policy: x\nindicators: {}\nlevels: [{name: a, colour: red}]\nrules: []\ncombine: max\n"), &doc))
	v := &validator{root: &root}
	v.check("policy", &root, doc.Content[0])
	require.Len(t, v.errs, 2, "%v", v.errs)
}
