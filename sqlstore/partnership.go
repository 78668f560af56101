package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	p "github.com/fulcrum-edu/fulcrum/partnership"
)

// PartnershipStore is a partnership.Store and partnership.BulkLoader on a DB.
// Overlapping memberships of one member in one network are refused by the
// database (a trigger on SQLite, an exclusion constraint on PostgreSQL) with
// partnership.ErrConflict, whoever writes them.
type PartnershipStore struct{ db *DB }

var (
	_ p.Store      = (*PartnershipStore)(nil)
	_ p.BulkLoader = (*PartnershipStore)(nil)
)

// Partnership returns the DB's partnership store.
func (s *DB) Partnership() *PartnershipStore { return &PartnershipStore{db: s} }

const defaultPage = 100

func getP[T any](ctx context.Context, ps *PartnershipStore, q string, id any, op string) (T, error) {
	return getDoc[T](ctx, ps.db, ps.db.sql, q, []any{id}, p.ErrConflict, p.ErrNotFound, op, id)
}

// pageP runs a listing keyed by a text ID.
func pageP[T any](ctx context.Context, ps *PartnershipStore, q pageQuery, r p.PageRequest, key func(T) string, op string) (p.Page[T], error) {
	var after any
	if r.After != "" {
		after = string(r.After)
	}
	items, more, err := runPage[T](ctx, ps.db, q, after, pageLimit(r.Limit, defaultPage), p.ErrConflict, p.ErrNotFound, op)
	if err != nil {
		return p.Page[T]{}, err
	}
	pg := p.Page[T]{Items: items}
	if more {
		pg.Next = p.Cursor(key(items[len(items)-1]))
	}
	return pg, nil
}

func (ps *PartnershipStore) exec(ctx context.Context, q querier, query string, op string, id any, args ...any) error {
	_, err := q.ExecContext(ctx, ps.db.rebind(query), args...)
	return mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, op, id)
}

func (ps *PartnershipStore) execOne(ctx context.Context, query string, op string, id any, args ...any) error {
	return execOne(ctx, ps.db, ps.db.sql, query, args, p.ErrConflict, p.ErrNotFound, op, id)
}

// School implements partnership.SchoolReader.
func (ps *PartnershipStore) School(ctx context.Context, urn p.URN) (p.School, error) {
	return getP[p.School](ctx, ps, "SELECT doc FROM schools WHERE urn = ?", int64(urn), "school")
}

// ListSchools implements partnership.SchoolReader. The cursor is the last
// URN of the page, in decimal.
func (ps *PartnershipStore) ListSchools(ctx context.Context, q p.SchoolQuery, r p.PageRequest) (p.Page[p.School], error) {
	pq := pageQuery{table: "schools", key: "urn"}
	if q.LA != 0 {
		pq.and("la = ?", q.LA)
	}
	if q.Region != "" {
		pq.and("region = ?", q.Region)
	}
	if q.Phase != p.PhaseUnknown {
		pq.and("phase = ?", int(q.Phase))
	}
	if q.Governance != p.GovernanceUnknown {
		pq.and("governance = ?", int(q.Governance))
	}
	var after any
	if r.After != "" {
		u, err := strconv.ParseInt(string(r.After), 10, 64)
		if err != nil {
			return p.Page[p.School]{}, fmt.Errorf("sqlstore: list schools: %w: cursor %q", p.ErrInvalid, r.After)
		}
		after = u
	}
	items, more, err := runPage[p.School](ctx, ps.db, pq, after, pageLimit(r.Limit, defaultPage), p.ErrConflict, p.ErrNotFound, "list schools")
	if err != nil {
		return p.Page[p.School]{}, err
	}
	pg := p.Page[p.School]{Items: items}
	if more {
		pg.Next = p.Cursor(strconv.Itoa(int(items[len(items)-1].URN)))
	}
	return pg, nil
}

func schoolArgs(sc *p.School) ([]any, error) {
	doc, err := marshal(sc)
	if err != nil {
		return nil, err
	}
	return []any{sc.LA, sc.Region, int(sc.Phase), int(sc.Governance), doc, int64(sc.URN)}, nil
}

