package store

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// NewSearcher returns the full-text backend for the database's dialect:
// PostgreSQL tsvector search or SQLite FTS5.
func NewSearcher(db *DB) search.Searcher {
	if db.Dialect == DialectPostgres {
		return &pgSearcher{db: db}
	}
	return &sqliteSearcher{db: db}
}

// searchRow is what both backends select.
type searchRow struct {
	ID          string
	Headline    string
	Slug        string
	SectionSlug string
	Sapo        string
	BodyText    string
	Tags        jsonCol[[]string]
	State       string
	SectionID   string
	PublishedAt nullTime
	UpdatedAt   dbTime
	Score       float64
}

func (r searchRow) toDoc() search.Doc {
	return search.Doc{ID: r.ID, Headline: r.Headline, Slug: r.Slug, SectionSlug: r.SectionSlug, Sapo: r.Sapo, BodyText: r.BodyText, Tags: list(r.Tags.V),
		State: workflow.State(r.State), SectionID: r.SectionID, PublishedAt: r.PublishedAt.Ptr(),
		UpdatedAt: r.UpdatedAt.T, Score: r.Score}
}

// searchFilterSQL is the WHERE condition of f on the stories table aliased st,
// with visibility always applied. tagCond and chanCond write the dialect's
// JSON-array membership test.
func searchFilterSQL(f search.Filter, jsonHas func(col string) string) (string, []any) {
	vis, args := visibilitySQL(f.Visibility)
	conds := []string{vis}
	if len(f.States) > 0 {
		conds = append(conds, "state IN ?")
		args = append(args, stateStrings(f.States))
	}
	if f.SectionID != "" {
		conds = append(conds, "section_id = ?")
		args = append(args, f.SectionID)
	}
	if f.AuthorID != "" {
		conds = append(conds, "author_id = ?")
		args = append(args, f.AuthorID)
	}
	if f.Tag != "" {
		conds = append(conds, jsonHas("tags"))
		args = append(args, f.Tag)
	}
	if f.Channel != "" {
		conds = append(conds, jsonHas("channels"))
		args = append(args, string(f.Channel))
	}
	if !f.From.IsZero() {
		conds = append(conds, "COALESCE(published_at, updated_at) >= ?")
		args = append(args, toDB(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "COALESCE(published_at, updated_at) < ?")
		args = append(args, toDB(f.To))
	}
	if len(f.ExcludeIDs) > 0 {
		conds = append(conds, "st.id NOT IN ?")
		args = append(args, f.ExcludeIDs)
	}
	return strings.Join(conds, " AND "), args
}

func halfLifeSeconds(f search.Filter) float64 {
	if f.HalfLife <= 0 {
		return search.DefaultHalfLife.Seconds()
	}
	return f.HalfLife.Seconds()
}

func refTime(f search.Filter) time.Time {
	if f.Now.IsZero() {
		return time.Now().UTC()
	}
	return f.Now
}

// Ranking in two phases. Scoring every match of a common word is what made
// search slow on a large archive (a word in most stories meant scoring most
// of the archive), so the backends walk back in time instead: each window of
// the walk returns the matches whose updated_at falls in it, scored; the walk
// stops as soon as no older story can beat the page already found, or when
// maxSearchCandidates matches have been scored.
//
// The bound is exact because both backends score
//
//	rel × (1 + ExactBoost if the exact forms match) × 0.5^(age/half-life)
//
// with 0 ≤ rel ≤ 1 (PostgreSQL: r/(1+r) of ts_rank; SQLite: BM25 divided by
// its largest possible value for the query), so a story whose date is before t scores at most
// (1+ExactBoost) × 0.5^((now−t)/half-life). A story's date is its publication
// time, else its last change, and a story is never published after its last
// change, so a story not yet seen (updated_at < the window's start) is at
// least that old. The walk follows updated_at: SQLite reads a window from
// stories_list_idx; PostgreSQL either walks stories_list_idx too or reads
// the GIN index with its copy story_search.changed_at (migrations 00008,
// 00013), whichever the first window shows is cheaper (pgSearcher).

// maxSearchCandidates caps the matches scored by one search: beyond it the
// hits are the best of the newest matches (at 200,000 stories a word found in
// nine stories out of ten reaches it after about 40 days of news, where
// recency already divides a score by two and a half).
const maxSearchCandidates = 2000

// searchWindows are the ages at which the walk's windows start, newest
// first; after the last one the walk reads the rest of the archive.
var searchWindows = []time.Duration{
	7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour, 365 * 24 * time.Hour, 3 * 365 * 24 * time.Hour,
}

// scoredID is one match of a window with its score.
type scoredID struct {
	ID    string
	Score float64
}

// windowFunc returns up to limit matches of the query within f whose
// updated_at is in [lo, hi) (a zero lo or hi is unbounded), newest first,
// scored.
type windowFunc func(ctx context.Context, lo, hi time.Time, limit int) ([]scoredID, error)

// walkSearch runs the windows from now backwards and returns the page: up to
// f.Limit ids with their scores, best first, strictly after f.After.
func walkSearch(ctx context.Context, f search.Filter, window windowFunc) ([]scoredID, error) {
	now := refTime(f)
	hl := halfLifeSeconds(f)
	var all []scoredID
	seen := 0
	var hi time.Time
	for i := 0; ; i++ {
		var lo time.Time
		last := i >= len(searchWindows)
		if !last {
			lo = now.Add(-searchWindows[i])
		}
		// Nothing changed before From can be dated after it.
		if !f.From.IsZero() && (lo.IsZero() || !lo.After(f.From)) {
			lo, last = f.From, true
		}
		limit := maxSearchCandidates - seen
		got, err := window(ctx, lo, hi, limit)
		if err != nil {
			return nil, err
		}
		seen += len(got)
		for _, c := range got {
			if afterCursor(c, f.After) {
				all = append(all, c)
			}
		}
		if last || len(got) >= limit {
			break
		}
		sortScored(all)
		bound := (1 + search.ExactBoost) * math.Pow(0.5, math.Max(0, now.Sub(lo).Seconds())/hl)
		if f.Limit > 0 && len(all) >= f.Limit && all[f.Limit-1].Score >= bound {
			break
		}
		hi = lo
	}
	sortScored(all)
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	return all, nil
}

func afterCursor(c scoredID, after *search.Cursor) bool {
	if after == nil {
		return true
	}
	return c.Score < after.Score || (c.Score == after.Score && c.ID < after.ID)
}

func sortScored(s []scoredID) {
	slices.SortFunc(s, func(a, b scoredID) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// windowBounds appends the updated_at range of a window to a WHERE clause.
func windowBounds(where string, args []any, lo, hi time.Time) (string, []any) {
	if !lo.IsZero() {
		where += " AND st.updated_at >= ?"
		args = append(args, toDB(lo))
	}
	if !hi.IsZero() {
		where += " AND st.updated_at < ?"
		args = append(args, toDB(hi))
	}
	return where, args
}

// loadPage reads the stories of a page in its order, with their scores.
// bodyExpr reads the (cut) body text of stories st.
func loadPage(ctx context.Context, db *DB, page []scoredID, bodyExpr string) ([]search.Doc, error) {
	if len(page) == 0 {
		return nil, nil
	}
	ids := keysOf(page, func(p scoredID) string { return p.ID })
	var rows []searchRow
	err := db.conn(ctx).Raw(`SELECT st.id, st.headline, st.slug, (SELECT sec.slug FROM sections sec WHERE sec.id = st.section_id) AS section_slug,
		st.sapo, `+bodyExpr+` AS body_text, st.tags, st.state, st.section_id, st.published_at, st.updated_at FROM stories st WHERE st.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "search: read page")
	}
	byID := make(map[string]searchRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]search.Doc, 0, len(page))
	for _, p := range page {
		r, ok := byID[p.ID]
		if !ok {
			continue // deleted between the two queries
		}
		d := r.toDoc()
		d.Score = p.Score
		out = append(out, d)
	}
	return out, nil
}

// scanScored runs a window query (columns id, score).
func scanScored(ctx context.Context, db *DB, q string, args []any) ([]scoredID, error) {
	var rows []scoredID
	if err := db.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "search")
	}
	for i := range rows {
		if math.IsNaN(rows[i].Score) {
			rows[i].Score = 0
		}
	}
	return rows, nil
}

// matchSyntax is how one full-text engine writes a query: PostgreSQL's
// to_tsquery and SQLite's FTS5 MATCH differ only in these pieces.
type matchSyntax struct {
	word         func(string) string   // one quoted word
	phrase       func([]string) string // adjacent words, in order
	prefix       string                // appended to the last word of a prefix query
	and, or, not string                // joiners; not is put before each excluded word
}

// matchExpr builds q's match expression in the folded or exact form; withNot
// adds the exclusions.
func matchExpr(q search.Query, exact, withNot bool, syn matchSyntax) string {
	form := func(w search.Word) string {
		if exact {
			return w.Exact
		}
		return w.Folded
	}
	var parts []string
	for i, w := range q.Terms {
		p := syn.word(form(w))
		if q.Prefix && i == len(q.Terms)-1 {
			p += syn.prefix
		}
		parts = append(parts, p)
	}
	for _, ph := range q.Phrases {
		ws := make([]string, len(ph))
		for i, w := range ph {
			ws[i] = form(w)
		}
		parts = append(parts, syn.phrase(ws))
	}
	sep := syn.and
	if q.Any {
		sep = syn.or
	}
	expr := "(" + strings.Join(parts, sep) + ")"
	if withNot {
		for _, w := range q.Exclude {
			expr += syn.not + syn.word(form(w))
		}
	}
	return expr
}

// docFreq counts the published stories, and per phrase those that match it
// with one query each: countSQL is the backend's count, taking the match
// expression (match of the phrase) and the published state.
func docFreq(ctx context.Context, db *DB, phrases [][]search.Word, countSQL string, match func(search.Query) string) ([]int, int, error) {
	conn := db.conn(ctx)
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
		err := conn.Raw(countSQL, match(search.Query{Phrases: [][]search.Word{ph}}), string(workflow.Published)).Scan(&n).Error
		if err != nil {
			return nil, 0, wrap(err, "search: document frequency")
		}
		out[i] = int(n)
	}
	return out, int(total), nil
}
