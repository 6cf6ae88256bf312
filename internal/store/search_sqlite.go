package store

import (
	"context"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// sqliteSearcher is search.Searcher on SQLite FTS5 (migration 00002):
// story_fts over the folded text, story_fts_exact over the exact text.
type sqliteSearcher struct{ db *DB }

// fts5Word quotes one word as an FTS5 string. Words hold letters and digits
// only, but doubling quotes keeps the quoting right whatever they hold.
func fts5Word(w string) string { return `"` + strings.ReplaceAll(w, `"`, `""`) + `"` }

// fts5Match builds the MATCH expression of q in the folded or exact form.
// withNot adds the exclusions.
func fts5Match(q search.Query, exact, withNot bool) string {
	form := func(w search.Word) string {
		if exact {
			return w.Exact
		}
		return w.Folded
	}
	var parts []string
	for i, w := range q.Terms {
		p := fts5Word(form(w))
		if q.Prefix && i == len(q.Terms)-1 {
			p += "*"
		}
		parts = append(parts, p)
	}
	for _, ph := range q.Phrases {
		ws := make([]string, len(ph))
		for i, w := range ph {
			ws[i] = form(w)
		}
		parts = append(parts, fts5Word(strings.Join(ws, " ")))
	}
	sep := " AND "
	if q.Any {
		sep = " OR "
	}
	expr := "(" + strings.Join(parts, sep) + ")"
	if withNot {
		for _, w := range q.Exclude {
			expr += " NOT " + fts5Word(form(w))
		}
	}
	return expr
}

func sqliteJSONHas(col string) string {
	return "EXISTS (SELECT 1 FROM json_each(st." + col + ") WHERE value = ?)"
}

// Search ranks by BM25 (headline 4, tags 3, sapo 2, body 1) × (1 + exact
// boost) × 0.5^(age / half-life).
func (s *sqliteSearcher) Search(ctx context.Context, q search.Query, f search.Filter) ([]search.Doc, error) {
	if q.IsEmpty() {
		return nil, nil
	}
	where, wargs := searchFilterSQL(f, sqliteJSONHas)
	inner := `SELECT st.id AS id,
		m.rel * (1.0 + CASE WHEN e.doc IS NULL THEN 0.0 ELSE ? END) *
		  pow(0.5, max(0.0, (julianday(?) - julianday(COALESCE(st.published_at, st.updated_at))) * 86400.0) / ?) AS score
	FROM (SELECT rowid AS doc, -bm25(story_fts, 4.0, 3.0, 2.0, 1.0) AS rel FROM story_fts WHERE story_fts MATCH ?) m
	JOIN story_search_keys k ON k.doc = m.doc
	JOIN stories st INDEXED BY stories_search_cover_idx ON st.id = k.story_id
	LEFT JOIN exact e ON e.doc = m.doc
	WHERE ` + where
	// The exact-form matches are materialised once (as a subquery in the
	// join or in IN (...) SQLite re-runs the FTS query far too often).
	args := []any{fts5Match(q, true, false), search.ExactBoost, toDB(refTime(f)), halfLifeSeconds(f), fts5Match(q, false, true)}
	args = append(args, wargs...)
	sql, args := keysetSQL(inner, args, f, "substr(st.body_text, 1, 20000)")
	sql = "WITH exact AS MATERIALIZED (SELECT rowid AS doc FROM story_fts_exact WHERE story_fts_exact MATCH ?) " + sql
	return runSearch(ctx, s.db, sql, args)
}

// DocFreq counts published stories per phrase with one FTS query each.
func (s *sqliteSearcher) DocFreq(ctx context.Context, phrases [][]search.Word) ([]int, int, error) {
	conn := s.db.conn(ctx)
	var total int64
	if err := conn.Raw("SELECT count(*) FROM stories WHERE state = ?", string(workflow.Published)).Scan(&total).Error; err != nil {
		return nil, 0, wrap(err, "search: count stories")
	}
	out := make([]int, len(phrases))
	for i, ph := range phrases {
		if len(ph) == 0 {
			continue
		}
		var n int64
		err := conn.Raw(`SELECT count(*) FROM story_fts f JOIN story_search_keys k ON k.doc = f.rowid
			JOIN stories st ON st.id = k.story_id WHERE story_fts MATCH ? AND st.state = ?`,
			fts5Match(search.Query{Phrases: [][]search.Word{ph}}, false, false), string(workflow.Published)).Scan(&n).Error
		if err != nil {
			return nil, 0, wrap(err, "search: document frequency")
		}
		out[i] = int(n)
	}
	return out, int(total), nil
}
