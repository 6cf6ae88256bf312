-- Search speed (issue 8): nothing to change on SQLite. The PostgreSQL side of
-- this migration adds story_search.changed_at and a GIN index over (folded
-- vector, changed_at) for the search's walk back in time; on SQLite each
-- window of that walk reads the stories changed in it from stories_list_idx
-- and lets FTS5 test them against the match, which needs no new index.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
