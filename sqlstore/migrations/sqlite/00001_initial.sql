-- Fulcrum's schema, version 1, for SQLite.
--
-- Each record is kept whole as a JSON document (doc), beside the columns that
-- the Store contracts look records up, filter, order and constrain by. Times
-- in key columns are UTC text of fixed width (2006-01-02T15:04:05.000000000Z),
-- so comparing them compares instants to the nanosecond; NULL is an open end.
-- Cross-record rules are the database's: triggers refuse overlapping
-- memberships, a programme's places beyond its capacity, and any change to an
-- audit log.

-- +goose Up
-- +goose StatementBegin
CREATE TABLE schools (
	urn        INTEGER PRIMARY KEY,
	la         INTEGER NOT NULL,
	region     TEXT NOT NULL,
	phase      INTEGER NOT NULL,
	governance INTEGER NOT NULL,
	doc        TEXT NOT NULL
);
CREATE INDEX schools_la ON schools (la);
CREATE INDEX schools_region ON schools (region);

CREATE TABLE organisations (
	id   TEXT PRIMARY KEY,
	kind INTEGER NOT NULL,
	doc  TEXT NOT NULL
);

CREATE TABLE networks (
	id   TEXT PRIMARY KEY,
	kind INTEGER NOT NULL,
	doc  TEXT NOT NULL
);

CREATE TABLE memberships (
	id         TEXT PRIMARY KEY,
	network    TEXT NOT NULL,
	member     TEXT NOT NULL,
	valid_from TEXT,
	valid_to   TEXT,
	doc        TEXT NOT NULL,
	CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to)
);
CREATE INDEX memberships_network ON memberships (network, member);
CREATE INDEX memberships_member ON memberships (member);

-- A member's memberships of one network never share an instant.
CREATE TRIGGER memberships_no_overlap_insert BEFORE INSERT ON memberships
WHEN EXISTS (SELECT 1 FROM memberships o
	WHERE o.network = NEW.network AND o.member = NEW.member
	AND (NEW.valid_to IS NULL OR o.valid_from IS NULL OR o.valid_from < NEW.valid_to)
	AND (o.valid_to IS NULL OR NEW.valid_from IS NULL OR NEW.valid_from < o.valid_to))
BEGIN
	SELECT RAISE(ABORT, 'overlapping membership');
END;
CREATE TRIGGER memberships_no_overlap_update BEFORE UPDATE ON memberships
WHEN EXISTS (SELECT 1 FROM memberships o
	WHERE o.id <> NEW.id AND o.network = NEW.network AND o.member = NEW.member
	AND (NEW.valid_to IS NULL OR o.valid_from IS NULL OR o.valid_from < NEW.valid_to)
	AND (o.valid_to IS NULL OR NEW.valid_from IS NULL OR NEW.valid_from < o.valid_to))
BEGIN
	SELECT RAISE(ABORT, 'overlapping membership');
END;

CREATE TABLE people (
	id   TEXT PRIMARY KEY,
	home TEXT NOT NULL,
	role INTEGER NOT NULL,
	doc  TEXT NOT NULL
);
CREATE INDEX people_home ON people (home);

CREATE TABLE person_expertise (
	person    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	expertise TEXT NOT NULL,
	PRIMARY KEY (expertise, person)
);

CREATE TABLE programmes (
	id       TEXT PRIMARY KEY,
	capacity INTEGER NOT NULL,
	doc      TEXT NOT NULL
);

CREATE TABLE enrolments (
	programme TEXT NOT NULL REFERENCES programmes (id),
	person    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	doc       TEXT NOT NULL,
	PRIMARY KEY (programme, person)
);
CREATE INDEX enrolments_person ON enrolments (person);

-- A programme with a positive capacity never holds more places. SQLite has
-- one writer at a time, so the count cannot change under the trigger.
CREATE TRIGGER enrolments_capacity BEFORE INSERT ON enrolments
WHEN (SELECT capacity FROM programmes WHERE id = NEW.programme) > 0
	AND (SELECT count(*) FROM enrolments WHERE programme = NEW.programme)
		>= (SELECT capacity FROM programmes WHERE id = NEW.programme)
BEGIN
	SELECT RAISE(ABORT, 'the programme is full');
END;

CREATE TABLE inspections (
	urn  INTEGER NOT NULL,
	date TEXT NOT NULL,
	doc  TEXT NOT NULL,
	PRIMARY KEY (urn, date)
);

CREATE TABLE risk_assessments (
	policy TEXT NOT NULL,
	urn    INTEGER NOT NULL,
	at     TEXT NOT NULL,
	doc    TEXT NOT NULL,
	PRIMARY KEY (policy, urn, at)
);

CREATE TABLE risk_overrides (
	id     TEXT PRIMARY KEY,
	policy TEXT NOT NULL,
	urn    INTEGER NOT NULL,
	at     TEXT NOT NULL,
	ended  TEXT,
	doc    TEXT NOT NULL
);
CREATE INDEX risk_overrides_school ON risk_overrides (policy, urn, at);

CREATE TABLE risk_audit (
	seq INTEGER PRIMARY KEY,
	doc TEXT NOT NULL
);
CREATE TRIGGER risk_audit_no_update BEFORE UPDATE ON risk_audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER risk_audit_no_delete BEFORE DELETE ON risk_audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE review_programmes (
	id  TEXT PRIMARY KEY,
	doc TEXT NOT NULL
);

CREATE TABLE review_cycles (
	id  TEXT PRIMARY KEY,
	doc TEXT NOT NULL
);

CREATE TABLE reviews (
	id      TEXT PRIMARY KEY,
	cycle   TEXT NOT NULL,
	school  INTEGER NOT NULL,
	version INTEGER NOT NULL,
	doc     TEXT NOT NULL
);
CREATE INDEX reviews_cycle ON reviews (cycle);
CREATE INDEX reviews_school ON reviews (school);

CREATE TABLE review_consents (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	id     TEXT NOT NULL UNIQUE,
	school INTEGER NOT NULL,
	doc    TEXT NOT NULL
);
CREATE INDEX review_consents_school ON review_consents (school, seq);

CREATE TABLE review_audit (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	school INTEGER NOT NULL,
	doc    TEXT NOT NULL
);
CREATE INDEX review_audit_school ON review_audit (school, seq);
CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE engagements (
	id      TEXT PRIMARY KEY,
	need    TEXT NOT NULL,
	offer   TEXT NOT NULL,
	status  INTEGER NOT NULL,
	version INTEGER NOT NULL,
	doc     TEXT NOT NULL
);
CREATE INDEX engagements_offer ON engagements (offer);
CREATE INDEX engagements_need ON engagements (need);
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DROP TABLE engagements;
DROP TABLE review_audit;
DROP TABLE review_consents;
DROP TABLE reviews;
DROP TABLE review_cycles;
DROP TABLE review_programmes;
DROP TABLE risk_audit;
DROP TABLE risk_overrides;
DROP TABLE risk_assessments;
DROP TABLE inspections;
DROP TABLE enrolments;
DROP TABLE programmes;
DROP TABLE person_expertise;
DROP TABLE people;
DROP TABLE memberships;
DROP TABLE networks;
DROP TABLE organisations;
DROP TABLE schools;
-- +goose StatementEnd
