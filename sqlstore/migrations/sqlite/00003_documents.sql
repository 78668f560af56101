-- Version 3: named documents that an application keeps beside its records
-- (the fulcrum tool keeps there what an England extract held besides the
-- dataset: groups, group links, census phases, the files read).

-- +goose Up
CREATE TABLE documents (
	name TEXT PRIMARY KEY,
	doc  TEXT NOT NULL
);

-- +goose Down
DROP TABLE documents;
