-- Search speed at 200,000 stories (issue 8). A search walks back in time
-- window by window; a window is read either from the index (a rare word) or
-- by walking the stories newest first and testing each one's folded vector
-- (a word in most stories: its posting list is most of the archive, and
-- reading it whole for every window is what made such searches slow).
-- * Testing and scoring a story row by row must not cost TOAST fetches and
--   pglz decompressions: the three vectors stay in the row (STORAGE MAIN;
--   otherwise a long story's head and exact vectors, the first candidates
--   for TOAST, cost a fetch each time ts_rank reads them) and are compressed
--   with lz4 when the server has it (about 5 times faster to test than
--   pglz). Existing rows are rewritten once.
-- * The GIN index no longer takes fast updates: with them every search also
--   scanned the pending list (up to gin_pending_list_limit, 4 MB, of
--   unsorted entries) until the next VACUUM; a newsroom writes a few stories
--   a minute, which can afford updating the index in place.
-- * The GIN index over (folded, changed_at) of migration 00008 becomes a GIN
--   index over folded alone: a rare word now reads its matches once for the
--   whole walk (the range part of that index read every entry of a window),
--   and a common word walks stories_list_idx instead.

-- +goose Up
DROP INDEX story_search_recent_idx;
ALTER TABLE story_search ALTER COLUMN folded SET STORAGE MAIN, ALTER COLUMN head SET STORAGE MAIN,
    ALTER COLUMN exact SET STORAGE MAIN;
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE story_search ALTER COLUMN folded SET COMPRESSION lz4, ALTER COLUMN head SET COMPRESSION lz4,
        ALTER COLUMN exact SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL built without lz4: story_search vectors stay pglz';
END $$;
-- +goose StatementEnd
-- A new value (|| builds one) is stored with the new settings.
UPDATE story_search SET folded = folded || ''::tsvector, head = head || ''::tsvector, exact = exact || ''::tsvector;
CREATE INDEX story_search_folded_idx ON story_search USING gin (folded) WITH (fastupdate = off);

-- +goose Down
DROP INDEX story_search_folded_idx;
ALTER TABLE story_search ALTER COLUMN folded SET STORAGE EXTENDED, ALTER COLUMN head SET STORAGE EXTENDED,
    ALTER COLUMN exact SET STORAGE EXTENDED;
ALTER TABLE story_search ALTER COLUMN folded SET COMPRESSION default, ALTER COLUMN head SET COMPRESSION default,
    ALTER COLUMN exact SET COMPRESSION default;
CREATE INDEX story_search_recent_idx ON story_search USING gin (folded, changed_at);
