package store

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/richtext"
)

// reindexBatch is how many stories ReindexSearch reads at a time.
const reindexBatch = 500

// ReindexSearch fills stories.body_text (richtext.PlainText of the body) for
// stories whose body_text is empty while their body is not, such as rows
// written before the search migration or by a bulk import; the search
// triggers then refresh their index entries. It returns how many stories it
// filled. Running it again changes nothing (idempotent).
func (db *DB) ReindexSearch(ctx context.Context) (int, error) {
	type row struct {
		ID   string
		Body string
	}
	filled, after := 0, ""
	for {
		var rows []row
		err := db.conn(ctx).Raw(`SELECT id, body FROM stories WHERE body_text = '' AND body <> '' AND id > ? ORDER BY id LIMIT ?`,
			after, reindexBatch).Scan(&rows).Error
		if err != nil {
			return filled, wrap(err, "search reindex: read stories")
		}
		for _, r := range rows {
			after = r.ID
			text := richtext.PlainText(r.Body)
			if text == "" {
				continue // nothing to index (keyset on id keeps the loop finite)
			}
			res := db.conn(ctx).Exec(`UPDATE stories SET body_text = ? WHERE id = ? AND body_text = ''`, text, r.ID)
			if res.Error != nil {
				return filled, wrap(res.Error, "search reindex: update story")
			}
			filled += int(res.RowsAffected)
		}
		if len(rows) < reindexBatch {
			return filled, nil
		}
	}
}
