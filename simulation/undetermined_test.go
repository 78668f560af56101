package simulation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

// peerPolicy reads the latest peer review, which the model has not
// produced for a school never peer reviewed; missing is the policy's
// missing setting ("" for the default, undetermined).
func peerPolicy(t *testing.T, missing string) *riskpolicy.Policy {
	t.Helper()
	src := "policy: peer-concern\nperiod: term\ncombine: highest\n"
	if missing != "" {
		src += "missing: " + missing + "\n"
	}
	src += `scales:
  rc: [exceptional, strong_standard, expected_standard, needs_attention, urgent_improvement]
indicators:
  peer_review:
    type: areas
    scale: rc
    areas: [inclusion, curriculum_and_teaching, achievement, attendance_and_behaviour, personal_development, leadership_and_governance]
    source: peer review
levels:
  - name: fine
  - name: concern
rules:
  - name: weak_leadership_in_peer_review
    when: peer_review.leadership_and_governance != rc.exceptional
    level: concern
`
	pol, err := riskpolicy.Compile("peer.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// A policy that cannot decide a school's level (a rule needs a peer review
// the school never had) fails the run, counting the schools, rather than
// grading them at the level's lower bound ("fine").
func TestRunUndeterminedLevelFails(t *testing.T) {
	w := simulation.Generate(simulation.GenerateOptions{Schools: 120, Seed: 3})
	cfg := simulation.Config{World: w, Structure: simulation.None(), Policy: peerPolicy(t, ""),
		Strategy: brokerage.Greedy{}, Params: simulation.DefaultParams(), Terms: 2, Seed: 7}
	_, err := simulation.Run(context.Background(), cfg)
	if err == nil {
		t.Fatal("a run whose policy could not decide levels succeeded")
	}
	if !errors.Is(err, simulation.ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	for _, want := range []string{"term 1", "could not decide the level of", "peer_review", "missing: skip"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// The same policy with missing: skip decides every level and runs.
	cfg.Policy = peerPolicy(t, "skip")
	if _, err := simulation.Run(context.Background(), cfg); err != nil {
		t.Fatalf("missing: skip: %v", err)
	}
}
