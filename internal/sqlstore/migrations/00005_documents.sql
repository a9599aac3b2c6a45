-- Documents (I1): files the account executive shares with a customer, or
-- with one of its billing accounts. The file itself lives in the blob
-- store under the document's id; this row is its metadata.

-- +goose Up
CREATE TABLE documents (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    -- NULL: shared with the whole customer; else only with the users of
    -- that billing account (and the customer's administrators).
    billing_account_id TEXT REFERENCES billing_accounts (id),
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    file_name          TEXT NOT NULL,
    -- Detected from the content at upload, never taken from the client.
    content_type       TEXT NOT NULL,
    size_bytes         BIGINT NOT NULL,
    sha256             TEXT NOT NULL,
    uploaded_by        TEXT NOT NULL REFERENCES users (id),
    uploader_email     TEXT NOT NULL,
    downloads          INTEGER NOT NULL DEFAULT 0,
    last_downloaded_at TIMESTAMP,
    -- A retired document is hidden and its file deleted; the row stays so
    -- that the audit log's lines about it still name the file and checksum.
    retired_at         TIMESTAMP,
    retired_by         TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMP NOT NULL
);
-- A customer's documents page newest first along this index (ids are
-- UUIDv7, which sort by creation).
CREATE INDEX documents_customer ON documents (customer_id, id);
CREATE INDEX documents_account ON documents (billing_account_id);

-- +goose Down
DROP TABLE documents;
