// Package testenv holds the two rules every test follows about its
// environment: a missing service fails under CI=true and skips otherwise
// (Need), and background work is awaited by polling with a bound
// (Eventually). It imports nothing of the newsroom, so test helpers that
// internal/app's own packages use (the MOS device of internal/broadcast/mos)
// can share it without an import cycle; everyone else calls the same
// functions through testutil. (cmdtests helper, issue 12.)
package testenv

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// Need stops a test whose service is missing: it fails under CI=true (CI
// must never pass by skipping) and skips otherwise, naming the service and
// how to get it. A nil err means the service is there.
func Need(t testing.TB, service string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s is not available (%v): run `make test`, which installs or starts it", service, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Eventually polls cond every 20 ms until it holds, and fails the test with
// what (a description of the awaited state) when it still does not after
// timeout. It is for work done in the background (jobs, after-commit
// listeners, other processes); it is never a timing assertion.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %s for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
