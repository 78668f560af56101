-- Version 2: brokerage's needs and offers, which the engagement ledger
-- checks proposals against. One open engagement per need and an offer's
-- capacity are kept by Reserve, PutNeed and PutOffer, each one transaction
-- that locks the need's and the offer's rows (SQLite: the database's write
-- lock). They are not a unique index: brokerage.EngagementWriter.Create
-- restores engagements as they are, checking nothing, by contract.

-- +goose Up
-- +goose StatementBegin
CREATE TABLE needs (
	id  TEXT COLLATE "C" PRIMARY KEY,
	doc TEXT NOT NULL
);

CREATE TABLE offers (
	id       TEXT COLLATE "C" PRIMARY KEY,
	capacity INTEGER NOT NULL,
	doc      TEXT NOT NULL
);

CREATE INDEX engagements_need_status ON engagements (need, status);
CREATE INDEX engagements_offer_status ON engagements (offer, status);
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DROP INDEX engagements_offer_status;
DROP INDEX engagements_need_status;
DROP TABLE offers;
DROP TABLE needs;
-- +goose StatementEnd
