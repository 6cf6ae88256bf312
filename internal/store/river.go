package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverDriver returns River's driver for this database, on the same *sql.DB
// as GORM: riversqlite on SQLite, riverdatabasesql on PostgreSQL. Both take
// a *sql.Tx, so jobs are enqueued inside the GORM transaction of a use case
// (see SQLTx). riverdatabasesql cannot LISTEN, but its inserts do send
// River's pg_notify, so on PostgreSQL the workers run on RiverPool instead.
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

// RiverPool opens a pgx pool of at most maxConns connections to the same
// PostgreSQL database as db (same connection settings), for River's pgx
// driver: its workers hold one connection in LISTEN and pick up a job as
// soon as the transaction that inserted it commits, instead of at the next
// poll. Jobs are still inserted through RiverDriver, in the use case's
// transaction. The caller closes the pool. PostgreSQL only.
func (db *DB) RiverPool(ctx context.Context, maxConns int32) (*pgxpool.Pool, error) {
	if db.Dialect != DialectPostgres {
		return nil, errors.New("store: river pool: PostgreSQL only")
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: river pool: %w", err)
	}
	var cc *pgx.ConnConfig
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("connection is a %T, not pgx", dc)
		}
		cc = c.Conn().Config()
		// pgx set this to the buffer of that connection: left in place,
		// the pool's connections would hand their notifications to it.
		cc.OnNotification = nil
		return nil
	})
	_ = conn.Close()
	if err != nil {
		return nil, fmt.Errorf("store: river pool: %w", err)
	}
	pc, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, fmt.Errorf("store: river pool: %w", err)
	}
	pc.ConnConfig = cc
	pc.MaxConns = max(maxConns, 2)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("store: river pool: %w", err)
	}
	return pool, nil
}
