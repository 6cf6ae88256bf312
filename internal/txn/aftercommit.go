package txn

import (
	"context"
	"sync"
)

type hooksKey struct{}

type hooks struct {
	mu  sync.Mutex
	fns []func(ctx context.Context)
}

// WithAfterCommit wraps a Runner so that functions registered with
// AfterCommit during a transaction run once it has committed (and never if
// it rolls back). Caches use it to drop what the transaction changed only
// when readers can see the change.
func WithAfterCommit(r Runner) Runner { return afterCommitRunner{inner: r} }

type afterCommitRunner struct{ inner Runner }

// InTx runs fn in the inner runner's transaction, then the registered hooks
// with ctx, the caller's context: it carries no transaction, so what a hook
// reads or writes sees the committed change. A nested call joins the outer
// transaction and its hooks.
func (r afterCommitRunner) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, nested := ctx.Value(hooksKey{}).(*hooks); nested {
		return r.inner.InTx(ctx, fn)
	}
	h := &hooks{}
	if err := r.inner.InTx(context.WithValue(ctx, hooksKey{}, h), fn); err != nil {
		return err
	}
	h.mu.Lock()
	fns := h.fns
	h.mu.Unlock()
	for _, f := range fns {
		f(ctx)
	}
	return nil
}

// AfterCommit registers f to run after the transaction in ctx commits. Outside
// a transaction of a WithAfterCommit runner it runs f at once.
func AfterCommit(ctx context.Context, f func()) {
	AfterCommitCtx(ctx, func(context.Context) { f() })
}

// AfterCommitCtx is AfterCommit for work that needs a context: f gets the
// context the transaction was opened with, which holds no transaction (the
// one in ctx is over by then). Outside a transaction f runs at once with ctx.
func AfterCommitCtx(ctx context.Context, f func(ctx context.Context)) {
	h, ok := ctx.Value(hooksKey{}).(*hooks)
	if !ok {
		f(ctx)
		return
	}
	h.mu.Lock()
	h.fns = append(h.fns, f)
	h.mu.Unlock()
}