// InsertSchool implements partnership.SchoolWriter.
func (ps *PartnershipStore) InsertSchool(ctx context.Context, sc p.School) error {
	return ps.insertSchool(ctx, ps.db.sql, &sc)
}

func (ps *PartnershipStore) insertSchool(ctx context.Context, q querier, sc *p.School) error {
	args, err := schoolArgs(sc)
	if err != nil {
		return err
	}
	return ps.exec(ctx, q, "INSERT INTO schools (la, region, phase, governance, doc, urn) VALUES (?, ?, ?, ?, ?, ?)", "insert school", sc.URN, args...)
}

// UpdateSchool implements partnership.SchoolWriter.
func (ps *PartnershipStore) UpdateSchool(ctx context.Context, sc p.School) error {
	args, err := schoolArgs(&sc)
	if err != nil {
		return err
	}
	return ps.execOne(ctx, "UPDATE schools SET la = ?, region = ?, phase = ?, governance = ?, doc = ? WHERE urn = ?", "update school", sc.URN, args...)
}

// Organisation implements partnership.OrgStore.
func (ps *PartnershipStore) Organisation(ctx context.Context, id p.OrgID) (p.Organisation, error) {
	return getP[p.Organisation](ctx, ps, "SELECT doc FROM organisations WHERE id = ?", string(id), "organisation")
}

// ListOrganisations implements partnership.OrgStore.
func (ps *PartnershipStore) ListOrganisations(ctx context.Context, q p.OrgQuery, r p.PageRequest) (p.Page[p.Organisation], error) {
	pq := pageQuery{table: "organisations", key: "id"}
	if q.Kind != p.OrgUnknown {
		pq.and("kind = ?", int(q.Kind))
	}
	return pageP(ctx, ps, pq, r, func(o p.Organisation) string { return string(o.ID) }, "list organisations")
}

// InsertOrganisation implements partnership.OrgStore.
func (ps *PartnershipStore) InsertOrganisation(ctx context.Context, o p.Organisation) error {
	return ps.insertOrganisation(ctx, ps.db.sql, &o)
}

func (ps *PartnershipStore) insertOrganisation(ctx context.Context, q querier, o *p.Organisation) error {
	doc, err := marshal(o)
	if err != nil {
		return err
	}
	return ps.exec(ctx, q, "INSERT INTO organisations (kind, doc, id) VALUES (?, ?, ?)", "insert organisation", o.ID, int(o.Kind), doc, string(o.ID))
}

// UpdateOrganisation implements partnership.OrgStore.
func (ps *PartnershipStore) UpdateOrganisation(ctx context.Context, o p.Organisation) error {
	doc, err := marshal(o)
	if err != nil {
		return err
	}
	return ps.execOne(ctx, "UPDATE organisations SET kind = ?, doc = ? WHERE id = ?", "update organisation", o.ID, int(o.Kind), doc, string(o.ID))
}

// Network implements partnership.NetworkStore.
func (ps *PartnershipStore) Network(ctx context.Context, id p.NetworkID) (p.Network, error) {
	return getP[p.Network](ctx, ps, "SELECT doc FROM networks WHERE id = ?", string(id), "network")
}

// ListNetworks implements partnership.NetworkStore.
func (ps *PartnershipStore) ListNetworks(ctx context.Context, q p.NetworkQuery, r p.PageRequest) (p.Page[p.Network], error) {
	pq := pageQuery{table: "networks", key: "id"}
	if q.Kind != p.NetworkUnknown {
		pq.and("kind = ?", int(q.Kind))
	}
	return pageP(ctx, ps, pq, r, func(n p.Network) string { return string(n.ID) }, "list networks")
}

// InsertNetwork implements partnership.NetworkStore.
func (ps *PartnershipStore) InsertNetwork(ctx context.Context, n p.Network) error {
	return ps.insertNetwork(ctx, ps.db.sql, &n)
}

func (ps *PartnershipStore) insertNetwork(ctx context.Context, q querier, n *p.Network) error {
	doc, err := marshal(n)
	if err != nil {
		return err
	}
	return ps.exec(ctx, q, "INSERT INTO networks (kind, doc, id) VALUES (?, ?, ?)", "insert network", n.ID, int(n.Kind), doc, string(n.ID))
}

