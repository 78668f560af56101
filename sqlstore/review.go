package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// ReviewStore is a review.Store on a DB: programmes, cycles, reviews (with
// optimistic versions checked in the UPDATE itself), consents in the order
// added, and the append-only read audit.
type ReviewStore struct{ db *DB }

var _ review.Store = (*ReviewStore)(nil)

// Review returns the DB's review store.
func (s *DB) Review() *ReviewStore { return &ReviewStore{db: s} }

func (rs *ReviewStore) mapErr(ctx context.Context, err error, op string, id any) error {
	return mapErr(ctx, err, review.ErrConflict, review.ErrNotFound, op, id)
}

func (rs *ReviewStore) exec(ctx context.Context, q querier, op string, id any, query string, args ...any) error {
	_, err := q.ExecContext(ctx, rs.db.rebind(query), args...)
	return rs.mapErr(ctx, err, op, id)
}

func getR[T any](ctx context.Context, rs *ReviewStore, q querier, query string, id string, op string) (T, error) {
	return getDoc[T](ctx, rs.db, q, query, []any{id}, review.ErrConflict, review.ErrNotFound, op, id)
}

// PutProgramme implements review.ProgrammeStore.
func (rs *ReviewStore) PutProgramme(ctx context.Context, p review.Programme) error {
	doc, err := marshal(p)
	if err != nil {
		return err
	}
	return rs.exec(ctx, rs.db.sql, "put programme", p.ID, "INSERT INTO review_programmes (id, doc) VALUES (?, ?)", string(p.ID), doc)
}

// Programme implements review.ProgrammeStore.
func (rs *ReviewStore) Programme(ctx context.Context, id review.ProgrammeID) (review.Programme, error) {
	return getR[review.Programme](ctx, rs, rs.db.sql, "SELECT doc FROM review_programmes WHERE id = ?", string(id), "programme")
}

// PutCycle implements review.ProgrammeStore.
func (rs *ReviewStore) PutCycle(ctx context.Context, c review.Cycle) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return rs.exec(ctx, rs.db.sql, "put cycle", c.ID, "INSERT INTO review_cycles (id, doc) VALUES (?, ?)", string(c.ID), doc)
}

// Cycle implements review.ProgrammeStore.
func (rs *ReviewStore) Cycle(ctx context.Context, id review.CycleID) (review.Cycle, error) {
	return getR[review.Cycle](ctx, rs, rs.db.sql, "SELECT doc FROM review_cycles WHERE id = ?", string(id), "cycle")
}

// Programmes returns every programme, by ID (an empty slice when there
// are none). It is not part of review.Store: a tool lists what it stored.
func (rs *ReviewStore) Programmes(ctx context.Context) ([]review.Programme, error) {
	return listDocs[review.Programme](ctx, rs.db, rs.db.sql, "SELECT doc FROM review_programmes ORDER BY id", nil,
		review.ErrConflict, review.ErrNotFound, "programmes", "")
}

