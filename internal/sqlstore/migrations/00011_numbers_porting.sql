-- Phone numbers and porting (D1, D2): the customers' numbers with their
-- state and assignment, bulk imports of numbers, port orders with their
-- numbers, the LOA's signature and the carrier's events.

-- +goose Up
-- A customer's phone number. site_id, port_order_id and the assignee's
-- columns are '' when the number has none. A number is held by one
-- customer at a time: e164 is unique among the numbers not released.
CREATE TABLE numbers (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    site_id       TEXT NOT NULL DEFAULT '',
    e164          TEXT NOT NULL,
    country       TEXT NOT NULL,
    -- available, test, reserved, assigned, porting_in, ported, released
    state         TEXT NOT NULL,
    -- '', user, auto_attendant, call_queue, common_area
    assignee_kind TEXT NOT NULL DEFAULT '',
    assignee_name TEXT NOT NULL DEFAULT '',
    assignee_ref  TEXT NOT NULL DEFAULT '',
    cnam          TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    port_order_id TEXT NOT NULL DEFAULT '',
    carrier       TEXT NOT NULL DEFAULT '',
    assignable_at TIMESTAMP,
    note          TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX numbers_held ON numbers (e164) WHERE state <> 'released';
-- A customer's numbers page in E.164 order, all or by state; the counts by
-- state group the first.
CREATE INDEX numbers_customer ON numbers (customer_id, e164);
CREATE INDEX numbers_customer_state ON numbers (customer_id, state, e164);
CREATE INDEX numbers_port_order ON numbers (port_order_id) WHERE port_order_id <> '';

-- A bulk load of numbers from a CSV file.
CREATE TABLE number_imports (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    file_name      TEXT NOT NULL,
    -- running, done, failed
    status         TEXT NOT NULL,
    total_rows     INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    created        INTEGER NOT NULL DEFAULT 0,
    error_rows     INTEGER NOT NULL DEFAULT 0,
    -- JSON list of the first 1000 problems
    problems       TEXT NOT NULL DEFAULT '[]',
    file_error     TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP
);
CREATE INDEX number_imports_customer ON number_imports (customer_id, created_at);
-- The decoded file of an import, kept until the job has read it all. It
-- has a table of its own: the import's row is rewritten after every batch,
-- and a row carrying megabytes of text would be rewritten whole each time.
CREATE TABLE number_import_sources (
    import_id TEXT PRIMARY KEY REFERENCES number_imports (id) ON DELETE CASCADE,
    source    TEXT NOT NULL
);

-- A port order. project_id, site_id and billing_account_id are '' when it
-- has none. The signature's columns are set once the signer signs.
CREATE TABLE port_orders (
    id                    TEXT PRIMARY KEY,
    -- PORT-2026-000042, from the sequence port-orders-<year>
    folio                 TEXT NOT NULL,
    customer_id           TEXT NOT NULL REFERENCES customers (id),
    billing_account_id    TEXT NOT NULL DEFAULT '',
    site_id               TEXT NOT NULL DEFAULT '',
    project_id            TEXT NOT NULL DEFAULT '',
    -- draft, awaiting_signature, signed, submitted, exception, confirmed,
    -- ported, completed, rejected, cancelled
    state                 TEXT NOT NULL,
    requested_date        TIMESTAMP NOT NULL,
    foc_date              TIMESTAMP,
    foc_received_at       TIMESTAMP,
    visible_at            TIMESTAMP,
    signer_user_id        TEXT NOT NULL DEFAULT '',
    account_name          TEXT NOT NULL DEFAULT '',
    service_address       TEXT NOT NULL DEFAULT '',
    reason                TEXT NOT NULL DEFAULT '',
    carrier_ref           TEXT NOT NULL DEFAULT '',
    submission_key        TEXT NOT NULL DEFAULT '',
    submissions           INTEGER NOT NULL DEFAULT 0,
    submitted_at          TIMESTAMP,
    last_event_at         TIMESTAMP,
    loa_document_id       TEXT NOT NULL DEFAULT '',
    loa_sha256            TEXT NOT NULL DEFAULT '',
    signed_document_id    TEXT NOT NULL DEFAULT '',
    signed_by             TEXT NOT NULL DEFAULT '',
    signed_name           TEXT NOT NULL DEFAULT '',
    -- typed or drawn
    signature_kind        TEXT NOT NULL DEFAULT '',
    -- the drawn signature, a PNG in base64
    signature_image       TEXT NOT NULL DEFAULT '',
    signed_at             TIMESTAMP,
    signed_ip             TEXT NOT NULL DEFAULT '',
    signed_user_agent     TEXT NOT NULL DEFAULT '',
    signed_sha256         TEXT NOT NULL DEFAULT '',
    assigned_confirmed_at TIMESTAMP,
    assigned_confirmed_by TEXT NOT NULL DEFAULT '',
    ported_at             TIMESTAMP,
    completed_at          TIMESTAMP,
    completed_by          TEXT NOT NULL DEFAULT '',
    cancelled_at          TIMESTAMP,
    version               INTEGER NOT NULL DEFAULT 1,
    created_by            TEXT NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX port_orders_folio ON port_orders (folio);
CREATE INDEX port_orders_customer ON port_orders (customer_id, created_at);
CREATE INDEX port_orders_state ON port_orders (state, created_at);
CREATE INDEX port_orders_project ON port_orders (project_id) WHERE project_id <> '';

-- The numbers of a port order, in the order entered (seq).
CREATE TABLE port_order_lines (
    order_id       TEXT NOT NULL REFERENCES port_orders (id) ON DELETE CASCADE,
    e164           TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    carrier        TEXT NOT NULL,
    account_number TEXT NOT NULL DEFAULT '',
    -- pending, accepted, rejected
    status         TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    number_id      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, e164)
);

-- The carrier's events, each kept once by its id; applied is false for
-- one that came late or to an order in no state to take it.
CREATE TABLE carrier_events (
    event_id    TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL,
    carrier_ref TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    applied     BOOLEAN NOT NULL,
    payload     TEXT NOT NULL
);
CREATE INDEX carrier_events_order ON carrier_events (order_id, occurred_at);

-- A port order's documents (the CSR, the phone bill, the LOA and the
-- signed LOA) are kept with the customer's other documents.
ALTER TABLE documents ADD COLUMN port_order_id TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_port_order ON documents (port_order_id, created_at) WHERE port_order_id <> '';

-- +goose Down
DROP INDEX documents_port_order;
ALTER TABLE documents DROP COLUMN port_order_id;
DROP TABLE carrier_events;
DROP TABLE port_order_lines;
DROP TABLE port_orders;
DROP TABLE number_import_sources;
DROP TABLE number_imports;
DROP TABLE numbers;
