// Package store implements the domain Repository interfaces (user, story,
// audit) with GORM on SQLite (modernc.org/sqlite, pure Go, the embedded
// default) or PostgreSQL (pgx). It opens the database, runs the goose
// migrations embedded in package migrations, and carries transactions in the
// context (txn.Runner). Row structs are private; domain packages never see GORM.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"
)

// The dialects Open understands; DB.Dialect holds one of them.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// SQLiteMaxOpenConns is the connection pool size on SQLite. WAL lets readers
// run beside the single writer, and every transaction begins IMMEDIATE (it
// takes the write lock at BEGIN), so writers queue on busy_timeout instead of
// failing with SQLITE_BUSY when a read lock cannot be upgraded. River's docs
// suggest 1 connection to rule out SQLITE_BUSY entirely; 4 keeps page reads
// concurrent with a write transaction, and the busy timeout covers the queue.
const SQLiteMaxOpenConns = 4

// sqliteParams are the DSN parameters of modernc.org/sqlite (see its
// applyQueryParams): wait up to 10 s for the write lock, WAL journal,
// foreign keys enforced, fsync at checkpoints only, BEGIN IMMEDIATE.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// SlowQueryThreshold is how long a statement may take before it is logged.
const SlowQueryThreshold = 500 * time.Millisecond

// DB is an open database: GORM for the repositories, the plain *sql.DB for
// goose and for River, and the dialect name ("sqlite" or "postgres").
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect string
	// URL is the URL the database was opened with (PostgreSQL; "" on
	// SQLite): what pg_dump connects to.
	URL string
}

// Open connects to the database named by url: "postgres://…" or
// "postgresql://…" for PostgreSQL; a file path or "sqlite://path" for SQLite
// (the parent folder is created). It checks the connection before returning,
// so a wrong address or an unwritable folder fails here with a message that
// names the cause. It does not migrate: see MigrateUp and PendingMigrations.
func Open(ctx context.Context, url string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url)
	case url == "":
		return nil, errors.New("store: open: empty database URL (use a file path for SQLite or postgres://user@host/db for PostgreSQL)")
	default:
		return openSQLite(ctx, strings.TrimPrefix(url, "sqlite://"))
	}
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: invalid URL: %w", err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	sqlDB.SetMaxIdleConns(10)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s:%d (database %q, user %q); is the server running and the URL right? %w",
			cfg.Host, cfg.Port, cfg.Database, cfg.User, err)
	}
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: DialectPostgres, URL: dsn}, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return nil, fmt.Errorf("store: open sqlite %q: parameters are set by the server; give a plain file path", path)
	}
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("store: open sqlite: give a database file path (in-memory databases are not supported)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %q: %w", path, err)
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: cannot create the database folder %s: %w", dir, err)
	}
	// Probe writability ourselves: SQLite's own error ("unable to open
	// database file") does not say which folder or why.
	probe, err := os.CreateTemp(dir, ".newsroom-write-test-*")
	if err != nil {
		return nil, fmt.Errorf("store: the database folder %s is not writable by this process (SQLite needs to create journal files there): %w", dir, err)
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())

	dsn := abs + "?" + sqliteParams
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", abs, err)
	}
	sqlDB.SetMaxOpenConns(SQLiteMaxOpenConns)
	sqlDB.SetMaxIdleConns(SQLiteMaxOpenConns)
	sqlDB.SetConnMaxIdleTime(0)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", abs, err)
	}
	g, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: "sqlite", Conn: sqlDB}), gormConfig())
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", abs, err)
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: DialectSQLite}, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		// Single statements need no implicit transaction; use cases open
		// theirs through InTx.
		SkipDefaultTransaction: true,
		Logger:                 slowLogger{},
		PrepareStmt:            false,
	}
}

// Close closes the connection pool.
func (db *DB) Close() error {
	if err := db.SQL.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.Dialect, err)
	}
	return nil
}

// slowLogger is GORM's logger: silent except for slow statements, which go to
// slog without their parameter values (they may hold password hashes).
type slowLogger struct{}

func (l slowLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (slowLogger) Info(context.Context, string, ...any)       {}
func (slowLogger) Warn(ctx context.Context, msg string, args ...any) {
	slog.WarnContext(ctx, "store: "+fmt.Sprintf(msg, args...))
}
func (slowLogger) Error(ctx context.Context, msg string, args ...any) {
	slog.ErrorContext(ctx, "store: "+fmt.Sprintf(msg, args...))
}

func (slowLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), _ error) {
	if d := time.Since(begin); d >= SlowQueryThreshold {
		q, rows := fc()
		slog.WarnContext(ctx, "store: slow query", "elapsed", d, "rows", rows, "sql", q)
	}
}

// ParamsFilter keeps parameter values out of logged SQL.
func (slowLogger) ParamsFilter(_ context.Context, q string, _ ...any) (string, []any) {
	return q, nil
}
