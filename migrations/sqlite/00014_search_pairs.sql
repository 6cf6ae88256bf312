-- Search speed at 200,000 stories (issue 8): nothing to change on SQLite.
-- The PostgreSQL side of this migration indexes the pairs of adjacent words
-- of each story so that a quoted phrase of common words is looked up by its
-- pairs; SQLite's FTS5 walks each window's stories and checks phrases itself.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