// UpdateNetwork implements partnership.NetworkStore.
func (ps *PartnershipStore) UpdateNetwork(ctx context.Context, n p.Network) error {
	doc, err := marshal(n)
	if err != nil {
		return err
	}
	return ps.execOne(ctx, "UPDATE networks SET kind = ?, doc = ? WHERE id = ?", "update network", n.ID, int(n.Kind), doc, string(n.ID))
}

// Membership implements partnership.MembershipStore.
func (ps *PartnershipStore) Membership(ctx context.Context, id p.MembershipID) (p.Membership, error) {
	return getP[p.Membership](ctx, ps, "SELECT doc FROM memberships WHERE id = ?", string(id), "membership")
}

// ListMemberships implements partnership.MembershipStore.
func (ps *PartnershipStore) ListMemberships(ctx context.Context, q p.MembershipQuery, r p.PageRequest) (p.Page[p.Membership], error) {
	pq := pageQuery{table: "memberships", key: "id"}
	if q.Network != "" {
		pq.and("network = ?", string(q.Network))
	}
	if q.Member != "" {
		pq.and("member = ?", string(q.Member))
	}
	if !q.At.IsZero() {
		if err := checkTimes(q.At); err != nil {
			return p.Page[p.Membership]{}, fmt.Errorf("sqlstore: list memberships: %w: %w", p.ErrInvalid, err)
		}
		at := timeKey(q.At)
		pq.and("(valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR ? < valid_to)", at, at)
	}
	return pageP(ctx, ps, pq, r, func(m p.Membership) string { return string(m.ID) }, "list memberships")
}

func membershipArgs(m *p.Membership) ([]any, error) {
	if err := checkTimes(m.Period.From, m.Period.To); err != nil {
		return nil, fmt.Errorf("sqlstore: membership %s: %w: %w", m.ID, p.ErrInvalid, err)
	}
	doc, err := marshal(m)
	if err != nil {
		return nil, err
	}
	return []any{string(m.Network), string(m.Member), nullTimeKey(m.Period.From), nullTimeKey(m.Period.To), doc, string(m.ID)}, nil
}

// InsertMembership implements partnership.MembershipStore. A membership
// overlapping another of the same member in the same network is
// ErrConflict.
func (ps *PartnershipStore) InsertMembership(ctx context.Context, m p.Membership) error {
	return ps.insertMembership(ctx, ps.db.sql, &m)
}

func (ps *PartnershipStore) insertMembership(ctx context.Context, q querier, m *p.Membership) error {
	args, err := membershipArgs(m)
	if err != nil {
		return err
	}
	err = ps.exec(ctx, q, "INSERT INTO memberships (network, member, valid_from, valid_to, doc, id) VALUES (?, ?, ?, ?, ?, ?)", "insert membership", m.ID, args...)
	return ps.nameOverlap(ctx, err, m)
}

// nameOverlap adds to a conflict the ID of a membership that m overlaps,
// when there is one (the constraint that refused m does not say which).
func (ps *PartnershipStore) nameOverlap(ctx context.Context, err error, m *p.Membership) error {
	if !errors.Is(err, p.ErrConflict) || ctx.Err() != nil {
		return err
	}
	var other string
	qerr := ps.db.sql.QueryRowContext(ctx, ps.db.rebind(`SELECT id FROM memberships
		WHERE id <> ? AND network = ? AND member = ?
		AND (? IS NULL OR valid_from IS NULL OR valid_from < ?)
		AND (valid_to IS NULL OR ? IS NULL OR ? < valid_to)
		ORDER BY id LIMIT 1`), string(m.ID), string(m.Network), string(m.Member),
		nullTimeKey(m.Period.To), nullTimeKey(m.Period.To), nullTimeKey(m.Period.From), nullTimeKey(m.Period.From)).Scan(&other)
	if qerr != nil {
		return err
	}
	return fmt.Errorf("%w (%s is a member of %s in an overlapping period by membership %s)", err, m.Member, m.Network, other)
}

