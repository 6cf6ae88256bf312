// Package testutil opens fresh test databases (SQLite and PostgreSQL) for
// tests that run against real databases, one subtest per dialect.
package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/newsroom-vn/newsroom/internal/store"
)

// DefaultPostgresURL is the server tests use unless NEWSROOM_TEST_POSTGRES_URL says otherwise.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialects returns the databases to test against, from NEWSROOM_TEST_DB:
// "sqlite", "postgres" or "all" (the default). An unknown value is returned
// as it is, so OpenDB fails with a message naming it.
func Dialects() []string {
	switch v := strings.TrimSpace(strings.ToLower(os.Getenv("NEWSROOM_TEST_DB"))); v {
	case "", "all":
		return []string{store.DialectSQLite, store.DialectPostgres}
	default:
		return []string{v}
	}
}

// ForEachDialect runs fn as a subtest named after each dialect of Dialects,
// each with its own fresh, migrated database.
func ForEachDialect(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, OpenDB(t, d))
		})
	}
}

// OpenDB returns a fresh database of the dialect with every migration
// applied; it is closed (and on PostgreSQL dropped) when the test ends.
func OpenDB(t testing.TB, dialect string) *store.DB {
	t.Helper()
	db := OpenEmptyDB(t, dialect)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.MigrateUp(ctx); err != nil {
		t.Fatalf("testutil: migrate %s test database: %v", dialect, err)
	}
	if err := db.MigrateRiver(ctx); err != nil {
		t.Fatalf("testutil: migrate the job queue (River) of the %s test database: %v", dialect, err)
	}
	return db
}

// OpenEmptyDB is OpenDB without the migrations, for migration tests.
// SQLite: a file in t.TempDir(). PostgreSQL: a database with a random name,
// created on the server at NEWSROOM_TEST_POSTGRES_URL (default
// DefaultPostgresURL) and dropped WITH (FORCE) at cleanup. When that server
// cannot be reached the test is skipped with instructions, or fails under CI=true.
func OpenEmptyDB(t testing.TB, dialect string) *store.DB {
	t.Helper()
	switch dialect {
	case store.DialectSQLite:
		return openSQLite(t)
	case store.DialectPostgres:
		return openPostgres(t)
	default:
		t.Fatalf("testutil: unknown test database %q (NEWSROOM_TEST_DB must be sqlite, postgres or all)", dialect)
		return nil
	}
}

func openSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "newsroom.db"))
	if err != nil {
		t.Fatalf("testutil: open sqlite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func postgresURL() string {
	if u := os.Getenv("NEWSROOM_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := createPostgresDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("testutil: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = db.Close() }) // runs before the drop (cleanups are LIFO)
	return db
}

// EmptyDatabaseURL returns the database.url of a fresh, empty database of the
// dialect, for tests that run the newsroom binary: a file path in t.TempDir()
// for SQLite, a new database (dropped at cleanup) for PostgreSQL.
func EmptyDatabaseURL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case store.DialectSQLite:
		return filepath.Join(t.TempDir(), "newsroom.db")
	case store.DialectPostgres:
		return createPostgresDatabase(t)
	default:
		t.Fatalf("testutil: unknown test database %q (NEWSROOM_TEST_DB must be sqlite, postgres or all)", dialect)
		return ""
	}
}

// createPostgresDatabase creates a database with a random name and returns its URL.
func createPostgresDatabase(t testing.TB) string {
	t.Helper()
	base := postgresURL()
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		t.Fatalf("testutil: NEWSROOM_TEST_POSTGRES_URL %q: %v", base, err)
	}
	admin := stdlib.OpenDB(*cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		Need(t, fmt.Sprintf("PostgreSQL at %s:%d (start it, e.g. `pg_ctlcluster 15 main start`, set NEWSROOM_TEST_POSTGRES_URL, "+
			"or run only SQLite with NEWSROOM_TEST_DB=sqlite)", cfg.Host, cfg.Port), err)
	}
	name := "newsroom_test_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("testutil: create database %s: %v", name, err)
	}
	t.Cleanup(func() { dropDatabase(t, admin, name) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testutil: NEWSROOM_TEST_POSTGRES_URL %q must be a postgres:// URL: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}

func dropDatabase(t testing.TB, admin *sql.DB, name string) {
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("testutil: drop database %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
