-- Core schema: sections, accounts, stories and what hangs off them, audit.
-- Ids are text (UUIDs in practice) with the "C" collation so that keyset
-- ordering by id is plain byte order, as in SQLite and Go; text rather than
-- uuid because system actions record an empty actor id.

-- +goose Up
CREATE TABLE sections (
    id              text COLLATE "C" PRIMARY KEY,
    name            text        NOT NULL,
    slug            text        NOT NULL,
    approval_levels integer     NOT NULL DEFAULT 1,
    level_roles     jsonb       NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT sections_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id                   text COLLATE "C" PRIMARY KEY,
    username             text        NOT NULL,
    display_name         text        NOT NULL DEFAULT '',
    email                text        NOT NULL DEFAULT '',
    role                 text        NOT NULL,
    active               boolean     NOT NULL DEFAULT true,
    must_change_password boolean     NOT NULL DEFAULT false,
    failed_logins        integer     NOT NULL DEFAULT 0,
    locked_at            timestamptz,
    last_login_at        timestamptz,
    password_hash        text        NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_role_idx ON users (role);

CREATE TABLE user_sections (
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    section_id text COLLATE "C" NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (user_id, section_id)
);
CREATE INDEX user_sections_section_idx ON user_sections (section_id);

CREATE TABLE sessions (
    id           text COLLATE "C" PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ip           text        NOT NULL DEFAULT '',
    user_agent   text        NOT NULL DEFAULT '',
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           text COLLATE "C" PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    scopes       jsonb       NOT NULL DEFAULT '[]',
    token_hash   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

CREATE TABLE stories (
    id           text COLLATE "C" PRIMARY KEY,
    section_id   text COLLATE "C" NOT NULL REFERENCES sections (id),
    headline     text        NOT NULL DEFAULT '',
    sapo         text        NOT NULL DEFAULT '',
    body         text        NOT NULL DEFAULT '',
    byline       text        NOT NULL DEFAULT '',
    tags         jsonb       NOT NULL DEFAULT '[]',
    channels     jsonb       NOT NULL DEFAULT '[]',
    state        text        NOT NULL,
    version      integer     NOT NULL,
    slug         text        NOT NULL DEFAULT '',
    author_id    text COLLATE "C" NOT NULL REFERENCES users (id),
    assignee_id  text COLLATE "C" REFERENCES users (id),
    publish_at   timestamptz,
    published_at timestamptz,
    corrected_at timestamptz,
    killed_at    timestamptz,
    correction   text        NOT NULL DEFAULT '',
    kill_reason  text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX stories_list_idx ON stories (updated_at DESC, id DESC);
CREATE INDEX stories_state_idx ON stories (state, updated_at DESC);
CREATE INDEX stories_section_idx ON stories (section_id, updated_at DESC);
CREATE INDEX stories_author_idx ON stories (author_id, updated_at DESC);
CREATE INDEX stories_assignee_idx ON stories (assignee_id, updated_at DESC);
CREATE INDEX stories_due_idx ON stories (publish_at) WHERE state = 'scheduled';

CREATE TABLE story_slugs (
    section_id text COLLATE "C" NOT NULL REFERENCES sections (id),
    slug       text        NOT NULL,
    story_id   text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    CONSTRAINT story_slugs_section_slug_key UNIQUE (section_id, slug)
);
CREATE INDEX story_slugs_story_idx ON story_slugs (story_id);

CREATE TABLE story_revisions (
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    number   integer     NOT NULL,
    at       timestamptz NOT NULL,
    actor_id text        NOT NULL DEFAULT '',
    action   text        NOT NULL,
    comment  text        NOT NULL DEFAULT '',
    snapshot jsonb       NOT NULL,
    PRIMARY KEY (story_id, number)
);

CREATE TABLE comments (
    id              text COLLATE "C" PRIMARY KEY,
    story_id        text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    author_id       text        NOT NULL DEFAULT '',
    author_username text        NOT NULL DEFAULT '',
    action          text        NOT NULL DEFAULT '',
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX comments_story_idx ON comments (story_id, created_at);

CREATE TABLE approvals (
    id        text COLLATE "C" PRIMARY KEY,
    story_id  text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    level     integer     NOT NULL,
    user_id   text        NOT NULL,
    username  text        NOT NULL DEFAULT '',
    role      text        NOT NULL,
    version   integer     NOT NULL,
    at        timestamptz NOT NULL,
    voided_at timestamptz
);
CREATE INDEX approvals_story_idx ON approvals (story_id, level);

CREATE TABLE story_locks (
    story_id    text COLLATE "C" PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    user_id     text        NOT NULL,
    username    text        NOT NULL DEFAULT '',
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE TABLE audit_events (
    id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor_id       text        NOT NULL DEFAULT '',
    actor_name     text        NOT NULL DEFAULT '',
    ip             text        NOT NULL DEFAULT '',
    action         text        NOT NULL,
    target_type    text        NOT NULL DEFAULT '',
    target_id      text        NOT NULL DEFAULT '',
    before_version integer     NOT NULL DEFAULT 0,
    after_version  integer     NOT NULL DEFAULT 0,
    details        jsonb
);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id DESC);
CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id DESC);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_action_idx ON audit_events (action, id DESC);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE story_locks;
DROP TABLE approvals;
DROP TABLE comments;
DROP TABLE story_revisions;
DROP TABLE story_slugs;
DROP TABLE stories;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE user_sections;
DROP TABLE users;
DROP TABLE sections;
