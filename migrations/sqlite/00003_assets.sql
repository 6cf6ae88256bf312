-- Multimedia assets (photos, audio, video, documents) and their attachment to
-- stories. Several asset rows may share one stored object (object_key is
-- content-addressed: sha256/ab/cd/<hash>), each with its own caption.
-- Times are fixed-width UTC TEXT as in 00001; JSON lists are TEXT.

-- +goose Up
CREATE TABLE assets (
    id           TEXT    PRIMARY KEY NOT NULL,
    kind         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    object_key   TEXT    NOT NULL,
    filename     TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    caption      TEXT    NOT NULL DEFAULT '',
    credit       TEXT    NOT NULL DEFAULT '',
    copyright    TEXT    NOT NULL DEFAULT '',
    usage_terms  TEXT    NOT NULL DEFAULT '',
    alt          TEXT    NOT NULL DEFAULT '',
    keywords     TEXT    NOT NULL DEFAULT '[]',
    search_text  TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT 'staff',
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    duration     REAL    NOT NULL DEFAULT 0,
    codecs       TEXT    NOT NULL DEFAULT '',
    bitrate      INTEGER NOT NULL DEFAULT 0,
    renditions   TEXT    NOT NULL DEFAULT '[]',
    uploader_id  TEXT    NOT NULL REFERENCES users (id),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX assets_list_idx ON assets (created_at DESC, id DESC);
CREATE INDEX assets_key_idx ON assets (object_key);
CREATE INDEX assets_uploader_idx ON assets (uploader_id, created_at DESC);

CREATE TABLE story_assets (
    story_id TEXT    NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    asset_id TEXT    NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    role     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, asset_id, role)
);
CREATE INDEX story_assets_asset_idx ON story_assets (asset_id);

-- +goose Down
DROP TABLE story_assets;
DROP TABLE assets;
