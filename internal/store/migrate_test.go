package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func tables(t *testing.T, db *store.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.Dialect == store.DialectPostgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
	}
	rows, err := db.SQL.Query(q)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		out = append(out, n)
	}
	must(t, rows.Err())
	return out
}

func TestMigrations(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := testutil.OpenEmptyDB(t, d)
			n, err := db.PendingMigrations(ctx)
			must(t, err)
			if n == 0 {
				t.Fatal("fresh database reports no pending migrations")
			}
			for round := 0; round < 2; round++ {
				must(t, db.MigrateUp(ctx))
				n, err := db.PendingMigrations(ctx)
				must(t, err)
				if n != 0 {
					t.Fatalf("after up: %d pending", n)
				}
				st, err := db.MigrationStatus(ctx)
				must(t, err)
				if len(st) == 0 || st[0].Version != 1 || st[0].Name != "00001_core" || !st[0].Applied || st[0].AppliedAt.IsZero() {
					t.Fatalf("status after up: %+v", st)
				}
				got := tables(t, db)
				for _, want := range []string{"sections", "users", "user_sections", "sessions", "api_tokens", "stories",
					"story_slugs", "story_revisions", "comments", "approvals", "story_locks", "audit_events", "goose_db_version"} {
					if !slices.Contains(got, want) {
						t.Fatalf("after up: table %s missing from %v", want, got)
					}
				}
				must(t, db.MigrateReset(ctx))
				if got := tables(t, db); !slices.Equal(got, []string{"goose_db_version"}) {
					t.Fatalf("after down to 0: tables %v, want only goose_db_version", got)
				}
				st, err = db.MigrationStatus(ctx)
				must(t, err)
				if st[0].Applied {
					t.Fatalf("status after down: %+v", st)
				}
			}
			// One step down from the top, then up again.
			must(t, db.MigrateUp(ctx))
			must(t, db.MigrateDown(ctx))
			if n, _ := db.PendingMigrations(ctx); n != 1 {
				t.Fatalf("after one step down: %d pending, want 1", n)
			}
			// Step down through every migration, then once more: below 0 is an error.
			all, err := db.MigrationStatus(ctx)
			must(t, err)
			for i := 1; i < len(all); i++ {
				must(t, db.MigrateDown(ctx))
			}
			if n, _ := db.PendingMigrations(ctx); n != len(all) {
				t.Fatalf("after stepping down: %d pending, want %d", n, len(all))
			}
			if err := db.MigrateDown(ctx); err == nil {
				t.Fatal("down below 0 succeeded")
			}
			must(t, db.MigrateUp(ctx))
		})
	}
}
