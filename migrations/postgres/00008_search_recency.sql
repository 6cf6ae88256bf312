-- Search speed (issue 8): story_search.changed_at mirrors stories.updated_at
-- (kept by triggers in the same transaction), and one multicolumn GIN index
-- (btree_gin, from postgresql-contrib like unaccent) over the folded vector
-- and changed_at replaces the folded-only index. Search walks back in time
-- window by window ("matches changed in the last week", then the last month,
-- ...), and this index answers "folded matches AND changed_at in the window"
-- in one scan, so a word found in most of the archive costs only the recent
-- matches instead of all of them. Queries on the folded vector alone (counts
-- for tag suggestions) still use it.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION stories_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_search (story_id, folded, head, exact, changed_at) VALUES (NEW.id,
        setweight(to_tsvector('simple', newsroom_fold(NEW.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(NEW.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(NEW.sapo)), 'C') ||
        setweight(to_tsvector('simple', newsroom_fold(left(NEW.body_text, 200000))), 'D'),
        setweight(to_tsvector('simple', newsroom_fold(NEW.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(NEW.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(NEW.sapo)), 'C'),
        setweight(to_tsvector('simple', NEW.headline), 'A') ||
        setweight(to_tsvector('simple', newsroom_tags_text(NEW.tags)), 'B') ||
        setweight(to_tsvector('simple', NEW.sapo), 'C'),
        NEW.updated_at)
    ON CONFLICT (story_id) DO UPDATE SET folded = EXCLUDED.folded, head = EXCLUDED.head, exact = EXCLUDED.exact,
        changed_at = EXCLUDED.changed_at;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION stories_search_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE story_search SET changed_at = NEW.updated_at WHERE story_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd

ALTER TABLE story_search ADD COLUMN changed_at timestamptz;
UPDATE story_search ss SET changed_at = st.updated_at FROM stories st WHERE st.id = ss.story_id;
ALTER TABLE story_search ALTER COLUMN changed_at SET NOT NULL;

CREATE TRIGGER stories_search_touch AFTER UPDATE OF updated_at ON stories
    FOR EACH ROW WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at) EXECUTE FUNCTION stories_search_touch();

CREATE INDEX story_search_recent_idx ON story_search USING gin (folded, changed_at);
DROP INDEX story_search_folded_idx;

-- +goose Down
CREATE INDEX story_search_folded_idx ON story_search USING gin (folded);
DROP INDEX story_search_recent_idx;
DROP TRIGGER stories_search_touch ON stories;
DROP FUNCTION stories_search_touch();
ALTER TABLE story_search DROP COLUMN changed_at;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION stories_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_search (story_id, folded, head, exact) VALUES (NEW.id,
        setweight(to_tsvector('simple', newsroom_fold(NEW.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(NEW.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(NEW.sapo)), 'C') ||
        setweight(to_tsvector('simple', newsroom_fold(left(NEW.body_text, 200000))), 'D'),
        setweight(to_tsvector('simple', newsroom_fold(NEW.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(NEW.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(NEW.sapo)), 'C'),
        setweight(to_tsvector('simple', NEW.headline), 'A') ||
        setweight(to_tsvector('simple', newsroom_tags_text(NEW.tags)), 'B') ||
        setweight(to_tsvector('simple', NEW.sapo), 'C'))
    ON CONFLICT (story_id) DO UPDATE SET folded = EXCLUDED.folded, head = EXCLUDED.head, exact = EXCLUDED.exact;
    RETURN NULL;
END $$;
-- +goose StatementEnd

DROP EXTENSION IF EXISTS btree_gin;
