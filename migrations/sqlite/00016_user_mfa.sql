-- Two-factor authentication (issue 13): one TOTP secret per account (RFC 6238,
-- the pending one until the first code confirms it), the last time step a code
-- was accepted for (no code is accepted twice), the recovery codes as SHA-256
-- (hex) with when each was used, and the login challenges between the
-- password and the code (mfa_token, stored as SHA-256, short-lived, single use).

-- +goose Up
CREATE TABLE user_mfa (
    user_id        TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    totp_secret    TEXT NOT NULL DEFAULT '',
    pending_secret TEXT NOT NULL DEFAULT '',
    enrolled_at    TEXT,
    last_step      INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT NOT NULL
);

CREATE TABLE user_mfa_recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_challenges (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    used_at    TEXT,
    CONSTRAINT mfa_challenges_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);

-- +goose Down
DROP TABLE mfa_challenges;
DROP TABLE user_mfa_recovery_codes;
DROP TABLE user_mfa;
