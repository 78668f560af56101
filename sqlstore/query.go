package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// getDoc reads one row's document with query and decodes it.
func getDoc[T any](ctx context.Context, s *DB, q querier, query string, args []any, conflict, notFound error, op string, id any) (T, error) {
	var (
		v   T
		doc string
	)
	err := q.QueryRowContext(ctx, s.rebind(query), args...).Scan(&doc)
	if err != nil {
		return v, mapErr(ctx, err, conflict, notFound, op, id)
	}
	return v, unmarshal(doc, &v)
}

// listDocs runs query and decodes every row's document, in order; the
// result is empty, not nil, when there are no rows.
func listDocs[T any](ctx context.Context, s *DB, q querier, query string, args []any, conflict, notFound error, op string, id any) ([]T, error) {
	rows, err := q.QueryContext(ctx, s.rebind(query), args...)
	if err != nil {
		return nil, mapErr(ctx, err, conflict, notFound, op, id)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, mapErr(ctx, err, conflict, notFound, op, id)
		}
		var v T
		if err := unmarshal(doc, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(ctx, err, conflict, notFound, op, id)
	}
	return out, nil
}

// pageQuery is one keyset-paged listing: SELECT doc FROM table WHERE the
// conditions AND key > after (or < for descending) ORDER BY key LIMIT n+1.
type pageQuery struct {
	table string // a table name or a join
	key   string // the ordering column, unique within the listing
	desc  bool
	where []string
	args  []any
}

// and adds a condition with its arguments.
func (p *pageQuery) and(cond string, args ...any) {
	p.where = append(p.where, cond)
	p.args = append(p.args, args...)
}

// run returns up to limit records after the key after (nil for the first
// page), and whether more follow.
func runPage[T any](ctx context.Context, s *DB, p pageQuery, after any, limit int, conflict, notFound error, op string) ([]T, bool, error) {
	if after != nil {
		if p.desc {
			p.and(p.key+" < ?", after)
		} else {
			p.and(p.key+" > ?", after)
		}
	}
	q := "SELECT doc FROM " + p.table
	if len(p.where) > 0 {
		q += " WHERE " + strings.Join(p.where, " AND ")
	}
	dir := "ASC"
	if p.desc {
		dir = "DESC"
	}
	q += fmt.Sprintf(" ORDER BY %s %s LIMIT %d", p.key, dir, limit+1)
	items, err := listDocs[T](ctx, s, s.sql, q, p.args, conflict, notFound, op, p.table)
	if err != nil {
		return nil, false, err
	}
	if len(items) > limit {
		return items[:limit], true, nil
	}
	return items, false, nil
}

// execOne runs a statement that must change exactly one row: none is
// notFound.
func execOne(ctx context.Context, s *DB, q querier, query string, args []any, conflict, notFound error, op string, id any) error {
	res, err := q.ExecContext(ctx, s.rebind(query), args...)
	if err != nil {
		return mapErr(ctx, err, conflict, notFound, op, id)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(ctx, err, conflict, notFound, op, id)
	}
	if n == 0 {
		return mapErr(ctx, sql.ErrNoRows, conflict, notFound, op, id)
	}
	return nil
}

// updateVersioned runs an UPDATE whose WHERE clause names the row's ID and
// the version the caller read, so that of two writers that read one version
// only one succeeds. When it changes no row, it tells notFound (no such ID)
// from conflict (another version stored) by reading the stored version.
func updateVersioned(ctx context.Context, s *DB, query string, args []any, table, id string, read int, conflict, notFound error, op string) error {
	res, err := s.sql.ExecContext(ctx, s.rebind(query), args...)
	if err != nil {
		return mapErr(ctx, err, conflict, notFound, op, id)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return mapErr(ctx, err, conflict, notFound, op, id)
	}
	var stored int
	err = s.sql.QueryRowContext(ctx, s.rebind("SELECT version FROM "+table+" WHERE id = ?"), id).Scan(&stored)
	if err != nil {
		return mapErr(ctx, err, conflict, notFound, op, id)
	}
	return fmt.Errorf("sqlstore: %s %s: %w: read version %d, stored %d", op, id, conflict, read, stored)
}
