package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// BrokerageStore is a brokerage.Store on a DB. Reserve, PutNeed and PutOffer
// are each one transaction that, on PostgreSQL, locks the rows of the need
// and the offer concerned (SQLite: the database's write lock), so that
// ledgers in several processes can neither overfill an offer nor open two
// engagements for one need. Create restores engagements as they are and
// checks neither, as brokerage.EngagementWriter says. Updates check the version in the UPDATE itself
// (optimistic concurrency), so of two writers that read one version only
// one succeeds.
type BrokerageStore struct{ db *DB }

var _ brokerage.Store = (*BrokerageStore)(nil)

// Brokerage returns the DB's brokerage store.
func (s *DB) Brokerage() *BrokerageStore { return &BrokerageStore{db: s} }

func (bs *BrokerageStore) mapErr(ctx context.Context, err error, op string, id any) error {
	return mapErr(ctx, err, brokerage.ErrConflict, brokerage.ErrNotFound, op, id)
}

// reservingStatuses is the SQL list of the statuses that reserve, as
// brokerage.Status.Reserves has them.
var reservingStatuses = func() string {
	var s string
	for st := brokerage.Status(1); st <= brokerage.StatusCancelled; st++ {
		if st.Reserves() {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprint(int(st))
		}
	}
	return "(" + s + ")"
}()

// forUpdate is the row-locking suffix of a SELECT in a transaction; SQLite's
// IMMEDIATE transactions hold the database's write lock already.
func (s *DB) forUpdate() string {
	if s.dialect == PostgreSQL {
		return " FOR UPDATE"
	}
	return ""
}

// Get implements brokerage.EngagementReader.
func (bs *BrokerageStore) Get(ctx context.Context, id brokerage.EngagementID) (brokerage.Engagement, error) {
	return getDoc[brokerage.Engagement](ctx, bs.db, bs.db.sql, "SELECT doc FROM engagements WHERE id = ?", []any{string(id)},
		brokerage.ErrConflict, brokerage.ErrNotFound, "engagement", id)
}

// List implements brokerage.EngagementReader.
func (bs *BrokerageStore) List(ctx context.Context, q brokerage.Query) ([]brokerage.Engagement, error) {
	query, args := "SELECT doc FROM engagements WHERE 1 = 1", []any{}
	if q.Need != "" {
		query, args = query+" AND need = ?", append(args, string(q.Need))
	}
	if q.Offer != "" {
		query, args = query+" AND offer = ?", append(args, string(q.Offer))
	}
	if len(q.Statuses) > 0 {
		query += " AND status IN (" + placeholders(len(q.Statuses)) + ")"
		for _, s := range q.Statuses {
			args = append(args, int(s))
		}
	}
	return listDocs[brokerage.Engagement](ctx, bs.db, bs.db.sql, query+" ORDER BY id", args,
		brokerage.ErrConflict, brokerage.ErrNotFound, "list engagements", q.Need)
}

// Reserve implements brokerage.EngagementWriter in one transaction.
func (bs *BrokerageStore) Reserve(ctx context.Context, need brokerage.NeedID, offer brokerage.OfferID, build func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error)) (brokerage.Engagement, error) {
	var out brokerage.Engagement
	errBuild := errors.New("build failed")
	var buildErr error
	err := bs.db.inTx(ctx, func(tx *sql.Tx) error {
		n, err := getDoc[brokerage.Need](ctx, bs.db, tx, "SELECT doc FROM needs WHERE id = ?"+bs.db.forUpdate(), []any{string(need)},
			brokerage.ErrConflict, brokerage.ErrNotFound, "reserve: need", need)
		if err != nil {
			return err
		}
		o, err := getDoc[brokerage.Offer](ctx, bs.db, tx, "SELECT doc FROM offers WHERE id = ?"+bs.db.forUpdate(), []any{string(offer)},
			brokerage.ErrConflict, brokerage.ErrNotFound, "reserve: offer", offer)
		if err != nil {
			return err
		}
		var reserved int
		var open sql.NullString
		err = tx.QueryRowContext(ctx, bs.db.rebind(`SELECT
			(SELECT count(*) FROM engagements WHERE offer = ? AND status IN `+reservingStatuses+`),
			(SELECT min(id) FROM engagements WHERE need = ? AND status IN `+reservingStatuses+`)`),
			string(offer), string(need)).Scan(&reserved, &open)
		if err != nil {
			return bs.mapErr(ctx, err, "reserve", need)
		}
		e, err := build(n, o, reserved)
		if err != nil {
			buildErr = err
			return errBuild
		}
		switch {
		case e.Need != need || e.Offer != offer:
			return fmt.Errorf("sqlstore: engagement %s: %w: built for need %s and offer %s, asked for %s and %s", e.ID, brokerage.ErrInvalid, e.Need, e.Offer, need, offer)
		case !e.Status.Reserves():
			return fmt.Errorf("sqlstore: engagement %s: %w: built with status %s, which reserves nothing", e.ID, brokerage.ErrInvalid, e.Status)
		case reserved >= o.Capacity:
			return fmt.Errorf("sqlstore: offer %s: %w (%d of %d reserved)", offer, brokerage.ErrCapacity, reserved, o.Capacity)
		case open.Valid:
			return fmt.Errorf("sqlstore: need %s: %w: open engagement %s", need, brokerage.ErrConflict, open.String)
		}
		if err := bs.create(ctx, tx, e); err != nil {
			return err
		}
		out = e
		return nil
	})
	if errors.Is(err, errBuild) {
		return brokerage.Engagement{}, buildErr
	}
	if err != nil {
		return brokerage.Engagement{}, bs.mapErr(ctx, err, "reserve", need)
	}
	return out, nil
}

