package store

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/search"
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
	return matchExpr(q, exact, withNot, matchSyntax{word: fts5Word, prefix: "*", and: " AND ", or: " OR ", not: " NOT ",
		phrase: func(ws []string) string { return fts5Word(strings.Join(ws, " ")) }})
}

func sqliteJSONHas(col string) string {
	return "EXISTS (SELECT 1 FROM json_each(st." + col + ") WHERE value = ?)"
}

// Search ranks by BM25 (headline 4, tags 3, sapo 2, body 1) as
// rel/(1+rel) × (1 + exact boost) × 0.5^(age / half-life), walking back in
// time (walkSearch): each window takes the stories changed in it from
// stories_list_idx, and FTS5 scores only those of them that match.
func (s *sqliteSearcher) Search(ctx context.Context, q search.Query, f search.Filter) ([]search.Doc, error) {
	if q.IsEmpty() {
		return nil, nil
	}
	fm, em := fts5Match(q, false, true), fts5Match(q, true, false)
	rmax, err := s.maxBM25(ctx, q)
	if err != nil {
		return nil, err
	}
	where, wargs := searchFilterSQL(f, sqliteJSONHas)
	window := func(ctx context.Context, lo, hi time.Time, limit int) ([]scoredID, error) {
		w, args := windowBounds(where, append([]any(nil), wargs...), lo, hi)
		// FTS5 reads the whole doclist of the match (cheap) and scores only
		// the window's stories: "+rowid" keeps SQLite from handing the IN list
		// to FTS5 as rowid lookups, which re-run the match once per story.
		// The exact-form matches are materialised once.
		sql := `WITH e AS MATERIALIZED (SELECT rowid AS doc FROM story_fts_exact WHERE story_fts_exact MATCH ?)
		SELECT st.id AS id,
			min(1.0, max(m.rel, 0.0) / ?) * (1.0 + CASE WHEN m.doc IN (SELECT doc FROM e) THEN ? ELSE 0.0 END) *
			pow(0.5, max(0.0, (julianday(?) - julianday(COALESCE(st.published_at, st.updated_at))) * 86400.0) / ?) AS score
		FROM (SELECT rowid AS doc, -bm25(story_fts, 4.0, 3.0, 2.0, 1.0) AS rel FROM story_fts
			WHERE story_fts MATCH ? AND +rowid IN (SELECT k.doc FROM stories st JOIN story_search_keys k ON k.story_id = st.id WHERE ` + w + `)) m
		JOIN story_search_keys k ON k.doc = m.doc
		JOIN stories st ON st.id = k.story_id
		ORDER BY st.updated_at DESC, st.id DESC LIMIT ?`
		all := []any{em, rmax, search.ExactBoost, toDB(refTime(f)), halfLifeSeconds(f), fm}
		all = append(all, args...)
		all = append(all, limit)
		return scanScored(ctx, s.db, sql, all)
	}
	page, err := walkSearch(ctx, f, window)
	if err != nil {
		return nil, err
	}
	return loadPage(ctx, s.db, page, "substr(st.body_text, 1, 20000)")
}

// maxBM25 is the largest value FTS5's bm25() can give q over the index as
// it is: each phrase adds idf × freq × (k1+1) / (freq + k1 × length factor),
// which stays below idf × (k1+1) however often it occurs, with idf =
// max(1e-6, ln((N − n + 0.5) / (n + 0.5))) for a phrase in n of N rows
// (fts5_aux.c). Dividing by it keeps relevance within [0, 1], which the walk
// back in time needs, and makes common words (idf near zero, since BM25's
// idf is negative above half the rows) no different from rare ones in scale.
func (s *sqliteSearcher) maxBM25(ctx context.Context, q search.Query) (float64, error) {
	var phrases []search.Query
	for i, w := range q.Terms {
		phrases = append(phrases, search.Query{Terms: []search.Word{w}, Prefix: q.Prefix && i == len(q.Terms)-1})
	}
	for _, ph := range q.Phrases {
		phrases = append(phrases, search.Query{Phrases: [][]search.Word{ph}})
	}
	sel := "SELECT (SELECT count(*) FROM story_search_keys)"
	var args []any
	for _, p := range phrases {
		sel += ", (SELECT count(*) FROM story_fts WHERE story_fts MATCH ?)"
		args = append(args, fts5Match(p, false, false))
	}
	rows, err := s.db.conn(ctx).Raw(sel, args...).Rows()
	if err != nil {
		return 0, wrap(err, "search: count matches")
	}
	defer rows.Close()
	counts := make([]float64, len(phrases)+1)
	ptrs := make([]any, len(counts))
	for i := range counts {
		ptrs[i] = &counts[i]
	}
	if rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, wrap(err, "search: count matches")
		}
	}
	if err := rows.Err(); err != nil {
		return 0, wrap(err, "search: count matches")
	}
	const k1 = 1.2
	total, sum := counts[0], 0.0
	for _, n := range counts[1:] {
		sum += max(1e-6, math.Log((total-n+0.5)/(n+0.5))) * (k1 + 1)
	}
	if sum <= 0 {
		return 1, nil
	}
	return sum, nil
}

// DocFreq counts published stories per phrase with one FTS query each.
func (s *sqliteSearcher) DocFreq(ctx context.Context, phrases [][]search.Word) ([]int, int, error) {
	return docFreq(ctx, s.db, phrases, `SELECT count(*) FROM story_fts f JOIN story_search_keys k ON k.doc = f.rowid
			JOIN stories st ON st.id = k.story_id WHERE story_fts MATCH ? AND st.state = ?`,
		func(q search.Query) string { return fts5Match(q, false, false) })
}
