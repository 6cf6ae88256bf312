package store

import (
	"context"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/search"
)

// pgSearcher is search.Searcher on PostgreSQL full-text search (migration
// 00002): story_search.folded to match, story_search.exact to boost.
type pgSearcher struct {
	db *DB
	// plan fixes how windows are read (tests); "" chooses per query.
	plan string
}

// The two ways a window of the walk back in time is read (migration 00013).
// A word in most stories costs the index a whole posting list per window
// (176,000 entries for "lúa" at 200,000 stories) to keep a few hundred, so
// such a query walks the stories newest first instead (stories_list_idx or
// stories_section_idx), testing each one's vector, and stops as soon as it
// has enough: most of the rows it reads match. A rare word is the opposite:
// walking would read thousands of stories per match, the index reads a short
// posting list.
const (
	planWalk  = "walk"  // stories newest first, vector tested row by row
	planIndex = "index" // GIN over the vector, btree over changed_at
)

// The walk probes: the first window is always walked, and the share of its
// stories that match decides the plan of the others. Walking costs about
// 1/share stories per match; below walkMinShare the index is cheaper.
const (
	walkMinShare    = 0.1
	probeMinStories = 100 // fewer stories in the windows so far say too little: walk on
)

// tsWord quotes one word as a tsquery lexeme. Words hold letters and digits
// only; escaping quotes and backslashes keeps it right whatever they hold.
func tsWord(w string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(w) + "'"
}

// tsQuery builds the to_tsquery text of q in the folded or exact form;
// withNot adds the exclusions.
func tsQuery(q search.Query, exact, withNot bool) string {
	return matchExpr(q, exact, withNot, matchSyntax{word: tsWord, prefix: ":*", and: " & ", or: " | ", not: " & !",
		phrase: func(ws []string) string {
			for i := range ws {
				ws[i] = tsWord(ws[i])
			}
			return "(" + strings.Join(ws, " <-> ") + ")"
		}})
}

// pairsQuery is the tsquery text that story_search.pairs must match for q
// to match: the pairs of adjacent words of each quoted phrase of two words or
// more (migration 00014), made by newsroom_pairs_query with the same parser
// as the stored vector. "" when there is no pair to require: no such phrase,
// or any one part may match (Any).
func (s *pgSearcher) pairsQuery(ctx context.Context, q search.Query) (string, error) {
	if q.Any {
		return "", nil
	}
	var parts []string
	var args []any
	for _, ph := range q.Phrases {
		if len(ph) < 2 {
			continue
		}
		ws := make([]string, len(ph))
		for i, w := range ph {
			ws[i] = w.Folded
		}
		parts = append(parts, "newsroom_pairs_query(?)")
		args = append(args, strings.Join(ws, " "))
	}
	if len(parts) == 0 {
		return "", nil
	}
	var out string
	err := s.db.conn(ctx).Raw(`SELECT coalesce(string_agg('(' || pq::text || ')', ' & '), '') FROM unnest(ARRAY[`+
		strings.Join(parts, ", ")+`]) pq WHERE pq IS NOT NULL`, args...).Scan(&out).Error
	if err != nil {
		return "", wrap(err, "search: phrase pairs")
	}
	return out, nil
}

func pgJSONHas(col string) string { return "st." + col + " @> jsonb_build_array(?::text)" }

