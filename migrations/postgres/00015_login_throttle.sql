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
    key        text COLLATE "C" PRIMARY KEY,
    tokens     double precision NOT NULL,
    updated_at double precision NOT NULL
);
CREATE INDEX login_throttle_updated_idx ON login_throttle (updated_at);

CREATE TABLE login_locks (
    name         text COLLATE "C" NOT NULL,
    source       text COLLATE "C" NOT NULL,
    failures     integer     NOT NULL DEFAULT 0,
    lockouts     integer     NOT NULL DEFAULT 0,
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (name, source)
);
CREATE INDEX login_locks_updated_idx ON login_locks (updated_at);

-- +goose Down
DROP TABLE login_locks;
DROP TABLE login_throttle;
