package store

import "github.com/newsroom-vn/newsroom/internal/search"

// SearchPlans are the PostgreSQL search plans the tests force one by one
// ("" chooses per query, as in production).
var SearchPlans = []string{"", planWalk, planIndex}

// NewSearcherWithPlan is NewSearcher with the PostgreSQL plan fixed (tests:
// a test archive is too small for the probe to pick each plan).
func NewSearcherWithPlan(db *DB, plan string) search.Searcher {
	if db.Dialect == DialectPostgres {
		return &pgSearcher{db: db, plan: plan}
	}
	return NewSearcher(db)
}
