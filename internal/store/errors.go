package store

import (
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// isUniqueViolation reports a duplicate key on either database.
func isUniqueViolation(err error) bool {
	return isViolation(err, "23505", sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKeyViolation reports a reference to a missing row.
func isForeignKeyViolation(err error) bool {
	return isViolation(err, "23503", sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY)
}

// isViolation reports an error of PostgreSQL with the SQLSTATE pgCode, or of
// SQLite with one of the extended result codes sqliteCodes: each database
// names the same broken constraint its own way.
func isViolation(err error, pgCode string, sqliteCodes ...int) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == pgCode
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return slices.Contains(sqliteCodes, se.Code())
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

// touchedOne is the outcome of res, a write that must touch a row: its error
// as wrap gives it under what, or the NotFound of notFound under missing when
// it touched none: the row is not there.
func touchedOne(res *gorm.DB, what, missing string) error {
	if res.Error != nil {
		return wrap(res.Error, what)
	}
	if res.RowsAffected == 0 {
		return notFound(missing)
	}
	return nil
}

// notFound is the NotFound error for a missing row.
func notFound(what string) error {
	return fmt.Errorf("store: %s: %w", what, apperr.NotFound("store.not_found"))
}
