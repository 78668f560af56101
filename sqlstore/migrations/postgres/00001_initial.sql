-- Fulcrum's schema, version 1, for PostgreSQL.
--
-- Each record is kept whole as a JSON document (doc), beside the columns that
-- the Store contracts look records up, filter, order and constrain by. Times
-- in key columns are UTC text of fixed width (2006-01-02T15:04:05.000000000Z),
-- so comparing them compares instants to the nanosecond; NULL is an open end.
-- Cross-record rules are the database's: an exclusion constraint refuses
-- overlapping memberships, and triggers a programme's places beyond its
-- capacity and any change to an audit log.

-- +goose Up
-- +goose StatementBegin
-- btree_gist lets one exclusion constraint combine equality on text with
-- overlap of ranges; it is a trusted extension, so the database's owner may
-- create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Ranges over the fixed-width UTC time keys, compared byte by byte.
CREATE TYPE fulcrum_timerange AS RANGE (subtype = text, collation = "C");

CREATE FUNCTION fulcrum_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log % is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TABLE schools (
	urn        BIGINT PRIMARY KEY,
	la         INTEGER NOT NULL,
	region     TEXT NOT NULL,
	phase      INTEGER NOT NULL,
	governance INTEGER NOT NULL,
	doc        TEXT NOT NULL
);
CREATE INDEX schools_la ON schools (la);
CREATE INDEX schools_region ON schools (region);

CREATE TABLE organisations (
	id   TEXT COLLATE "C" PRIMARY KEY,
	kind INTEGER NOT NULL,
	doc  TEXT NOT NULL
);

CREATE TABLE networks (
	id   TEXT COLLATE "C" PRIMARY KEY,
	kind INTEGER NOT NULL,
	doc  TEXT NOT NULL
);

CREATE TABLE memberships (
	id         TEXT COLLATE "C" PRIMARY KEY,
	network    TEXT COLLATE "C" NOT NULL,
	member     TEXT COLLATE "C" NOT NULL,
	valid_from TEXT COLLATE "C",
	valid_to   TEXT COLLATE "C",
	doc        TEXT NOT NULL,
	CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to),
	-- A member's memberships of one network never share an instant.
	EXCLUDE USING gist (network WITH =, member WITH =,
		fulcrum_timerange(valid_from, valid_to, '[)') WITH &&)
);
CREATE INDEX memberships_network ON memberships (network, member);
CREATE INDEX memberships_member ON memberships (member);


CREATE TABLE people (
	id   TEXT COLLATE "C" PRIMARY KEY,
	home TEXT COLLATE "C" NOT NULL,
	role INTEGER NOT NULL,
	doc  TEXT NOT NULL
);
CREATE INDEX people_home ON people (home);

CREATE TABLE person_expertise (
	person    TEXT COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	expertise TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (expertise, person)
);

CREATE TABLE programmes (
	id       TEXT COLLATE "C" PRIMARY KEY,
	capacity INTEGER NOT NULL,
	doc      TEXT NOT NULL
);

CREATE TABLE enrolments (
	programme TEXT COLLATE "C" NOT NULL REFERENCES programmes (id),
	person    TEXT COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	doc       TEXT NOT NULL,
	PRIMARY KEY (programme, person)
);
CREATE INDEX enrolments_person ON enrolments (person);

-- A programme with a positive capacity never holds more places: the
-- trigger locks the programme's row, so concurrent enrolments count one
-- after another.
CREATE FUNCTION fulcrum_enrolment_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	cap integer;
	taken integer;
BEGIN
	SELECT capacity INTO cap FROM programmes WHERE id = NEW.programme FOR UPDATE;
	IF cap > 0 THEN
		SELECT count(*) INTO taken FROM enrolments WHERE programme = NEW.programme;
		IF taken >= cap THEN
			RAISE EXCEPTION 'programme % is full (% places)', NEW.programme, cap;
		END IF;
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER enrolments_capacity BEFORE INSERT ON enrolments
	FOR EACH ROW EXECUTE FUNCTION fulcrum_enrolment_capacity();

CREATE TABLE inspections (
	urn  BIGINT NOT NULL,
	date TEXT COLLATE "C" NOT NULL,
	doc  TEXT NOT NULL,
	PRIMARY KEY (urn, date)
);

CREATE TABLE risk_assessments (
	policy TEXT COLLATE "C" NOT NULL,
	urn    BIGINT NOT NULL,
	at     TEXT COLLATE "C" NOT NULL,
	doc    TEXT NOT NULL,
	PRIMARY KEY (policy, urn, at)
);

CREATE TABLE risk_overrides (
	id     TEXT COLLATE "C" PRIMARY KEY,
	policy TEXT COLLATE "C" NOT NULL,
	urn    BIGINT NOT NULL,
	at     TEXT COLLATE "C" NOT NULL,
	ended  TEXT COLLATE "C",
	doc    TEXT NOT NULL
);
CREATE INDEX risk_overrides_school ON risk_overrides (policy, urn, at);

CREATE TABLE risk_audit (
	seq BIGINT PRIMARY KEY,
	doc TEXT NOT NULL
);
CREATE TRIGGER risk_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON risk_audit
	FOR EACH STATEMENT EXECUTE FUNCTION fulcrum_append_only();

CREATE TABLE review_programmes (
	id  TEXT COLLATE "C" PRIMARY KEY,
	doc TEXT NOT NULL
);

CREATE TABLE review_cycles (
	id  TEXT COLLATE "C" PRIMARY KEY,
	doc TEXT NOT NULL
);

CREATE TABLE reviews (
	id      TEXT COLLATE "C" PRIMARY KEY,
	cycle   TEXT COLLATE "C" NOT NULL,
	school  BIGINT NOT NULL,
	version INTEGER NOT NULL,
	doc     TEXT NOT NULL
);
CREATE INDEX reviews_cycle ON reviews (cycle);
CREATE INDEX reviews_school ON reviews (school);

CREATE TABLE review_consents (
	seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id     TEXT NOT NULL UNIQUE COLLATE "C",
	school BIGINT NOT NULL,
	doc    TEXT NOT NULL
);
CREATE INDEX review_consents_school ON review_consents (school, seq);

CREATE TABLE review_audit (
	seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school BIGINT NOT NULL,
	doc    TEXT NOT NULL
);
CREATE INDEX review_audit_school ON review_audit (school, seq);
CREATE TRIGGER review_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON review_audit
	FOR EACH STATEMENT EXECUTE FUNCTION fulcrum_append_only();

CREATE TABLE engagements (
	id      TEXT COLLATE "C" PRIMARY KEY,
	need    TEXT COLLATE "C" NOT NULL,
	offer   TEXT COLLATE "C" NOT NULL,
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
DROP FUNCTION fulcrum_append_only;
DROP FUNCTION fulcrum_enrolment_capacity;
DROP TYPE fulcrum_timerange;
-- +goose StatementEnd