// Create implements brokerage.EngagementWriter.
func (bs *BrokerageStore) Create(ctx context.Context, e brokerage.Engagement) error {
	return bs.create(ctx, bs.db.sql, e)
}

func (bs *BrokerageStore) create(ctx context.Context, q querier, e brokerage.Engagement) error {
	doc, err := marshal(e)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, bs.db.rebind("INSERT INTO engagements (id, need, offer, status, version, doc) VALUES (?, ?, ?, ?, ?, ?)"),
		string(e.ID), string(e.Need), string(e.Offer), int(e.Status), e.Version, doc)
	return bs.mapErr(ctx, err, "create engagement", e.ID)
}

// Update implements brokerage.EngagementWriter.
func (bs *BrokerageStore) Update(ctx context.Context, e brokerage.Engagement) error {
	doc, err := marshal(e)
	if err != nil {
		return err
	}
	return updateVersioned(ctx, bs.db, "UPDATE engagements SET need = ?, offer = ?, status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
		[]any{string(e.Need), string(e.Offer), int(e.Status), e.Version, doc, string(e.ID), e.Version - 1}, "engagements", string(e.ID), e.Version-1,
		brokerage.ErrConflict, brokerage.ErrNotFound, "update engagement")
}

// Need implements brokerage.CatalogueReader.
func (bs *BrokerageStore) Need(ctx context.Context, id brokerage.NeedID) (brokerage.Need, error) {
	return getDoc[brokerage.Need](ctx, bs.db, bs.db.sql, "SELECT doc FROM needs WHERE id = ?", []any{string(id)},
		brokerage.ErrConflict, brokerage.ErrNotFound, "need", id)
}

// Offer implements brokerage.CatalogueReader.
func (bs *BrokerageStore) Offer(ctx context.Context, id brokerage.OfferID) (brokerage.Offer, error) {
	return getDoc[brokerage.Offer](ctx, bs.db, bs.db.sql, "SELECT doc FROM offers WHERE id = ?", []any{string(id)},
		brokerage.ErrConflict, brokerage.ErrNotFound, "offer", id)
}

// PutNeed implements brokerage.CatalogueWriter in one transaction that, on
// PostgreSQL, locks the need's row against a concurrent Reserve.
func (bs *BrokerageStore) PutNeed(ctx context.Context, n brokerage.Need) error {
	doc, err := marshal(n)
	if err != nil {
		return err
	}
	return bs.db.inTx(ctx, func(tx *sql.Tx) error {
		var open sql.NullString
		err := tx.QueryRowContext(ctx, bs.db.rebind(`SELECT (SELECT id FROM needs WHERE id = ?`+bs.db.forUpdate()+`),
			(SELECT min(id) FROM engagements WHERE need = ? AND status IN `+reservingStatuses+`)`), string(n.ID), string(n.ID)).Scan(new(sql.NullString), &open)
		if err != nil {
			return bs.mapErr(ctx, err, "put need", n.ID)
		}
		if open.Valid {
			return fmt.Errorf("sqlstore: need %s: %w: open engagement %s", n.ID, brokerage.ErrConflict, open.String)
		}
		_, err = tx.ExecContext(ctx, bs.db.rebind("INSERT INTO needs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc"), string(n.ID), doc)
		return bs.mapErr(ctx, err, "put need", n.ID)
	})
}

// PutOffer implements brokerage.CatalogueWriter in one transaction that, on
// PostgreSQL, locks the offer's row against a concurrent Reserve.
func (bs *BrokerageStore) PutOffer(ctx context.Context, o brokerage.Offer) error {
	doc, err := marshal(o)
	if err != nil {
		return err
	}
	return bs.db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, bs.db.rebind("SELECT id FROM offers WHERE id = ?"+bs.db.forUpdate()), string(o.ID)); err != nil {
			return bs.mapErr(ctx, err, "put offer", o.ID)
		}
		var reserved int
		err := tx.QueryRowContext(ctx, bs.db.rebind("SELECT count(*) FROM engagements WHERE offer = ? AND status IN "+reservingStatuses), string(o.ID)).Scan(&reserved)
		if err != nil {
			return bs.mapErr(ctx, err, "put offer", o.ID)
		}
		if reserved > o.Capacity {
			return fmt.Errorf("sqlstore: offer %s: %w: capacity %d, %d reserved", o.ID, brokerage.ErrCapacity, o.Capacity, reserved)
		}
		_, err = tx.ExecContext(ctx, bs.db.rebind("INSERT INTO offers (id, capacity, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET capacity = excluded.capacity, doc = excluded.doc"),
			string(o.ID), o.Capacity, doc)
		return bs.mapErr(ctx, err, "put offer", o.ID)
	})
}