// UpdateMembership implements partnership.MembershipStore. A change that
// makes it overlap another membership of the same member in the same
// network is ErrConflict.
func (ps *PartnershipStore) UpdateMembership(ctx context.Context, m p.Membership) error {
	args, err := membershipArgs(&m)
	if err != nil {
		return err
	}
	err = ps.execOne(ctx, "UPDATE memberships SET network = ?, member = ?, valid_from = ?, valid_to = ?, doc = ? WHERE id = ?", "update membership", m.ID, args...)
	return ps.nameOverlap(ctx, err, &m)
}

// Person implements partnership.PersonStore.
func (ps *PartnershipStore) Person(ctx context.Context, id p.PersonID) (p.Person, error) {
	return getP[p.Person](ctx, ps, "SELECT doc FROM people WHERE id = ?", string(id), "person")
}

// ListPeople implements partnership.PersonStore.
func (ps *PartnershipStore) ListPeople(ctx context.Context, q p.PersonQuery, r p.PageRequest) (p.Page[p.Person], error) {
	pq := pageQuery{table: "people", key: "id"}
	if q.Home != "" {
		pq.and("home = ?", string(q.Home))
	}
	if q.Role != p.RoleNone {
		pq.and("role = ?", int(q.Role))
	}
	if q.Expertise != "" {
		pq.and("id IN (SELECT person FROM person_expertise WHERE expertise = ?)", string(q.Expertise))
	}
	return pageP(ctx, ps, pq, r, func(x p.Person) string { return string(x.ID) }, "list people")
}

// InsertPerson implements partnership.PersonStore.
func (ps *PartnershipStore) InsertPerson(ctx context.Context, x p.Person) error {
	return ps.db.inTx(ctx, func(tx *sql.Tx) error { return ps.insertPerson(ctx, tx, &x) })
}

func (ps *PartnershipStore) insertPerson(ctx context.Context, tx querier, x *p.Person) error {
	doc, err := marshal(x)
	if err != nil {
		return err
	}
	if err := ps.exec(ctx, tx, "INSERT INTO people (home, role, doc, id) VALUES (?, ?, ?, ?)", "insert person", x.ID, string(x.Home), int(x.Role), doc, string(x.ID)); err != nil {
		return err
	}
	return ps.insertExpertise(ctx, tx, x)
}

func (ps *PartnershipStore) insertExpertise(ctx context.Context, tx querier, x *p.Person) error {
	seen := map[p.ExpertiseID]bool{}
	for _, e := range x.Expertise {
		if seen[e] {
			continue
		}
		seen[e] = true
		if err := ps.exec(ctx, tx, "INSERT INTO person_expertise (person, expertise) VALUES (?, ?)", "insert person", x.ID, string(x.ID), string(e)); err != nil {
			return err
		}
	}
	return nil
}

// UpdatePerson implements partnership.PersonStore.
func (ps *PartnershipStore) UpdatePerson(ctx context.Context, x p.Person) error {
	doc, err := marshal(x)
	if err != nil {
		return err
	}
	return ps.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := execOne(ctx, ps.db, tx, "UPDATE people SET home = ?, role = ?, doc = ? WHERE id = ?",
			[]any{string(x.Home), int(x.Role), doc, string(x.ID)}, p.ErrConflict, p.ErrNotFound, "update person", x.ID); err != nil {
			return err
		}
		if err := ps.exec(ctx, tx, "DELETE FROM person_expertise WHERE person = ?", "update person", x.ID, string(x.ID)); err != nil {
			return err
		}
		return ps.insertExpertise(ctx, tx, &x)
	})
}

// Programme implements partnership.ProgrammeStore.
func (ps *PartnershipStore) Programme(ctx context.Context, id p.ProgrammeID) (p.Programme, error) {
	return getP[p.Programme](ctx, ps, "SELECT doc FROM programmes WHERE id = ?", string(id), "programme")
}

// ListProgrammes implements partnership.ProgrammeStore.
func (ps *PartnershipStore) ListProgrammes(ctx context.Context, r p.PageRequest) (p.Page[p.Programme], error) {
	return pageP(ctx, ps, pageQuery{table: "programmes", key: "id"}, r, func(x p.Programme) string { return string(x.ID) }, "list programmes")
}

