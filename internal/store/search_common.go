package store

import (
	"context"
	"math"
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
	return search.Doc{ID: r.ID, Headline: r.Headline, Sapo: r.Sapo, BodyText: r.BodyText, Tags: list(r.Tags.V),
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

// keysetSQL wraps a ranking query (columns id and score) with the keyset
// condition, the order and the limit, and only then reads the columns of the
// page's stories, so that sorting never carries story text. bodyExpr reads
// the body text (cut) from stories st.
func keysetSQL(inner string, args []any, f search.Filter, bodyExpr string) (string, []any) {
	q := "SELECT id, score FROM (" + inner + ") ranked"
	if f.After != nil {
		q += " WHERE (score < ? OR (score = ? AND id < ?))"
		args = append(args, f.After.Score, f.After.Score, f.After.ID)
	}
	q += " ORDER BY score DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return `SELECT st.id, st.headline, st.sapo, ` + bodyExpr + ` AS body_text, st.tags, st.state, st.section_id,
		st.published_at, st.updated_at, page.score
	FROM (` + q + `) page JOIN stories st ON st.id = page.id
	ORDER BY page.score DESC, page.id DESC`, args
}

func runSearch(ctx context.Context, db *DB, q string, args []any) ([]search.Doc, error) {
	var rows []searchRow
	if err := db.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "search")
	}
	out := make([]search.Doc, len(rows))
	for i, r := range rows {
		out[i] = r.toDoc()
		if math.IsNaN(out[i].Score) {
			out[i].Score = 0
		}
	}
	return out, nil
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
