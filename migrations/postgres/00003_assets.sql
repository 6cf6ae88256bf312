-- Multimedia assets (photos, audio, video, documents) and their attachment to
-- stories. Several asset rows may share one stored object (object_key is
-- content-addressed: sha256/ab/cd/<hash>), each with its own caption.

-- +goose Up
CREATE TABLE assets (
    id           text COLLATE "C" PRIMARY KEY,
    kind         text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    object_key   text COLLATE "C" NOT NULL,
    filename     text        NOT NULL DEFAULT '',
    title        text        NOT NULL DEFAULT '',
    caption      text        NOT NULL DEFAULT '',
    credit       text        NOT NULL DEFAULT '',
    copyright    text        NOT NULL DEFAULT '',
    usage_terms  text        NOT NULL DEFAULT '',
    alt          text        NOT NULL DEFAULT '',
    keywords     jsonb       NOT NULL DEFAULT '[]',
    search_text  text        NOT NULL DEFAULT '',
    source       text        NOT NULL DEFAULT 'staff',
    width        integer     NOT NULL DEFAULT 0,
    height       integer     NOT NULL DEFAULT 0,
    duration     double precision NOT NULL DEFAULT 0,
    codecs       text        NOT NULL DEFAULT '',
    bitrate      bigint      NOT NULL DEFAULT 0,
    renditions   jsonb       NOT NULL DEFAULT '[]',
    uploader_id  text COLLATE "C" NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX assets_list_idx ON assets (created_at DESC, id DESC);
CREATE INDEX assets_key_idx ON assets (object_key);
CREATE INDEX assets_uploader_idx ON assets (uploader_id, created_at DESC);

CREATE TABLE story_assets (
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    asset_id text COLLATE "C" NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    role     text    NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (story_id, asset_id, role)
);
CREATE INDEX story_assets_asset_idx ON story_assets (asset_id);

-- +goose Down
DROP TABLE story_assets;
DROP TABLE assets;
