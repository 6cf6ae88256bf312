package store

import (
	"time"

	"gorm.io/gorm"
)

// pageOrder is the direction of a keyset page.
type pageOrder int

const (
	newestFirst pageOrder = iota // col DESC, id DESC
	oldestFirst                  // col ASC, id ASC
)

// keysetScope is keyset (cursor) paging on (col, id): the rows strictly past
// the cursor row when after is set, in order of col then id (id breaks ties
// between rows with the same time, so no row is skipped or repeated across
// pages), at most limit of them (0: no limit). key reads the cursor's time
// and id. The condition is spelled out with OR rather than as a row value
// ((col, id) < (?, ?)) so that it reads the same on SQLite and PostgreSQL and
// both can walk their (col, id) index. col is a column name from the code,
// never from a request.
func keysetScope[C any](col string, order pageOrder, after *C, key func(C) (time.Time, string), limit int) func(*gorm.DB) *gorm.DB {
	cmp, dir := "<", " DESC"
	if order == oldestFirst {
		cmp, dir = ">", ""
	}
	return func(q *gorm.DB) *gorm.DB {
		if after != nil {
			at, id := key(*after)
			t := toDB(at)
			q = q.Where("("+col+" "+cmp+" ? OR ("+col+" = ? AND id "+cmp+" ?))", t, t, id)
		}
		if limit > 0 {
			q = q.Limit(limit)
		}
		return q.Order(col + dir + ", id" + dir)
	}
}
