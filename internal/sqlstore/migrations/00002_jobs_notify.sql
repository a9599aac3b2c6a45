-- The one-time code a message carries, apart from its rendered body, so that
-- the WhatsApp adapter can send it as the parameter of an authentication
-- template (what Meta requires for codes sent outside a 24-hour window).

-- +goose Up
ALTER TABLE messages ADD COLUMN code TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_finished ON jobs (finished_at);

-- +goose Down
DROP INDEX jobs_finished;
ALTER TABLE messages DROP COLUMN code;
