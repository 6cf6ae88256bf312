// Package event runs the ordered lists of listeners that domain services
// take at construction. A service that has something to tell (a story
// transitioned, an asset's renditions are ready, a rundown changed) holds a
// List of its own listener interface and emits through it; internal/app
// states, in one place, which listeners each list holds and in what order.
//
// A listener runs in one of two phases:
//   - InTx: inside the change's transaction. Its error aborts the change, so
//     whatever must commit with the change (a River job, a cache generation)
//     belongs here.
//   - AfterCommit: once the transaction has committed, with a context that
//     holds no transaction. It cannot undo the change: its error (or panic)
//     is logged and counted (Failures, exported as a metric), and the next
//     listener still runs. Work that must not be lost is never after-commit:
//     it is a River job inserted by an InTx listener.
package event

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/newsroom-vn/newsroom/internal/txn"
)

// Phase says when a listener runs relative to the change's transaction.
type Phase uint8

// The phases.
const (
	InTx Phase = iota
	AfterCommit
)

// String names the phase for logs and docs.
func (p Phase) String() string {
	if p == AfterCommit {
		return "after-commit"
	}
	return "in-transaction"
}

// Entry is one listener of a list: a name for logs and metrics, its phase
// and the listener itself.
type Entry[L any] struct {
	Name     string
	Phase    Phase
	Listener L
}

// In is an entry that runs inside the transaction.
func In[L any](name string, l L) Entry[L] { return Entry[L]{Name: name, Phase: InTx, Listener: l} }

// After is an entry that runs after the commit.
func After[L any](name string, l L) Entry[L] {
	return Entry[L]{Name: name, Phase: AfterCommit, Listener: l}
}

// List is an ordered list of listeners of one kind. The zero value is an
// empty list, for services built without listeners (tools, unit tests).
type List[L any] struct {
	entries []Entry[L]
	log     *slog.Logger
}

// NewList builds a list; log receives the after-commit failures (nil: slog.Default()).
func NewList[L any](log *slog.Logger, entries ...Entry[L]) List[L] {
	if log == nil {
		log = slog.Default()
	}
	return List[L]{entries: entries, log: log}
}

// Entries returns the names and phases in order (docs, tests).
func (l List[L]) Entries() []Entry[L] { return append([]Entry[L](nil), l.entries...) }

// Emit calls call on every listener in order: InTx ones now, with ctx,
// stopping at the first error (returned wrapped with the listener's name, so
// the caller's transaction rolls back); AfterCommit ones once the
// transaction in ctx has committed (at once outside a transaction).
func (l List[L]) Emit(ctx context.Context, event string, call func(ctx context.Context, l L) error) error {
	for _, e := range l.entries {
		if e.Phase == InTx {
			if err := call(ctx, e.Listener); err != nil {
				return fmt.Errorf("%s listener %s: %w", event, e.Name, err)
			}
			continue
		}
		txn.AfterCommitCtx(ctx, func(ctx context.Context) { l.runAfter(ctx, event, e, call) })
	}
	return nil
}

func (l List[L]) runAfter(ctx context.Context, event string, e Entry[L], call func(context.Context, L) error) {
	defer func() {
		if r := recover(); r != nil {
			countFailure(e.Name)
			l.logger().Error("after-commit listener panicked", "event", event, "listener", e.Name, "panic", fmt.Sprint(r))
		}
	}()
	if err := call(ctx, e.Listener); err != nil {
		countFailure(e.Name)
		l.logger().Warn("after-commit listener failed", "event", event, "listener", e.Name, "err", err)
	}
}

func (l List[L]) logger() *slog.Logger {
	if l.log == nil {
		return slog.Default()
	}
	return l.log
}

var failures sync.Map // listener name -> *atomic.Int64

func countFailure(name string) {
	v, _ := failures.LoadOrStore(name, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// Failure is the count of failed after-commit runs of one listener.
type Failure struct {
	Listener string
	Count    int64
}

// Failures returns the after-commit failures of this process so far, by
// listener name, sorted by name (served at /metrics).
func Failures() []Failure {
	var out []Failure
	failures.Range(func(k, v any) bool {
		out = append(out, Failure{Listener: k.(string), Count: v.(*atomic.Int64).Load()})
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Listener < out[j].Listener })
	return out
}
