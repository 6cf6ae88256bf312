package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/newsroom-vn/newsroom/migrations"
)

// MigrationState is one migration and whether the database has it.
type MigrationState struct {
	Version   int64     `json:"version"`
	Name      string    `json:"name"`
	Applied   bool      `json:"applied"`
	AppliedAt time.Time `json:"applied_at"` // zero when pending
}

// provider builds a goose provider for the dialect's migration folder. On
// PostgreSQL a session advisory lock keeps two processes from migrating at
// once; SQLite's write lock does the same for it.
func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, db.Dialect)
	if err != nil {
		return nil, fmt.Errorf("store: migrations for %s: %w", db.Dialect, err)
	}
	var (
		dialect goose.Dialect
		opts    []goose.ProviderOption
	)
	switch db.Dialect {
	case DialectPostgres:
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case DialectSQLite:
		dialect = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", db.Dialect)
	}
	p, err := goose.NewProvider(dialect, db.SQL, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration.
func (db *DB) MigrateUp(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate up: %w", err)
	}
	return nil
}

// MigrateDown rolls back the latest applied migration (one step).
func (db *DB) MigrateDown(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Down(ctx); err != nil {
		if errors.Is(err, goose.ErrNoNextVersion) {
			return fmt.Errorf("store: migrate down: no migration is applied")
		}
		return fmt.Errorf("store: migrate down: %w", err)
	}
	return nil
}

// MigrateDownTo rolls back every migration above version (0: all of them).
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("store: migrate down to %d: %w", version, err)
	}
	return nil
}

// MigrateReset rolls back every migration, leaving only goose's version table.
func (db *DB) MigrateReset(ctx context.Context) error { return db.MigrateDownTo(ctx, 0) }

// MigrationStatus lists every known migration, oldest first.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, s := range st {
		name := path.Base(s.Source.Path)
		out = append(out, MigrationState{
			Version:   s.Source.Version,
			Name:      strings.TrimSuffix(name, path.Ext(name)),
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// PendingMigrations returns how many migrations the database lacks; serve
// refuses to start while it is not 0 ("run newsroom migrate up").
func (db *DB) PendingMigrations(ctx context.Context) (int, error) {
	st, err := db.MigrationStatus(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range st {
		if !s.Applied {
			n++
		}
	}
	return n, nil
}

// NeverMigrated reports whether migrations have never run on this database
// (no goose version table): a brand-new install, which `serve` initialises on
// its own. A database rolled back or behind is not new, and `serve` refuses it.
func (db *DB) NeverMigrated(ctx context.Context) (bool, error) {
	has := db.Gorm.WithContext(ctx).Migrator().HasTable(goose.DefaultTablename)
	return !has, nil
}
