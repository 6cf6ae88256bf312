-- Broadcast: radio and TV programmes, their rundowns (one per airing) and
-- the rundowns' items in order.

-- +goose Up
CREATE TABLE programmes (
    id                     TEXT    PRIMARY KEY NOT NULL,
    name                   TEXT    NOT NULL,
    slug                   TEXT    NOT NULL,
    channel                TEXT    NOT NULL,
    schedule_days          TEXT    NOT NULL DEFAULT '[]',
    schedule_start         TEXT    NOT NULL DEFAULT '',
    planned_seconds        INTEGER NOT NULL,
    description            TEXT    NOT NULL DEFAULT '',
    podcast_author         TEXT    NOT NULL DEFAULT '',
    podcast_owner_email    TEXT    NOT NULL DEFAULT '',
    podcast_category       TEXT    NOT NULL DEFAULT '',
    podcast_image_asset_id TEXT    REFERENCES assets (id) ON DELETE SET NULL,
    podcast_explicit       INTEGER NOT NULL DEFAULT 0,
    version                INTEGER NOT NULL,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    CONSTRAINT programmes_slug_key UNIQUE (slug)
);

CREATE TABLE rundowns (
    id              TEXT    PRIMARY KEY NOT NULL,
    programme_id    TEXT    NOT NULL REFERENCES programmes (id),
    on_air_at       TEXT    NOT NULL,
    planned_seconds INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    created_by      TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT rundowns_programme_airing_key UNIQUE (programme_id, on_air_at)
);
CREATE INDEX rundowns_on_air_idx ON rundowns (on_air_at, id);

CREATE TABLE rundown_items (
    id                TEXT    PRIMARY KEY NOT NULL,
    rundown_id        TEXT    NOT NULL REFERENCES rundowns (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    kind              TEXT    NOT NULL,
    story_id          TEXT    REFERENCES stories (id),
    story_version     INTEGER NOT NULL DEFAULT 0,
    story_fingerprint TEXT    NOT NULL DEFAULT '',
    title             TEXT    NOT NULL,
    planned_seconds   INTEGER NOT NULL,
    notes             TEXT    NOT NULL DEFAULT '',
    script            TEXT    NOT NULL DEFAULT '',
    CONSTRAINT rundown_items_position_key UNIQUE (rundown_id, position)
);
CREATE INDEX rundown_items_story_idx ON rundown_items (story_id);

-- +goose Down
DROP TABLE rundown_items;
DROP TABLE rundowns;
DROP TABLE programmes;
