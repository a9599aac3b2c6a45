-- Bulk import of sites and services from a CSV file: one row per uploaded
-- file with its status and progress, and its rows staged between the
-- check and the import, so that every replica sees the progress and the
-- preview, and a restart loses nothing.

-- +goose Up
CREATE TABLE imports (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    uploaded_by    TEXT NOT NULL,
    uploader_email TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    -- uploaded, validating, ready, failed, importing, done
    status         TEXT NOT NULL,
    total_rows     INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    error_rows     INTEGER NOT NULL DEFAULT 0,
    error_count    INTEGER NOT NULL DEFAULT 0,
    -- JSON: encoding, delimiter, counts, ignored columns, file problem
    summary        TEXT NOT NULL DEFAULT '{}',
    -- the decoded file, kept until it has been checked
    source         TEXT,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP
);
CREATE INDEX imports_customer ON imports (customer_id, id);

-- One row per data row of the file, by its line number: the site it
-- introduces and its service as JSON, and its problems as JSON ('' for none).
CREATE TABLE import_rows (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    data      TEXT NOT NULL,
    problems  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, line)
);
CREATE INDEX import_rows_problems ON import_rows (import_id, line) WHERE problems <> '';

-- +goose Down
DROP TABLE import_rows;
DROP TABLE imports;
