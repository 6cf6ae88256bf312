package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// isUniqueViolation reports a duplicate key on either database.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports a reference to a missing row.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// wrap maps database errors to apperr codes and adds the "store: <what>"
// prefix: a duplicate key is Conflict, a missing referenced row Invalid,
// gorm's record-not-found NotFound; anything else stays as it is (Internal
// for callers) with its cause attached. what describes the operation, e.g.
// "find story 123".
func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("store: %s: %w", what, apperr.NotFound("store.not_found"))
	case isUniqueViolation(err):
		return fmt.Errorf("store: %s: %w", what, apperr.Conflict("store.already_exists"))
	case isForeignKeyViolation(err):
		return fmt.Errorf("store: %s: %w", what, apperr.Invalid("store.missing_reference"))
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// notFound is the NotFound error for a missing row.
func notFound(what string) error {
	return fmt.Errorf("store: %s: %w", what, apperr.NotFound("store.not_found"))
}
