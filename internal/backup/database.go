package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	// The pure-Go SQLite driver, registered as "sqlite" (as in internal/store).
	_ "modernc.org/sqlite"
)

// The database dialects (store.DialectSQLite, store.DialectPostgres).
const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// Database is the configured database: its dialect and database.url, and
// the open connection a backup reads (nil for a restore, which opens the
// target itself).
type Database struct {
	Dialect string
	URL     string
	SQL     *sql.DB
	// SchemaVersion reports the latest applied migration (manifest).
	SchemaVersion func(ctx context.Context) (int64, error)
}

// sqlitePath is the SQLite file of database.url.
func (d Database) sqlitePath() (string, error) {
	return filepath.Abs(strings.TrimPrefix(d.URL, "sqlite://"))
}

// dump writes the database's consistent copy to file: VACUUM INTO on SQLite
// (a transaction's snapshot, while the server keeps writing), pg_dump in
// custom format on PostgreSQL.
func (d Database) dump(ctx context.Context, pgDump, file string) error {
	switch d.Dialect {
	case dialectSQLite:
		if _, err := d.SQL.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
			return fmt.Errorf("copy the SQLite database (VACUUM INTO): %w", err)
		}
		return nil
	case dialectPostgres:
		return runPG(ctx, pgDump, "pg_dump", d.URL, "--format=custom", "--file="+file)
	}
	return fmt.Errorf("unknown database dialect %q", d.Dialect)
}

// findTool finds a PostgreSQL client program: name given (a path, or a name
// looked up on PATH).
func findTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found on PATH: install the PostgreSQL client tools of the server's major version or newer "+
			"(Debian/Ubuntu: apt install postgresql-client-15) and make sure %s is on PATH: %w", filepath.Base(name), filepath.Base(name), err)
	}
	return p, nil
}

// runPG runs pg_dump or pg_restore against dbURL. The password travels in
// PGPASSWORD, not on the command line, where ps would show it.
func runPG(ctx context.Context, tool, what, dbURL string, args ...string) error {
	bin, err := findTool(tool)
	if err != nil {
		return err
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("database.url is not a URL: %w", err)
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+u.String())...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "server version mismatch") {
			msg += " (the client tools must be of the server's major version or newer)"
		}
		return fmt.Errorf("%s failed: %w: %s", what, err, msg)
	}
	return nil
}

// openTarget opens the database a restore writes into; ok is false when
// there is none yet (a SQLite file that does not exist).
func (d Database) openTarget(ctx context.Context) (db *sql.DB, ok bool, err error) {
	switch d.Dialect {
	case dialectSQLite:
		p, err := d.sqlitePath()
		if err != nil {
			return nil, false, err
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		db, err := sql.Open("sqlite", p+"?_pragma=busy_timeout(10000)")
		if err != nil {
			return nil, false, err
		}
		return db, true, db.PingContext(ctx)
	case dialectPostgres:
		cfg, err := pgx.ParseConfig(d.URL)
		if err != nil {
			return nil, false, fmt.Errorf("database.url: %w", err)
		}
		db := stdlib.OpenDB(*cfg)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, false, fmt.Errorf("cannot reach the database to restore into: %w", err)
		}
		return db, true, nil
	}
	return nil, false, fmt.Errorf("unknown database dialect %q", d.Dialect)
}

// contentTables are the tables whose rows make a database "in use": a
// restore refuses to write over them.
var contentTables = []string{"users", "stories"}

// requireEmpty refuses a target database that holds accounts or stories.
func (d Database) requireEmpty(ctx context.Context) error {
	db, ok, err := d.openTarget(ctx)
	if err != nil || !ok {
		return err
	}
	defer db.Close()
	for _, t := range contentTables {
		var exists bool
		q := "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?"
		if d.Dialect == dialectPostgres {
			q = "SELECT to_regclass('public.' || $1) IS NOT NULL"
		}
		if err := db.QueryRowContext(ctx, q, t).Scan(&exists); err != nil {
			return fmt.Errorf("inspect the database to restore into: %w", err)
		}
		if !exists {
			continue
		}
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return fmt.Errorf("inspect the database to restore into: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("refusing to restore: the configured database is not empty (table %s has %d row(s)); "+
				"restore into a new, empty database (database.url)", t, n)
		}
	}
	return nil
}
