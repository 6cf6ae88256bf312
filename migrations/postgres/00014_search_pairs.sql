-- Search speed at 200,000 stories (issue 8): quoted phrases of common words.
-- A phrase such as "vắc xin" is rare as a phrase (0.05–1 % of the benchmark
-- archive) but made of words found in 40–60 % of the stories, so a GIN scan
-- of the folded vector read both words' posting lists and rechecked the
-- positions of every story holding both (30,263 rows to keep 86).
-- story_search.pairs holds every pair of adjacent lexemes of the folded
-- vector as one lexeme, "vac_xin" (no positions), behind its own GIN index:
-- a phrase is first looked up by its pairs (a short posting list), then
-- checked as a real phrase on the folded vector, so it still matches only as
-- a phrase. The pairs are derived from the positions of the stored folded
-- vector itself (newsroom_pairs), so they are exactly the pairs the phrase
-- operator <-> can match; a BEFORE trigger on story_search keeps them with
-- every change of folded, in the same transaction. newsroom_pairs_query
-- turns the words of one phrase into the tsquery of its pairs with the same
-- parser, so query and index cannot disagree on a lexeme (NULL when the
-- words make fewer than two lexemes: such a phrase has no pair to look up).
-- Existing rows are filled here (every story_search row is rewritten: a few
-- minutes at 200,000 stories); run VACUUM ANALYZE story_search afterwards.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION newsroom_pairs(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || '_' || b.lexeme)), ''::tsvector)
FROM (SELECT u.lexeme, p FROM unnest(v) u, unnest(u.positions) p) a
JOIN (SELECT u.lexeme, p FROM unnest(v) u, unnest(u.positions) p) b ON b.p = a.p + 1 $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION newsroom_pairs_query(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT string_agg('''' || l || '''', ' & ')::tsquery
FROM unnest(tsvector_to_array(newsroom_pairs(to_tsvector('simple', words)))) l $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION story_search_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.pairs := newsroom_pairs(NEW.folded);
    RETURN NEW;
END $$;
-- +goose StatementEnd

ALTER TABLE story_search ADD COLUMN pairs tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE story_search ALTER COLUMN pairs SET STORAGE MAIN;
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE story_search ALTER COLUMN pairs SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL built without lz4: story_search.pairs stays pglz';
END $$;
-- +goose StatementEnd
UPDATE story_search SET pairs = newsroom_pairs(folded);
CREATE TRIGGER story_search_pairs_insert BEFORE INSERT ON story_search
    FOR EACH ROW EXECUTE FUNCTION story_search_pairs();
CREATE TRIGGER story_search_pairs_update BEFORE UPDATE OF folded ON story_search
    FOR EACH ROW EXECUTE FUNCTION story_search_pairs();
CREATE INDEX story_search_pairs_idx ON story_search USING gin (pairs) WITH (fastupdate = off);

-- +goose Down
DROP INDEX story_search_pairs_idx;
DROP TRIGGER story_search_pairs_update ON story_search;
DROP TRIGGER story_search_pairs_insert ON story_search;
ALTER TABLE story_search DROP COLUMN pairs;
DROP FUNCTION story_search_pairs();
DROP FUNCTION newsroom_pairs_query(text);
DROP FUNCTION newsroom_pairs(tsvector);
