package event_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/event"
	"github.com/newsroom-vn/newsroom/internal/txn"
)

// fakeTx is a transaction runner with no database: it commits when fn succeeds.
type fakeTx struct{}

func (fakeTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

type probe struct {
	name string
	log  *[]string
	err  error
	boom bool
}

func (p probe) hear(context.Context) error {
	*p.log = append(*p.log, p.name)
	if p.boom {
		panic("boom")
	}
	return p.err
}

func call(ctx context.Context, p probe) error { return p.hear(ctx) }

func TestEmitOrderAndPhases(t *testing.T) {
	var got []string
	l := event.NewList(nil,
		event.After("mos", probe{name: "mos", log: &got}),
		event.In("site", probe{name: "site", log: &got}),
		event.In("jobs", probe{name: "jobs", log: &got}))
	runner := txn.WithAfterCommit(fakeTx{})
	err := runner.InTx(context.Background(), func(ctx context.Context) error {
		if err := l.Emit(ctx, "story.transitioned", call); err != nil {
			return err
		}
		got = append(got, "commit")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"site", "jobs", "commit", "mos"}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
}

func TestInTxErrorAbortsAndSkipsAfterCommit(t *testing.T) {
	var got []string
	bad := errors.New("no")
	l := event.NewList(nil,
		event.After("late", probe{name: "late", log: &got}),
		event.In("first", probe{name: "first", log: &got, err: bad}),
		event.In("second", probe{name: "second", log: &got}))
	runner := txn.WithAfterCommit(fakeTx{})
	err := runner.InTx(context.Background(), func(ctx context.Context) error {
		return l.Emit(ctx, "story.transitioned", call)
	})
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v, want the listener's error", err)
	}
	if !slices.Equal(got, []string{"first"}) {
		t.Fatalf("ran %v; a failed in-transaction listener stops the list and nothing runs after a rollback", got)
	}
}

func TestAfterCommitFailuresAreCountedNotReturned(t *testing.T) {
	var got []string
	l := event.NewList(nil,
		event.After("test-fails", probe{name: "fails", log: &got, err: errors.New("down")}),
		event.After("test-panics", probe{name: "panics", log: &got, boom: true}),
		event.After("test-ok", probe{name: "ok", log: &got}))
	before := counts()
	runner := txn.WithAfterCommit(fakeTx{})
	if err := runner.InTx(context.Background(), func(ctx context.Context) error {
		return l.Emit(ctx, "asset.changed", call)
	}); err != nil {
		t.Fatalf("an after-commit failure must not fail the change: %v", err)
	}
	if !slices.Equal(got, []string{"fails", "panics", "ok"}) {
		t.Fatalf("ran %v, want every after-commit listener", got)
	}
	after := counts()
	if after["test-fails"]-before["test-fails"] != 1 || after["test-panics"]-before["test-panics"] != 1 || after["test-ok"] != before["test-ok"] {
		t.Fatalf("failures before %v after %v", before, after)
	}
}

func TestZeroListEmitsNothing(t *testing.T) {
	var l event.List[probe]
	if err := l.Emit(context.Background(), "x", call); err != nil {
		t.Fatal(err)
	}
}

func counts() map[string]int64 {
	m := map[string]int64{}
	for _, f := range event.Failures() {
		m[f.Listener] = f.Count
	}
	return m
}

type nop struct{}

func (nop) hear(context.Context) error { return nil }

// BenchmarkEmit compares, in one run, a list of three in-transaction
// listeners with the three chained hook functions it replaced, and an
// after-commit list inside a transaction (docs/benchmarks.md).
func BenchmarkEmit(b *testing.B) {
	ctx := context.Background()
	hear := func(ctx context.Context, l nop) error { return l.hear(ctx) }
	b.Run("hooks-chained", func(b *testing.B) {
		var hook func(context.Context) error
		for range 3 {
			prev := hook
			hook = func(ctx context.Context) error {
				if prev != nil {
					if err := prev(ctx); err != nil {
						return err
					}
				}
				return nop{}.hear(ctx)
			}
		}
		for b.Loop() {
			if err := hook(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-in-tx", func(b *testing.B) {
		l := event.NewList(nil, event.In("a", nop{}), event.In("b", nop{}), event.In("c", nop{}))
		for b.Loop() {
			if err := l.Emit(ctx, "x", hear); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-after-commit", func(b *testing.B) {
		l := event.NewList(nil, event.After("a", nop{}), event.After("b", nop{}), event.After("c", nop{}))
		runner := txn.WithAfterCommit(fakeTx{})
		for b.Loop() {
			if err := runner.InTx(ctx, func(ctx context.Context) error { return l.Emit(ctx, "x", hear) }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
