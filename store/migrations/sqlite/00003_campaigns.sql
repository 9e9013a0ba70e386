-- +goose Up
-- 专项活动: campaigns with their budget lines and goods receipts. A
-- campaign's recipients are care cases with campaign_id set, so a payment
-- is counted once, in the care figures and in the campaign's.
CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('warmth','cooling','holiday','student_aid','other')),
    holiday       TEXT NOT NULL DEFAULT '',
    holiday_year  INTEGER NOT NULL DEFAULT 0,
    date_from     TEXT NOT NULL,
    date_to       TEXT NOT NULL,
    budget        BIGINT NOT NULL CHECK (budget >= 0),
    cash          BIGINT NOT NULL DEFAULT 0 CHECK (cash >= 0),
    goods_json    TEXT NOT NULL DEFAULT '[]',
    head          TEXT NOT NULL,
    criteria_json TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL CHECK (status IN ('draft','approved','closed')),
    notes         TEXT NOT NULL DEFAULT '',
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaigns_org ON campaigns(org_path, date_from);

CREATE TABLE campaign_allotments (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    TEXT NOT NULL,
    budget      BIGINT NOT NULL CHECK (budget >= 0),
    quota       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, org_id)
);

CREATE TABLE campaign_receipts (
    id          INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    qty         INTEGER NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX campaign_receipts_campaign ON campaign_receipts(campaign_id);

-- Organisations that receive (a community gets goods plus cash): not
-- members, so not care cases, but inside the campaign's budget.
CREATE TABLE campaign_org_recipients (
    id           INTEGER PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    org_path     TEXT NOT NULL,
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL DEFAULT '',
    cash         BIGINT NOT NULL DEFAULT 0 CHECK (cash >= 0),
    goods        TEXT NOT NULL DEFAULT '',
    goods_value  BIGINT NOT NULL DEFAULT 0 CHECK (goods_value >= 0),
    outcome      TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('','delivered','refused','unreachable','removed')),
    delivered_on TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX campaign_org_recipients_campaign ON campaign_org_recipients(campaign_id, org_path);

-- 困难职工档案: who is in hardship, of which tier, in which year; 送温暖
-- campaigns select from the active files.
CREATE TABLE hardship_files (
    id         INTEGER PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id),
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    org_path   TEXT NOT NULL,
    tier       TEXT NOT NULL CHECK (tier IN ('deep','relative','accident')),
    year       INTEGER NOT NULL,
    basis      TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    closed_on  TEXT,
    close_note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX hardship_files_member ON hardship_files(member_id, year);
CREATE INDEX hardship_files_org ON hardship_files(org_path, year);

-- What happened at the recipient: delivered, refused or unreachable.
ALTER TABLE care_cases ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
CREATE INDEX care_cases_campaign ON care_cases(campaign_id, org_path);

-- +goose Down
DROP INDEX care_cases_campaign;
ALTER TABLE care_cases DROP COLUMN delivery;
DROP TABLE hardship_files;
DROP TABLE campaign_org_recipients;
DROP TABLE campaign_receipts;
DROP TABLE campaign_allotments;
DROP TABLE campaigns;
