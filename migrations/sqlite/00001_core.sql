-- Core schema: sections, accounts, stories and what hangs off them, audit.
-- Times are TEXT in one fixed-width UTC form written by internal/store
-- ('2006-01-02 15:04:05.000000+00:00'), so comparing and ordering the strings
-- compares the instants. JSON lists and maps are TEXT. Foreign keys are
-- enforced by the connection (PRAGMA foreign_keys=1, set by store.Open).

-- +goose Up
CREATE TABLE sections (
    id              TEXT    PRIMARY KEY NOT NULL,
    name            TEXT    NOT NULL,
    slug            TEXT    NOT NULL,
    approval_levels INTEGER NOT NULL DEFAULT 1,
    level_roles     TEXT    NOT NULL DEFAULT '[]',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT sections_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id                   TEXT    PRIMARY KEY NOT NULL,
    username             TEXT    NOT NULL,
    display_name         TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    role                 TEXT    NOT NULL,
    active               INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_at            TEXT,
    last_login_at        TEXT,
    password_hash        TEXT    NOT NULL DEFAULT '',
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_role_idx ON users (role);

CREATE TABLE user_sections (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    section_id TEXT    NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (user_id, section_id)
);
CREATE INDEX user_sections_section_idx ON user_sections (section_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL DEFAULT '[]',
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

CREATE TABLE stories (
    id           TEXT    PRIMARY KEY NOT NULL,
    section_id   TEXT    NOT NULL REFERENCES sections (id),
    headline     TEXT    NOT NULL DEFAULT '',
    sapo         TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    byline       TEXT    NOT NULL DEFAULT '',
    tags         TEXT    NOT NULL DEFAULT '[]',
    channels     TEXT    NOT NULL DEFAULT '[]',
    state        TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    slug         TEXT    NOT NULL DEFAULT '',
    author_id    TEXT    NOT NULL REFERENCES users (id),
    assignee_id  TEXT    REFERENCES users (id),
    publish_at   TEXT,
    published_at TEXT,
    corrected_at TEXT,
    killed_at    TEXT,
    correction   TEXT    NOT NULL DEFAULT '',
    kill_reason  TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX stories_list_idx ON stories (updated_at DESC, id DESC);
CREATE INDEX stories_state_idx ON stories (state, updated_at DESC);
CREATE INDEX stories_section_idx ON stories (section_id, updated_at DESC);
CREATE INDEX stories_author_idx ON stories (author_id, updated_at DESC);
CREATE INDEX stories_assignee_idx ON stories (assignee_id, updated_at DESC);
CREATE INDEX stories_due_idx ON stories (publish_at) WHERE state = 'scheduled';

CREATE TABLE story_slugs (
    section_id TEXT NOT NULL REFERENCES sections (id),
    slug       TEXT NOT NULL,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    CONSTRAINT story_slugs_section_slug_key UNIQUE (section_id, slug)
);
CREATE INDEX story_slugs_story_idx ON story_slugs (story_id);

CREATE TABLE story_revisions (
    story_id TEXT    NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    at       TEXT    NOT NULL,
    actor_id TEXT    NOT NULL DEFAULT '',
    action   TEXT    NOT NULL,
    comment  TEXT    NOT NULL DEFAULT '',
    snapshot TEXT    NOT NULL,
    PRIMARY KEY (story_id, number)
);

CREATE TABLE comments (
    id              TEXT PRIMARY KEY NOT NULL,
    story_id        TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    author_id       TEXT NOT NULL DEFAULT '',
    author_username TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX comments_story_idx ON comments (story_id, created_at);

CREATE TABLE approvals (
    id        TEXT    PRIMARY KEY NOT NULL,
    story_id  TEXT    NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    level     INTEGER NOT NULL,
    user_id   TEXT    NOT NULL,
    username  TEXT    NOT NULL DEFAULT '',
    role      TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    voided_at TEXT
);
CREATE INDEX approvals_story_idx ON approvals (story_id, level);

CREATE TABLE story_locks (
    story_id    TEXT PRIMARY KEY NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    username    TEXT NOT NULL DEFAULT '',
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE TABLE audit_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL DEFAULT '',
    actor_name     TEXT    NOT NULL DEFAULT '',
    ip             TEXT    NOT NULL DEFAULT '',
    action         TEXT    NOT NULL,
    target_type    TEXT    NOT NULL DEFAULT '',
    target_id      TEXT    NOT NULL DEFAULT '',
    before_version INTEGER NOT NULL DEFAULT 0,
    after_version  INTEGER NOT NULL DEFAULT 0,
    details        TEXT
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
