-- Tamper-evident audit log (issue 13): seq (strict, gapless order) and the
-- SHA-256 chain hash (internal/audit/chain.go); rows from before this
-- migration are numbered in id order and sealed once by the first append or
-- verify. SQLite has no guard trigger: the chain alone shows a change.

-- +goose Up
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
UPDATE audit_events SET seq = n.rn
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM audit_events) AS n
 WHERE audit_events.id = n.id;
CREATE UNIQUE INDEX audit_events_seq_idx ON audit_events (seq);

CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    hash      TEXT    NOT NULL,
    legacy_to INTEGER NOT NULL
);
INSERT INTO audit_chain (id, seq, hash, legacy_to)
SELECT 1, COALESCE(max(seq), 0), '', COALESCE(max(seq), 0) FROM audit_events;

CREATE TABLE audit_exports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seq_from    INTEGER NOT NULL,
    seq_to      INTEGER NOT NULL,
    row_count   INTEGER NOT NULL,
    prev_hash   TEXT    NOT NULL,
    last_hash   TEXT    NOT NULL,
    object_key  TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size_bytes  INTEGER NOT NULL,
    exported_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX audit_exports_seq_to_idx ON audit_exports (seq_to);

-- +goose Down
DROP TABLE audit_exports;
DROP TABLE audit_chain;
DROP INDEX audit_events_seq_idx;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN seq;
