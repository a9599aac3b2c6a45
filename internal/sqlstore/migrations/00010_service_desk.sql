-- The service desk (E1–E7): requests with their checklist, thread, phase
-- history and satisfaction survey, the counts by phase the chart reads,
-- and the attachments, kept with the customer's other documents.

-- +goose Up
-- A service request. customer_id is '' for a request the provider's staff
-- raised for themselves, and site_id, service_id, billing_account_id and
-- assignee_id are '' when the request has none, so none of them is a
-- foreign key. Timestamps are UTC.
CREATE TABLE requests (
    id                 TEXT PRIMARY KEY,
    -- REQ-2026-000042, from the sequence requests-<year>
    folio              TEXT NOT NULL,
    customer_id        TEXT NOT NULL DEFAULT '',
    billing_account_id TEXT NOT NULL DEFAULT '',
    site_id            TEXT NOT NULL DEFAULT '',
    service_id         TEXT NOT NULL DEFAULT '',
    service_key        TEXT NOT NULL DEFAULT '',
    type_key           TEXT NOT NULL,
    kind               TEXT NOT NULL,
    category           TEXT NOT NULL,
    incident           BOOLEAN NOT NULL DEFAULT FALSE,
    subject            TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    -- JSON object: the answers to the type's form, by field key
    fields             TEXT NOT NULL DEFAULT '{}',
    priority           TEXT NOT NULL,
    -- new, assigned, in_progress, waiting_customer, resolved, closed, cancelled
    phase              TEXT NOT NULL,
    phase_reason       TEXT NOT NULL DEFAULT '',
    phase_changed_at   TIMESTAMP NOT NULL,
    queue              TEXT NOT NULL DEFAULT '',
    assignee_id        TEXT NOT NULL DEFAULT '',
    requester_id       TEXT NOT NULL DEFAULT '',
    requester_name     TEXT NOT NULL DEFAULT '',
    requester_email    TEXT NOT NULL DEFAULT '',
    channel            TEXT NOT NULL,
    severity           TEXT NOT NULL DEFAULT '',
    ticket_type        TEXT NOT NULL DEFAULT '',
    -- JSON: the TMF621 attributes kept for the client as given
    external           TEXT NOT NULL DEFAULT '',
    response_due_at    TIMESTAMP NOT NULL,
    resolution_due_at  TIMESTAMP NOT NULL,
    response_warn_at   TIMESTAMP NOT NULL,
    resolution_warn_at TIMESTAMP NOT NULL,
    first_response_at  TIMESTAMP,
    paused_at          TIMESTAMP,
    -- bits of the SLA notices already sent
    sla_notices        INTEGER NOT NULL DEFAULT 0,
    resolution         TEXT NOT NULL DEFAULT '',
    resolved_at        TIMESTAMP,
    closed_at          TIMESTAMP,
    cancelled_at       TIMESTAMP,
    created_by         TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX requests_folio ON requests (folio);
-- Lists page newest first (created_at DESC, id DESC) along one of these,
-- each ending in the order so that a page is a range read, not a sort;
-- with id in the index the page's ids come from the index alone, and with
-- the phase last the counts by phase of a period or a site too.
CREATE INDEX requests_created ON requests (created_at, id, phase);
CREATE INDEX requests_customer ON requests (customer_id, created_at, id, phase);
CREATE INDEX requests_phase ON requests (phase, created_at, id);
CREATE INDEX requests_customer_phase ON requests (customer_id, phase, created_at, id);
-- A site is one customer's: with the customer second, a customer's site
-- pages along the index too.
CREATE INDEX requests_site ON requests (site_id, customer_id, created_at, id, phase);
-- The counts by site of a customer's requests, from the index alone.
CREATE INDEX requests_customer_site ON requests (customer_id, site_id, phase);
CREATE INDEX requests_assignee ON requests (assignee_id, phase, created_at);
CREATE INDEX requests_requester ON requests (requester_id, created_at);
-- Service key search is a prefix range, as on services.
CREATE INDEX requests_service_key ON requests (service_key);

-- A request's checklist: the administrator's steps of its type, copied
-- when it was raised. label is the step's text by language, as JSON.
CREATE TABLE request_steps (
    request_id   TEXT NOT NULL REFERENCES requests (id),
    step_key     TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    label        TEXT NOT NULL,
    mandatory    BOOLEAN NOT NULL DEFAULT FALSE,
    done_at      TIMESTAMP,
    done_by      TEXT NOT NULL DEFAULT '',
    done_by_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (request_id, step_key)
);

-- A request's thread; internal notes are for the provider's staff only.
CREATE TABLE request_comments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id),
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    staff       BOOLEAN NOT NULL DEFAULT FALSE,
    internal    BOOLEAN NOT NULL DEFAULT FALSE,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX request_comments_request ON request_comments (request_id, created_at);

-- A request's phase changes (TMF621 statusChangeHistory).
CREATE TABLE request_events (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id),
    phase      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    actor_id   TEXT NOT NULL DEFAULT '',
    actor_name TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, at);

-- The satisfaction survey of a closed incident: one answer per request.
-- The agent and category are the request's when it was answered.
CREATE TABLE request_surveys (
    request_id  TEXT PRIMARY KEY REFERENCES requests (id),
    score       INTEGER NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL,
    assignee_id TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL,
    type_key    TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX request_surveys_created ON request_surveys (created_at);

-- How many requests each customer's billing account has in each phase,
-- kept by every write that adds, moves or removes a request, so that the
-- chart by phase and the totals of unfiltered lists read a few rows
-- however many requests there are.
CREATE TABLE request_counts (
    customer_id        TEXT NOT NULL,
    billing_account_id TEXT NOT NULL,
    phase              TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (customer_id, billing_account_id, phase)
);

-- request_id is '' for every document but a request's attachment.
ALTER TABLE documents ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_request ON documents (request_id, created_at);

-- +goose Down
DROP INDEX documents_request;
ALTER TABLE documents DROP COLUMN request_id;
DROP TABLE request_counts;
DROP TABLE request_surveys;
DROP TABLE request_events;
DROP TABLE request_comments;
DROP TABLE request_steps;
DROP TABLE requests;
