-- Partner API keys for the content API (/api/content/v1), and the index the
-- public site's lists (newest published first) read.

-- +goose Up
CREATE TABLE partner_keys (
    id           TEXT    PRIMARY KEY NOT NULL,
    name         TEXT    NOT NULL,
    key_prefix   TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL,
    rate_limit   INTEGER NOT NULL DEFAULT 0,
    usage_count  INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    CONSTRAINT partner_keys_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX partner_keys_created_idx ON partner_keys (created_at DESC, id DESC);
CREATE INDEX stories_public_idx ON stories (state, published_at DESC, id DESC);

-- +goose Down
DROP INDEX stories_public_idx;
DROP TABLE partner_keys;
