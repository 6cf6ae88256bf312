package store

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/newsroom-vn/newsroom/internal/txn"
)

// txKey carries the open *gorm.DB transaction in a context.
type txKey struct{}

var _ txn.Runner = (*DB)(nil)

// InTx runs fn in one transaction carried by the context it passes to fn:
// repository calls made with that context join it. fn's error (or a panic)
// rolls back. A nested InTx joins the outer transaction (no savepoint), so an
// error anywhere rolls back the whole use case. On SQLite the transaction
// begins IMMEDIATE, taking the write lock at once: writers queue instead of
// failing to upgrade a read lock.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	var fnErr error
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		fnErr = fn(context.WithValue(ctx, txKey{}, tx))
		return fnErr
	})
	if err != nil && fnErr == nil {
		// BEGIN or COMMIT failed: fn's own errors pass through untouched.
		return fmt.Errorf("store: transaction: %w", err)
	}
	return err
}

// InTransaction reports whether ctx carries a transaction of this package.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// conn returns the transaction in ctx, else the plain database, bound to ctx.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return db.Gorm.WithContext(ctx)
}

// SQLTx returns the *sql.Tx under the transaction in ctx (for River's
// InsertTx, which must enqueue in the same transaction), or nil.
func SQLTx(ctx context.Context) *sql.Tx {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil
	}
	sqlTx, _ := tx.Statement.ConnPool.(*sql.Tx)
	return sqlTx
}

// forUpdate adds SELECT ... FOR UPDATE on PostgreSQL; SQLite has no row
// locks, and its IMMEDIATE transactions already serialise writers.
func (db *DB) forUpdate(q *gorm.DB) *gorm.DB {
	if db.Dialect == DialectPostgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}
