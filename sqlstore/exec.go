package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// kind is what a driver error means to a Store contract.
type kind int

const (
	kindOther    kind = iota
	kindConflict      // a unique, primary-key, exclusion or check constraint, or a trigger refusing a change
	kindRetry         // a serialisation failure or deadlock: the transaction may be retried
)

// classify reads the driver's error code.
func classify(err error) kind {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "23P01", "23514": // unique, exclusion, check
			return kindConflict
		case "P0001": // RAISE EXCEPTION in a trigger: the schema refuses the change
			return kindConflict
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return kindRetry
		}
		return kindOther
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE,
			sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return kindConflict
		}
	}
	return kindOther
}

// mapErr turns a driver error into the domain's: a constraint violation
// becomes conflict, sql.ErrNoRows notFound, and a done context's error is
// returned as ctx.Err() wrapped; the driver's error stays in the chain.
func mapErr(ctx context.Context, err error, conflict, notFound error, op string, id any) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s %v: %w: %w", op, id, cerr, err)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: %s %v: %w", op, id, notFound)
	case classify(err) == kindConflict:
		return fmt.Errorf("sqlstore: %s %v: %w: %w", op, id, conflict, err)
	}
	return fmt.Errorf("sqlstore: %s %v: %w", op, id, err)
}

// rebind rewrites ? placeholders as $1, $2, ... for PostgreSQL. No query in
// this package has a ? inside a string literal.
func (s *DB) rebind(q string) string {
	if s.dialect != PostgreSQL || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one transaction, committing when it returns nil and
// rolling back otherwise. On PostgreSQL a serialisation failure or deadlock
// is retried a few times; SQLite's IMMEDIATE transactions wait for each
// other under the busy timeout instead.
func (s *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err == nil || attempt == 9 || classify(err) != kindRetry || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 2 * time.Millisecond)
	}
}

func (s *DB) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeFormat writes instants in UTC with a fixed width, so that comparing the
// strings compares the instants, exactly to the nanosecond, in both dialects
// (PostgreSQL's timestamptz keeps microseconds only). It holds for years 1 to
// 9999; checkTime refuses the others.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// timeKey returns t's sortable key.
func timeKey(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTimeKey returns t's key, or NULL for the zero time (an open end).
func nullTimeKey(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return timeKey(t)
}

// errTimeRange is wrapped with the domain's ErrInvalid for times that have
// no sortable key.
var errTimeRange = errors.New("time outside years 1 to 9999")

// checkTimes returns an error unless every t is zero or within years 1 to
// 9999 UTC.
func checkTimes(ts ...time.Time) error {
	for _, t := range ts {
		if y := t.UTC().Year(); !t.IsZero() && (y < 1 || y > 9999) {
			return fmt.Errorf("%w: %v", errTimeRange, t)
		}
	}
	return nil
}

// marshal encodes a record as the JSON document its row keeps.
func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// unmarshal decodes a row's document.
func unmarshal(doc string, v any) error {
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fmt.Errorf("sqlstore: corrupt record: %w", err)
	}
	return nil
}

// pageLimit is the page size for limit, with def for limit <= 0; capped.
func pageLimit(limit, def int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, 10000)
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
