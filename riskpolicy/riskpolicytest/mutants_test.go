package riskpolicytest_test

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fulcrum-edu/fulcrum/internal/mutation"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/riskpolicytest"
)

// overrideBugs are deliberately broken override stores the suite must
// fail on.
var overrideBugs = []string{
	"overlap-unchecked",
	"overlap-across-policies",
	"overlap-ignores-early-end",
	"supersede-leaves-old-live",
	"supersede-any-school",
	"supersede-ended",
	"supersede-unknown",
	"put-not-atomic",
	"end-withdraw-after-expiry",
	"end-expired-any-time",
	"end-twice",
	"end-forgets-how",
	"end-any-how",
	"end-unknown",
}

// Each broken store fails the suite, run in a child process (this test
// binary, selecting the bug by environment); the same store without a
// bug passes.
func TestSuiteCatchesEveryOverrideBug(t *testing.T) {
	mutation.Score(t, "RISKPOLICYTEST_BUG", "TestOverrideMutantChild", overrideBugs)
}

// TestOverrideMutantChild runs the suite and the lies on the store with the
// bug named in the environment; it does nothing in a normal run.
func TestOverrideMutantChild(t *testing.T) {
	bug := mutation.Bug("RISKPOLICYTEST_BUG")
	if bug == "" {
		return
	}
	newStore := func(*testing.T) riskpolicy.Store {
		return &mutant{MemoryStore: riskpolicy.NewMemoryStore(), bug: bug, idx: map[riskpolicy.OverrideID]int{}}
	}
	riskpolicytest.Run(t, newStore)
	riskpolicytest.RunLies(t, newStore)
}

// mutant keeps overrides itself, with one planted bug, and everything else
// in a MemoryStore.
type mutant struct {
	*riskpolicy.MemoryStore
	bug string
	mu  sync.Mutex
	ovs []riskpolicy.Override
	idx map[riskpolicy.OverrideID]int
}

func (m *mutant) PutOverride(ctx context.Context, o riskpolicy.Override) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.idx[o.ID]; dup {
		return riskpolicy.ErrConflict
	}
	sup := -1
	if o.Supersedes != "" {
		i, ok := m.idx[o.Supersedes]
		if !ok && m.bug != "supersede-unknown" {
			return riskpolicy.ErrNotFound
		}
		if ok {
			old := &m.ovs[i]
			if (old.Policy != o.Policy || old.URN != o.URN) && m.bug != "supersede-any-school" {
				return riskpolicy.ErrNotFound
			}
			if (!old.Ended.IsZero() || !old.ActiveAt(o.At)) && m.bug != "supersede-ended" {
				return riskpolicy.ErrConflict
			}
			sup = i
		}
	}
	for i := range m.ovs {
		old := &m.ovs[i]
		overlaps := old.Overlaps(&o)
		switch m.bug {
		case "overlap-unchecked":
			overlaps = false
		case "overlap-across-policies":
			overlaps = old.URN == o.URN && old.At.Before(o.Expires) && o.At.Before(old.Until())
		case "overlap-ignores-early-end":
			overlaps = old.Policy == o.Policy && old.URN == o.URN && old.At.Before(o.Expires) && o.At.Before(old.Expires)
		}
		live := old.Ended.IsZero() || m.bug == "overlap-ignores-early-end"
		if i != sup && live && overlaps {
			return riskpolicy.ErrConflict
		}
	}
	if m.bug == "put-not-atomic" {
		m.mu.Unlock()
		time.Sleep(time.Millisecond)
		m.mu.Lock()
	}
	if sup >= 0 && m.bug != "supersede-leaves-old-live" {
		m.ovs[sup].Ended, m.ovs[sup].EndedHow = o.At, riskpolicy.EndSuperseded
	}
	m.idx[o.ID] = len(m.ovs)
	m.ovs = append(m.ovs, o)
	return nil
}

func (m *mutant) EndOverride(ctx context.Context, id riskpolicy.OverrideID, at time.Time, how riskpolicy.End) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.idx[id]
	if !ok {
		if m.bug == "end-unknown" {
			return nil
		}
		return riskpolicy.ErrNotFound
	}
	o := &m.ovs[i]
	switch {
	case how != riskpolicy.EndWithdrawn && how != riskpolicy.EndExpired && m.bug != "end-any-how":
		return riskpolicy.ErrInvalid
	case how == riskpolicy.EndExpired && !at.Equal(o.Expires) && m.bug != "end-expired-any-time":
		return riskpolicy.ErrInvalid
	case !o.Ended.IsZero() && m.bug != "end-twice":
		return riskpolicy.ErrConflict
	case how == riskpolicy.EndWithdrawn && !at.Before(o.Expires) && m.bug != "end-withdraw-after-expiry":
		return riskpolicy.ErrConflict
	}
	o.Ended = at
	if m.bug != "end-forgets-how" {
		o.EndedHow = how
	}
	return nil
}

func (m *mutant) Overrides(ctx context.Context, policy string, urn partnership.URN) ([]riskpolicy.Override, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []riskpolicy.Override{}
	for _, o := range m.ovs {
		if o.Policy == policy && (urn == 0 || o.URN == urn) {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b riskpolicy.Override) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}