// InsertProgramme implements partnership.ProgrammeStore.
func (ps *PartnershipStore) InsertProgramme(ctx context.Context, x p.Programme) error {
	return ps.insertProgramme(ctx, ps.db.sql, &x)
}

func (ps *PartnershipStore) insertProgramme(ctx context.Context, q querier, x *p.Programme) error {
	doc, err := marshal(x)
	if err != nil {
		return err
	}
	return ps.exec(ctx, q, "INSERT INTO programmes (capacity, doc, id) VALUES (?, ?, ?)", "insert programme", x.ID, x.Capacity, doc, string(x.ID))
}

// InsertEnrolment implements partnership.ProgrammeStore. The programme's
// capacity is checked by the database (a trigger that, on PostgreSQL, locks
// the programme's row), so concurrent enrolments never overfill it.
func (ps *PartnershipStore) InsertEnrolment(ctx context.Context, e p.Enrolment) error {
	doc, err := marshal(e)
	if err != nil {
		return err
	}
	id := string(e.Programme) + "/" + string(e.Person)
	return ps.db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, ps.db.rebind(`SELECT (SELECT count(*) FROM programmes WHERE id = ?) + 2 * (SELECT count(*) FROM people WHERE id = ?)`),
			string(e.Programme), string(e.Person)).Scan(&n)
		if err != nil {
			return mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "enrol", id)
		}
		if n&1 == 0 {
			return fmt.Errorf("sqlstore: enrol %s: %w: no programme %s", id, p.ErrNotFound, e.Programme)
		}
		if n&2 == 0 {
			return fmt.Errorf("sqlstore: enrol %s: %w: no person %s", id, p.ErrNotFound, e.Person)
		}
		return ps.exec(ctx, tx, "INSERT INTO enrolments (programme, person, doc) VALUES (?, ?, ?)", "enrol", id, string(e.Programme), string(e.Person), doc)
	})
}

// DeletePerson implements partnership.PersonStore: the person, their
// expertise and their enrolments go in one transaction.
func (ps *PartnershipStore) DeletePerson(ctx context.Context, id p.PersonID) error {
	return ps.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := ps.exec(ctx, tx, "DELETE FROM enrolments WHERE person = ?", "delete person", id, string(id)); err != nil {
			return err
		}
		return execOne(ctx, ps.db, tx, "DELETE FROM people WHERE id = ?", []any{string(id)}, p.ErrConflict, p.ErrNotFound, "delete person", id)
	})
}

// Enrolments implements partnership.ProgrammeStore.
func (ps *PartnershipStore) Enrolments(ctx context.Context, programme p.ProgrammeID) ([]p.Enrolment, error) {
	return listDocs[p.Enrolment](ctx, ps.db, ps.db.sql, "SELECT doc FROM enrolments WHERE programme = ? ORDER BY person",
		[]any{string(programme)}, p.ErrConflict, p.ErrNotFound, "enrolments", programme)
}

// InsertInspection implements partnership.InspectionStore.
func (ps *PartnershipStore) InsertInspection(ctx context.Context, in p.Inspection) error {
	return ps.insertInspection(ctx, ps.db.sql, &in)
}

func (ps *PartnershipStore) insertInspection(ctx context.Context, q querier, in *p.Inspection) error {
	if err := checkTimes(in.Date); err != nil {
		return fmt.Errorf("sqlstore: inspection %d: %w: %w", in.URN, p.ErrInvalid, err)
	}
	doc, err := marshal(in)
	if err != nil {
		return err
	}
	return ps.exec(ctx, q, "INSERT INTO inspections (urn, date, doc) VALUES (?, ?, ?)", "insert inspection", in.URN, int64(in.URN), timeKey(in.Date), doc)
}

// Inspections implements partnership.InspectionStore.
func (ps *PartnershipStore) Inspections(ctx context.Context, urn p.URN) ([]p.Inspection, error) {
	return listDocs[p.Inspection](ctx, ps.db, ps.db.sql, "SELECT doc FROM inspections WHERE urn = ? ORDER BY date DESC",
		[]any{int64(urn)}, p.ErrConflict, p.ErrNotFound, "inspections", urn)
}
