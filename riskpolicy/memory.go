package riskpolicy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// MemoryStore is a Store held in memory: the zero-setup default and the
// reference implementation. Its zero value is not usable; call
// NewMemoryStore. It is safe for concurrent use.
type MemoryStore struct {
	mu          sync.RWMutex
	assessments map[assessKey][]*Assessment // oldest At first
	overrides   []Override
	overrideIdx map[OverrideID]int
	audit       []AuditEntry
}

type assessKey struct {
	policy string
	urn    partnership.URN
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{assessments: map[assessKey][]*Assessment{}, overrideIdx: map[OverrideID]int{}}
}

// PutAssessment implements AssessmentStore.
func (m *MemoryStore) PutAssessment(ctx context.Context, a *Assessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := assessKey{a.Policy, a.URN}
	list := m.assessments[k]
	i, found := slices.BinarySearchFunc(list, a.At, func(x *Assessment, t time.Time) int { return x.At.Compare(t) })
	if found {
		return fmt.Errorf("assessment of school %d under %s at %s: %w", a.URN, a.Policy, a.At.Format(time.RFC3339), ErrConflict)
	}
	m.assessments[k] = slices.Insert(list, i, a.Clone())
	return nil
}

// LatestAssessment implements AssessmentStore.
func (m *MemoryStore) LatestAssessment(ctx context.Context, policy string, urn partnership.URN) (*Assessment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.assessments[assessKey{policy, urn}]
	if len(list) == 0 {
		return nil, fmt.Errorf("assessment of school %d under %s: %w", urn, policy, ErrNotFound)
	}
	return list[len(list)-1].Clone(), nil
}

// Assessments implements AssessmentStore; the cursor counts the
// assessments already returned.
func (m *MemoryStore) Assessments(ctx context.Context, policy string, urn partnership.URN, cursor string, limit int) ([]*Assessment, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	start, err := offsetCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = 100
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	list := m.assessments[assessKey{policy, urn}]
	out := []*Assessment{}
	for i := len(list) - 1 - start; i >= 0 && len(out) < limit; i-- {
		out = append(out, list[i].Clone())
	}
	next := ""
	if start+len(out) < len(list) {
		next = strconv.Itoa(start + len(out))
	}
	return out, next, nil
}

func offsetCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(c)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: bad cursor %q", ErrInvalid, c)
	}
	return n, nil
}

// PutOverride implements OverrideStore.
func (m *MemoryStore) PutOverride(ctx context.Context, o Override) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.overrideIdx[o.ID]; dup {
		return fmt.Errorf("override %s: %w", o.ID, ErrConflict)
	}
	sup := -1
	if o.Supersedes != "" {
		i, ok := m.overrideIdx[o.Supersedes]
		if !ok || m.overrides[i].Policy != o.Policy || m.overrides[i].URN != o.URN {
			return fmt.Errorf("override %s supersedes %s: %w for policy %s and school %d", o.ID, o.Supersedes, ErrNotFound, o.Policy, o.URN)
		}
		if old := &m.overrides[i]; !old.Ended.IsZero() || !old.ActiveAt(o.At) {
			return fmt.Errorf("override %s supersedes %s: %w: that override is not in force at %s", o.ID, o.Supersedes, ErrConflict, o.At.Format(time.RFC3339))
		}
		sup = i
	}
	for i := range m.overrides {
		if old := &m.overrides[i]; i != sup && old.Ended.IsZero() && old.Overlaps(&o) {
			return fmt.Errorf("override %s: %w: it overlaps override %s by %s until %s", o.ID, ErrConflict, old.ID, old.By, old.Expires.Format(time.RFC3339))
		}
	}
	if sup >= 0 {
		m.overrides[sup].Ended, m.overrides[sup].EndedHow = o.At, EndSuperseded
	}
	m.overrideIdx[o.ID] = len(m.overrides)
	m.overrides = append(m.overrides, o)
	return nil
}

// EndOverride implements OverrideStore.
func (m *MemoryStore) EndOverride(ctx context.Context, id OverrideID, at time.Time, how End) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.overrideIdx[id]
	if !ok {
		return fmt.Errorf("override %s: %w", id, ErrNotFound)
	}
	o := &m.overrides[i]
	switch {
	case how != EndWithdrawn && how != EndExpired:
		return fmt.Errorf("override %s: %w: an override ends withdrawn or expired, not %q", id, ErrInvalid, how)
	case how == EndExpired && !at.Equal(o.Expires):
		return fmt.Errorf("override %s: %w: it expires at %s, not %s", id, ErrInvalid, o.Expires.Format(time.RFC3339), at.Format(time.RFC3339))
	case !o.Ended.IsZero():
		return fmt.Errorf("override %s: %w: already %s at %s", id, ErrConflict, o.EndedHow, o.Ended.Format(time.RFC3339))
	case how == EndWithdrawn && !at.Before(o.Expires):
		return fmt.Errorf("override %s: %w: it expired at %s, it cannot be withdrawn", id, ErrConflict, o.Expires.Format(time.RFC3339))
	}
	o.Ended, o.EndedHow = at, how
	return nil
}

// Overrides implements OverrideStore.
func (m *MemoryStore) Overrides(ctx context.Context, policy string, urn partnership.URN) ([]Override, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []Override{}
	for _, o := range m.overrides {
		if o.Policy == policy && (urn == 0 || o.URN == urn) {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b Override) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// AppendAudit implements AuditLog.
func (m *MemoryStore) AppendAudit(ctx context.Context, e AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.Seq = int64(len(m.audit) + 1)
	m.audit = append(m.audit, e)
	return nil
}

// Audit implements AuditLog; the cursor is the last Seq returned.
func (m *MemoryStore) Audit(ctx context.Context, cursor string, limit int) ([]AuditEntry, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	start, err := offsetCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = 100
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start > len(m.audit) {
		start = len(m.audit)
	}
	end := min(len(m.audit), start+limit)
	out := slices.Clone(m.audit[start:end])
	if out == nil {
		out = []AuditEntry{}
	}
	next := ""
	if end < len(m.audit) {
		next = strconv.Itoa(end)
	}
	return out, next, nil
}
