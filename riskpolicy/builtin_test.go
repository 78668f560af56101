package riskpolicy_test

import (
	"context"
	"testing"

	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

func TestBuiltinsCompileAndPass(t *testing.T) {
	for _, name := range riskpolicy.Builtins() {
		t.Run(name, func(t *testing.T) {
			p, err := riskpolicy.Builtin(name)
			if err != nil {
				var el riskpolicy.ErrorList
				if e, ok := err.(riskpolicy.ErrorList); ok {
					el = e
				}
				t.Fatalf("compile: %v\n%s", err, el.Caret())
			}
			if p.Tests() < 5 {
				t.Errorf("%d embedded tests, want at least 5", p.Tests())
			}
			for _, r := range p.Test(context.Background()) {
				if r.Err != nil || !r.Passed {
					t.Errorf("%s: %s: want %s %v, got %s %v (err %v)", r.Pos, r.Name, r.Want, r.WantFired, r.Got, r.GotFired, r.Err)
				}
			}
		})
	}
}
