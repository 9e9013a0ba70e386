-- +goose Up
-- Running totals behind the dashboard, the statistics page and the 工作总结,
-- so a yearly figure over millions of cases reads a few thousand rows. Only
-- paid cases (已发放, 已签收) count, and a paid case is never unpaid, so the
-- totals only grow; store/tally.go keeps them in the paying transaction and
-- can rebuild them from care_cases.

-- Cases and amount by org, month of the event (YYYYMM), category, form and
-- campaign (0 = none).
CREATE TABLE care_tallies (
    org_id      BIGINT NOT NULL,
    month       INTEGER NOT NULL,
    category    TEXT NOT NULL,
    form        TEXT NOT NULL,
    campaign_id BIGINT NOT NULL DEFAULT 0,
    cases       BIGINT NOT NULL DEFAULT 0,
    amount      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, category, form, campaign_id)
) WITHOUT ROWID;

-- The first paid case of each member in a year (earliest event date, then
-- lowest id), per category ('' = any category), with its org. A member
-- counts as one person in the month of that case, so the distinct persons
-- of a year, or of January to any month, is a sum.
CREATE TABLE care_reach (
    member_id  BIGINT NOT NULL,
    year       INTEGER NOT NULL,
    category   TEXT NOT NULL,
    event_date TEXT NOT NULL,
    case_id    BIGINT NOT NULL,
    org_id     BIGINT NOT NULL,
    PRIMARY KEY (member_id, year, category)
) WITHOUT ROWID;

-- Persons first reached by org, month and category ('' = any).
CREATE TABLE care_reach_tallies (
    org_id   BIGINT NOT NULL,
    month    INTEGER NOT NULL,
    category TEXT NOT NULL,
    persons  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, category)
) WITHOUT ROWID;

-- What waits, per status: 待办 and the backlog of the 工作总结 read a few
-- rows of a status instead of every case of the subtree.
CREATE INDEX care_cases_status ON care_cases(status, org_path, event_date);
-- 会籍变动 of a period (入会, 转出 … in the 工作总结).
CREATE INDEX member_events_date ON member_events(date, kind);
-- 五必访: the month's birthdays, and the cases still to visit, without a
-- scan of every member or case of a big subtree.
CREATE INDEX members_birthday ON members(status, birth_md, org_path);
CREATE INDEX care_cases_unvisited ON care_cases(category, event_date)
    WHERE visited_on IS NULL AND status <> 'cancelled';

-- Saved 工作总结: generated, then edited by the officer.
CREATE TABLE summaries (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    org_path    TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    campaign_id BIGINT,
    title       TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    date        TEXT,
    blocks_json TEXT NOT NULL,
    created_by  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX summaries_org ON summaries(org_path, updated_at);

-- +goose Down
DROP TABLE summaries;
DROP INDEX care_cases_unvisited;
DROP INDEX members_birthday;
DROP INDEX member_events_date;
DROP INDEX care_cases_status;
DROP TABLE care_reach_tallies;
DROP TABLE care_reach;
DROP TABLE care_tallies;
