package riskpolicy

// FastPath reports whether the rule's condition runs as a compiled Go
// closure rather than a CEL program (for tests only).
func FastPath(p *Policy, rule string) bool {
	for _, r := range p.declared {
		if r.Name == rule {
			return r.when != nil && r.when.fn != nil
		}
	}
	return false
}
