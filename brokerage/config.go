package brokerage

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Config is a matching configuration: which strategy and objective, which
// scorers with which weights, and which constraints, each a hard rule or a
// penalty. It is what a user writes in a YAML file (ParseConfig) or builds
// in code, and Options turns it into Broker options.
//
// The file's schema (every key optional; an omitted section keeps its
// defaults, a given section replaces them):
//
//	strategy: optimal            # optimal, stable or greedy
//	objective: urgent-first      # urgent-first or most-needs (optimal only)
//	precision: 2                 # decimal places of cost the optimal solver keeps (1-6)
//	scorers:                     # name: {weight: W}; weight 0 switches a scorer off
//	  distance: {weight: 1, unknown_km: 100}   # points per km; unknown distances as unknown_km
//	  evidence: {weight: 10}     # points per step of evidence below accredited
//	  context:  {weight: 1}      # points per point of FSM gap (see ContextFit)
//	  priority: {weight: 10}     # points per step below priority 5
//	  trust:    {weight: 25}     # points when the trust preference is not met
//	  load:     {weight: 5}      # points per candidate need per slot
//	  price:    {weight: 0.01}   # points per pound
//	constraints:                 # name: {...}; a constraint left out does not apply
//	  max-distance: {km: 50, allow_unknown: false}
//	  phase: {}                  # hard rules by default
//	  conflict: {}
//	  eligibility: {}
//	  format: {penalty: 30}      # a penalty: the pair stays, costing 30 points when the rule fails
//
// Every weight, km and penalty is a finite number ≥ 0; a constraint with a
// penalty is not hard (hard: true with a penalty is an error).
type Config struct {
	Strategy  string
	Objective Objective
	// Precision is Optimal.Precision: 0 means 2.
	Precision int
	// Scorers in the order they are listed; nil means DefaultScorers.
	Scorers []ScorerConfig
	// Constraints in the order they are listed; nil means
	// DefaultConstraints.
	Constraints []ConstraintConfig
}

// ScorerConfig is one scorer and its weight.
type ScorerConfig struct {
	Name      string  // distance, evidence, context, priority, trust, load or price
	Weight    float64 // 0 switches the scorer off
	UnknownKm float64 // distance only: the stand-in for an unknown distance
}

// ConstraintConfig is one constraint, hard or as a penalty.
type ConstraintConfig struct {
	Name string // max-distance, phase, conflict, eligibility or format
	// Penalty > 0 makes the constraint soft: a pair that fails it stays a
	// candidate and costs Penalty points (see Soft).
	Penalty      float64
	Km           float64 // max-distance only: the limit
	AllowUnknown bool    // max-distance only: MaxDistance.AllowUnknown
}

var scorerNames = []string{"distance", "evidence", "context", "priority", "trust", "load", "price"}
var constraintNames = []string{"max-distance", "phase", "conflict", "eligibility", "format"}

// DefaultConfig returns the configuration a Broker has without options:
// the optimal strategy with UrgentFirst, DefaultScorers and
// DefaultConstraints.
func DefaultConfig() *Config { return &Config{Strategy: "optimal"} }

