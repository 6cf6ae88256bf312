-- Search (issue 8): a plain-text copy of the body that the store fills from
-- richtext.PlainText, and story_search, one row per story with weighted
-- tsvectors (headline A, tags B, sapo C, body text D): folded (newsroom_fold:
-- đ → d, then unaccent, then lower case) over everything for matching, behind
-- a GIN index; head, the folded headline, tags and sapo only, for ranking
-- (ts_rank on a short vector is cheap, on a whole article it is not); and
-- exact (headline, tags and sapo in lower case with diacritics) for the
-- exact-form boost. A trigger on stories keeps it in the same transaction as
-- every story change.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;

-- +goose StatementBegin
CREATE FUNCTION newsroom_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, translate(t, 'đĐÐðɖƉ', 'dddddd'))) $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION newsroom_tags_text(tags jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT coalesce(string_agg(v, ' '), '') FROM jsonb_array_elements_text(tags) AS v $$;
-- +goose StatementEnd

ALTER TABLE stories ADD COLUMN body_text text NOT NULL DEFAULT '';

CREATE TABLE story_search (
    story_id text COLLATE "C" PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    folded   tsvector NOT NULL,
    head     tsvector NOT NULL,
    exact    tsvector NOT NULL
);
CREATE INDEX story_search_folded_idx ON story_search USING gin (folded);

-- +goose StatementBegin
CREATE FUNCTION stories_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER stories_search_insert AFTER INSERT ON stories
    FOR EACH ROW EXECUTE FUNCTION stories_search_sync();
CREATE TRIGGER stories_search_update AFTER UPDATE OF headline, sapo, body_text, tags ON stories
    FOR EACH ROW EXECUTE FUNCTION stories_search_sync();

INSERT INTO story_search (story_id, folded, head, exact)
    SELECT x.id,
        setweight(to_tsvector('simple', newsroom_fold(x.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(x.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(x.sapo)), 'C') ||
        setweight(to_tsvector('simple', newsroom_fold(left(x.body_text, 200000))), 'D'),
        setweight(to_tsvector('simple', newsroom_fold(x.headline)), 'A') ||
        setweight(to_tsvector('simple', newsroom_fold(newsroom_tags_text(x.tags))), 'B') ||
        setweight(to_tsvector('simple', newsroom_fold(x.sapo)), 'C'),
        setweight(to_tsvector('simple', x.headline), 'A') ||
        setweight(to_tsvector('simple', newsroom_tags_text(x.tags)), 'B') ||
        setweight(to_tsvector('simple', x.sapo), 'C')
    FROM stories x;

-- +goose Down
DROP TRIGGER stories_search_update ON stories;
DROP TRIGGER stories_search_insert ON stories;
DROP FUNCTION stories_search_sync();
DROP TABLE story_search;
ALTER TABLE stories DROP COLUMN body_text;
DROP FUNCTION newsroom_tags_text(jsonb);
DROP FUNCTION newsroom_fold(text);
