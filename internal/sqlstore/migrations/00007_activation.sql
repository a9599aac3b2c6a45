-- Activation and migration projects (C1–C8): runbook versions as written,
-- projects instantiating one, their tasks with state, plan and actuals,
-- the provider's calendar overrides, and the numbering of folios.

-- +goose Up
-- A runbook version's YAML, immutable once stored; shipped runbooks are
-- stored on start-up with created_by 'enlace'.
CREATE TABLE runbook_versions (
    template_key TEXT NOT NULL,
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (template_key, version)
);

-- Readable numbers (PRJ-2026-00042) that are never reused: one counter
-- row per series, incremented inside the transaction that uses it.
CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE projects (
    id                 TEXT PRIMARY KEY,
    folio              TEXT NOT NULL UNIQUE,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    billing_account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    site_id            TEXT NOT NULL REFERENCES sites (id),
    order_ref          TEXT NOT NULL DEFAULT '',
    product_order_id   TEXT NOT NULL DEFAULT '',
    template_key       TEXT NOT NULL,
    template_version   INTEGER NOT NULL,
    title              TEXT NOT NULL,
    -- JSON object of the runbook options chosen
    options            TEXT NOT NULL DEFAULT '{}',
    -- active, completed, cancelled
    status             TEXT NOT NULL,
    pm_user_id         TEXT NOT NULL DEFAULT '',
    contact_user_id    TEXT NOT NULL DEFAULT '',
    start_at           TIMESTAMP NOT NULL,
    planned_end        TIMESTAMP NOT NULL,
    announced_end      TIMESTAMP NOT NULL,
    billing_start      TIMESTAMP,
    completed_at       TIMESTAMP,
    cancelled_at       TIMESTAMP,
    created_by         TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    FOREIGN KEY (template_key, template_version) REFERENCES runbook_versions (template_key, version)
);
CREATE INDEX projects_customer ON projects (customer_id, status, created_at);
CREATE INDEX projects_site ON projects (site_id, status);
CREATE INDEX projects_status ON projects (status, created_at);
CREATE INDEX projects_pm ON projects (pm_user_id, status);
CREATE INDEX projects_order ON projects (product_order_id);

-- A project's task: the runbook step's key (its texts stay in the runbook
-- version), its state, its plan and what happened.
CREATE TABLE project_tasks (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL REFERENCES projects (id),
    task_key          TEXT NOT NULL,
    seq               INTEGER NOT NULL,
    phase             TEXT NOT NULL,
    party             TEXT NOT NULL,
    internal          BOOLEAN NOT NULL DEFAULT FALSE,
    status            TEXT NOT NULL,
    blocked_reason    TEXT NOT NULL DEFAULT '',
    blocked_from      TEXT NOT NULL DEFAULT '',
    planned_start     TIMESTAMP NOT NULL,
    planned_end       TIMESTAMP NOT NULL,
    critical          BOOLEAN NOT NULL DEFAULT FALSE,
    not_before        TIMESTAMP,
    due_at            TIMESTAMP,
    started_at        TIMESTAMP,
    done_at           TIMESTAMP,
    done_by           TEXT NOT NULL DEFAULT '',
    gate_met_at       TIMESTAMP,
    gate_by           TEXT NOT NULL DEFAULT '',
    gate_detail       TEXT NOT NULL DEFAULT '',
    overdue_notice_at TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL,
    UNIQUE (project_id, task_key)
);
CREATE INDEX project_tasks_project ON project_tasks (project_id, seq);
-- Next actions across projects: open tasks by due date.
CREATE INDEX project_tasks_open ON project_tasks (status, due_at);

-- The provider's calendar: Mexican federal holidays by rule, plus these
-- days: a holiday of the company's own, or a federal holiday worked.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE calendar_days;
DROP TABLE project_tasks;
DROP TABLE projects;
DROP TABLE sequences;
DROP TABLE runbook_versions;
