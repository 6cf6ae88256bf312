-- The public site's generation: one counter bumped in the transaction of
-- every change readers can see (publish, correction, kill, a caption of an
-- asset a published story uses). Every `newsroom serve` process reads it at
-- most every 500 ms and drops its page cache when it moved, so a change made
-- in one process shows in the others within a second.

-- +goose Up
CREATE TABLE site_generation (
    id integer PRIMARY KEY,
    n  bigint  NOT NULL
);
INSERT INTO site_generation (id, n) VALUES (1, 0);

-- +goose Down
DROP TABLE site_generation;
