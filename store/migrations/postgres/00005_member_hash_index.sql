-- +goose Up
-- Nothing to do on PostgreSQL: 00005 is SQLite's, where the 身份证号
-- hash's uniqueness moves from the column's UNIQUE to an index a bulk
-- import can drop and rebuild. PostgreSQL imports with COPY and keeps its
-- indexes (members_id_hash_key stays as it is).
SELECT 1;

-- +goose Down
SELECT 1;
