-- Distribution: targets configured by admins (webhook, zalo, rss), one
-- delivery per story revision and target or built-in channel, and the log of
-- every delivery attempt.

-- +goose Up
CREATE TABLE distribution_targets (
    id              TEXT    PRIMARY KEY NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    url             TEXT    NOT NULL DEFAULT '',
    secret_enc      TEXT    NOT NULL DEFAULT '',
    format          TEXT    NOT NULL DEFAULT 'ninjs',
    sections        TEXT    NOT NULL DEFAULT '[]',
    channels        TEXT    NOT NULL DEFAULT '[]',
    tags            TEXT    NOT NULL DEFAULT '[]',
    active          INTEGER NOT NULL DEFAULT 1,
    timeout_seconds INTEGER NOT NULL DEFAULT 10,
    max_concurrency INTEGER NOT NULL DEFAULT 4,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT distribution_targets_name_key UNIQUE (name)
);

CREATE TABLE distribution_deliveries (
    id              TEXT    PRIMARY KEY NOT NULL,
    story_id        TEXT    NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    story_version   INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    target_id       TEXT    NOT NULL DEFAULT '',
    channel         TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    external_id     TEXT    NOT NULL DEFAULT '',
    idempotency_key TEXT    NOT NULL,
    transition_at   TEXT    NOT NULL,
    window_start    TEXT    NOT NULL,
    next_attempt_at TEXT,
    delivered_at    TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT distribution_deliveries_once_key UNIQUE (story_id, story_version, target_id, channel)
);
CREATE INDEX distribution_deliveries_story_idx ON distribution_deliveries (story_id, created_at);

CREATE TABLE distribution_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT    NOT NULL REFERENCES distribution_deliveries (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    latency_ms  INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    response    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX distribution_attempts_delivery_idx ON distribution_attempts (delivery_id, id);

-- +goose Down
DROP TABLE distribution_attempts;
DROP TABLE distribution_deliveries;
DROP TABLE distribution_targets;
