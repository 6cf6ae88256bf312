package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverDriver returns River's driver for this database, on the same *sql.DB
// as GORM: riversqlite on SQLite, riverdatabasesql on PostgreSQL. Both take
// a *sql.Tx, so jobs are enqueued inside the GORM transaction of a use case
// (see SQLTx). riverdatabasesql polls for jobs instead of LISTEN/NOTIFY.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if db.Dialect == DialectPostgres {
		return riverdatabasesql.New(db.SQL)
	}
	return riversqlite.New(db.SQL)
}

func (db *DB) riverMigrator() (*rivermigrate.Migrator[*sql.Tx], error) {
	m, err := rivermigrate.New(db.RiverDriver(), nil)
	if err != nil {
		return nil, fmt.Errorf("store: river migrations: %w", err)
	}
	return m, nil
}

// MigrateRiver applies the job queue's (River's) pending migrations. They are
// River's own, versioned apart from ours in the river_migration table.
func (db *DB) MigrateRiver(ctx context.Context) error {
	m, err := db.riverMigrator()
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: river migrate up: %w", err)
	}
	return nil
}

// RiverVersion returns the River schema version applied to the database (0
// when none) and the latest this binary knows.
func (db *DB) RiverVersion(ctx context.Context) (current, latest int, err error) {
	m, err := db.riverMigrator()
	if err != nil {
		return 0, 0, err
	}
	all := m.AllVersions()
	if len(all) > 0 {
		latest = all[len(all)-1].Version
	}
	applied, err := m.ExistingVersions(ctx)
	if err != nil {
		return 0, latest, fmt.Errorf("store: river version: %w", err)
	}
	if len(applied) > 0 {
		current = applied[len(applied)-1].Version
	}
	return current, latest, nil
}