// Options returns the Broker options the configuration describes, or an
// error wrapping ErrInvalid naming the first bad entry.
func (c *Config) Options() ([]Option, error) {
	var s Strategy
	switch c.Strategy {
	case "", "optimal":
		s = Optimal{Objective: c.Objective, Precision: c.Precision}
	case "stable":
		s = Stable{}
	case "greedy":
		s = Greedy{}
	default:
		return nil, fmt.Errorf("%w: strategy %q: want optimal, stable or greedy", ErrInvalid, c.Strategy)
	}
	opts := []Option{WithStrategy(s)}
	if c.Scorers != nil {
		scorers := []Scorer{}
		for _, sc := range c.Scorers {
			if !finiteNonNeg(sc.Weight) || !finiteNonNeg(sc.UnknownKm) {
				return nil, fmt.Errorf("%w: scorer %s: weights must be finite and not negative", ErrInvalid, sc.Name)
			}
			if sc.Weight == 0 {
				continue
			}
			var x Scorer
			switch sc.Name {
			case "distance":
				x = Distance{PerKm: sc.Weight, UnknownKm: sc.UnknownKm}
			case "evidence":
				x = EvidenceStrength{Weight: sc.Weight}
			case "context":
				x = ContextFit{Weight: sc.Weight}
			case "priority":
				x = PriorityWeight{Weight: sc.Weight}
			case "trust":
				x = TrustPreferenceFit{Weight: sc.Weight}
			case "load":
				x = LoadBalance{Weight: sc.Weight}
			case "price":
				x = Price{PerPound: sc.Weight}
			default:
				return nil, fmt.Errorf("%w: unknown scorer %q (want %s)", ErrInvalid, sc.Name, strings.Join(scorerNames, ", "))
			}
			scorers = append(scorers, x)
		}
		opts = append(opts, WithScorers(scorers...))
	}
	if c.Constraints != nil {
		var hard []Constraint
		var soft []Scorer
		for _, cc := range c.Constraints {
			if !finiteNonNeg(cc.Penalty) || !finiteNonNeg(cc.Km) {
				return nil, fmt.Errorf("%w: constraint %s: values must be finite and not negative", ErrInvalid, cc.Name)
			}
			var x Constraint
			switch cc.Name {
			case "max-distance":
				if cc.Km <= 0 {
					return nil, fmt.Errorf("%w: constraint max-distance: km must be positive", ErrInvalid)
				}
				x = MaxDistance{Km: cc.Km, AllowUnknown: cc.AllowUnknown}
			case "phase":
				x = PhaseCompatible{}
			case "conflict":
				x = ConflictOfInterest{}
			case "eligibility":
				x = Eligible{}
			case "format":
				x = FormatCompatible{}
			default:
				return nil, fmt.Errorf("%w: unknown constraint %q (want %s)", ErrInvalid, cc.Name, strings.Join(constraintNames, ", "))
			}
			if cc.Penalty > 0 {
				soft = append(soft, Soft{Constraint: x, Points: cc.Penalty})
			} else {
				hard = append(hard, x)
			}
		}
		opts = append(opts, WithConstraints(hard...))
		if len(soft) > 0 {
			opts = append(opts, withExtraScorers(soft))
		}
	}
	return opts, nil
}

// withExtraScorers appends scorers to whatever scorers the broker has when
// the option is applied (the soft constraints of a Config).
func withExtraScorers(s []Scorer) Option {
	return func(b *Broker) { b.scorers = append(slices.Clip(b.scorers), s...) }
}

func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }

// Soft turns a Constraint into a penalty: a Scorer that costs Points when
// the constraint would exclude the pair, and nothing otherwise. Its name is
// "soft-" and the constraint's name.
type Soft struct {
	Constraint Constraint
	Points     float64
}

// Name returns "soft-" and the constraint's name.
func (s Soft) Name() string { return "soft-" + s.Constraint.Name() }

// Score returns Points when the constraint fails, else 0.
func (s Soft) Score(p Pair) float64 {
	if !allows(s.Constraint, p) {
		return s.Points
	}
	return 0
}

// ConfigError is a problem in a configuration file at a 1-based line and
// column.
type ConfigError struct {
	File         string
	Line, Column int
	Key          string // the key's path, e.g. "scorers.distance.weight"
	Msg          string
}

// Error returns "file:line:column: key: message".
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Column, e.Key, e.Msg)
}

// Unwrap returns ErrInvalid.
func (e *ConfigError) Unwrap() error { return ErrInvalid }

// ConfigErrors are every problem in a configuration file, in file order.
type ConfigErrors []*ConfigError

