-- Customers and billing accounts that staff edit and retire, and the
-- administrative and technical contacts of each customer (B1, B3).
-- Portable SQL: the same file runs on SQLite and PostgreSQL.

-- +goose Up
-- A retired customer or billing account stays readable, marked as such,
-- and is left out of the lists people pick from.
ALTER TABLE customers ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE customers ADD COLUMN retired_at TIMESTAMP;
ALTER TABLE customers ADD COLUMN updated_at TIMESTAMP;
UPDATE customers SET updated_at = created_at;
CREATE INDEX customers_name ON customers (name, id);

ALTER TABLE billing_accounts ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE billing_accounts ADD COLUMN retired_at TIMESTAMP;
ALTER TABLE billing_accounts ADD COLUMN updated_at TIMESTAMP;
UPDATE billing_accounts SET updated_at = created_at;

-- A contact belongs to a customer. customer_id is NULL only for a person a
-- CRM pushed through TMF632 without naming an organization: staff see it,
-- no customer does, until it is linked to one. Phones are E.164.
CREATE TABLE contacts (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT REFERENCES customers (id),
    kind         TEXT NOT NULL,
    principal    BOOLEAN NOT NULL DEFAULT FALSE,
    first_name   TEXT NOT NULL,
    last_name    TEXT NOT NULL,
    phone        TEXT NOT NULL DEFAULT '',
    extension    TEXT NOT NULL DEFAULT '',
    mobile       TEXT NOT NULL DEFAULT '',
    contact_role TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    job_title    TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id, kind, id);
-- One principal contact per kind per customer; the store moves the flag in
-- one transaction, and this index refuses anything that slips past it.
CREATE UNIQUE INDEX contacts_principal ON contacts (customer_id, kind) WHERE principal = TRUE;

-- +goose Down
DROP TABLE contacts;
DROP INDEX customers_name;
ALTER TABLE billing_accounts DROP COLUMN updated_at;
ALTER TABLE billing_accounts DROP COLUMN retired_at;
ALTER TABLE billing_accounts DROP COLUMN retired;
ALTER TABLE customers DROP COLUMN updated_at;
ALTER TABLE customers DROP COLUMN retired_at;
ALTER TABLE customers DROP COLUMN retired;
