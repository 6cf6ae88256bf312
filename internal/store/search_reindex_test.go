package store_test

import (
	"context"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestReindexSearch: a story whose body_text is empty (an old or imported
// row) is not found by its body words until ReindexSearch fills it; a second
// run changes nothing.
func TestReindexSearch(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSearchFixture(t, db, "")
		s := f.add(t, doc{headline: "Tin tức", body: "<p>Cầu Long Biên qwzcaulb được sửa</p>"})
		f.add(t, doc{headline: "Rỗng", body: ""})
		blank := `UPDATE stories SET body_text = '' WHERE id = ?`
		if db.Dialect == store.DialectPostgres {
			blank = `UPDATE stories SET body_text = '' WHERE id = $1`
		}
		if _, err := db.SQL.ExecContext(ctx, blank, s.ID); err != nil {
			t.Fatal(err)
		}
		if hs := f.public(t, "qwzcaulb"); len(hs) != 0 {
			t.Fatalf("found before reindex: %v", hitIDs(hs))
		}
		n, err := db.ReindexSearch(ctx)
		if err != nil || n != 1 {
			t.Fatalf("reindex = %d, %v; want 1", n, err)
		}
		if hs := f.public(t, "qwzcaulb"); len(hs) != 1 || hs[0].ID != s.ID {
			t.Fatalf("after reindex: %v", hitIDs(hs))
		}
		if n, err := db.ReindexSearch(ctx); err != nil || n != 0 {
			t.Fatalf("second reindex = %d, %v; want 0", n, err)
		}
	})
}
