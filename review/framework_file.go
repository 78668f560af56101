package review

import (
	"errors"

	"go.yaml.in/yaml/v4"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// ParseFramework reads a framework from YAML. name is the file's name, used
// in errors. The layout:
//
//	id: trust-qa
//	name: Trust quality assurance
//	replaces: false                                  # true to replace a built-in or earlier framework with this id
//	scale:
//	  grades: [secure, developing, not-yet-secure]   # best first; omit for an ungraded enquiry
//	areas:
//	  - id: reading
//	    name: Early reading
//	    evaluation: curriculum-and-teaching          # optional Ofsted evaluation area
//	    conditional: false                           # judged only where the school has it
//	    scale: {grades: [met, not-met]}              # optional, overrides the framework's
//	    questions: ["How well do pupils read?"]      # enquiry questions
//
// Every problem in the file is reported in one pass, as an ErrorList of
// *FileError with line and column; unknown keys are errors.
func ParseFramework(name string, src []byte) (*Framework, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlSyntaxError(name, err)
	}
	var errs ErrorList
	f := &Framework{}
	root := docRoot(&doc)
	if root == nil {
		errs.add(name, 1, 1, "", "empty framework file")
		return nil, errs.Err()
	}
	y := yamlWalker{file: name, errs: &errs}
	y.mapping(root, "", map[string]func(*yaml.Node){
		"id":       func(n *yaml.Node) { f.ID = FrameworkID(y.str(n, "id")) },
		"name":     func(n *yaml.Node) { f.Name = y.str(n, "name") },
		"replaces": func(n *yaml.Node) { f.Replaces = y.boolean(n, "replaces") },
		"scale":    func(n *yaml.Node) { f.Scale = y.scale(n, "scale") },
		"areas": func(n *yaml.Node) {
			y.seq(n, "areas", func(i int, an *yaml.Node) {
				a := Area{}
				y.mapping(an, "areas[]", map[string]func(*yaml.Node){
					"id":          func(n *yaml.Node) { a.ID = AreaID(y.str(n, "id")) },
					"name":        func(n *yaml.Node) { a.Name = y.str(n, "name") },
					"conditional": func(n *yaml.Node) { a.Conditional = y.boolean(n, "conditional") },
					"evaluation": func(n *yaml.Node) {
						v, err := partnership.ParseEvaluationArea(y.str(n, "evaluation"))
						if err != nil {
							y.errs.add(y.file, n.Line, n.Column, "evaluation", "%v", err)
						}
						a.Evaluation = v
					},
					"scale": func(n *yaml.Node) { s := y.scale(n, "scale"); a.Scale = &s },
					"questions": func(n *yaml.Node) {
						y.seq(n, "questions", func(_ int, q *yaml.Node) { a.Questions = append(a.Questions, y.str(q, "questions[]")) })
					},
				})
				if a.ID == "" {
					y.errs.add(name, an.Line, an.Column, "areas[].id", "missing")
				}
				for _, b := range f.Areas {
					if b.ID == a.ID && a.ID != "" {
						y.errs.add(name, an.Line, an.Column, "areas[].id", "area %q appears twice", a.ID)
					}
				}
				f.Areas = append(f.Areas, a)
			})
		},
	})
	if f.ID == "" {
		errs.add(name, root.Line, root.Column, "id", "missing")
	}
	if len(f.Areas) == 0 {
		errs.add(name, root.Line, root.Column, "areas", "a framework needs at least one area")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// yamlSyntaxError turns the YAML parser's error into a positioned one.
func yamlSyntaxError(name string, err error) error {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		var l ErrorList
		l.add(name, le.Mark.Line, le.Mark.Column, "", "%s", le.Message)
		return l.Err()
	}
	var l ErrorList
	l.add(name, 0, 0, "", "%v", err)
	return l.Err()
}

func docRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	if doc.Kind == 0 {
		return nil
	}
	return doc
}

// yamlWalker reads yaml.Nodes, recording every problem with its position.
type yamlWalker struct {
	file string
	errs *ErrorList
}

func (y yamlWalker) bad(n *yaml.Node, field, format string, a ...any) {
	y.errs.add(y.file, n.Line, n.Column, field, format, a...)
}

func (y yamlWalker) mapping(n *yaml.Node, field string, keys map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		y.bad(n, field, "want a mapping")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := keys[k.Value]
		switch {
		case !ok:
			y.bad(k, k.Value, "unknown key")
		case seen[k.Value]:
			y.bad(k, k.Value, "key appears twice")
		default:
			f(v)
		}
		seen[k.Value] = true
	}
}

func (y yamlWalker) seq(n *yaml.Node, field string, each func(int, *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		y.bad(n, field, "want a list")
		return
	}
	for i, c := range n.Content {
		each(i, c)
	}
}

func (y yamlWalker) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		y.bad(n, field, "want a string")
		return ""
	}
	return n.Value
}

func (y yamlWalker) boolean(n *yaml.Node, field string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		y.bad(n, field, "want true or false, got %q", n.Value)
	}
	return b
}

func (y yamlWalker) scale(n *yaml.Node, field string) Scale {
	var s Scale
	y.mapping(n, field, map[string]func(*yaml.Node){
		"grades": func(g *yaml.Node) {
			seen := map[string]bool{}
			y.seq(g, field+".grades", func(_ int, gn *yaml.Node) {
				v := y.str(gn, field+".grades[]")
				if v == "" || seen[v] {
					y.bad(gn, field+".grades[]", "grade %q is empty or repeated", v)
				}
				seen[v] = true
				s.Grades = append(s.Grades, v)
			})
		},
	})
	return s
}
