package testutil

import (
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/testutil/testenv"
)

// Need stops a test whose service is missing: it fails under CI=true (CI
// must never pass by skipping) and skips otherwise, naming the service and
// how to get it (testenv.Need).
func Need(t testing.TB, service string, err error) {
	t.Helper()
	testenv.Need(t, service, err)
}

// Eventually polls cond every 20 ms until it holds, and fails the test with
// what (a description of the awaited state) when it still does not after
// timeout (testenv.Eventually). It is for work done in the background (jobs,
// after-commit listeners); it is never a timing assertion.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	testenv.Eventually(t, timeout, what, cond)
}