// Search ranks by ts_rank over the headline (A), tags (B) and sapo (C)
// only, plus a small constant for a match in the body alone (ranking whole
// articles costs too much at scale), as rel/(1+rel) × (1 + exact boost) ×
// 0.5^(age / half-life), walking back in time (walkSearch) so that only
// recent matches are scored; each window is read by the plan the first one
// chose (planWalk, planIndex).
func (s *pgSearcher) Search(ctx context.Context, q search.Query, f search.Filter) ([]search.Doc, error) {
	if q.IsEmpty() {
		return nil, nil
	}
	fq, eq := tsQuery(q, false, true), tsQuery(q, true, false)
	where, wargs := searchFilterSQL(f, pgJSONHas)
	score := `((ts_rank(ss.head, to_tsquery('simple', ?))::float8 + 0.01) / (1.01 + ts_rank(ss.head, to_tsquery('simple', ?))::float8)) *
			(1.0 + CASE WHEN ss.exact @@ to_tsquery('simple', ?) THEN ?::float8 ELSE 0.0 END) *
			power(0.5::float8, greatest(0.0, extract(epoch FROM (?::timestamptz - COALESCE(st.published_at, st.updated_at)))::float8) / ?::float8)`
	scoreArgs := []any{fq, fq, eq, search.ExactBoost, toDB(refTime(f)), halfLifeSeconds(f)}
	plan, probed, matched, restRead := s.plan, 0, 0, false
	window := func(ctx context.Context, lo, hi time.Time, limit int) ([]scoredID, error) {
		if plan == planIndex {
			// One index read for the rest of the walk: per window it would
			// read the same posting lists and rows again, only to drop those
			// outside the window. The later windows are then empty, which
			// keeps walkSearch right: it has seen every older match.
			if restRead {
				return nil, nil
			}
			restRead = true
			// story_search.changed_at is stories.updated_at (migration 00008).
			w, args := where, append([]any(nil), wargs...)
			if !hi.IsZero() {
				w += " AND ss.changed_at < ?"
				args = append(args, toDB(hi))
			}
			match, margs := `ss.folded @@ to_tsquery('simple', ?)`, []any{fq}
			pairs, err := s.pairsQuery(ctx, q)
			if err != nil {
				return nil, err
			}
			if pairs != "" {
				// The phrases' pairs are the index condition (migration
				// 00014); the whole query is checked on each story they find.
				match = `ss.pairs @@ ?::tsquery AND ts_match_vq(ss.folded, to_tsquery('simple', ?))`
				margs = []any{pairs, fq}
			}
			sql := `SELECT st.id AS id, ` + score + ` AS score
			FROM story_search ss JOIN stories st ON st.id = ss.story_id
			WHERE ` + match + ` AND ` + w + `
			ORDER BY ss.changed_at DESC, st.id DESC LIMIT ?`
			all := append(append(append([]any(nil), scoreArgs...), margs...), args...)
			return scanScored(ctx, s.db, sql, append(all, limit))
		}
		// ts_match_vq is @@ itself; called as a function it is no index
		// condition, so the planner cannot turn the walk back into a GIN scan.
		w, args := windowBounds(where, append([]any(nil), wargs...), lo, hi)
		sql := `SELECT st.id AS id, ` + score + ` AS score
		FROM stories st JOIN story_search ss ON ss.story_id = st.id
		WHERE ts_match_vq(ss.folded, to_tsquery('simple', ?)) AND ` + w + `
		ORDER BY st.updated_at DESC, st.id DESC LIMIT ?`
		all := append(append(append([]any(nil), scoreArgs...), fq), args...)
		got, err := scanScored(ctx, s.db, sql, append(all, limit))
		if err != nil || plan != "" || len(got) >= limit {
			return got, err
		}
		var n int64
		if err := s.db.conn(ctx).Raw(`SELECT count(*) FROM stories st WHERE `+w, args...).Scan(&n).Error; err != nil {
			return nil, wrap(err, "search: count window")
		}
		probed, matched = probed+int(n), matched+len(got)
		if probed >= probeMinStories {
			plan = planIndex
			if float64(matched) >= walkMinShare*float64(probed) {
				plan = planWalk
			}
		}
		return got, nil
	}
	page, err := walkSearch(ctx, f, window)
	if err != nil {
		return nil, err
	}
	return loadPage(ctx, s.db, page, "left(st.body_text, 20000)")
}

// DocFreq counts published stories per phrase with one index query each.
func (s *pgSearcher) DocFreq(ctx context.Context, phrases [][]search.Word) ([]int, int, error) {
	return docFreq(ctx, s.db, phrases, `SELECT count(*) FROM story_search ss JOIN stories st ON st.id = ss.story_id
			WHERE ss.folded @@ to_tsquery('simple', ?) AND st.state = ?`,
		func(q search.Query) string { return tsQuery(q, false, false) })
}
