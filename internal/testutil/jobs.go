package testutil

// Written by the renditions helper (issue 12 point 6): the options and waits
// that tests of background jobs (deliveries, renditions) need.

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/jobs"
)

// WithAppOptions changes the app.Options NewApp builds with: job tuning
// (Jobs: poll interval, retry policy, rendition workers) and the
// distribution service's backoffs (Distribution).
func WithAppOptions(f func(o *app.Options)) AppOption { return func(s *appSettings) { f(&s.opts) } }

// WaitRenditions waits until no rendition job is left to run (each has
// completed, or failed its last attempt), for tests that upload files on an
// app whose jobs run (testutil.Started(), or App.Start) and then look at the
// renditions.
func (a *App) WaitRenditions(timeout time.Duration) {
	a.t.Helper()
	var err error
	Eventually(a.t, timeout, "the rendition jobs to finish", func() bool {
		var n int
		n, err = a.Queue.Unfinished(context.Background(), jobs.QueueRenditions)
		return err != nil || n == 0
	})
	if err != nil {
		a.t.Fatal(err)
	}
}
