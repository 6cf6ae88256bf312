-- Direct (multipart) uploads in progress: the client sends the parts straight
-- to object storage, then asks the server to check and register the asset.
-- A periodic sweep aborts the sessions past expires_at.

-- +goose Up
CREATE TABLE asset_uploads (
    id                text COLLATE "C" PRIMARY KEY,
    uploader_id       text COLLATE "C" NOT NULL REFERENCES users (id),
    object_key        text COLLATE "C" NOT NULL,
    backend_upload_id text        NOT NULL,
    filename          text        NOT NULL DEFAULT '',
    content_type      text        NOT NULL DEFAULT '',
    size              bigint      NOT NULL,
    sha256            text        NOT NULL DEFAULT '',
    meta              jsonb       NOT NULL DEFAULT '{}',
    part_size         bigint      NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL
);
CREATE INDEX asset_uploads_expiry_idx ON asset_uploads (expires_at);
-- Uploads are stored under a fresh key (no server-side copy to a content
-- address); the SHA-256 finds an earlier copy of the same file for dedupe.
CREATE INDEX assets_sha256_idx ON assets (sha256);

-- +goose Down
DROP INDEX assets_sha256_idx;
DROP TABLE asset_uploads;
