-- Direct (multipart) uploads in progress: the client sends the parts straight
-- to object storage, then asks the server to check and register the asset.
-- A periodic sweep aborts the sessions past expires_at.

-- +goose Up
CREATE TABLE asset_uploads (
    id                TEXT    PRIMARY KEY NOT NULL,
    uploader_id       TEXT    NOT NULL REFERENCES users (id),
    object_key        TEXT    NOT NULL,
    backend_upload_id TEXT    NOT NULL,
    filename          TEXT    NOT NULL DEFAULT '',
    content_type      TEXT    NOT NULL DEFAULT '',
    size              INTEGER NOT NULL,
    sha256            TEXT    NOT NULL DEFAULT '',
    meta              TEXT    NOT NULL DEFAULT '{}',
    part_size         INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    expires_at        TEXT    NOT NULL
);
CREATE INDEX asset_uploads_expiry_idx ON asset_uploads (expires_at);
-- Uploads are stored under a fresh key (no server-side copy to a content
-- address); the SHA-256 finds an earlier copy of the same file for dedupe.
CREATE INDEX assets_sha256_idx ON assets (sha256);

-- +goose Down
DROP INDEX assets_sha256_idx;
DROP TABLE asset_uploads;
