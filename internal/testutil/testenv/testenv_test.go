package testenv

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records how a helper stopped the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) {
	r.skip = fmt.Sprint(args...)
	runtime.Goexit()
}

// run calls f with a recorder on its own goroutine (Fatal and Skip end it)
// and reports whether f returned normally.
func run(f func(t testing.TB)) (r *recorder, returned bool) {
	r = &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
		returned = true
	}()
	<-done
	return r, returned
}

func TestNeed(t *testing.T) {
	missing := errors.New("not found")
	t.Setenv("CI", "")
	if r, ok := run(func(tb testing.TB) { Need(tb, "ffmpeg", nil) }); !ok || r.fatal != "" || r.skip != "" {
		t.Fatalf("a present service must not stop the test: %+v", r)
	}
	if r, ok := run(func(tb testing.TB) { Need(tb, "ffmpeg", missing) }); ok || r.fatal != "" || !strings.Contains(r.skip, "ffmpeg") {
		t.Fatalf("outside CI a missing service skips, naming it: %+v", r)
	}
	t.Setenv("CI", "true")
	if r, ok := run(func(tb testing.TB) { Need(tb, "ffmpeg", missing) }); ok || r.skip != "" ||
		!strings.Contains(r.fatal, "ffmpeg") || !strings.Contains(r.fatal, "not found") {
		t.Fatalf("under CI=true a missing service fails, naming it and why: %+v", r)
	}
}

func TestEventually(t *testing.T) {
	calls := 0
	if r, ok := run(func(tb testing.TB) {
		Eventually(tb, 5*time.Second, "three calls", func() bool { calls++; return calls == 3 })
	}); !ok || r.fatal != "" || calls != 3 {
		t.Fatalf("Eventually must return once cond holds: %+v after %d calls", r, calls)
	}
	if r, ok := run(func(tb testing.TB) {
		Eventually(tb, 50*time.Millisecond, "the impossible", func() bool { return false })
	}); ok || !strings.Contains(r.fatal, "the impossible") {
		t.Fatalf("Eventually must fail naming what it awaited: %+v", r)
	}
}
