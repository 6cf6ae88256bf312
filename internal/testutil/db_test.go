package testutil

import (
	"context"
	"slices"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/store"
)

func TestDialects(t *testing.T) {
	for env, want := range map[string][]string{
		"":         {"sqlite", "postgres"},
		"all":      {"sqlite", "postgres"},
		"sqlite":   {"sqlite"},
		"Postgres": {"postgres"},
	} {
		t.Setenv("NEWSROOM_TEST_DB", env)
		if got := Dialects(); !slices.Equal(got, want) {
			t.Errorf("NEWSROOM_TEST_DB=%q: %v, want %v", env, got, want)
		}
	}
}

func TestForEachDialectGivesMigratedDatabases(t *testing.T) {
	ForEachDialect(t, func(t *testing.T, db *store.DB) {
		n, err := db.PendingMigrations(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("pending %d, %v", n, err)
		}
		if db.Dialect != t.Name()[len(t.Name())-len(db.Dialect):] {
			t.Fatalf("subtest %s got a %s database", t.Name(), db.Dialect)
		}
	})
}
