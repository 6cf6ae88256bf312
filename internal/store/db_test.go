package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestOpenFailsWithAClearMessage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-folder")
	must(t, os.WriteFile(file, nil, 0o600))
	_, err := store.Open(ctx, filepath.Join(file, "newsroom.db"))
	if err == nil || !strings.Contains(err.Error(), "cannot create the database folder") {
		t.Fatalf("unusable folder: %v", err)
	}
	_, err = store.Open(ctx, "postgres://postgres@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL at 127.0.0.1:1") {
		t.Fatalf("unreachable postgres: %v", err)
	}

	// sqlite:// prefix, nested folder created.
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "a", "b", "newsroom.db"))
	must(t, err)
	defer db.Close()
	if db.Dialect != store.DialectSQLite {
		t.Fatalf("dialect %q", db.Dialect)
	}
	must(t, db.Ping(ctx))
	var fk, mode string
	must(t, db.SQL.QueryRow("PRAGMA foreign_keys").Scan(&fk))
	must(t, db.SQL.QueryRow("PRAGMA journal_mode").Scan(&mode))
	if fk != "1" || mode != "wal" {
		t.Fatalf("pragmas: foreign_keys=%s journal_mode=%s", fk, mode)
	}
}

// TestSQLiteTimesAreFixedWidth checks the text on disk, which the ordering
// of every time column on SQLite depends on.
func TestSQLiteTimesAreFixedWidth(t *testing.T) {
	db := testutil.OpenDB(t, store.DialectSQLite)
	repo := store.NewUserRepository(db)
	for i, ns := range []int{0, 100000000, 123456789, 999} {
		at := base.Truncate(time.Second).Add(time.Duration(ns))
		u := &user.User{ID: uuid.NewString(), Username: "u" + string(rune('a'+i)), Role: user.RoleReporter, CreatedAt: at, UpdatedAt: at}
		must(t, repo.CreateUser(context.Background(), u))
	}
	rows, err := db.SQL.Query("SELECT created_at FROM users")
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		if len(s) != len("2006-01-02 15:04:05.000000+00:00") || !strings.HasSuffix(s, "+00:00") {
			t.Fatalf("stored time %q is not fixed-width UTC", s)
		}
	}
	must(t, rows.Err())
}

// TestClockOffset: SQLite shares the process's clock (0); PostgreSQL's is
// read over the wire, and on this host it agrees with ours to well under the
// warning threshold, whatever the round trip.
func TestClockOffset(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		off, err := db.ClockOffset(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect == store.DialectSQLite && off != 0 {
			t.Fatalf("sqlite offset %s, want 0", off)
		}
		if off < -time.Second || off > time.Second {
			t.Fatalf("offset %s on one host", off)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := db.ClockOffset(ctx); db.Dialect == store.DialectPostgres && err == nil {
			t.Fatal("a cancelled read of the database clock succeeded")
		}
	})
}
