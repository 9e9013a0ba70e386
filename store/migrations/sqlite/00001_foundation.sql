-- +goose Up
-- Foundation: org tree, members, relatives, history, users, sessions, audit.
-- Timestamps are Unix milliseconds (BIGINT) so both databases read them the
-- same way; civil dates are 'YYYY-MM-DD' text.
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES orgs(id),
    path        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('federation','group','base','branch','team')),
    code        TEXT UNIQUE,
    credit_code TEXT,
    closed      BOOLEAN NOT NULL DEFAULT FALSE,
    closed_on   TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE members (
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
CREATE INDEX members_org_pinyin ON members(org_path, pinyin);
CREATE INDEX members_org_status ON members(org_path, status, category);
CREATE INDEX members_org_id ON members(org_id, employee_no);
CREATE INDEX members_id_tail ON members(id_tail);
CREATE INDEX members_phone ON members(phone);
CREATE UNIQUE INDEX members_card_no ON members(card_no) WHERE card_no IS NOT NULL;

-- Search keys: the name itself and the pinyin (full and initials) of every
-- reading of it, so 单/曾/解 surnames are found under each reading. org_path
-- is copied here so a subtree search never touches members until the page.
CREATE TABLE member_keys (
    key       TEXT NOT NULL,
    org_path  TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE
);
-- Covering index for the search: key range, then subtree, in pinyin order.
CREATE INDEX member_keys_key ON member_keys(key, org_path, member_id);
CREATE INDEX member_keys_member ON member_keys(member_id);

CREATE TABLE relatives (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    relation    TEXT NOT NULL CHECK (relation IN ('spouse','child','parent','spouse_parent')),
    name        TEXT NOT NULL,
    id_enc      TEXT NOT NULL DEFAULT '',
    id_hash     TEXT,
    id_masked   TEXT NOT NULL DEFAULT '',
    sex         TEXT CHECK (sex IN ('M','F')),
    birth_date  TEXT,
    school      TEXT NOT NULL DEFAULT '',
    phone       TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX relatives_member ON relatives(member_id);

CREATE TABLE member_events (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('join','transfer_in','transfer_out','retire','reserve','restore','withdraw','death')),
    date        TEXT NOT NULL,
    from_org_id BIGINT REFERENCES orgs(id),
    to_org_id   BIGINT REFERENCES orgs(id),
    notes       TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX member_events_member ON member_events(member_id, date);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    home_org_id   BIGINT NOT NULL REFERENCES orgs(id),
    member_id     BIGINT REFERENCES members(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE grants (
    id      INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin','chair','clerk','reviewer','auditor','member')),
    org_id  BIGINT NOT NULL REFERENCES orgs(id),
    UNIQUE (user_id, role, org_id)
);
CREATE INDEX grants_org ON grants(org_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0
);

-- The audit chain. audit_head is one row; updating it serialises writers on
-- both databases (a row lock on PostgreSQL, the single writer on SQLite), so
-- the chain never forks.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_events (
    id        BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    user_id   BIGINT NOT NULL DEFAULT 0,
    username  TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT NOT NULL DEFAULT 0,
    org_path  TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events(entity, entity_id);
CREATE INDEX audit_events_org ON audit_events(org_path, id);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE audit_head;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE grants;
DROP TABLE users;
DROP TABLE member_events;
DROP TABLE relatives;
DROP TABLE member_keys;
DROP TABLE members;
DROP TABLE orgs;
