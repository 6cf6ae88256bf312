-- Password policy and dormant accounts (issue 13): when each password was
-- set (auth.password_max_age; accounts that exist at upgrade count from the
-- upgrade), why an account was disabled ('dormant' by the dormant-account
-- job), when an admin last reactivated it (its dormancy clock restarts), and
-- the former password hashes an account may not reuse (auth.password_history).

-- +goose Up
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE users ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN reactivated_at TEXT;
UPDATE users SET password_changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00';

CREATE TABLE password_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX password_history_user_idx ON password_history (user_id, created_at);

-- +goose Down
DROP TABLE password_history;
ALTER TABLE users DROP COLUMN reactivated_at;
ALTER TABLE users DROP COLUMN disabled_reason;
ALTER TABLE users DROP COLUMN password_changed_at;
