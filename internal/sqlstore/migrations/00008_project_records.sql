-- The records of a project (C5, C8): the documents its tasks need, kept
-- with the customer's other documents but apart from the repository the
-- account executives share, and its meetings and status notes.

-- +goose Up
-- project_id is '' for the documents of the repository; a project's
-- document names the project and the task it was given for.
ALTER TABLE documents ADD COLUMN project_id TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN task_key TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_project ON documents (project_id, created_at);

-- A meeting (kickoff, weekly status) or a note on a project. The notes of
-- a kickoff are due within 24 hours of the meeting (seed 001); internal
-- notes are for the provider's staff only.
CREATE TABLE project_notes (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects (id),
    -- kickoff, weekly_status, note
    kind         TEXT NOT NULL,
    internal     BOOLEAN NOT NULL DEFAULT FALSE,
    meeting_at   TIMESTAMP,
    body         TEXT NOT NULL DEFAULT '',
    notes_due_at TIMESTAMP,
    published_at TIMESTAMP,
    author_id    TEXT NOT NULL,
    author_name  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX project_notes_project ON project_notes (project_id, created_at);

-- +goose Down
DROP TABLE project_notes;
DROP INDEX documents_project;
ALTER TABLE documents DROP COLUMN task_key;
ALTER TABLE documents DROP COLUMN project_id;
