-- Migration without loss of reach (D3): per project, the provider's SIP
-- trunks and the customer's people with their old number, provisional
-- number, CLIP-no-screening on their trunk and forwarding.

-- +goose Up
-- One of the provider's SIP trunks a project's people call out on.
CREATE TABLE reach_trunks (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    project_id  TEXT NOT NULL REFERENCES projects (id),
    name        TEXT NOT NULL,
    -- the trunk's identifier at the provider (pilot number, SIP account)
    ref         TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (project_id, name)
);

-- One person of a project's list. temporary_number_id and trunk_id are ''
-- until given; the confirmations' columns are set once confirmed.
CREATE TABLE reach_lines (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers (id),
    project_id          TEXT NOT NULL REFERENCES projects (id),
    -- the list's order as entered, from 1 per project
    seq                 INTEGER NOT NULL,
    person              TEXT NOT NULL,
    ref                 TEXT NOT NULL DEFAULT '',
    old_e164            TEXT NOT NULL,
    temporary_number_id TEXT NOT NULL DEFAULT '',
    trunk_id            TEXT NOT NULL DEFAULT '',
    clip_at             TIMESTAMP,
    clip_by             TEXT NOT NULL DEFAULT '',
    forwarding_at       TIMESTAMP,
    forwarding_by       TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (project_id, old_e164),
    UNIQUE (project_id, seq)
);
-- A number stands in for one person at a time.
CREATE UNIQUE INDEX reach_lines_temporary ON reach_lines (temporary_number_id) WHERE temporary_number_id <> '';
CREATE INDEX reach_lines_trunk ON reach_lines (trunk_id) WHERE trunk_id <> '';

-- +goose Down
DROP TABLE reach_lines;
DROP TABLE reach_trunks;
