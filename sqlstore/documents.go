package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// ErrNoDocument is returned by Document for a name that holds none.
var ErrNoDocument = errors.New("sqlstore: no such document")

// Document decodes the JSON document stored under name into v, or returns
// ErrNoDocument.
func (s *DB) Document(ctx context.Context, name string, v any) error {
	var doc string
	err := s.sql.QueryRowContext(ctx, s.rebind("SELECT doc FROM documents WHERE name = ?"), name).Scan(&doc)
	if err != nil {
		return mapErr(ctx, err, ErrNoDocument, ErrNoDocument, "document", name)
	}
	return unmarshal(doc, v)
}

// Import stores d, as PartnershipStore.LoadDataset does, and each of docs
// as a JSON document under its name, all in one transaction: all of them or,
// on any error, none. A name already holding a document is
// partnership.ErrConflict, as is any record already stored.
func (s *DB) Import(ctx context.Context, d *p.Dataset, docs map[string]any) error {
	ps := s.Partnership()
	tables, err := bulkTables(d)
	if err != nil {
		return err
	}
	dt := &bulkTable{name: "documents", cols: []string{"name", "doc"}}
	for name, v := range docs {
		doc, err := marshal(v)
		if err != nil {
			return fmt.Errorf("sqlstore: import: document %s: %w", name, err)
		}
		dt.add(name, doc)
	}
	tables = append(tables, dt)
	if s.dialect == PostgreSQL {
		err = ps.copyTables(ctx, tables)
	} else {
		err = s.inTx(ctx, func(tx *sql.Tx) error { return ps.insertTables(ctx, tx, tables) })
	}
	return mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "import", fmt.Sprintf("(%d schools)", len(d.Schools)))
}

// Dataset reads every school, organisation, network, membership,
// inspection, person and programme back, each kind in key order (schools by
// URN, inspections by URN and date, the others by ID), in one read
// transaction so that they agree with each other.
func (ps *PartnershipStore) Dataset(ctx context.Context) (*p.Dataset, error) {
	d := &p.Dataset{}
	err := ps.db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		d.Schools = readAll[p.School](ctx, ps.db, tx, "SELECT doc FROM schools ORDER BY urn", &err)
		d.Organisations = readAll[p.Organisation](ctx, ps.db, tx, "SELECT doc FROM organisations ORDER BY id", &err)
		d.Networks = readAll[p.Network](ctx, ps.db, tx, "SELECT doc FROM networks ORDER BY id", &err)
		d.Memberships = readAll[p.Membership](ctx, ps.db, tx, "SELECT doc FROM memberships ORDER BY id", &err)
		d.Inspections = readAll[p.Inspection](ctx, ps.db, tx, "SELECT doc FROM inspections ORDER BY urn, date", &err)
		d.People = readAll[p.Person](ctx, ps.db, tx, "SELECT doc FROM people ORDER BY id", &err)
		d.Programmes = readAll[p.Programme](ctx, ps.db, tx, "SELECT doc FROM programmes ORDER BY id", &err)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// readAll runs q unless *err is set, setting it on failure.
func readAll[T any](ctx context.Context, s *DB, q querier, query string, err *error) []T {
	if *err != nil {
		return nil
	}
	var out []T
	out, *err = listDocs[T](ctx, s, q, query, nil, p.ErrConflict, p.ErrNotFound, "dataset", query)
	return out
}
