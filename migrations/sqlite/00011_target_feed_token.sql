-- RSS pull targets (issue 6): each rss target has its own feed token, shown
-- once at creation or rotation and stored only as its SHA-256 (hex), like
-- partner API keys. Empty for other kinds.

-- +goose Up
ALTER TABLE distribution_targets ADD COLUMN feed_token_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE distribution_targets DROP COLUMN feed_token_hash;
