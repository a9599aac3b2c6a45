-- TMF622 product orders: what a CRM ordered, what Enlace made of each item
-- (the runbook it maps to, the project it started), the cancellation
-- requests, and the subscriptions (hubs) to the TM Forum APIs' events.

-- +goose Up
CREATE TABLE product_orders (
    id                  TEXT PRIMARY KEY,
    -- the Enlace customer; empty when the order names none Enlace knows
    customer_id         TEXT NOT NULL DEFAULT '',
    billing_account_id  TEXT NOT NULL DEFAULT '',
    -- acknowledged, inProgress, completed, partial, failed, cancelled
    state               TEXT NOT NULL,
    external_id         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL DEFAULT '',
    priority            TEXT NOT NULL DEFAULT '',
    order_date          TIMESTAMP NOT NULL,
    completion_date     TIMESTAMP,
    cancellation_date   TIMESTAMP,
    cancellation_reason TEXT NOT NULL DEFAULT '',
    -- JSON object: the attributes the client sent, returned as sent
    document            TEXT NOT NULL,
    -- JSON array: per item, its runbook, project and state
    items               TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_role        TEXT NOT NULL DEFAULT '',
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX product_orders_date ON product_orders (order_date, id);
CREATE INDEX product_orders_customer ON product_orders (customer_id, order_date);
CREATE INDEX product_orders_state ON product_orders (state, order_date);
CREATE INDEX product_orders_external ON product_orders (external_id);

CREATE TABLE cancel_product_orders (
    id                          TEXT PRIMARY KEY,
    product_order_id            TEXT NOT NULL REFERENCES product_orders (id),
    customer_id                 TEXT NOT NULL DEFAULT '',
    billing_account_id          TEXT NOT NULL DEFAULT '',
    -- acknowledged, done, terminatedWithError
    state                       TEXT NOT NULL,
    cancellation_reason         TEXT NOT NULL DEFAULT '',
    requested_cancellation_date TIMESTAMP,
    effective_cancellation_date TIMESTAMP,
    creation_date               TIMESTAMP NOT NULL,
    created_by                  TEXT NOT NULL,
    -- message key of why the request ended terminatedWithError
    problem                     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cancel_product_orders_order ON cancel_product_orders (product_order_id);
CREATE INDEX cancel_product_orders_customer ON cancel_product_orders (customer_id, creation_date);

-- Subscriptions to events: api names the TM Forum API (productOrderingManagement),
-- version the representation the callback receives (v4, v5).
CREATE TABLE tmf_hubs (
    id         TEXT PRIMARY KEY,
    api        TEXT NOT NULL,
    version    TEXT NOT NULL,
    callback   TEXT NOT NULL,
    query      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tmf_hubs_api ON tmf_hubs (api);

-- +goose Down
DROP TABLE tmf_hubs;
DROP TABLE cancel_product_orders;
DROP TABLE product_orders;
