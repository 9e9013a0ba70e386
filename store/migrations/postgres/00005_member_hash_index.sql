-- +goose Up
-- 00005 on SQLite moves the 身份证号 hash's uniqueness from the column's
-- UNIQUE to an index a bulk import can drop and rebuild; PostgreSQL
-- imports with COPY and keeps members_id_hash_key as it is. Both index
-- 工号 and phone only where present (see the SQLite file).
DROP INDEX members_org_id;
CREATE INDEX members_org_id ON members(org_id, employee_no) WHERE employee_no IS NOT NULL;
DROP INDEX members_phone;
CREATE INDEX members_phone ON members(phone) WHERE phone IS NOT NULL;

-- +goose Down
DROP INDEX members_org_id;
CREATE INDEX members_org_id ON members(org_id, employee_no);
DROP INDEX members_phone;
CREATE INDEX members_phone ON members(phone);
