-- Partner API keys for the content API (/api/content/v1), and the index the
-- public site's lists (newest published first) read.

-- +goose Up
CREATE TABLE partner_keys (
    id           text COLLATE "C" PRIMARY KEY,
    name         text        NOT NULL,
    key_prefix   text        NOT NULL,
    key_hash     text        NOT NULL,
    rate_limit   integer     NOT NULL DEFAULT 0,
    usage_count  bigint      NOT NULL DEFAULT 0,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT partner_keys_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX partner_keys_created_idx ON partner_keys (created_at DESC, id DESC);
CREATE INDEX stories_public_idx ON stories (state, published_at DESC, id DESC);

-- +goose Down
DROP INDEX stories_public_idx;
DROP TABLE partner_keys;
