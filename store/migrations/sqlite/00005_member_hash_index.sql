-- +goose NO TRANSACTION
-- +goose Up
-- The 身份证号 hash stays unique, through a named index instead of the
-- column's UNIQUE: SQLite cannot drop the automatic index of a column
-- constraint, and a bulk import into an empty member table drops this
-- one while it writes (a random insert per row into a million-entry index
-- was a fifth of the writer's time) and builds it once at the end, where a
-- duplicate still fails the import. Changing a column constraint in
-- SQLite means rebuilding the table (the steps of "Making Other Kinds Of
-- Table Schema Changes" in the ALTER TABLE documentation). Foreign keys
-- must be off, outside any transaction, or dropping the old table would
-- cascade to member_keys, relatives and member_events.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE members_new (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    TEXT NOT NULL,
    name        TEXT NOT NULL,
    pinyin      TEXT NOT NULL,
    id_enc      TEXT NOT NULL,
    id_hash     TEXT NOT NULL,
    id_masked   TEXT NOT NULL,
    id_tail     TEXT NOT NULL,
    sex         TEXT CHECK (sex IN ('M','F')),
    birth_date  TEXT,
    birth_md    INTEGER NOT NULL DEFAULT 0,
    phone       TEXT,
    ethnicity   TEXT NOT NULL DEFAULT '',
    political   TEXT NOT NULL DEFAULT '',
    education   TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL CHECK (category IN ('active','laid_off','retired','dispatched','migrant')),
    department  TEXT NOT NULL DEFAULT '',
    post        TEXT NOT NULL DEFAULT '',
    employee_no TEXT,
    hire_date   TEXT,
    join_date   TEXT,
    status      TEXT NOT NULL CHECK (status IN ('member','reserved','transferred','withdrawn','deceased')),
    card_no     TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
INSERT INTO members_new SELECT * FROM members ORDER BY id;
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
-- Every index members had (00001, 00004), and the hash's. 工号 and phone
-- are indexed only where present: many rosters have no 工号 column, and a
-- million NULL entries cost an import a sort and serve no query (every
-- lookup is an equality, which implies IS NOT NULL). Members per org are
-- counted by org_path.
CREATE UNIQUE INDEX members_id_hash ON members(id_hash);
CREATE INDEX members_org_pinyin ON members(org_path, pinyin);
CREATE INDEX members_org_status ON members(org_path, status, category);
CREATE INDEX members_org_id ON members(org_id, employee_no) WHERE employee_no IS NOT NULL;
CREATE INDEX members_id_tail ON members(id_tail);
CREATE INDEX members_phone ON members(phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX members_card_no ON members(card_no) WHERE card_no IS NOT NULL;
CREATE INDEX members_birthday ON members(status, birth_md, org_path);
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE members_old (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    TEXT NOT NULL,
    name        TEXT NOT NULL,
    pinyin      TEXT NOT NULL,
    id_enc      TEXT NOT NULL,
    id_hash     TEXT NOT NULL UNIQUE,
    id_masked   TEXT NOT NULL,
    id_tail     TEXT NOT NULL,
    sex         TEXT CHECK (sex IN ('M','F')),
    birth_date  TEXT,
    birth_md    INTEGER NOT NULL DEFAULT 0,
    phone       TEXT,
    ethnicity   TEXT NOT NULL DEFAULT '',
    political   TEXT NOT NULL DEFAULT '',
    education   TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL CHECK (category IN ('active','laid_off','retired','dispatched','migrant')),
    department  TEXT NOT NULL DEFAULT '',
    post        TEXT NOT NULL DEFAULT '',
    employee_no TEXT,
    hire_date   TEXT,
    join_date   TEXT,
    status      TEXT NOT NULL CHECK (status IN ('member','reserved','transferred','withdrawn','deceased')),
    card_no     TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
INSERT INTO members_old SELECT * FROM members ORDER BY id;
DROP TABLE members;
ALTER TABLE members_old RENAME TO members;
CREATE INDEX members_org_pinyin ON members(org_path, pinyin);
CREATE INDEX members_org_status ON members(org_path, status, category);
CREATE INDEX members_org_id ON members(org_id, employee_no);
CREATE INDEX members_id_tail ON members(id_tail);
CREATE INDEX members_phone ON members(phone);
CREATE UNIQUE INDEX members_card_no ON members(card_no) WHERE card_no IS NOT NULL;
CREATE INDEX members_birthday ON members(status, birth_md, org_path);
COMMIT;
PRAGMA foreign_keys = ON;
