-- Identity, tenancy, notifications, the outbox and the job queue.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Identifiers are
-- UUIDv7 text made by the application; times are UTC TIMESTAMPs.

-- +goose Up
CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE billing_accounts (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    number      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX billing_accounts_customer ON billing_accounts (customer_id, number);

-- Invoice records: number, date and account. Self-registration checks them;
-- the billing module adds amounts and documents.
CREATE TABLE invoices (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    billing_account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    number             TEXT NOT NULL UNIQUE,
    issued_on          TIMESTAMP NOT NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX invoices_account ON invoices (billing_account_id, issued_on);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    recovery_email      TEXT NOT NULL DEFAULT '',
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    locale              TEXT NOT NULL DEFAULT 'es-MX',
    staff_role          TEXT NOT NULL DEFAULT '',
    password_hash       TEXT NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    password_temporary  BOOLEAN NOT NULL DEFAULT FALSE,
    mfa_channel         TEXT NOT NULL DEFAULT '',
    mobile              TEXT NOT NULL DEFAULT '',
    totp_secret         TEXT NOT NULL DEFAULT '',
    totp_enabled        BOOLEAN NOT NULL DEFAULT FALSE,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at       TIMESTAMP,
    -- The customer a person with several acted for last; sign-in returns there.
    last_customer_id    TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX users_staff ON users (staff_role, id);

CREATE TABLE password_history (
    user_id       TEXT NOT NULL REFERENCES users (id),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);

-- A membership makes a person a user of one customer, with a role there.
CREATE TABLE memberships (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    role           TEXT NOT NULL,
    access_level   TEXT NOT NULL,
    corporate_area TEXT NOT NULL DEFAULT '',
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (user_id, customer_id)
);
-- A customer's users page newest first along this index (ids are UUIDv7,
-- which sort by creation), so a page never sorts the whole customer.
CREATE INDEX memberships_customer ON memberships (customer_id, id);

CREATE TABLE membership_accounts (
    membership_id      TEXT NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    billing_account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    PRIMARY KEY (membership_id, billing_account_id)
);

-- Sessions live in the database so that any replica can serve any request
-- and an administrator can revoke them. id is the SHA-256 of the cookie.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    customer_id  TEXT NOT NULL DEFAULT '',
    stage        TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time login codes sent by e-mail or WhatsApp; only their hash is kept.
CREATE TABLE login_codes (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    channel     TEXT NOT NULL,
    destination TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX login_codes_session ON login_codes (session_id, created_at);

-- Failed-attempt counters for login throttling, shared by every replica.
CREATE TABLE throttles (
    key           TEXT PRIMARY KEY,
    window_start  TIMESTAMP NOT NULL,
    failures      INTEGER NOT NULL,
    blocked_until TIMESTAMP
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    customer_id  TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Password-reset links: single use, short-lived, stored as a hash.
CREATE TABLE recovery_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    sent_to    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

-- Challenges a person must read and type back (recovery, registration).
CREATE TABLE challenges (
    id          TEXT PRIMARY KEY,
    answer_hash TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    -- Once solved, the challenge carries what it was solved for (the
    -- e-mail being recovered) and serves as the ticket for the next step.
    subject     TEXT NOT NULL DEFAULT '',
    solved_at   TIMESTAMP,
    used_at     TIMESTAMP
);

CREATE TABLE access_requests (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    billing_account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    invoice_number     TEXT NOT NULL,
    email              TEXT NOT NULL,
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    corporate_area     TEXT NOT NULL DEFAULT '',
    locale             TEXT NOT NULL DEFAULT 'es-MX',
    status             TEXT NOT NULL,
    decided_by         TEXT NOT NULL DEFAULT '',
    decided_at         TIMESTAMP,
    reason             TEXT NOT NULL DEFAULT '',
    user_id            TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX access_requests_customer ON access_requests (customer_id, status, created_at);
-- One pending request per person and customer.
CREATE UNIQUE INDEX access_requests_pending ON access_requests (customer_id, email) WHERE status = 'pending';

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    actor_id    TEXT NOT NULL DEFAULT '',
    actor_email TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at, id);
CREATE INDEX audit_log_customer ON audit_log (customer_id, created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);

-- In-app notifications. Title and body are message keys with arguments, so
-- that a notification reads in whatever language its reader has chosen.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    customer_id TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    body_key    TEXT NOT NULL,
    args        TEXT NOT NULL DEFAULT '{}',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- The outbox: e-mails and WhatsApp messages rendered at the time of the change
-- and delivered by a job.
CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    user_id     TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP
);
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX messages_status ON messages (status);

-- Work to be done later: a row with a due time, claimed by one worker at a
-- time through a lease, retried with backoff, kept after completion for a while.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    due_at       TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    locked_by    TEXT NOT NULL DEFAULT '',
    locked_until TIMESTAMP,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    state        TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, due_at);

-- +goose Down
DROP TABLE jobs;
DROP TABLE messages;
DROP TABLE notifications;
DROP TABLE audit_log;
DROP TABLE access_requests;
DROP TABLE challenges;
DROP TABLE recovery_tokens;
DROP TABLE api_tokens;
DROP TABLE throttles;
DROP TABLE login_codes;
DROP TABLE sessions;
DROP TABLE membership_accounts;
DROP TABLE memberships;
DROP TABLE password_history;
DROP TABLE users;
DROP TABLE invoices;
DROP TABLE billing_accounts;
DROP TABLE customers;
