package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// bulkTable is the rows of one table that a bulk load writes.
type bulkTable struct {
	name string
	cols []string
	rows [][]any
}

func (b *bulkTable) add(row ...any) { b.rows = append(b.rows, row) }

// LoadDataset implements partnership.BulkLoader: every record of d in one
// transaction, or none of them. On PostgreSQL the rows go by COPY; on
// SQLite by multi-row INSERTs, each statement prepared once. An ID
// already stored, a duplicate within d, or an overlapping membership is
// partnership.ErrConflict; a cancelled context leaves the database as it
// was.
func (ps *PartnershipStore) LoadDataset(ctx context.Context, d *p.Dataset) error {
	tables, err := bulkTables(d)
	if err != nil {
		return err
	}
	if ps.db.dialect == PostgreSQL {
		err = ps.copyTables(ctx, tables)
	} else {
		err = ps.db.inTx(ctx, func(tx *sql.Tx) error { return ps.insertTables(ctx, tx, tables) })
	}
	return mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "load dataset", fmt.Sprintf("(%d schools)", len(d.Schools)))
}

// bulkTables lays d out as rows, in an order that satisfies the schema's
// foreign keys (people before their expertise).
func bulkTables(d *p.Dataset) ([]*bulkTable, error) {
	var (
		schools     = &bulkTable{name: "schools", cols: []string{"urn", "la", "region", "phase", "governance", "doc"}}
		orgs        = &bulkTable{name: "organisations", cols: []string{"id", "kind", "doc"}}
		networks    = &bulkTable{name: "networks", cols: []string{"id", "kind", "doc"}}
		memberships = &bulkTable{name: "memberships", cols: []string{"id", "network", "member", "valid_from", "valid_to", "doc"}}
		inspections = &bulkTable{name: "inspections", cols: []string{"urn", "date", "doc"}}
		people      = &bulkTable{name: "people", cols: []string{"id", "home", "role", "doc"}}
		expertise   = &bulkTable{name: "person_expertise", cols: []string{"person", "expertise"}}
		programmes  = &bulkTable{name: "programmes", cols: []string{"id", "capacity", "doc"}}
	)
	var errs []error
	for i := range d.Schools {
		sc := &d.Schools[i]
		doc, err := marshal(sc)
		errs = append(errs, err)
		schools.add(int64(sc.URN), sc.LA, sc.Region, int(sc.Phase), int(sc.Governance), doc)
	}
	for i := range d.Organisations {
		o := &d.Organisations[i]
		doc, err := marshal(o)
		errs = append(errs, err)
		orgs.add(string(o.ID), int(o.Kind), doc)
	}
	for i := range d.Networks {
		n := &d.Networks[i]
		doc, err := marshal(n)
		errs = append(errs, err)
		networks.add(string(n.ID), int(n.Kind), doc)
	}
	for i := range d.Memberships {
		args, err := membershipArgs(&d.Memberships[i])
		if err != nil {
			return nil, err
		}
		// membershipArgs puts the ID last; COPY wants it first.
		memberships.add(append([]any{args[len(args)-1]}, args[:len(args)-1]...)...)
	}
	for i := range d.Inspections {
		in := &d.Inspections[i]
		if err := checkTimes(in.Date); err != nil {
			return nil, fmt.Errorf("sqlstore: inspection %d: %w: %w", in.URN, p.ErrInvalid, err)
		}
		doc, err := marshal(in)
		errs = append(errs, err)
		inspections.add(int64(in.URN), timeKey(in.Date), doc)
	}
	for i := range d.People {
		x := &d.People[i]
		doc, err := marshal(x)
		errs = append(errs, err)
		people.add(string(x.ID), string(x.Home), int(x.Role), doc)
		seen := map[p.ExpertiseID]bool{}
		for _, e := range x.Expertise {
			if !seen[e] {
				seen[e] = true
				expertise.add(string(x.ID), string(e))
			}
		}
	}
	for i := range d.Programmes {
		x := &d.Programmes[i]
		doc, err := marshal(x)
		errs = append(errs, err)
		programmes.add(string(x.ID), x.Capacity, doc)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("sqlstore: load dataset: %w", err)
	}
	return []*bulkTable{schools, orgs, networks, memberships, inspections, people, expertise, programmes}, nil
}

// bulkBatch is the most rows insertTables puts in one INSERT: a
// multi-row VALUES list cuts the per-statement work (on SQLite, chiefly the
// statement journal a trigger needs, written once per statement rather than
// once per row) and stays far below the 32,766 parameters SQLite allows.
const bulkBatch = 16

// insertTables writes the rows with multi-row INSERTs, bulkBatch rows each,
// prepared once per table and batch size.
func (ps *PartnershipStore) insertTables(ctx context.Context, tx *sql.Tx, tables []*bulkTable) error {
	for _, t := range tables {
		row := "(" + placeholders(len(t.cols)) + ")"
		prepare := func(n int) (*sql.Stmt, error) {
			q := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", t.name, strings.Join(t.cols, ", "),
				strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
			return tx.PrepareContext(ctx, ps.db.rebind(q))
		}
		var (
			st   *sql.Stmt
			args = make([]any, 0, bulkBatch*len(t.cols))
		)
		for rows := t.rows; len(rows) > 0; {
			n := min(bulkBatch, len(rows))
			if st == nil || n < bulkBatch {
				if st != nil {
					st.Close()
				}
				var err error
				if st, err = prepare(n); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
			}
			args = args[:0]
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				st.Close()
				return fmt.Errorf("%s: %w", t.name, err)
			}
			rows = rows[n:]
		}
		if st != nil {
			if err := st.Close(); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyTables writes the rows with COPY, in one transaction on one
// connection of the pool, through pgx's own interface.
func (ps *PartnershipStore) copyTables(ctx context.Context, tables []*bulkTable) error {
	conn, err := ps.db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			// Another driver: fall back to INSERTs.
			return ps.db.inTx(ctx, func(tx *sql.Tx) error { return ps.insertTables(ctx, tx, tables) })
		}
		return pgx.BeginFunc(ctx, sc.Conn(), func(tx pgx.Tx) error {
			for _, t := range tables {
				if len(t.rows) == 0 {
					continue
				}
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
			}
			return nil
		})
	})
}
