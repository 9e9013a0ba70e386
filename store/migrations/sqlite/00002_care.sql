-- +goose Up
-- 慰问: care cases with their workflow steps, payment batches, attachments,
-- workflow settings, and the policy packs each org adopted plus its own rules.
CREATE TABLE care_batches (
    id               INTEGER PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    org_path         TEXT NOT NULL,
    title            TEXT NOT NULL,
    ref              TEXT NOT NULL DEFAULT '',
    paid_on          TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('cash','transfer','goods')),
    payer            TEXT NOT NULL,
    head             TEXT NOT NULL,
    cases            INTEGER NOT NULL DEFAULT 0,
    total            BIGINT NOT NULL DEFAULT 0,
    campaign_id      BIGINT,
    notice_from      TEXT,
    notice_to        TEXT,
    objections_until TEXT,
    created_by       BIGINT NOT NULL DEFAULT 0,
    created_by_name  TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL
);
CREATE INDEX care_batches_org ON care_batches(org_path, paid_on);

CREATE TABLE care_cases (
    id              INTEGER PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    org_path        TEXT NOT NULL,
    member_id       BIGINT NOT NULL REFERENCES members(id),
    member_category TEXT NOT NULL,
    relative_id     BIGINT REFERENCES relatives(id) ON DELETE SET NULL,
    relative_name   TEXT NOT NULL DEFAULT '',
    relation        TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL,
    holiday         TEXT NOT NULL DEFAULT '',
    holiday_year    INTEGER NOT NULL DEFAULT 0,
    event_date      TEXT NOT NULL,
    hospital        TEXT NOT NULL DEFAULT '',
    hospital_days   INTEGER NOT NULL DEFAULT 0,
    surgery         BOOLEAN NOT NULL DEFAULT FALSE,
    form            TEXT NOT NULL CHECK (form IN ('goods','cash','voucher','card')),
    amount          BIGINT NOT NULL CHECK (amount >= 0),
    goods           TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    handler         TEXT NOT NULL DEFAULT '',
    visited_on      TEXT,
    visited_by      TEXT NOT NULL DEFAULT '',
    visit_notes     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('draft','submitted','reviewed','approved','paid','signed','cancelled')),
    reject_reason   TEXT NOT NULL DEFAULT '',
    campaign_id     BIGINT,
    batch_id        BIGINT REFERENCES care_batches(id),
    paid_on         TEXT,
    signed_on       TEXT,
    historical      BOOLEAN NOT NULL DEFAULT FALSE,
    warnings_json   TEXT NOT NULL DEFAULT '',
    drafted_by      BIGINT NOT NULL DEFAULT 0,
    drafted_by_name TEXT NOT NULL DEFAULT '',
    reviewed_by     BIGINT NOT NULL DEFAULT 0,
    approved_by     BIGINT NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- The person's history for the policy check, and the member's care page.
CREATE INDEX care_cases_member ON care_cases(member_id, category, event_date);
-- Lists and 待办 by subtree and status; figures by subtree and period.
CREATE INDEX care_cases_org_status ON care_cases(org_path, status, event_date);
CREATE INDEX care_cases_org_event ON care_cases(org_path, event_date);
CREATE INDEX care_cases_batch ON care_cases(batch_id);

CREATE TABLE care_steps (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES care_cases(id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    user_id     BIGINT NOT NULL DEFAULT 0,
    username    TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX care_steps_case ON care_steps(case_id, id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    owner        TEXT NOT NULL CHECK (owner IN ('case','batch')),
    owner_id     BIGINT NOT NULL,
    org_path     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('photo','scan','other')),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner, owner_id);

CREATE TABLE care_settings (
    org_id   BIGINT PRIMARY KEY REFERENCES orgs(id),
    one_step BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE policy_adoptions (
    org_id     BIGINT PRIMARY KEY REFERENCES orgs(id),
    pack_code  TEXT NOT NULL,
    basis      TEXT NOT NULL DEFAULT '',
    adopted_on TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE policy_rules (
    id         INTEGER PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    category   TEXT NOT NULL,
    rule_json  TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, category)
);

-- +goose Down
DROP TABLE policy_rules;
DROP TABLE policy_adoptions;
DROP TABLE care_settings;
DROP TABLE attachments;
DROP TABLE care_steps;
DROP TABLE care_cases;
DROP TABLE care_batches;
