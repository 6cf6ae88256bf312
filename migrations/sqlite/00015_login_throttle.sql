-- Login throttling and temporary lockout (issue 13). Shared by every server
-- process through the database:
-- login_throttle holds the token buckets of failed logins, one row per key
-- ("ip:<source>", "name:sha256:<16 hex>"): tokens left and when they were
-- counted (Unix seconds, fractional). login_locks holds the temporary lock of
-- one username (hashed, so unknown names too) from one source address.
-- users.locked_at stays the lock set by an admin, until unlocked; failed
-- logins no longer set it.

-- +goose Up
CREATE TABLE login_throttle (
    key        TEXT PRIMARY KEY NOT NULL,
    tokens     REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX login_throttle_updated_idx ON login_throttle (updated_at);

CREATE TABLE login_locks (
    name         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (name, source)
);
CREATE INDEX login_locks_updated_idx ON login_locks (updated_at);

-- +goose Down
DROP TABLE login_locks;
DROP TABLE login_throttle;
