-- Version 4 changes only PostgreSQL's membership exclusion constraint (see
-- migrations/postgres/00004); SQLite's triggers keep the same rule
-- unchanged. The version exists here too so that both dialects number the
-- same schema alike.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
