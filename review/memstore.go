package review

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// MemoryStore is the in-memory Store: the zero-setup default and the
// reference for other implementations. The zero value is not ready; use
// NewMemoryStore. It is safe for concurrent use.
type MemoryStore struct {
	mu         sync.RWMutex
	programmes map[ProgrammeID]Programme
	cycles     map[CycleID]Cycle
	reviews    map[ReviewID]Review
	consents   []Consent
	audit      []AuditEntry
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{programmes: map[ProgrammeID]Programme{}, cycles: map[CycleID]Cycle{}, reviews: map[ReviewID]Review{}}
}

// PutProgramme implements ProgrammeStore.
func (m *MemoryStore) PutProgramme(ctx context.Context, p Programme) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.programmes[p.ID]; ok {
		return fmt.Errorf("programme %s: %w", p.ID, ErrConflict)
	}
	m.programmes[p.ID] = p
	return nil
}

// Programme implements ProgrammeStore.
func (m *MemoryStore) Programme(ctx context.Context, id ProgrammeID) (Programme, error) {
	if err := ctx.Err(); err != nil {
		return Programme{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.programmes[id]
	if !ok {
		return Programme{}, fmt.Errorf("programme %s: %w", id, ErrNotFound)
	}
	return p, nil
}

// PutCycle implements ProgrammeStore.
func (m *MemoryStore) PutCycle(ctx context.Context, c Cycle) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.cycles[c.ID]; ok {
		return fmt.Errorf("cycle %s: %w", c.ID, ErrConflict)
	}
	m.cycles[c.ID] = c
	return nil
}

// Cycle implements ProgrammeStore.
func (m *MemoryStore) Cycle(ctx context.Context, id CycleID) (Cycle, error) {
	if err := ctx.Err(); err != nil {
		return Cycle{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.cycles[id]
	if !ok {
		return Cycle{}, fmt.Errorf("cycle %s: %w", id, ErrNotFound)
	}
	return c, nil
}

// CreateReview implements ReviewStore.
func (m *MemoryStore) CreateReview(ctx context.Context, r Review) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.reviews[r.ID]; ok {
		return fmt.Errorf("review %s: %w", r.ID, ErrConflict)
	}
	m.reviews[r.ID] = cloneReview(r)
	return nil
}

// Review implements ReviewStore.
func (m *MemoryStore) Review(ctx context.Context, id ReviewID) (Review, error) {
	if err := ctx.Err(); err != nil {
		return Review{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.reviews[id]
	if !ok {
		return Review{}, fmt.Errorf("review %s: %w", id, ErrNotFound)
	}
	return cloneReview(r), nil
}

// UpdateReview implements ReviewStore.
func (m *MemoryStore) UpdateReview(ctx context.Context, r Review) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.reviews[r.ID]
	if !ok {
		return fmt.Errorf("review %s: %w", r.ID, ErrNotFound)
	}
	if old.Version != r.Version {
		return fmt.Errorf("review %s: version %d, stored %d: %w", r.ID, r.Version, old.Version, ErrConflict)
	}
	r = cloneReview(r)
	r.Version++
	m.reviews[r.ID] = r
	return nil
}

// ListReviews implements ReviewStore.
func (m *MemoryStore) ListReviews(ctx context.Context, q ReviewQuery, cursor string, limit int) ([]Review, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = 100
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := make([]ReviewID, 0, len(m.reviews))
	for id, r := range m.reviews {
		if (q.Cycle == "" || r.Cycle == q.Cycle) && (q.School == 0 || r.School == q.School) && id > ReviewID(cursor) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	next := ""
	if len(ids) > limit {
		ids = ids[:limit]
		next = string(ids[limit-1])
	}
	out := make([]Review, len(ids))
	for i, id := range ids {
		out[i] = cloneReview(m.reviews[id])
	}
	return out, next, nil
}

// AddConsent implements ConsentStore.
func (m *MemoryStore) AddConsent(ctx context.Context, c Consent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.consents {
		if o.ID == c.ID {
			return fmt.Errorf("consent %s: %w", c.ID, ErrConflict)
		}
	}
	c.Parts = slices.Clone(c.Parts)
	m.consents = append(m.consents, c)
	return nil
}

// Consents implements ConsentStore.
func (m *MemoryStore) Consents(ctx context.Context, school partnership.URN) ([]Consent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []Consent{}
	for _, c := range m.consents {
		if c.School == school {
			c.Parts = slices.Clone(c.Parts)
			out = append(out, c)
		}
	}
	return out, nil
}

// RevokeConsent implements ConsentStore.
func (m *MemoryStore) RevokeConsent(ctx context.Context, c Consent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.consents {
		if m.consents[i].ID == c.ID {
			m.consents[i].RevokedAt = c.RevokedAt
			return nil
		}
	}
	return fmt.Errorf("consent %s: %w", c.ID, ErrNotFound)
}

// AppendAudit implements AuditLog.
func (m *MemoryStore) AppendAudit(ctx context.Context, e AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.Parts = slices.Clone(e.Parts)
	m.audit = append(m.audit, e)
	return nil
}

// Audit implements AuditLog. The cursor is the position in the log.
func (m *MemoryStore) Audit(ctx context.Context, school partnership.URN, cursor string, limit int) ([]AuditEntry, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = 100
	}
	start := 0
	if cursor != "" {
		n, err := strconv.Atoi(cursor)
		if err != nil || n < 0 {
			return nil, "", fmt.Errorf("%w: audit cursor %q", ErrInvalid, cursor)
		}
		start = n
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []AuditEntry{}
	for i := start; i < len(m.audit); i++ {
		if m.audit[i].School != school {
			continue
		}
		if len(out) == limit {
			return out, strconv.Itoa(i), nil
		}
		e := m.audit[i]
		e.Parts = slices.Clone(e.Parts)
		out = append(out, e)
	}
	return out, "", nil
}

func cloneReview(r Review) Review {
	r.Team = slices.Clone(r.Team)
	r.Deadlines = slices.Clone(r.Deadlines)
	r.SelfEvaluation = slices.Clone(r.SelfEvaluation)
	r.Plan.Focus = slices.Clone(r.Plan.Focus)
	r.Plan.Hypotheses = slices.Clone(r.Plan.Hypotheses)
	r.Findings.Estimates = slices.Clone(r.Findings.Estimates)
	r.Findings.Strengths = slices.Clone(r.Findings.Strengths)
	r.Findings.AreasForDevelopment = slices.Clone(r.Findings.AreasForDevelopment)
	r.Excellence = slices.Clone(r.Excellence)
	r.Improvement.Actions = slices.Clone(r.Improvement.Actions)
	return r
}
