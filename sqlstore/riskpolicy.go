package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// RiskStore is a riskpolicy.Store on a DB: assessments, professional
// judgement overrides and the append-only audit log, whose sequence numbers
// are assigned one after another under a lock.
type RiskStore struct{ db *DB }

var (
	_ riskpolicy.Store             = (*RiskStore)(nil)
	_ riskpolicy.AssessmentBatcher = (*RiskStore)(nil)
)

// Risk returns the DB's riskpolicy store.
func (s *DB) Risk() *RiskStore { return &RiskStore{db: s} }

func (rs *RiskStore) mapErr(ctx context.Context, err error, op string, id any) error {
	return mapErr(ctx, err, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, op, id)
}

func (rs *RiskStore) invalidTimes(op string, id any, ts ...time.Time) error {
	if err := checkTimes(ts...); err != nil {
		return fmt.Errorf("sqlstore: %s %v: %w: %w", op, id, riskpolicy.ErrInvalid, err)
	}
	return nil
}

// PutAssessment implements riskpolicy.AssessmentStore.
func (rs *RiskStore) PutAssessment(ctx context.Context, a *riskpolicy.Assessment) error {
	id := fmt.Sprintf("%s/%d", a.Policy, a.URN)
	if err := rs.invalidTimes("put assessment", id, a.At); err != nil {
		return err
	}
	doc, err := marshal(a)
	if err != nil {
		return err
	}
	_, err = rs.db.sql.ExecContext(ctx, rs.db.rebind("INSERT INTO risk_assessments (policy, urn, at, doc) VALUES (?, ?, ?, ?)"),
		a.Policy, int64(a.URN), timeKey(a.At), doc)
	return rs.mapErr(ctx, err, "put assessment", id)
}

// PutAssessments implements riskpolicy.AssessmentBatcher: it stores a batch
// of assessments and appends the audit entries, in one transaction: all of
// them, or on any error (a conflict as PutAssessment has it) none.
func (rs *RiskStore) PutAssessments(ctx context.Context, as []*riskpolicy.Assessment, audit ...riskpolicy.AuditEntry) error {
	return rs.db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, rs.db.rebind("INSERT INTO risk_assessments (policy, urn, at, doc) VALUES (?, ?, ?, ?)"))
		if err != nil {
			return rs.mapErr(ctx, err, "put assessments", len(as))
		}
		defer st.Close()
		for _, a := range as {
			id := fmt.Sprintf("%s/%d", a.Policy, a.URN)
			if err := rs.invalidTimes("put assessment", id, a.At); err != nil {
				return err
			}
			doc, err := marshal(a)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, a.Policy, int64(a.URN), timeKey(a.At), doc); err != nil {
				return rs.mapErr(ctx, err, "put assessment", id)
			}
		}
		return rs.appendAudit(ctx, tx, audit)
	})
}

// LatestAssessments returns every school's latest assessment under the
// policy, in one query: what LatestAssessment returns for each school that
// has one.
func (rs *RiskStore) LatestAssessments(ctx context.Context, policy string) (map[partnership.URN]*riskpolicy.Assessment, error) {
	as, err := listDocs[riskpolicy.Assessment](ctx, rs.db, rs.db.sql, `SELECT a.doc FROM risk_assessments a
		WHERE a.policy = ? AND a.at = (SELECT max(b.at) FROM risk_assessments b WHERE b.policy = a.policy AND b.urn = a.urn)`,
		[]any{policy}, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "latest assessments", policy)
	if err != nil {
		return nil, err
	}
	out := make(map[partnership.URN]*riskpolicy.Assessment, len(as))
	for i := range as {
		out[as[i].URN] = &as[i]
	}
	return out, nil
}

