-- Two-factor authentication (issue 13): one TOTP secret per account (RFC 6238,
-- the pending one until the first code confirms it), the last time step a code
-- was accepted for (no code is accepted twice), the recovery codes as SHA-256
-- (hex) with when each was used, and the login challenges between the
-- password and the code (mfa_token, stored as SHA-256, short-lived, single use).

-- +goose Up
CREATE TABLE user_mfa (
    user_id        text COLLATE "C" PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    totp_secret    text        NOT NULL DEFAULT '',
    pending_secret text        NOT NULL DEFAULT '',
    enrolled_at    timestamptz,
    last_step      bigint      NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE user_mfa_recovery_codes (
    user_id   text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text        NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_challenges (
    id         text COLLATE "C" PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts   integer     NOT NULL DEFAULT 0,
    used_at    timestamptz,
    CONSTRAINT mfa_challenges_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);

-- +goose Down
DROP TABLE mfa_challenges;
DROP TABLE user_mfa_recovery_codes;
DROP TABLE user_mfa;