// Cycles returns the cycles of the programme, or of every programme when
// programme is "", by ID (an empty slice when there are none). It is not
// part of review.Store: a tool lists what it stored.
func (rs *ReviewStore) Cycles(ctx context.Context, programme review.ProgrammeID) ([]review.Cycle, error) {
	all, err := listDocs[review.Cycle](ctx, rs.db, rs.db.sql, "SELECT doc FROM review_cycles ORDER BY id", nil,
		review.ErrConflict, review.ErrNotFound, "cycles", programme)
	if err != nil || programme == "" {
		return all, err
	}
	out := all[:0]
	for _, c := range all {
		if c.Programme == programme {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateReview implements review.ReviewStore.
func (rs *ReviewStore) CreateReview(ctx context.Context, r review.Review) error {
	doc, err := marshal(r)
	if err != nil {
		return err
	}
	return rs.exec(ctx, rs.db.sql, "create review", r.ID, "INSERT INTO reviews (id, cycle, school, version, doc) VALUES (?, ?, ?, ?, ?)",
		string(r.ID), string(r.Cycle), int64(r.School), r.Version, doc)
}

// Review implements review.ReviewStore.
func (rs *ReviewStore) Review(ctx context.Context, id review.ReviewID) (review.Review, error) {
	return getR[review.Review](ctx, rs, rs.db.sql, "SELECT doc FROM reviews WHERE id = ?", string(id), "review")
}

// UpdateReview implements review.ReviewStore. The version is compared in
// the UPDATE's WHERE clause, so of two writers that read one version only
// one succeeds.
func (rs *ReviewStore) UpdateReview(ctx context.Context, r review.Review) error {
	read := r.Version
	r.Version++
	doc, err := marshal(r)
	if err != nil {
		return err
	}
	return updateVersioned(ctx, rs.db, "UPDATE reviews SET cycle = ?, school = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
		[]any{string(r.Cycle), int64(r.School), r.Version, doc, string(r.ID), read}, "reviews", string(r.ID), read,
		review.ErrConflict, review.ErrNotFound, "update review")
}

// ListReviews implements review.ReviewStore. The cursor is the last ID of
// the page.
func (rs *ReviewStore) ListReviews(ctx context.Context, q review.ReviewQuery, cursor string, limit int) ([]review.Review, string, error) {
	pq := pageQuery{table: "reviews", key: "id"}
	if q.Cycle != "" {
		pq.and("cycle = ?", string(q.Cycle))
	}
	if q.School != 0 {
		pq.and("school = ?", int64(q.School))
	}
	var after any
	if cursor != "" {
		after = cursor
	}
	items, more, err := runPage[review.Review](ctx, rs.db, pq, after, pageLimit(limit, defaultPage), review.ErrConflict, review.ErrNotFound, "list reviews")
	if err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		next = string(items[len(items)-1].ID)
	}
	return items, next, nil
}

// AddConsent implements review.ConsentStore.
func (rs *ReviewStore) AddConsent(ctx context.Context, c review.Consent) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return rs.exec(ctx, rs.db.sql, "add consent", c.ID, "INSERT INTO review_consents (id, school, doc) VALUES (?, ?, ?)", string(c.ID), int64(c.School), doc)
}

// Consents implements review.ConsentStore.
func (rs *ReviewStore) Consents(ctx context.Context, school partnership.URN) ([]review.Consent, error) {
	return listDocs[review.Consent](ctx, rs.db, rs.db.sql, "SELECT doc FROM review_consents WHERE school = ? ORDER BY seq",
		[]any{int64(school)}, review.ErrConflict, review.ErrNotFound, "consents", school)
}

// RevokeConsent implements review.ConsentStore: it reads and rewrites the
// consent in one transaction.
func (rs *ReviewStore) RevokeConsent(ctx context.Context, c review.Consent) error {
	lock := ""
	if rs.db.dialect == PostgreSQL {
		lock = " FOR UPDATE"
	}
	return rs.db.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := getR[review.Consent](ctx, rs, tx, "SELECT doc FROM review_consents WHERE id = ?"+lock, string(c.ID), "revoke consent")
		if err != nil {
			return err
		}
		stored.RevokedAt = c.RevokedAt
		doc, err := marshal(stored)
		if err != nil {
			return err
		}
		return rs.exec(ctx, tx, "revoke consent", c.ID, "UPDATE review_consents SET doc = ? WHERE id = ?", doc, string(c.ID))
	})
}

// AppendAudit implements review.AuditLog. Appends are serialised, so
// entries are read in the order they were committed.
func (rs *ReviewStore) AppendAudit(ctx context.Context, e review.AuditEntry) error {
	doc, err := marshal(e)
	if err != nil {
		return err
	}
	return rs.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := rs.db.lockTable(ctx, tx, "review_audit"); err != nil {
			return rs.mapErr(ctx, err, "append audit", e.Review)
		}
		return rs.exec(ctx, tx, "append audit", e.Review, "INSERT INTO review_audit (school, doc) VALUES (?, ?)", int64(e.School), doc)
	})
}

// Audit implements review.AuditLog. The cursor is the position of the
// page's last entry in the whole log, in decimal.
func (rs *ReviewStore) Audit(ctx context.Context, school partnership.URN, cursor string, limit int) ([]review.AuditEntry, string, error) {
	after, err := seqCursor(cursor)
	if err != nil {
		return nil, "", fmt.Errorf("sqlstore: audit: %w: %w", review.ErrInvalid, err)
	}
	// The documents do not hold the sequence number: read it beside them.
	q := "SELECT seq, doc FROM review_audit WHERE school = ?"
	args := []any{int64(school)}
	if after != nil {
		q, args = q+" AND seq > ?", append(args, after)
	}
	n := pageLimit(limit, defaultPage)
	rows, err := rs.db.sql.QueryContext(ctx, rs.db.rebind(q+" ORDER BY seq LIMIT "+strconv.Itoa(n+1)), args...)
	if err != nil {
		return nil, "", rs.mapErr(ctx, err, "audit", school)
	}
	defer rows.Close()
	var (
		out  = []review.AuditEntry{}
		seqs []int64
	)
	for rows.Next() {
		var (
			seq int64
			doc string
			e   review.AuditEntry
		)
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, "", rs.mapErr(ctx, err, "audit", school)
		}
		if err := unmarshal(doc, &e); err != nil {
			return nil, "", err
		}
		out, seqs = append(out, e), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, "", rs.mapErr(ctx, err, "audit", school)
	}
	if len(out) > n {
		return out[:n], strconv.FormatInt(seqs[n-1], 10), nil
	}
	return out, "", nil
}
