-- Broadcast: radio and TV programmes, their rundowns (one per airing) and
-- the rundowns' items in order.

-- +goose Up
CREATE TABLE programmes (
    id                     text COLLATE "C" PRIMARY KEY,
    name                   text        NOT NULL,
    slug                   text COLLATE "C" NOT NULL,
    channel                text        NOT NULL,
    schedule_days          jsonb       NOT NULL DEFAULT '[]',
    schedule_start         text        NOT NULL DEFAULT '',
    planned_seconds        integer     NOT NULL,
    description            text        NOT NULL DEFAULT '',
    podcast_author         text        NOT NULL DEFAULT '',
    podcast_owner_email    text        NOT NULL DEFAULT '',
    podcast_category       text        NOT NULL DEFAULT '',
    podcast_image_asset_id text COLLATE "C" REFERENCES assets (id) ON DELETE SET NULL,
    podcast_explicit       boolean     NOT NULL DEFAULT false,
    version                integer     NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CONSTRAINT programmes_slug_key UNIQUE (slug)
);

CREATE TABLE rundowns (
    id              text COLLATE "C" PRIMARY KEY,
    programme_id    text COLLATE "C" NOT NULL REFERENCES programmes (id),
    on_air_at       timestamptz NOT NULL,
    planned_seconds integer     NOT NULL,
    state           text        NOT NULL,
    version         integer     NOT NULL,
    created_by      text COLLATE "C" NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT rundowns_programme_airing_key UNIQUE (programme_id, on_air_at)
);
CREATE INDEX rundowns_on_air_idx ON rundowns (on_air_at, id);

CREATE TABLE rundown_items (
    id                text COLLATE "C" PRIMARY KEY,
    rundown_id        text COLLATE "C" NOT NULL REFERENCES rundowns (id) ON DELETE CASCADE,
    position          integer     NOT NULL,
    kind              text        NOT NULL,
    story_id          text COLLATE "C" REFERENCES stories (id),
    story_version     integer     NOT NULL DEFAULT 0,
    story_fingerprint text        NOT NULL DEFAULT '',
    title             text        NOT NULL,
    planned_seconds   integer     NOT NULL,
    notes             text        NOT NULL DEFAULT '',
    script            text        NOT NULL DEFAULT '',
    CONSTRAINT rundown_items_position_key UNIQUE (rundown_id, position)
);
CREATE INDEX rundown_items_story_idx ON rundown_items (story_id);

-- +goose Down
DROP TABLE rundown_items;
DROP TABLE rundowns;
DROP TABLE programmes;
