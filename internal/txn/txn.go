// Package txn defines how domain services ask for a database transaction
// without knowing the database: the store carries the transaction in the
// context, and repository calls made with that context join it.
package txn

import "context"

// Runner runs fn inside one transaction; fn's error rolls it back.
type Runner interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}
