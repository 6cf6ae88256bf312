-- Search speed at 200,000 stories (issue 8): nothing to change on SQLite.
-- The PostgreSQL side of this migration keeps the folded vector in the row,
-- turns off GIN fast updates and splits the (vector, time) GIN index, for
-- the PostgreSQL search's walk of the newest stories; SQLite already walks
-- each window from stories_list_idx and lets FTS5 test the stories.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
