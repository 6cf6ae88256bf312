package store

import (
	"context"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// pgSearcher is search.Searcher on PostgreSQL full-text search (migration
// 00002): story_search.folded (GIN) to match, story_search.exact to boost.
type pgSearcher struct{ db *DB }

// tsWord quotes one word as a tsquery lexeme. Words hold letters and digits
// only; escaping quotes and backslashes keeps it right whatever they hold.
func tsWord(w string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'"
}

// tsQuery builds the to_tsquery text of q in the folded or exact form;
// withNot adds the exclusions.
func tsQuery(q search.Query, exact, withNot bool) string {
	form := func(w search.Word) string {
		if exact {
			return w.Exact
		}
		return w.Folded
	}
	var parts []string
	for i, w := range q.Terms {
		p := tsWord(form(w))
		if q.Prefix && i == len(q.Terms)-1 {
			p += ":*"
		}
		parts = append(parts, p)
	}
	for _, ph := range q.Phrases {
		ws := make([]string, len(ph))
		for i, w := range ph {
			ws[i] = tsWord(form(w))
		}
		parts = append(parts, "("+strings.Join(ws, " <-> ")+")")
	}
	sep := " & "
	if q.Any {
		sep = " | "
	}
	expr := "(" + strings.Join(parts, sep) + ")"
	if withNot {
		for _, w := range q.Exclude {
			expr += " & !" + tsWord(form(w))
		}
	}
	return expr
}

func pgJSONHas(col string) string { return "st." + col + " @> jsonb_build_array(?::text)" }

// Search matches the folded vector of the whole story (GIN over the vector and the time of the last change) and ranks by
// ts_rank over the headline (A), tags (B) and sapo (C) only, plus a small
// constant for a match in the body alone (ranking whole articles costs too
// much at scale), as rel/(1+rel) × (1 + exact boost) × 0.5^(age / half-life),
// walking back in time (walkSearch) so that only recent matches are scored.
func (s *pgSearcher) Search(ctx context.Context, q search.Query, f search.Filter) ([]search.Doc, error) {
	if q.IsEmpty() {
		return nil, nil
	}
	fq, eq := tsQuery(q, false, true), tsQuery(q, true, false)
	where, wargs := searchFilterSQL(f, pgJSONHas)
	window := func(ctx context.Context, lo, hi time.Time, limit int) ([]scoredID, error) {
		w, args := where, append([]any(nil), wargs...)
		// story_search.changed_at is stories.updated_at (migration 00008):
		// on it, the window is part of the same GIN scan as the match.
		if !lo.IsZero() {
			w += " AND ss.changed_at >= ?"
			args = append(args, toDB(lo))
		}
		if !hi.IsZero() {
			w += " AND ss.changed_at < ?"
			args = append(args, toDB(hi))
		}
		sql := `SELECT st.id AS id,
			((ts_rank(ss.head, to_tsquery('simple', ?))::float8 + 0.01) / (1.01 + ts_rank(ss.head, to_tsquery('simple', ?))::float8)) *
			(1.0 + CASE WHEN ss.exact @@ to_tsquery('simple', ?) THEN ?::float8 ELSE 0.0 END) *
			power(0.5::float8, greatest(0.0, extract(epoch FROM (?::timestamptz - COALESCE(st.published_at, st.updated_at)))::float8) / ?::float8) AS score
		FROM story_search ss JOIN stories st ON st.id = ss.story_id
		WHERE ss.folded @@ to_tsquery('simple', ?) AND ` + w + `
		ORDER BY ss.changed_at DESC, st.id DESC LIMIT ?`
		all := append([]any{fq, fq, eq, search.ExactBoost, toDB(refTime(f)), halfLifeSeconds(f), fq}, args...)
		all = append(all, limit)
		return scanScored(ctx, s.db, sql, all)
	}
	page, err := walkSearch(ctx, f, window)
	if err != nil {
		return nil, err
	}
	return loadPage(ctx, s.db, page, "left(st.body_text, 20000)")
}

// DocFreq counts published stories per phrase with one index query each.
func (s *pgSearcher) DocFreq(ctx context.Context, phrases [][]search.Word) ([]int, int, error) {
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
		err := conn.Raw(`SELECT count(*) FROM story_search ss JOIN stories st ON st.id = ss.story_id
			WHERE ss.folded @@ to_tsquery('simple', ?) AND st.state = ?`,
			tsQuery(search.Query{Phrases: [][]search.Word{ph}}, false, false), string(workflow.Published)).Scan(&n).Error
		if err != nil {
			return nil, 0, wrap(err, "search: document frequency")
		}
		out[i] = int(n)
	}
	return out, int(total), nil
}
