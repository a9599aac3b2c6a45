-- Inventory (B1, B2): the sites of a customer and the services it has
-- with the provider.

-- +goose Up
CREATE TABLE sites (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    billing_account_id TEXT REFERENCES billing_accounts (id),
    name               TEXT NOT NULL,
    address_line1      TEXT NOT NULL,
    address_line2      TEXT NOT NULL DEFAULT '',
    city               TEXT NOT NULL,
    postal_code        TEXT NOT NULL DEFAULT '',
    -- ISO 3166-2:MX code of the state for sites in Mexico, '' elsewhere.
    state              TEXT NOT NULL DEFAULT '',
    region             TEXT NOT NULL DEFAULT '',
    country            TEXT NOT NULL DEFAULT 'MX',
    latitude           DOUBLE PRECISION,
    longitude          DOUBLE PRECISION,
    retired_at         TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX sites_customer ON sites (customer_id, name, id);
CREATE INDEX sites_account ON sites (billing_account_id);

-- service_key is the provider's "llave de servicio", unique across every
-- customer, stored upper-case from [A-Z0-9._/-]: a prefix search is an
-- index range (key >= 'AB' AND key < 'AB~') in byte order.
-- state copies the site's state so that a customer's services count and
-- page by state along an index without joining their sites.
CREATE TABLE services (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    billing_account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    site_id            TEXT NOT NULL REFERENCES sites (id),
    service_key        TEXT NOT NULL UNIQUE,
    category           TEXT NOT NULL,
    product            TEXT NOT NULL,
    status             TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT '',
    activated_on       TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
-- Pages in key order, whole customer / one state / one account; the id
-- makes the deferred join's inner query index-only.
CREATE INDEX services_customer_key ON services (customer_id, service_key, id);
CREATE INDEX services_customer_state ON services (customer_id, state, service_key, id);
CREATE INDEX services_customer_account ON services (customer_id, billing_account_id, service_key, id);
-- The counts of the active-services page: one GROUP BY, index-only.
CREATE INDEX services_facets ON services (customer_id, state, billing_account_id, category, status);
CREATE INDEX services_site ON services (site_id, service_key);

-- +goose Down
DROP TABLE services;
DROP TABLE sites;