// Error returns the errors, one a line.
func (l ConfigErrors) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the errors, so that errors.Is(err, ErrInvalid) holds.
func (l ConfigErrors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// ParseConfig reads a matching configuration from YAML (see Config for the
// schema). Every problem in the file (unknown keys, values of the wrong
// type or out of range, a hard constraint with a penalty, duplicate names)
// is reported in one pass as ConfigErrors, each with its line and column;
// name is the file's name in the messages.
func ParseConfig(name string, src []byte) (*Config, error) {
	c := DefaultConfig()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &ConfigError{File: name, Line: 1, Column: 1, Key: "(file)", Msg: err.Error()}
	}
	w := &configWalker{file: name}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	w.mapping(root, "", func(key string, k, v *yaml.Node) {
		switch key {
		case "strategy":
			c.Strategy = w.str(v, key)
			if !slices.Contains([]string{"optimal", "stable", "greedy"}, c.Strategy) {
				w.bad(v, key, "want optimal, stable or greedy, got %q", c.Strategy)
			}
		case "objective":
			if err := c.Objective.UnmarshalText([]byte(w.str(v, key))); err != nil {
				w.bad(v, key, "want urgent-first or most-needs, got %q", v.Value)
			}
		case "precision":
			c.Precision = int(w.num(v, key))
			if c.Precision < 1 || c.Precision > 6 {
				w.bad(v, key, "want 1 to 6, got %s", v.Value)
			}
		case "scorers":
			c.Scorers = []ScorerConfig{}
			w.mapping(v, key, func(sname string, sk, sv *yaml.Node) {
				path := key + "." + sname
				if !slices.Contains(scorerNames, sname) {
					w.bad(sk, path, "unknown scorer (want %s)", strings.Join(scorerNames, ", "))
					return
				}
				sc := ScorerConfig{Name: sname}
				w.mapping(sv, path, func(f string, fk, fv *yaml.Node) {
					switch {
					case f == "weight":
						sc.Weight = w.nonNeg(fv, path+".weight")
					case f == "unknown_km" && sname == "distance":
						sc.UnknownKm = w.nonNeg(fv, path+".unknown_km")
					default:
						w.bad(fk, path+"."+f, "unknown key")
					}
				})
				c.Scorers = append(c.Scorers, sc)
			})
		case "constraints":
			c.Constraints = []ConstraintConfig{}
			w.mapping(v, key, func(cname string, ck, cv *yaml.Node) {
				path := key + "." + cname
				if !slices.Contains(constraintNames, cname) {
					w.bad(ck, path, "unknown constraint (want %s)", strings.Join(constraintNames, ", "))
					return
				}
				cc := ConstraintConfig{Name: cname}
				var hard, hardGiven bool
				var hardNode *yaml.Node
				w.mapping(cv, path, func(f string, fk, fv *yaml.Node) {
					switch {
					case f == "hard":
						hard, hardGiven, hardNode = w.boolean(fv, path+".hard"), true, fv
					case f == "penalty":
						cc.Penalty = w.nonNeg(fv, path+".penalty")
					case f == "km" && cname == "max-distance":
						cc.Km = w.nonNeg(fv, path+".km")
					case f == "allow_unknown" && cname == "max-distance":
						cc.AllowUnknown = w.boolean(fv, path+".allow_unknown")
					default:
						w.bad(fk, path+"."+f, "unknown key")
					}
				})
				if hardGiven && hard && cc.Penalty > 0 {
					w.bad(hardNode, path+".hard", "a hard constraint has no penalty; drop hard or penalty")
				}
				if hardGiven && !hard && cc.Penalty == 0 {
					w.bad(hardNode, path+".hard", "a constraint that is not hard needs a penalty > 0")
				}
				if cname == "max-distance" && cc.Km == 0 {
					w.bad(ck, path+".km", "the distance limit km is required and must be positive")
				}
				c.Constraints = append(c.Constraints, cc)
			})
		default:
			w.bad(k, key, "unknown key (want strategy, objective, precision, scorers or constraints)")
		}
	})
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	return c, nil
}

type configWalker struct {
	file string
	errs ConfigErrors
}

func (w *configWalker) bad(n *yaml.Node, key, format string, args ...any) {
	w.errs = append(w.errs, &ConfigError{File: w.file, Line: n.Line, Column: n.Column, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// mapping calls f for each key of a mapping node, in order, reporting
// duplicate keys and a node that is not a mapping.
func (w *configWalker) mapping(n *yaml.Node, path string, f func(key string, k, v *yaml.Node)) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		w.bad(n, strings.TrimPrefix(path, "."), "want a mapping of keys to values")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p := k.Value
			if path != "" {
				p = path + "." + p
			}
			w.bad(k, p, "given twice")
			continue
		}
		seen[k.Value] = true
		f(k.Value, k, v)
	}
}

func (w *configWalker) str(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		w.bad(n, key, "want a string")
		return ""
	}
	return n.Value
}

func (w *configWalker) num(n *yaml.Node, key string) float64 {
	var v float64
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		w.bad(n, key, "want a finite number, got %q", n.Value)
		return 0
	}
	return v
}

func (w *configWalker) nonNeg(n *yaml.Node, key string) float64 {
	v := w.num(n, key)
	if v < 0 {
		w.bad(n, key, "must not be negative, got %s", n.Value)
		return 0
	}
	return v
}

func (w *configWalker) boolean(n *yaml.Node, key string) bool {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		w.bad(n, key, "want true or false, got %q", n.Value)
	}
	return v
}