// LatestAssessment implements riskpolicy.AssessmentStore.
func (rs *RiskStore) LatestAssessment(ctx context.Context, policy string, urn partnership.URN) (*riskpolicy.Assessment, error) {
	a, err := getDoc[riskpolicy.Assessment](ctx, rs.db, rs.db.sql,
		"SELECT doc FROM risk_assessments WHERE policy = ? AND urn = ? ORDER BY at DESC LIMIT 1",
		[]any{policy, int64(urn)}, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "latest assessment", fmt.Sprintf("%s/%d", policy, urn))
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Assessments implements riskpolicy.AssessmentStore. The cursor is the At
// of the page's last (oldest) assessment.
func (rs *RiskStore) Assessments(ctx context.Context, policy string, urn partnership.URN, cursor string, limit int) ([]*riskpolicy.Assessment, string, error) {
	var after any
	if cursor != "" {
		if _, err := time.Parse(timeFormat, cursor); err != nil {
			return nil, "", fmt.Errorf("sqlstore: assessments: %w: cursor %q", riskpolicy.ErrInvalid, cursor)
		}
		after = cursor
	}
	pq := pageQuery{table: "risk_assessments", key: "at", desc: true}
	pq.and("policy = ? AND urn = ?", policy, int64(urn))
	items, more, err := runPage[riskpolicy.Assessment](ctx, rs.db, pq, after, pageLimit(limit, defaultPage),
		riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "assessments")
	if err != nil {
		return nil, "", err
	}
	out := make([]*riskpolicy.Assessment, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	next := ""
	if more {
		next = timeKey(items[len(items)-1].At)
	}
	return out, next, nil
}

// PutOverride implements riskpolicy.OverrideStore: in one transaction
// (the overrides table locked on PostgreSQL, SQLite's single writer) it
// checks the superseded override and the live ones of the school, ends the
// superseded one and inserts o.
func (rs *RiskStore) PutOverride(ctx context.Context, o riskpolicy.Override) error {
	if err := rs.invalidTimes("put override", o.ID, o.At, o.Expires, o.Ended); err != nil {
		return err
	}
	doc, err := marshal(o)
	if err != nil {
		return err
	}
	return rs.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := rs.db.lockTable(ctx, tx, "risk_overrides"); err != nil {
			return rs.mapErr(ctx, err, "put override", o.ID)
		}
		live, err := listDocs[riskpolicy.Override](ctx, rs.db, tx, "SELECT doc FROM risk_overrides WHERE policy = ? AND urn = ? AND ended IS NULL ORDER BY at, id",
			[]any{o.Policy, int64(o.URN)}, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "put override", o.ID)
		if err != nil {
			return err
		}
		if o.Supersedes != "" {
			old, err := getDoc[riskpolicy.Override](ctx, rs.db, tx, "SELECT doc FROM risk_overrides WHERE id = ? AND policy = ? AND urn = ?",
				[]any{string(o.Supersedes), o.Policy, int64(o.URN)}, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "put override: supersedes", o.Supersedes)
			if err != nil {
				return err
			}
			if !old.Ended.IsZero() || !old.ActiveAt(o.At) {
				return fmt.Errorf("sqlstore: put override %s: %w: superseded override %s is not in force at %v", o.ID, riskpolicy.ErrConflict, old.ID, o.At)
			}
			old.Ended, old.EndedHow = o.At, riskpolicy.EndSuperseded
			if err := rs.rewriteOverride(ctx, tx, old); err != nil {
				return err
			}
		}
		for i := range live {
			if live[i].ID != o.Supersedes && live[i].Overlaps(&o) {
				return fmt.Errorf("sqlstore: put override %s: %w: it overlaps override %s", o.ID, riskpolicy.ErrConflict, live[i].ID)
			}
		}
		_, err = tx.ExecContext(ctx, rs.db.rebind("INSERT INTO risk_overrides (id, policy, urn, at, ended, doc) VALUES (?, ?, ?, ?, ?, ?)"),
			string(o.ID), o.Policy, int64(o.URN), timeKey(o.At), nullTimeKey(o.Ended), doc)
		return rs.mapErr(ctx, err, "put override", o.ID)
	})
}

func (rs *RiskStore) rewriteOverride(ctx context.Context, tx *sql.Tx, o riskpolicy.Override) error {
	doc, err := marshal(o)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, rs.db.rebind("UPDATE risk_overrides SET ended = ?, doc = ? WHERE id = ?"), nullTimeKey(o.Ended), doc, string(o.ID))
	return rs.mapErr(ctx, err, "end override", o.ID)
}

