-- Channel versions of a story (issue 5): the radio version (announcer script,
-- optional audio, read time) and the TV version (ordered segments) as JSON
-- text, NULL while a story has none. Revisions keep them inside their snapshots.

-- +goose Up
ALTER TABLE stories ADD COLUMN radio_version TEXT NULL;
ALTER TABLE stories ADD COLUMN tv_version TEXT NULL;

-- +goose Down
ALTER TABLE stories DROP COLUMN tv_version;
ALTER TABLE stories DROP COLUMN radio_version;
