-- Teams licensing check (D4): the accounts of each customer's Microsoft
-- 365 tenant, as its last imported user list has them, with the verdict
-- on their licences; and the figures of that last import.

-- +goose Up
-- One account of a customer's tenant. upn is lower-cased; licences are
-- the licence names joined by '+', as the admin center writes them.
CREATE TABLE teams_users (
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    upn          TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    licences     TEXT NOT NULL DEFAULT '',
    -- user, common_area, resource_account
    kind         TEXT NOT NULL,
    ready        BOOLEAN NOT NULL,
    -- JSON lists of catalogue keys: licensing.missing.<item>, licensing.note.<note>
    missing      TEXT NOT NULL DEFAULT '[]',
    notes        TEXT NOT NULL DEFAULT '[]',
    imported_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, upn)
);
-- The accounts that lack something page by sign-in name.
CREATE INDEX teams_users_ready ON teams_users (customer_id, ready, upn);

-- A customer's last import: the file, when and by whom, and its counts.
CREATE TABLE teams_imports (
    customer_id TEXT PRIMARY KEY REFERENCES customers (id),
    file_name   TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    -- the e-mail of who imported it
    imported_by TEXT NOT NULL,
    users       INTEGER NOT NULL,
    ready       INTEGER NOT NULL,
    -- JSON lists of {key, count}: by kind, and by missing item
    kinds       TEXT NOT NULL DEFAULT '[]',
    missing     TEXT NOT NULL DEFAULT '[]',
    error_rows  INTEGER NOT NULL DEFAULT 0,
    -- JSON list of the first 1000 rows left out
    problems    TEXT NOT NULL DEFAULT '[]'
);

-- +goose Down
DROP TABLE teams_imports;
DROP TABLE teams_users;