// EndOverride implements riskpolicy.OverrideStore, reading and rewriting
// the override in one transaction.
func (rs *RiskStore) EndOverride(ctx context.Context, id riskpolicy.OverrideID, at time.Time, how riskpolicy.End) error {
	if err := rs.invalidTimes("end override", id, at); err != nil {
		return err
	}
	if how != riskpolicy.EndWithdrawn && how != riskpolicy.EndExpired {
		return fmt.Errorf("sqlstore: end override %s: %w: an override ends withdrawn or expired, not %q", id, riskpolicy.ErrInvalid, how)
	}
	lock := ""
	if rs.db.dialect == PostgreSQL {
		lock = " FOR UPDATE"
	}
	return rs.db.inTx(ctx, func(tx *sql.Tx) error {
		o, err := getDoc[riskpolicy.Override](ctx, rs.db, tx, "SELECT doc FROM risk_overrides WHERE id = ?"+lock,
			[]any{string(id)}, riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "end override", id)
		if err != nil {
			return err
		}
		switch {
		case how == riskpolicy.EndExpired && !at.Equal(o.Expires):
			return fmt.Errorf("sqlstore: end override %s: %w: it expires at %v, not %v", id, riskpolicy.ErrInvalid, o.Expires, at)
		case !o.Ended.IsZero():
			return fmt.Errorf("sqlstore: end override %s: %w: %s at %v", id, riskpolicy.ErrConflict, o.EndedHow, o.Ended)
		case how == riskpolicy.EndWithdrawn && !at.Before(o.Expires):
			return fmt.Errorf("sqlstore: end override %s: %w: it expired at %v", id, riskpolicy.ErrConflict, o.Expires)
		}
		o.Ended, o.EndedHow = at, how
		return rs.rewriteOverride(ctx, tx, o)
	})
}

// Overrides implements riskpolicy.OverrideStore.
func (rs *RiskStore) Overrides(ctx context.Context, policy string, urn partnership.URN) ([]riskpolicy.Override, error) {
	q, args := "SELECT doc FROM risk_overrides WHERE policy = ?", []any{policy}
	if urn != 0 {
		q, args = q+" AND urn = ?", append(args, int64(urn))
	}
	return listDocs[riskpolicy.Override](ctx, rs.db, rs.db.sql, q+" ORDER BY at, id", args,
		riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "overrides", policy)
}

// AppendAudit implements riskpolicy.AuditLog. Appends are serialised (a
// table lock on PostgreSQL, SQLite's single writer), so Seq has no gaps
// and entries are read in the order they were appended.
func (rs *RiskStore) AppendAudit(ctx context.Context, e riskpolicy.AuditEntry) error {
	return rs.db.inTx(ctx, func(tx *sql.Tx) error { return rs.appendAudit(ctx, tx, []riskpolicy.AuditEntry{e}) })
}

// appendAudit appends entries, in order, within tx.
func (rs *RiskStore) appendAudit(ctx context.Context, tx *sql.Tx, entries []riskpolicy.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		if err := rs.invalidTimes("append audit", e.Action, e.At); err != nil {
			return err
		}
	}
	if err := rs.db.lockTable(ctx, tx, "risk_audit"); err != nil {
		return rs.mapErr(ctx, err, "append audit", entries[0].Action)
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM risk_audit").Scan(&seq); err != nil {
		return rs.mapErr(ctx, err, "append audit", entries[0].Action)
	}
	st, err := tx.PrepareContext(ctx, rs.db.rebind("INSERT INTO risk_audit (seq, doc) VALUES (?, ?)"))
	if err != nil {
		return rs.mapErr(ctx, err, "append audit", entries[0].Action)
	}
	defer st.Close()
	for _, e := range entries {
		seq++
		e.Seq = seq
		doc, err := marshal(e)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, e.Seq, doc); err != nil {
			return rs.mapErr(ctx, err, "append audit", e.Seq)
		}
	}
	return nil
}

// Audit implements riskpolicy.AuditLog. The cursor is the last Seq of the
// page, in decimal.
func (rs *RiskStore) Audit(ctx context.Context, cursor string, limit int) ([]riskpolicy.AuditEntry, string, error) {
	after, err := seqCursor(cursor)
	if err != nil {
		return nil, "", fmt.Errorf("sqlstore: audit: %w: %w", riskpolicy.ErrInvalid, err)
	}
	items, more, err := runPage[riskpolicy.AuditEntry](ctx, rs.db, pageQuery{table: "risk_audit", key: "seq"}, after,
		pageLimit(limit, defaultPage), riskpolicy.ErrConflict, riskpolicy.ErrNotFound, "audit")
	if err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		next = strconv.FormatInt(items[len(items)-1].Seq, 10)
	}
	return items, next, nil
}

// seqCursor parses a cursor holding a sequence number; "" is nil, the
// start.
func seqCursor(cursor string) (any, error) {
	if cursor == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(cursor, 10, 64)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("cursor %q", cursor)
	}
	return n, nil
}

// lockTable serialises the transactions that append to an append-only
// table, so that sequence numbers are handed out and committed in one
// order. SQLite's IMMEDIATE transactions are serialised already.
func (s *DB) lockTable(ctx context.Context, tx *sql.Tx, table string) error {
	if s.dialect != PostgreSQL {
		return nil
	}
	_, err := tx.ExecContext(ctx, "LOCK TABLE "+table+" IN SHARE ROW EXCLUSIVE MODE")
	return err
}
