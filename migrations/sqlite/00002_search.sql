-- Search (issue 8): a plain-text copy of the body that the store fills from
-- richtext.PlainText, and two FTS5 indexes kept by triggers in the same
-- transaction as every story change: story_fts over a folded copy (đ → d done
-- here, since Unicode does not decompose đ; unicode61 remove_diacritics 2 does
-- the other marks) for matching, and story_fts_exact (diacritics kept;
-- headline, tags and sapo) for the exact-form boost. FTS rows are keyed by story_search_keys.doc, a stable
-- integer, because a table's implicit rowid may change on VACUUM.

-- +goose Up
ALTER TABLE stories ADD COLUMN body_text TEXT NOT NULL DEFAULT '';

CREATE TABLE story_search_keys (
    doc      INTEGER PRIMARY KEY,
    story_id TEXT    NOT NULL UNIQUE REFERENCES stories (id) ON DELETE CASCADE
);

-- Search joins every match to its story for visibility and filters: this
-- covering index answers that without reading the (long) story rows.
CREATE INDEX stories_search_cover_idx ON stories (id, state, section_id, author_id, published_at, updated_at);

CREATE VIRTUAL TABLE story_fts USING fts5(h, t, s, b, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE story_fts_exact USING fts5(h, t, s, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0");

-- +goose StatementBegin
CREATE TRIGGER stories_search_insert AFTER INSERT ON stories BEGIN
    INSERT INTO story_search_keys (story_id) VALUES (NEW.id);
    INSERT INTO story_fts (rowid, h, t, s, b) VALUES ((SELECT doc FROM story_search_keys WHERE story_id = NEW.id), replace(replace(replace(replace(replace(replace(NEW.headline, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace((SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.tags)), 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(NEW.sapo, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(NEW.body_text, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'));
    INSERT INTO story_fts_exact (rowid, h, t, s) VALUES ((SELECT doc FROM story_search_keys WHERE story_id = NEW.id), NEW.headline, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.tags)), NEW.sapo);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stories_search_update AFTER UPDATE OF headline, sapo, body_text, tags ON stories BEGIN
    DELETE FROM story_fts WHERE rowid = (SELECT doc FROM story_search_keys WHERE story_id = NEW.id);
    DELETE FROM story_fts_exact WHERE rowid = (SELECT doc FROM story_search_keys WHERE story_id = NEW.id);
    INSERT INTO story_fts (rowid, h, t, s, b) VALUES ((SELECT doc FROM story_search_keys WHERE story_id = NEW.id), replace(replace(replace(replace(replace(replace(NEW.headline, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace((SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.tags)), 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(NEW.sapo, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(NEW.body_text, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'));
    INSERT INTO story_fts_exact (rowid, h, t, s) VALUES ((SELECT doc FROM story_search_keys WHERE story_id = NEW.id), NEW.headline, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(NEW.tags)), NEW.sapo);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stories_search_delete BEFORE DELETE ON stories BEGIN
    DELETE FROM story_fts WHERE rowid = (SELECT doc FROM story_search_keys WHERE story_id = OLD.id);
    DELETE FROM story_fts_exact WHERE rowid = (SELECT doc FROM story_search_keys WHERE story_id = OLD.id);
    DELETE FROM story_search_keys WHERE story_id = OLD.id;
END;
-- +goose StatementEnd

INSERT INTO story_search_keys (story_id) SELECT id FROM stories ORDER BY created_at, id;
INSERT INTO story_fts (rowid, h, t, s, b)
    SELECT k.doc, replace(replace(replace(replace(replace(replace(x.headline, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace((SELECT coalesce(group_concat(value, ' '), '') FROM json_each(x.tags)), 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(x.sapo, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd'), replace(replace(replace(replace(replace(replace(x.body_text, 'đ', 'd'), 'Đ', 'd'), 'Ð', 'd'), 'ð', 'd'), 'ɖ', 'd'), 'Ɖ', 'd') FROM story_search_keys k JOIN stories x ON x.id = k.story_id;
INSERT INTO story_fts_exact (rowid, h, t, s)
    SELECT k.doc, x.headline, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(x.tags)), x.sapo FROM story_search_keys k JOIN stories x ON x.id = k.story_id;

-- +goose Down
DROP TRIGGER stories_search_delete;
DROP TRIGGER stories_search_update;
DROP TRIGGER stories_search_insert;
DROP TABLE story_fts_exact;
DROP TABLE story_fts;
DROP TABLE story_search_keys;
DROP INDEX stories_search_cover_idx;
ALTER TABLE stories DROP COLUMN body_text;
