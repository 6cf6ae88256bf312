-- Backup runs (issue 13): one row per `newsroom backup` or scheduled backup,
-- successful or not; the security self-check reads the last successful one.

-- +goose Up
CREATE TABLE backups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    path        TEXT    NOT NULL DEFAULT '',
    ok          INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    bytes       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX backups_ok_idx ON backups (ok, finished_at DESC);

-- +goose Down
DROP TABLE backups;
